"""Letters issued "by post": the office marks each as posted, with the day; the timeline says so."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sanctions.letters import delivery
from sanctions.models import Letter
from tests.sanctions.conftest import expected_statuses
from tests.sanctions.delivery_helpers import DOWN, issue_letter


@pytest.fixture
def letter(build, personas):
    return issue_letter(build, personas, sent_by="post")


def test_the_office_marks_a_letter_as_posted(letter, personas, client_as):
    today = timezone.localdate()
    marked = delivery.letter_post_mark(actor=personas["office"], letter=letter, posted_on=today)
    letter.refresh_from_db()
    assert letter.posted_on == today and letter.delivered_at and letter.delivery_recorded_by == personas["office"]
    assert letter.delivered_to == "Pat Parent, 1 Home Street, Town" and marked.delivered_at == letter.delivered_at
    event = letter.incident.events.get(summary__startswith="Letter posted on")
    assert f"{today.day} {today:%b %Y}" in event.summary and event.note == "To Pat Parent, 1 Home Street, Town"
    assert letter.history.first().history_change_reason == "Letter posted"
    page = client_as("chair").get(reverse("sanctions:letter_detail", args=[letter.pk])).content.decode()
    assert f"Posted on {today.day} {today:%b %Y}" in page and "Issued, not yet sent" not in page


def test_posted_yesterday(letter, personas):
    Letter.objects.filter(pk=letter.pk).update(issued_at=timezone.now() - timedelta(days=2))
    yesterday = timezone.localdate() - timedelta(days=1)
    marked = delivery.letter_post_mark(actor=personas["office"], letter=letter, posted_on=yesterday)
    assert marked.posted_on == yesterday


@pytest.mark.parametrize(("days", "words"), [(1, "in the future"), (-30, "before the letter was issued")])
def test_a_day_that_cannot_be(letter, personas, days, words):
    with pytest.raises(ValidationError, match=words):
        delivery.letter_post_mark(actor=personas["office"], letter=letter,
                                  posted_on=timezone.localdate() + timedelta(days=days))
    letter.refresh_from_db()
    assert letter.delivered_at is None


def test_posted_once_only(letter, personas):
    delivery.letter_post_mark(actor=personas["office"], letter=letter, posted_on=timezone.localdate())
    with pytest.raises(ValidationError, match="already gone"):
        delivery.letter_post_mark(actor=personas["head"], letter=letter, posted_on=timezone.localdate())
    assert letter.incident.events.filter(summary__startswith="Letter posted").count() == 1


def test_a_letter_for_the_hand_is_not_posted(build, personas):
    by_hand = issue_letter(build, personas, sent_by="hand")
    with pytest.raises(ValidationError, match="not by post"):
        delivery.letter_post_mark(actor=personas["office"], letter=by_hand, posted_on=timezone.localdate())


def test_an_email_is_posted_only_once_it_failed(build, personas, settings):
    emailed = issue_letter(build, personas, sent_by="email")
    with pytest.raises(ValidationError, match="not by post"):
        delivery.letter_post_mark(actor=personas["office"], letter=emailed, posted_on=timezone.localdate())
    settings.EMAIL_BACKEND = DOWN
    delivery.letter_email_send(actor=personas["head"], letter=emailed)
    posted = delivery.letter_post_mark(actor=personas["office"], letter=emailed, posted_on=timezone.localdate())
    assert posted.posted_on and posted.delivery_error == "" and posted.message_id == ""


def test_no_address_no_post(letter, personas):
    letter.person.address = ""
    letter.person.save()
    with pytest.raises(ValidationError, match="no postal address"):
        delivery.letter_post_mark(actor=personas["office"], letter=letter, posted_on=timezone.localdate())


@pytest.mark.parametrize("persona", ["chair", "trust", "other_office", "other_head", "inactive"])
def test_nobody_else_marks_it(letter, personas, persona):
    with pytest.raises(PermissionDenied):
        delivery.letter_post_mark(actor=personas[persona], letter=letter, posted_on=timezone.localdate())


WHO_MAY = expected_statuses(office=200, senior=200, head=200, chair=403, trust=403)


def test_who_may_open_the_form(letter, check_access):
    check_access(reverse("sanctions:letter_posted", args=[letter.pk]), WHO_MAY)


def test_the_form_posts_and_goes_back_to_the_letter_or_the_list(build, personas, letter, client_as):
    url = reverse("sanctions:letter_posted", args=[letter.pk])
    today = timezone.localdate().isoformat()
    response = client_as("office").post(url, {"posted_on": today})
    assert response.status_code == 302 and response["Location"] == reverse("sanctions:letter_detail",
                                                                          args=[letter.pk])
    other = issue_letter(build, personas, name="Lisa Stone")
    response = client_as("office").post(reverse("sanctions:letter_posted", args=[other.pk]),
                                        {"posted_on": today, "from_list": "1"})
    assert response["Location"] == f"{reverse('sanctions:letters_to_post')}?school={build.school.pk}"
    # Once posted, the form sends you back to the letter.
    assert client_as("office").get(url).status_code == 302


@pytest.mark.parametrize("value", ["", "9999-12-31", "²", "x" * 5000, "2026-02-30"])
def test_the_form_keeps_a_bad_day_as_an_error(letter, client_as, value):
    response = client_as("office").post(reverse("sanctions:letter_posted", args=[letter.pk]), {"posted_on": value})
    assert response.status_code == 200 and 'name="posted_on"' in response.content.decode()
    letter.refresh_from_db()
    assert letter.delivered_at is None


def test_a_day_in_the_future_is_shown_on_the_form(letter, client_as):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_as("office").post(reverse("sanctions:letter_posted", args=[letter.pk]), {"posted_on": tomorrow})
    assert response.status_code == 200 and "cannot be posted in the future" in response.content.decode()


def test_the_letter_page_offers_the_office_the_form_and_the_pack(letter, client_as):
    page = client_as("office").get(reverse("sanctions:letter_detail", args=[letter.pk])).content.decode()
    assert "Issued, not yet sent" in page and "to go by post" in page
    assert reverse("sanctions:letter_posted", args=[letter.pk]) in page
    assert reverse("sanctions:letters_to_post") in page
    chair = client_as("chair").get(reverse("sanctions:letter_detail", args=[letter.pk])).content.decode()
    assert reverse("sanctions:letter_posted", args=[letter.pk]) not in chair


def test_a_letter_issued_before_delivery_was_recorded_reads_as_sent_when_issued(letter, client_as):
    Letter.objects.filter(pk=letter.pk).update(delivered_at=letter.issued_at)
    page = client_as("office").get(reverse("sanctions:letter_detail", args=[letter.pk])).content.decode()
    assert "Sent by post when it was issued" in page and "Mark as posted" not in page
    assert client_as("office").get(reverse("sanctions:letters_to_post")).context["letters"] == []
