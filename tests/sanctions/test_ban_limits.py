"""A ban lasts no longer than the school's longest ban, and the parent has at least the school's days."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sanctions.bans import services as ban_services
from sanctions.bans.services import latest_end
from sanctions.models import SiteBan


def test_latest_end_adds_calendar_months_and_never_overflows():
    assert latest_end(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert latest_end(date(2026, 3, 15), 12) == date(2027, 3, 15)
    assert latest_end(date(9999, 12, 31), 12) == date.max


def test_representations_deadline_is_at_least_the_schools_days(ban_case, make_ban, school, today):
    with pytest.raises(ValidationError, match="at least 14 days"):
        make_ban(ban_case, representations_by=today + timedelta(days=1))
    ban = make_ban(ban_case, representations_by=today + timedelta(days=school.representation_days))
    assert ban.representations_by == today + timedelta(days=14)


def test_a_notice_gives_the_schools_days_from_today(ban_case, make_ban, today):
    with pytest.raises(ValidationError, match="at least 14 days"):
        make_ban(ban_case, route="notice", starts_in=5, representations_by=today + timedelta(days=3))


def test_a_ban_ends_within_the_schools_longest_ban(ban_case, make_ban, personas, school, today):
    school.max_ban_months = 6
    school.save()
    with pytest.raises(ValidationError, match="6 months"):
        make_ban(ban_case, days=200)
    with pytest.raises(ValidationError, match="6 months"):
        ban_services.ban_create(
            actor=personas["head"], incident=ban_case,
            person=ban_case.subjects()[0], route="provisional", sites=[school], starts_on=today,
            ends_on=date(9999, 12, 31), review_on=today + timedelta(days=30), pupil_arrangements="Office.")
    assert make_ban(ban_case, days=latest_end(today, 6).toordinal() - today.toordinal()).ends_on == latest_end(
        today, 6)


def test_an_extension_stays_within_the_longest_ban(confirmed_ban, personas, today):
    ban_services.ban_extension_consult(actor=personas["chair"], ban=confirmed_ban, consulted_on=today,
                                       method="phone", chair_view="Agreed.", signed_off=True)
    with pytest.raises(ValidationError, match="12 months"):
        ban_services.ban_review(actor=personas["head"], ban=confirmed_ban, outcome="extend", reasons="Still a risk.",
                                new_ends_on=date(9999, 12, 31))
    end = latest_end(confirmed_ban.starts_on, 12)
    review = ban_services.ban_review(actor=personas["head"], ban=confirmed_ban, outcome="extend",
                                     reasons="Still a risk.", new_ends_on=end)
    assert review.new_ends_on == end


def _ban_data(ban_case, school, today, **dates):
    data = {
        "person": ban_case.subjects()[0].pk, "route": "provisional", "sites": [school.pk],
        "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=90)).isoformat(),
        "review_on": (today + timedelta(days=45)).isoformat(),
        "representations_by": (today + timedelta(days=14)).isoformat(),
        "pupil_arrangements": "Collected at the office by an aunt.", "reasons": "Staff were threatened.",
    }
    data.update(dates)
    return data


@pytest.mark.parametrize("field", ["starts_on", "ends_on", "review_on", "representations_by"])
def test_the_page_answers_far_dates_with_a_form_error(field, ban_case, client_as, school, today):
    url = reverse("sanctions:ban_new", args=[ban_case.pk])
    response = client_as("head").post(url, _ban_data(ban_case, school, today, **{field: "9999-12-31"}))
    assert response.status_code == 200
    assert not SiteBan.objects.exists()
    assert client_as("senior").post(url, _ban_data(ban_case, school, today)).status_code == 403
    assert client_as("other_head").post(url, _ban_data(ban_case, school, today)).status_code == 404


def test_the_page_refuses_a_short_deadline_and_a_long_ban(ban_case, client_as, school, today):
    url = reverse("sanctions:ban_new", args=[ban_case.pk])
    short = client_as("head").post(url, _ban_data(ban_case, school, today,
                                                  representations_by=(today + timedelta(days=1)).isoformat()))
    assert short.status_code == 200 and "at least 14 days" in short.content.decode()
    long = client_as("head").post(url, _ban_data(ban_case, school, today,
                                                 ends_on=(today + timedelta(days=500)).isoformat(),
                                                 review_on=(today + timedelta(days=300)).isoformat()))
    assert long.status_code == 200 and "12 months" in long.content.decode()
    assert not SiteBan.objects.exists()


def test_the_review_page_answers_a_far_end_date_with_a_form_error(confirmed_ban, client_as):
    url = reverse("sanctions:ban_review_new", args=[confirmed_ban.pk])
    for outcome in ("extend", "shorten", "continue"):
        response = client_as("head").post(url, {"outcome": outcome, "reasons": "Still a risk.",
                                                "new_ends_on": "9999-12-31", "next_review_on": "9999-12-31"})
        assert response.status_code == 200, outcome
    assert client_as("senior").post(url, {"outcome": "extend"}).status_code == 403
    confirmed_ban.refresh_from_db()
    assert not confirmed_ban.reviews.exists()
