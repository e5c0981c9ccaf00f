"""The ban's lawful process, step by step, through the services: who may take each step and when."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sanctions.bans import services as ban_services
from sanctions.bans.selectors import bans_in_force
from sanctions.letters import services as letter_services
from sanctions.models import BanRoute, BanStatus, ChairConsultation, ConsultationMethod, ReviewOutcome, SiteBan
from tests.sanctions.conftest import ROLE_PERSONAS

# Each step: the personas allowed, a setup giving its subject, and the call.
STEPS = {
    "create": {"head"},
    "representations": {"senior", "head"},
    "no_representations": {"senior", "head"},
    "confirm": {"head"},
    "withdraw": {"head"},
    "extension_consult": {"chair"},
    "review": {"head"},
    "end": {"head"},
}


@pytest.fixture
def step(request, ban_case, make_ban, deadline_passed, school, today):
    def prepare(name):
        if name == "create":
            return ban_case
        if name in ("extension_consult", "review"):
            return request.getfixturevalue("confirmed_ban")
        if name == "end":
            confirmed_ban = request.getfixturevalue("confirmed_ban")
            SiteBan.objects.filter(pk=confirmed_ban.pk).update(
                starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=1),
                review_on=today - timedelta(days=2))
            confirmed_ban.refresh_from_db()
            return confirmed_ban
        ban = make_ban(ban_case)
        if name in ("no_representations", "confirm"):
            deadline_passed(ban)
        return ban

    def run(name, actor, subject):
        if name == "create":
            return ban_services.ban_create(
                actor=actor, incident=subject, person=subject.subjects()[0], route=BanRoute.PROVISIONAL,
                sites=[school], starts_on=today, ends_on=today + timedelta(days=90),
                review_on=today + timedelta(days=30),
                pupil_arrangements="Collected at the office.",
            )
        calls = {
            "representations": lambda: ban_services.representation_record(
                actor=actor, ban=subject, received_on=today, summary="I am sorry."),
            "no_representations": lambda: ban_services.ban_note_no_representations(actor=actor, ban=subject),
            "confirm": lambda: ban_services.ban_confirm(actor=actor, ban=subject, reasons="Risk remains."),
            "withdraw": lambda: ban_services.ban_withdraw(actor=actor, ban=subject, reasons="Apology accepted."),
            "extension_consult": lambda: ban_services.ban_extension_consult(
                actor=actor, ban=subject, consulted_on=today, method=ConsultationMethod.PHONE,
                chair_view="Agree to extend.", signed_off=True),
            "review": lambda: ban_services.ban_review(
                actor=actor, ban=subject, outcome=ReviewOutcome.CONTINUE, reasons="Still needed.",
                next_review_on=today + timedelta(days=20)),
            "end": lambda: ban_services.ban_end(actor=actor, ban=subject),
        }
        return calls[name]()

    return prepare, run


@pytest.mark.parametrize("name", list(STEPS))
@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_each_step_only_by_its_roles(name, persona, step, personas):
    prepare, run = step
    subject = prepare(name)
    events_before = subject.events.count() if name == "create" else subject.incident.events.count()
    if persona in STEPS[name]:
        run(name, personas[persona], subject)
        incident = subject if name == "create" else subject.incident
        assert incident.events.count() > events_before  # every step writes the timeline
    else:
        with pytest.raises(PermissionDenied):
            run(name, personas[persona], subject)


def test_provisional_route_in_force_until_lifted(ban_case, make_ban, personas, today):
    ban = make_ban(ban_case)
    assert ban.status == BanStatus.PROVISIONAL and ban.in_force
    assert ban.representations_by == today + timedelta(days=ban_case.school.representation_days)
    assert ban.letters.get().kind == "provisional_ban"


def test_notice_route_is_not_in_force(ban_case, make_ban):
    ban = make_ban(ban_case, route=BanRoute.NOTICE)
    assert ban.status == BanStatus.INTENDED and not ban.in_force
    assert not bans_in_force().filter(pk=ban.pk).exists()


def test_the_deadline_default_follows_the_school(ban_case, make_ban, school, today):
    school.representation_days = 21
    school.save()
    ban_case.school.refresh_from_db()
    assert make_ban(ban_case).representations_by == today + timedelta(days=21)


def test_confirmation_before_the_deadline_without_representations_fails(ban_case, make_ban, personas):
    ban = make_ban(ban_case)
    with pytest.raises(ValidationError, match="cannot be confirmed before then"):
        ban_services.ban_confirm(actor=personas["head"], ban=ban, reasons="Risk.")
    ban.refresh_from_db()
    assert ban.status == BanStatus.PROVISIONAL


def test_confirmation_before_the_deadline_after_representations(ban_case, make_ban, personas, today):
    ban = make_ban(ban_case)
    attachment = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 the parent's letter", content_type="application/pdf")
    rep = ban_services.representation_record(actor=personas["senior"], ban=ban, received_on=today,
                                             summary="It was a misunderstanding.", attachment=attachment)
    assert rep.attachment_name == "letter.pdf" and rep.attachment.name.endswith(".pdf")
    ban_services.ban_confirm(actor=personas["head"], ban=ban, reasons="Considered; the risk remains.")
    ban.refresh_from_db()
    assert ban.status == BanStatus.CONFIRMED and ban.letters.filter(kind="ban_confirmed").exists()


def test_a_bad_attachment_is_refused(ban_case, make_ban, personas, today):
    ban = make_ban(ban_case)
    fake = SimpleUploadedFile("letter.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf")
    with pytest.raises(ValidationError):
        ban_services.representation_record(actor=personas["head"], ban=ban, received_on=today, summary="x",
                                           attachment=fake)


def test_none_received_only_after_the_deadline(ban_case, make_ban, personas, deadline_passed):
    ban = make_ban(ban_case)
    with pytest.raises(ValidationError):
        ban_services.ban_note_no_representations(actor=personas["head"], ban=ban)
    deadline_passed(ban)
    ban = ban_services.ban_note_no_representations(actor=personas["head"], ban=ban)
    assert ban.no_representations_noted


def test_never_confirmed_without_the_chairs_sign_off(ban_case, make_ban, personas, deadline_passed):
    ban = deadline_passed(make_ban(ban_case))
    ChairConsultation.objects.filter(pk=ban.consultation_id).update(signed_off=False, reasons_not_signed="No.")
    with pytest.raises(ValidationError, match="Chair"):
        ban_services.ban_confirm(actor=personas["head"], ban=ban, reasons="Risk.")


def test_notice_confirmed_starts_no_earlier_than_the_confirmation(ban_case, make_ban, personas, today):
    ban = make_ban(ban_case, route=BanRoute.NOTICE)
    assert ban.starts_on > ban.representations_by
    with pytest.raises(ValidationError):
        make_ban(ban_case, route=BanRoute.NOTICE, starts_in=3)


def test_withdrawn_ban_is_over(ban_case, make_ban, personas):
    ban = make_ban(ban_case)
    ban_services.ban_withdraw(actor=personas["head"], ban=ban, reasons="Apology accepted.")
    ban.refresh_from_db()
    assert ban.status == BanStatus.WITHDRAWN and not ban.in_force
    assert ban.letters.filter(kind="ban_withdrawn", status="draft").exists()
    with pytest.raises(ValidationError):
        ban_services.ban_confirm(actor=personas["head"], ban=ban, reasons="Changed my mind.")


def test_reviews_shorten_extend_and_lift(confirmed_ban, personas, today):
    head, ban = personas["head"], confirmed_ban
    ban_services.ban_review(actor=head, ban=ban, outcome=ReviewOutcome.SHORTEN, reasons="Better.",
                            new_ends_on=ban.ends_on - timedelta(days=30))
    ban.refresh_from_db()
    assert ban.ends_on == ban.original_ends_on - timedelta(days=30)
    ban_services.ban_review(actor=head, ban=ban, outcome=ReviewOutcome.EXTEND, reasons="Incident.",
                            new_ends_on=ban.original_ends_on)  # back to the original end: no new sign-off needed
    ban.refresh_from_db()
    assert ban.ends_on == ban.original_ends_on
    assert ban.letters.filter(kind="ban_review").count() == 2
    ban_services.ban_review(actor=head, ban=ban, outcome=ReviewOutcome.LIFT, reasons="No further concern.")
    ban.refresh_from_db()
    assert ban.status == BanStatus.LIFTED and not ban.in_force
    assert ban.letters.filter(kind="ban_withdrawn").exists()


def test_extending_past_the_original_end_needs_the_chair_again(confirmed_ban, personas, today):
    head, chair, ban = personas["head"], personas["chair"], confirmed_ban
    later = ban.original_ends_on + timedelta(days=60)
    with pytest.raises(ValidationError, match="Chair"):
        ban_services.ban_review(actor=head, ban=ban, outcome=ReviewOutcome.EXTEND, reasons="More.", new_ends_on=later)
    ban_services.ban_extension_consult(actor=chair, ban=ban, consulted_on=today, method=ConsultationMethod.MEETING,
                                       chair_view="No.", signed_off=False, reasons_not_signed="Too long.")
    with pytest.raises(ValidationError, match="Chair"):
        ban_services.ban_review(actor=head, ban=ban, outcome=ReviewOutcome.EXTEND, reasons="More.", new_ends_on=later)
    consultation = ban_services.ban_extension_consult(actor=chair, ban=ban, consulted_on=today,
                                                      method=ConsultationMethod.MEETING, chair_view="Agreed.",
                                                      signed_off=True)
    review = ban_services.ban_review(actor=head, ban=ban, outcome=ReviewOutcome.EXTEND, reasons="More.",
                                     new_ends_on=later)
    assert review.consultation == consultation
    ban.refresh_from_db()
    assert ban.ends_on == later and ban.original_ends_on < later
    # One sign-off, one extension.
    with pytest.raises(ValidationError, match="Chair"):
        ban_services.ban_review(actor=head, ban=ban, outcome=ReviewOutcome.EXTEND, reasons="Again.",
                                new_ends_on=later + timedelta(days=10))


def test_ending_only_after_the_end_date(confirmed_ban, personas):
    with pytest.raises(ValidationError):
        ban_services.ban_end(actor=personas["head"], ban=confirmed_ban)


def test_a_ban_covers_its_own_schools_site(ban_case, make_ban, school):
    # Another school's site needs that school's head and Chair: see test_ban_sites.py.
    ban = make_ban(ban_case)
    assert set(ban.sites.all()) == {school}


def test_issued_ban_letters_are_what_the_parent_received(confirmed_ban):
    kinds = set(confirmed_ban.letters.filter(status="issued").values_list("kind", flat=True))
    assert kinds == {"provisional_ban", "ban_confirmed"}


def test_the_case_closes_once_the_ban_letter_is_issued(ban_case, make_ban, personas):
    from sanctions.responses import services

    ban = make_ban(ban_case)
    with pytest.raises(ValidationError):
        services.case_close(actor=personas["head"], incident=ban_case, outcome="Banned.")
    letter_services.letter_issue(actor=personas["head"], letter=ban.letters.get(), sent_by="post")
    assert services.case_close(actor=personas["head"], incident=ban_case, outcome="Banned.").stage == "closed"
    # The ban's later steps go on after the case is closed.
    ban_services.representation_record(actor=personas["head"], ban=ban, received_on=ban.starts_on, summary="Sorry.")
