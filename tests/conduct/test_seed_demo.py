"""manage.py seed_demo: the demo trust, accounts and a year and a half of cases that show the whole product."""

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from conduct.generated import demo
from conduct.models import School, StaffRole, Trust
from conduct.roles import Role
from conduct.views import work_sections
from incidents.models import CaseEvent, Evidence, Incident, Person
from incidents.uploads import check_upload
from incidents.workflow import Stage
from incidents.worklists import overdue_q
from sanctions.audit import run_audit
from sanctions.models import BanReview, BanStatus, Letter, LetterKind, LetterStatus, Representation, SiteBan

ACCOUNTS = {"office": (Role.OFFICE, "asp"), "deputy": (Role.SENIOR, "asp"), "head": (Role.HEAD, "asp"),
            "chair": (Role.CHAIR, "asp"), "office2": (Role.OFFICE, "smp"), "head2": (Role.HEAD, "smp"),
            "trust": (Role.TRUST, None)}


def _counts():
    return (Trust.objects.count(), School.objects.count(), get_user_model().objects.count(),
            StaffRole.objects.count(), Person.objects.count(), Incident.objects.count(), CaseEvent.objects.count(),
            Evidence.objects.count(), Letter.objects.count(), SiteBan.objects.count())


def _user(username):
    return get_user_model().objects.get(username=username)


def _client(username):
    client = Client()
    client.force_login(_user(username))
    return client


@pytest.mark.django_db
def test_refuses_when_debug_is_off_without_force():
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert _counts() == (0,) * 10


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_runs_when_debug_is_on_without_force(capsys):
    call_command("seed_demo")
    assert Incident.objects.exists()


@pytest.mark.django_db
def test_creates_the_accounts_prints_them_and_the_tour_and_is_idempotent(capsys):
    call_command("seed_demo", "--force")
    out = capsys.readouterr().out
    assert "conduct-demo" in out
    first = _counts()
    assert first[:2] == (1, 2)
    request = RequestFactory().post("/accounts/login/")
    for username, (role, code) in ACCOUNTS.items():
        assert username in out
        user = authenticate(request, username=username, password="conduct-demo")
        assert user is not None, username
        roles = list(StaffRole.objects.filter(user=user).values_list("role", "school__code"))
        assert roles == [(role, code)]
    tour = demo.tour()
    assert len(tour) == len(demo.TOUR)
    for reference, _code, person, _text in tour:
        assert f"{reference}  {person}" in out
    call_command("seed_demo", "--force")
    assert _counts() == first
    assert "ASP-" in capsys.readouterr().out  # the tour is printed on a second run too


@pytest.mark.usefixtures("demo_data")
class TestTheSeededDemo:
    """The demo as seed_demo leaves it, lent to the class (tests/demo_copy.py)."""

    def test_the_audit_passes_and_the_history_names_who_did_what(self):
        assert run_audit() == []
        logged = Incident.objects.filter(school__code="asp").order_by("pk").first().history.earliest()
        assert logged.history_user.username == "office"

    @pytest.mark.parametrize("code", ["asp", "smp"])
    def test_each_school_has_25_cases_over_18_months_at_every_stage(self, code):
        cases = Incident.objects.filter(school__code=code)
        assert cases.count() >= 25
        assert set(cases.values_list("stage", flat=True)) == set(Stage.values)
        now = timezone.now()
        oldest = cases.order_by("logged_at").first().logged_at
        assert now - timedelta(days=550) <= oldest <= now - timedelta(days=365)
        # Nothing happened in the future, and every case's timeline runs forward from its logging.
        assert not CaseEvent.objects.filter(at__gt=now).exists()
        for incident in cases:
            times = list(incident.events.order_by("pk").values_list("at", flat=True))
            assert times == sorted(times), incident.reference
            assert times[0] == incident.logged_at
            assert incident.occurred_at <= incident.logged_at

    def test_references_are_numbered_in_the_order_cases_were_logged(self):
        for code in ("asp", "smp"):
            cases = Incident.objects.filter(school__code=code)
            references = list(cases.order_by("logged_at").values_list("reference", flat=True))
            assert references == sorted(references)
            # Two cases logged in the same minute would make that order the database's choice.
            logged = list(cases.values_list("logged_at", flat=True))
            assert len(set(logged)) == len(logged)

    def test_the_head_has_overdue_work_and_a_deadline_that_has_passed(self):
        head = _user("head")
        asp = Incident.objects.filter(school__code="asp")
        overdue_stages = set(asp.filter(overdue_q()).values_list("stage", flat=True))
        assert {Stage.REPORTED, Stage.GATHERING, Stage.AWAITING_CHAIR, Stage.DECIDED} <= overdue_stages
        sections = {s["key"]: s for s in work_sections(head)}
        assert sections["ban_deadline"]["total"] >= 1
        assert sections["ban_review"]["total"] >= 1
        page = _client("head").get("/").content.decode()
        assert "Bans whose deadline for representations has passed" in page
        assert demo_reference("Lee Dawson") in page
        assert "Ban reviews due within seven days" in page
        assert demo_reference("Joanne Pike") in page
        assert "overdue" in page.lower()
        ban = SiteBan.objects.get(person__full_name="Lee Dawson")
        ban_page = _client("head").get(reverse("sanctions:ban_detail", args=[ban.pk])).content.decode()
        assert "the deadline has passed" in ban_page

    def test_the_head_has_a_riddor_report_due_15_days_after_the_deputys_injury(self):
        from conduct.dates import page_date
        from incidents.models import StaffHarm

        harm = StaffHarm.objects.get(incident__school__code="asp", riddor_due_on__isnull=False)
        assert harm.days_off == 8 and harm.incident_id == Incident.objects.get(
            reference=demo_reference("Steven Grey")).pk
        due = timezone.localtime(harm.incident.occurred_at).date() + timedelta(days=15)
        [item] = {s["key"]: s for s in work_sections(_user("head"))}["riddor_due"]["items"]
        assert (item["title"], item["note"]) == (demo_reference("Steven Grey"),
                                                 f"RIDDOR report due by {page_date(due)}")

    def test_the_ban_process_is_shown_at_every_step(self):
        today = timezone.localdate()
        bans = SiteBan.objects.filter(incident__school__code="asp")
        intended = bans.get(person__full_name="Lee Dawson")
        assert intended.status == BanStatus.INTENDED and intended.representations_by < today
        provisional = bans.get(person__full_name="Kelly Marsh")
        assert provisional.status == BanStatus.PROVISIONAL and provisional.in_force
        assert Representation.objects.filter(ban=provisional).exists()
        assert provisional.representations_by >= today
        review_due = bans.get(person__full_name="Joanne Pike")
        assert review_due.status == BanStatus.CONFIRMED and today <= review_due.review_on <= today + timedelta(days=7)
        assert bans.get(person__full_name="Wayne Booth").status == BanStatus.LIFTED
        assert bans.get(person__full_name="Rachel Finch").status == BanStatus.WITHDRAWN
        assert bans.get(person__full_name="Tony Wells").status == BanStatus.ENDED
        reid = bans.get(person__full_name="Jason Reid")
        assert reid.in_force and set(reid.sites.values_list("code", flat=True)) == {"asp"}
        assert BanReview.objects.filter(ban=reid).exists()
        # Every confirmed ban not due for review this week is reviewed later, not forgotten.
        for ban in bans.filter(status=BanStatus.CONFIRMED):
            assert ban.review_on >= today, ban

    def test_the_ban_register_is_not_empty_and_shows_the_photo(self):
        page = _client("office").get(reverse("sanctions:ban_register")).content.decode()
        assert "Jason Reid" in page
        assert "Photo of Jason Reid" in page
        # St Mary's did not ban him: its register does not list All Saints' ban.
        assert "Jason Reid" not in _client("office2").get(reverse("sanctions:ban_register")).content.decode()
        office = _client("office")
        ban = SiteBan.objects.get(person__full_name="Jason Reid")
        photo = office.get(reverse("sanctions:register_photo", args=[ban.pk]))
        assert photo.status_code == 200
        assert b"".join(photo.streaming_content).startswith(b"\xff\xd8")  # a JPEG

    def test_every_kind_of_letter_is_issued_at_all_saints_and_downloads_as_a_pdf(self):
        head = _client("head")
        issued = Letter.objects.filter(incident__school__code="asp", status=LetterStatus.ISSUED)
        assert set(issued.values_list("kind", flat=True)) == set(LetterKind.values)
        for kind in LetterKind.values:
            letter = issued.filter(kind=kind).first()
            response = head.get(reverse("sanctions:letter_download", args=[letter.pk]))
            assert response.status_code == 200, kind
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert body.startswith(b"%PDF"), kind
        # A correction supersedes the first letter on the reopened case.
        assert Letter.objects.filter(status=LetterStatus.SUPERSEDED, superseded_by__status=LetterStatus.ISSUED,
                                     person__full_name="Sam Taylor").exists()

    def test_letters_greet_people_by_title_override_or_full_name(self):
        assert Person.objects.get(full_name="Lisa Stone").greeting == "Ms Stone"
        assert Person.objects.get(full_name="Peter Lomax").greeting == "Mr and Mrs Lomax"
        assert Person.objects.get(full_name="Jordan Kay").greeting == "Jordan Kay"

    def test_a_reopened_case_and_a_parent_at_both_schools(self):
        reopened = Incident.objects.get(person_links__person__full_name="Sam Taylor")
        assert reopened.stage == Stage.DECIDED
        assert reopened.events.filter(from_stage=Stage.CLOSED, to_stage=Stage.DECIDED).exists()
        reid = Person.objects.get(full_name="Jason Reid")
        assert set(reid.incidents.values_list("school__code", flat=True)) == {"asp", "smp"}
        assert reid.photo

    def test_the_evidence_is_a_photo_a_screenshot_and_a_voicemail_transcript(self):
        evidence = Evidence.objects.filter(incident__school__code="asp")
        assert {"image/jpeg", "image/png", "application/pdf"} <= set(evidence.values_list("content_type", flat=True))
        for item in Evidence.objects.all():
            with item.file.open("rb") as handle:
                upload = SimpleUploadedFile(item.original_name, handle.read())
            assert upload.size == item.size
            assert check_upload(upload) == item.content_type

    def test_the_browser_tests_cases_are_where_they_expect(self):
        """tests/browser opens these cases by the parent's name (helpers.py, test_edit_conflict.py)."""
        asp = Incident.objects.filter(school__code="asp")
        assert asp.get(person_links__person__full_name="Steven Grey").stage == Stage.AWAITING_CHAIR
        assert asp.get(person_links__person__full_name="Karen Black").stage == Stage.PROPOSED
        lisa = asp.get(person_links__person__full_name="Lisa Stone")
        assert lisa.stage == Stage.DECIDED and not lisa.letters.exists()
        assert asp.filter(person_links__person__full_name="Mark Brown").count() == 1


def demo_reference(name, code="asp"):
    return next(reference for reference, school, person, _ in demo.tour() if person == name and school == code)
