"""The ban pages: who may open each one, and the steps done through them."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanctions.bans import services as ban_services
from sanctions.models import BanStatus, SiteBan
from tests.sanctions.conftest import expected_statuses

READ_ALL = expected_statuses(office=200, senior=200, head=200, chair=200, trust=200)
HEAD_ONLY = expected_statuses(office=403, senior=403, head=200, chair=403, trust=403)
LEADERS = expected_statuses(office=403, senior=200, head=200, chair=403, trust=403)
CHAIR_ONLY = expected_statuses(office=403, senior=403, head=403, chair=200, trust=403)


@pytest.fixture
def ban(ban_case, make_ban):
    return make_ban(ban_case)


def test_ban_new_is_for_the_head(ban_case, check_access):
    check_access(reverse("sanctions:ban_new", args=[ban_case.pk]), HEAD_ONLY)


def test_ban_new_creates_the_ban_and_drafts_its_letter(ban_case, client_as, school, today):
    response = client_as("head").post(reverse("sanctions:ban_new", args=[ban_case.pk]), {
        "person": ban_case.subjects()[0].pk, "route": "provisional", "sites": [school.pk],
        "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=90)).isoformat(),
        "review_on": (today + timedelta(days=45)).isoformat(),
        "representations_by": (today + timedelta(days=14)).isoformat(),
        "pupil_arrangements": "Collected at the office by an aunt.", "reasons": "Staff were threatened.",
    })
    ban = SiteBan.objects.get()
    assert ban.status == BanStatus.PROVISIONAL and list(ban.sites.all()) == [school]
    assert ban.letters.get().kind == "provisional_ban"
    # The head is told to check the letter and issue it: the answer opens that letter.
    assert response["Location"] == reverse("sanctions:letter_detail", args=[ban.letters.get().pk])


def test_ban_detail_is_for_the_cases_readers(ban, check_access):
    check_access(reverse("sanctions:ban_detail", args=[ban.pk]), READ_ALL)


def test_representation_new(ban, check_access, client_as, today):
    url = reverse("sanctions:representation_new", args=[ban.pk])
    check_access(url, LEADERS)
    upload = SimpleUploadedFile("reply.pdf", b"%PDF-1.4 reply", content_type="application/pdf")
    response = client_as("head").post(
        url, {"received_on": today.isoformat(), "summary": "Sorry.", "attachment": upload})
    assert response.status_code == 302
    representation = ban.representations.get()
    check_access(reverse("sanctions:representation_attachment", args=[representation.pk]), READ_ALL)
    download = client_as("head").get(reverse("sanctions:representation_attachment", args=[representation.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 reply"


def test_no_representations(ban, client_as, deadline_passed):
    url = reverse("sanctions:ban_no_representations", args=[ban.pk])
    deadline_passed(ban)
    for persona in ("office", "chair", "trust"):
        assert client_as(persona).post(url).status_code == 403
    assert client_as("other_head").post(url).status_code == 404
    assert client_as("anonymous").post(url)["Location"].startswith("/accounts/login/")
    assert client_as("senior").post(url).status_code == 302
    ban.refresh_from_db()
    assert ban.no_representations_noted


def test_confirm_page_and_the_deadline(ban, check_access, client_as, deadline_passed):
    url = reverse("sanctions:ban_confirm", args=[ban.pk])
    check_access(url, HEAD_ONLY)
    early = client_as("head").post(url, {"reasons": "Risk remains."})
    assert early.status_code == 200 and "cannot be confirmed before then" in early.content.decode()
    assert client_as("senior").post(url, {"reasons": "Risk remains."}).status_code == 403
    deadline_passed(ban)
    response = client_as("head").post(url, {"reasons": "Risk remains."})
    ban.refresh_from_db()
    assert ban.status == BanStatus.CONFIRMED
    letter = ban.letters.get(kind="ban_confirmed")
    assert response["Location"] == reverse("sanctions:letter_detail", args=[letter.pk])


def test_confirm_is_offered_only_when_allowed(ban, client_as, deadline_passed):
    page = client_as("head").get(reverse("sanctions:ban_detail", args=[ban.pk])).content.decode()
    assert reverse("sanctions:ban_confirm", args=[ban.pk]) not in page
    deadline_passed(ban)
    page = client_as("head").get(reverse("sanctions:ban_detail", args=[ban.pk])).content.decode()
    assert reverse("sanctions:ban_confirm", args=[ban.pk]) in page
    assert reverse("sanctions:ban_confirm", args=[ban.pk]) not in client_as("senior").get(
        reverse("sanctions:ban_detail", args=[ban.pk])).content.decode()


def test_withdraw(ban, check_access, client_as):
    url = reverse("sanctions:ban_withdraw", args=[ban.pk])
    check_access(url, HEAD_ONLY)
    response = client_as("head").post(url, {"reasons": "Apology accepted."})
    ban.refresh_from_db()
    assert ban.status == BanStatus.WITHDRAWN
    letter = ban.letters.get(kind="ban_withdrawn")
    assert response["Location"] == reverse("sanctions:letter_detail", args=[letter.pk])


def test_review(confirmed_ban, check_access, client_as, today):
    url = reverse("sanctions:ban_review_new", args=[confirmed_ban.pk])
    check_access(url, HEAD_ONLY)
    response = client_as("head").post(url, {"outcome": "lift", "reasons": "No further concern."})
    assert response.status_code == 302
    confirmed_ban.refresh_from_db()
    assert confirmed_ban.status == BanStatus.LIFTED


def test_extension_consultation_is_for_the_chair(confirmed_ban, check_access, client_as, today):
    url = reverse("sanctions:ban_extension_consult", args=[confirmed_ban.pk])
    check_access(url, CHAIR_ONLY)
    response = client_as("chair").post(url, {"consulted_on": today.isoformat(), "method": "phone",
                                             "chair_view": "Agreed.", "signed_off": "yes"})
    assert response.status_code == 302
    assert confirmed_ban.extension_consultations.get().signed_off


def test_end(confirmed_ban, client_as, today):
    url = reverse("sanctions:ban_end", args=[confirmed_ban.pk])
    assert client_as("head").get(url).status_code == 405
    assert client_as("senior").post(url).status_code == 403
    assert client_as("other_head").post(url).status_code == 404
    SiteBan.objects.filter(pk=confirmed_ban.pk).update(
        starts_on=today - timedelta(days=20), review_on=today - timedelta(days=5), ends_on=today - timedelta(days=1))
    assert client_as("head").post(url).status_code == 302
    confirmed_ban.refresh_from_db()
    assert confirmed_ban.status == BanStatus.ENDED


def test_the_case_page_shows_letters_bans_and_next_actions(ban_case, client_as, make_ban):
    page = client_as("head").get(ban_case.get_absolute_url()).content.decode()
    assert reverse("sanctions:ban_new", args=[ban_case.pk]) in page  # the head's next action
    assert reverse("sanctions:ban_new", args=[ban_case.pk]) not in client_as("senior").get(
        ban_case.get_absolute_url()).content.decode()
    ban = make_ban(ban_case)
    page = client_as("head").get(ban_case.get_absolute_url()).content.decode()
    assert reverse("sanctions:ban_detail", args=[ban.pk]) in page
    assert reverse("sanctions:letter_detail", args=[ban.letters.get().pk]) in page
    assert "Check and issue" in page
    assert "Letters and bans" in client_as("office").get(ban_case.get_absolute_url()).content.decode()


def test_home_lists_bans_waiting_for_the_head(ban, client_as, deadline_passed):
    assert "Bans whose deadline for representations has passed" in client_as("head").get("/").content.decode()
    deadline_passed(ban)
    page = client_as("head").get("/").content.decode()
    assert ban.incident.reference in page.split("Bans whose deadline for representations has passed")[1]
    assert "Bans whose deadline" not in client_as("office").get("/").content.decode()


def test_a_step_writes_the_timeline(ban, personas):
    ban_services.ban_withdraw(actor=personas["head"], ban=ban, reasons="Apology accepted.")
    assert ban.incident.events.filter(kind="ban", summary__startswith="Ban withdrawn").exists()
