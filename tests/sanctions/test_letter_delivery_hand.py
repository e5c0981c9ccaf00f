"""Letters issued "by hand": who handed the letter over, and when; the timeline says so."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sanctions.letters import delivery
from sanctions.models import Letter
from tests.sanctions.conftest import expected_statuses
from tests.sanctions.delivery_helpers import issue_letter


@pytest.fixture
def letter(build, personas):
    return issue_letter(build, personas, sent_by="hand")


def test_the_hand_over_is_recorded(letter, personas, client_as):
    when = timezone.now().replace(microsecond=0)
    delivery.letter_hand_record(actor=personas["office"], letter=letter, handed_over_by="  Mrs  Jones ",
                                handed_at=when)
    letter.refresh_from_db()
    assert letter.handed_over_by == "Mrs Jones" and letter.delivered_at == when and letter.posted_on is None
    assert letter.delivered_to == "Pat Parent" and letter.delivery_recorded_by == personas["office"]
    local = timezone.localtime(when)
    event = letter.incident.events.get(summary__startswith="Letter handed over")
    assert f"by Mrs Jones at {local:%H:%M}" in event.summary
    page = client_as("trust").get(reverse("sanctions:letter_detail", args=[letter.pk])).content.decode()
    assert f"Handed over by Mrs Jones at {local:%H:%M}" in page


@pytest.mark.parametrize(("moment", "words"), [(timedelta(hours=1), "in the future"),
                                               (-timedelta(days=3), "before the letter was issued")])
def test_a_moment_that_cannot_be(letter, personas, moment, words):
    with pytest.raises(ValidationError, match=words):
        delivery.letter_hand_record(actor=personas["office"], letter=letter, handed_over_by="Mrs Jones",
                                    handed_at=timezone.now() + moment)


def test_someone_must_have_handed_it_over(letter, personas):
    with pytest.raises(ValidationError, match="who handed"):
        delivery.letter_hand_record(actor=personas["office"], letter=letter, handed_over_by="   ",
                                    handed_at=timezone.now())


def test_once_only(letter, personas):
    delivery.letter_hand_record(actor=personas["office"], letter=letter, handed_over_by="Mrs Jones",
                                handed_at=timezone.now())
    with pytest.raises(ValidationError, match="already gone"):
        delivery.letter_hand_record(actor=personas["head"], letter=letter, handed_over_by="Mr Head",
                                    handed_at=timezone.now())


def test_a_letter_waiting_for_the_post_or_a_failed_email_may_be_handed_over_instead(build, personas):
    for sent_by in ("post", "email"):
        waiting = issue_letter(build, personas, sent_by=sent_by, name=f"Pat {sent_by.title()}")
        handed = delivery.letter_hand_record(actor=personas["office"], letter=waiting, handed_over_by="Mrs Jones",
                                             handed_at=timezone.now())
        assert handed.delivered_at and handed.sent_by == sent_by


def test_not_while_an_email_is_under_way(build, personas):
    emailed = issue_letter(build, personas, sent_by="email")
    Letter.objects.filter(pk=emailed.pk).update(delivery_claimed_at=timezone.now())
    with pytest.raises(ValidationError, match="being emailed"):
        delivery.letter_hand_record(actor=personas["office"], letter=emailed, handed_over_by="Mrs Jones",
                                    handed_at=timezone.now())


@pytest.mark.parametrize("persona", ["chair", "trust", "other_office", "other_head", "inactive"])
def test_nobody_else_records_it(letter, personas, persona):
    with pytest.raises(PermissionDenied):
        delivery.letter_hand_record(actor=personas[persona], letter=letter, handed_over_by="Mrs Jones",
                                    handed_at=timezone.now())


def test_who_may_open_the_form(letter, check_access):
    check_access(reverse("sanctions:letter_handed", args=[letter.pk]),
                 expected_statuses(office=200, senior=200, head=200, chair=403, trust=403))


def test_the_form_is_filled_in_with_you_and_now(letter, client_as):
    response = client_as("office").get(reverse("sanctions:letter_handed", args=[letter.pk]))
    page = response.content.decode()
    assert 'value="Office"' in page and timezone.localtime().strftime("%Y-%m-%dT") in page


def test_the_form_records_it(letter, client_as):
    moment = timezone.localtime().replace(second=0, microsecond=0)
    response = client_as("senior").post(reverse("sanctions:letter_handed", args=[letter.pk]), {
        "handed_over_by": "Mr Deputy", "handed_at": moment.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.handed_over_by == "Mr Deputy" and letter.delivered_at == moment


@pytest.mark.parametrize("data", [{}, {"handed_over_by": "x" * 201, "handed_at": "2026-01-01T10:00"},
                                  {"handed_over_by": "Mrs Jones", "handed_at": "9999-12-31T23:59"},
                                  {"handed_over_by": "Mrs Jones", "handed_at": "²"},
                                  {"handed_over_by": "a\x00b", "handed_at": "0001-01-01T00:00"}])
def test_the_form_keeps_what_is_wrong_as_an_error(letter, client_as, data):
    response = client_as("office").post(reverse("sanctions:letter_handed", args=[letter.pk]), data)
    assert response.status_code == 200
    letter.refresh_from_db()
    assert letter.delivered_at is None


def test_the_letter_page_opens_the_hand_over_form_for_a_letter_for_the_hand(letter, client_as):
    page = client_as("office").get(reverse("sanctions:letter_detail", args=[letter.pk])).content.decode()
    assert "<details class=\"mb-0\" open>" in page and reverse("sanctions:letter_handed", args=[letter.pk]) in page
    assert reverse("sanctions:letter_posted", args=[letter.pk]) not in page
