"""Letters issued "by email": sent by Conduct once the issue commits, the PDF attached, the Message-ID on the
timeline; with the mail server down the letter stays issued, not yet sent, and a retry sends it once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from incidents.workflow import Stage
from sanctions.letters import delivery
from sanctions.letters import services as letter_services
from sanctions.models import Letter, LetterKind, LetterStatus
from tests.sanctions.delivery_helpers import DOWN, issue_letter

LETTERS = "Letter from School One"


@pytest.fixture
def draft(build, personas):
    incident = build.case(stage=Stage.DECIDED)
    return letter_services.letter_draft(actor=personas["senior"], incident=incident, kind=LetterKind.WARNING,
                                        person=incident.subjects()[0])


def _issue_by_email(client_as, letter, capture):
    with capture(execute=True):
        response = client_as("head").post(reverse("sanctions:letter_issue", args=[letter.pk]), {"sent_by": "email"})
    assert response.status_code == 302
    letter.refresh_from_db()
    return letter


def _letters_sent():
    return [m for m in mail.outbox if m.subject.startswith(LETTERS)]


def test_issued_by_email_it_arrives_with_the_pdf_and_its_message_id_is_on_the_timeline(
        draft, client_as, settings, django_capture_on_commit_callbacks):
    settings.DEFAULT_FROM_EMAIL = "conduct@trust.example.org"
    letter = _issue_by_email(client_as, draft, django_capture_on_commit_callbacks)
    [message] = _letters_sent()
    assert message.to == ["pat@example.com"]
    assert message.from_email == "School One <conduct@trust.example.org>"
    assert message.reply_to == ["office@one.example.org"]
    assert message.subject == "Letter from School One: Warning letter"
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"{letter.incident.reference}-warning.pdf" and mimetype == "application/pdf"
    assert content == bytes(letter.pdf)
    assert letter.status == LetterStatus.ISSUED and letter.delivered_at and letter.delivered_to == "pat@example.com"
    assert letter.message_id == message.extra_headers["Message-ID"]
    assert letter.message_id.startswith("<") and letter.message_id.endswith("@trust.example.org>")
    assert message.message()["Message-ID"] == letter.message_id
    event = letter.incident.events.get(summary__startswith="Letter emailed")
    assert letter.message_id in event.note and "pat@example.com" in event.summary
    page = client_as("office").get(letter.incident.get_absolute_url()).content.decode()
    assert "Letter emailed" in page and letter.message_id.strip("<>") in page


def test_the_body_is_short_and_says_nothing_of_the_case(draft, client_as, django_capture_on_commit_callbacks):
    letter = _issue_by_email(client_as, draft, django_capture_on_commit_callbacks)
    [message] = _letters_sent()
    assert message.body.startswith("Dear Pat Parent,")
    for private in (letter.incident.description, letter.facts, "Sam Parent", "Shouted", "Main gate",
                    letter.incident.reference):
        assert private not in message.body
    assert len(message.body) < 600


def test_a_schools_own_sender(draft, client_as, school, django_capture_on_commit_callbacks):
    school.letter_from_email = "letters@one.example.org"
    school.save()
    letter = _issue_by_email(client_as, draft, django_capture_on_commit_callbacks)
    [message] = _letters_sent()
    assert message.from_email == "School One <letters@one.example.org>"
    assert letter.message_id.endswith("@one.example.org>")


def test_nothing_is_sent_before_the_issue_commits_or_when_it_rolls_back(draft, personas,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            letter_services.letter_issue(actor=personas["head"], letter=draft, sent_by="email")
            transaction.set_rollback(True)
    assert callbacks == [] and _letters_sent() == []
    draft.refresh_from_db()
    assert draft.status == LetterStatus.DRAFT
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter_services.letter_issue(actor=personas["head"], letter=draft, sent_by="email")
        assert _letters_sent() == []
    for callback in callbacks:
        callback()
    assert len(_letters_sent()) == 1


def test_with_the_mail_server_down_it_is_issued_not_yet_sent_and_a_retry_sends_it_once(
        draft, client_as, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = DOWN
    letter = _issue_by_email(client_as, draft, django_capture_on_commit_callbacks)
    assert letter.status == LetterStatus.ISSUED and letter.sha256 and letter.delivered_at is None
    assert "Connection refused" in letter.delivery_error and letter.delivery_claimed_at is None
    event = letter.incident.events.get(summary__startswith="Email not sent")
    assert "Connection refused" in event.note
    url = reverse("sanctions:letter_detail", args=[letter.pk])
    page = client_as("office").get(url).content.decode()
    assert "Issued, not yet sent" in page and "The email did not go." in page and "Connection refused" in page
    assert "Send again" in page
    send = reverse("sanctions:letter_send", args=[letter.pk])
    # Still down: the retry answers with the error, never a 500, and nothing is lost.
    response = client_as("office").post(send, follow=True)
    assert response.status_code == 200 and "The email did not go" in response.content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client_as("office").post(send)
    client_as("head").post(send)
    assert len(_letters_sent()) == 1
    letter.refresh_from_db()
    assert letter.delivered_at and letter.delivery_error == "" and letter.delivery_recorded_by.username == "office"
    assert letter.incident.events.filter(summary__startswith="Letter emailed").count() == 1
    page = client_as("office").get(url).content.decode()
    assert "Sent by email to pat@example.com" in page and "Send again" not in page


def test_a_send_under_way_is_not_sent_a_second_time(draft, personas):
    letter = letter_services.letter_issue(actor=personas["head"], letter=draft, sent_by="email")
    Letter.objects.filter(pk=letter.pk).update(delivery_claimed_at=timezone.now())
    with pytest.raises(ValidationError, match="being emailed at this moment"):
        delivery.letter_email_send(actor=personas["office"], letter=letter)
    assert _letters_sent() == []


def test_a_send_that_died_half_way_may_be_tried_again(draft, personas):
    letter = letter_services.letter_issue(actor=personas["head"], letter=draft, sent_by="email")
    Letter.objects.filter(pk=letter.pk).update(
        delivery_claimed_at=timezone.now() - delivery.CLAIM_EXPIRES - timedelta(seconds=1))
    letter = delivery.letter_email_send(actor=personas["office"], letter=letter)
    assert letter.delivered_at and letter.delivery_claimed_at is None and len(_letters_sent()) == 1


def test_a_sent_letter_is_never_sent_again(draft, personas):
    letter = letter_services.letter_issue(actor=personas["head"], letter=draft, sent_by="email")
    delivery.letter_email_send(actor=personas["office"], letter=letter)
    with pytest.raises(ValidationError, match="already gone"):
        delivery.letter_email_send(actor=personas["head"], letter=letter)
    assert len(_letters_sent()) == 1


def test_only_a_letter_issued_by_email_is_emailed(build, personas):
    for sent_by in ("post", "hand"):
        letter = issue_letter(build, personas, sent_by=sent_by)
        with pytest.raises(ValidationError, match="not by email"):
            delivery.letter_email_send(actor=personas["office"], letter=letter)
    with pytest.raises(ValidationError, match="Only an issued letter"):
        delivery.letter_email_send(actor=personas["office"],
                                   letter=letter_services.letter_correct(actor=personas["senior"], letter=letter))
    assert _letters_sent() == []


def test_an_email_address_removed_since_the_issue_is_refused_with_a_reason(draft, personas):
    letter = letter_services.letter_issue(actor=personas["head"], letter=draft, sent_by="email")
    letter.person.email = ""
    letter.person.save()
    with pytest.raises(ValidationError, match="no email address"):
        delivery.letter_email_send(actor=personas["office"], letter=letter)
    letter.refresh_from_db()
    assert letter.delivery_claimed_at is None


@pytest.mark.parametrize("persona", ["chair", "trust", "other_office", "other_head", "inactive"])
def test_nobody_else_sends(draft, personas, persona):
    letter = letter_services.letter_issue(actor=personas["head"], letter=draft, sent_by="email")
    with pytest.raises(PermissionDenied):
        delivery.letter_email_send(actor=personas[persona], letter=letter)
    assert _letters_sent() == []


@pytest.mark.parametrize("persona", ["office", "senior", "head"])
def test_the_schools_staff_send(draft, personas, persona):
    letter = letter_services.letter_issue(actor=personas["head"], letter=draft, sent_by="email")
    assert delivery.letter_email_send(actor=personas[persona], letter=letter).delivered_at


def test_who_may_press_send_again(draft, personas, check_access, client_as, settings):
    settings.EMAIL_BACKEND = DOWN
    letter = letter_services.letter_issue(actor=personas["head"], letter=draft, sent_by="email")
    url = reverse("sanctions:letter_send", args=[letter.pk])
    check_access(url, {"office": 302, "senior": 302, "head": 302, "chair": 403, "trust": 403, "other_office": 404,
                       "other_head": 404, "inactive": "login", "anonymous": "login"}, method="post")
    assert client_as("office").get(url).status_code == 405


def test_the_chair_reads_the_state_but_has_no_button(draft, personas, client_as, settings):
    settings.EMAIL_BACKEND = DOWN
    letter = letter_services.letter_issue(actor=personas["head"], letter=draft, sent_by="email")
    delivery.letter_email_send(actor=personas["head"], letter=letter)
    page = client_as("chair").get(reverse("sanctions:letter_detail", args=[letter.pk])).content.decode()
    assert "Issued, not yet sent" in page and "Connection refused" in page
    assert "Send again" not in page and "records how it went" in page


def test_a_draft_has_no_sending_panel(draft, client_as):
    page = client_as("head").get(reverse("sanctions:letter_detail", args=[draft.pk])).content.decode()
    assert 'id="h-delivery"' not in page


def test_the_trust_administrator_sets_a_schools_sender(school):
    from django.contrib.auth import get_user_model

    from conduct import services
    from conduct.models import StaffRole
    from conduct.roles import Role
    from conduct.setup.forms import SchoolForm

    admin = get_user_model().objects.create_user(username="setup-admin")
    StaffRole.objects.create(user=admin, role=Role.ADMIN, school=None)
    assert "letter_from_email" in SchoolForm(instance=school, editing=True).fields
    services.school_update(actor=admin, school=school, letter_from_email="letters@one.example.org")
    school.refresh_from_db()
    assert school.letter_from_email == "letters@one.example.org"
    assert delivery.sender_of(school) == "School One <letters@one.example.org>"
