"""Each ban rests on its own Chair's sign-off: a sign-off already used by a ban never starts another.

Policy section 4: the head consults the Chair before banning, on the proposal
that led to the ban. Withdrawing, lifting, ending or closing and reopening a
case leaves the old sign-off spent.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from sanctions.bans import services as ban_services
from sanctions.models import BanStatus, SiteBan
from sanctions.responses import services


def _withdraw(ban, personas, today):
    ban_services.ban_withdraw(actor=personas["head"], ban=ban, reasons="Apology accepted.")


def _lift(ban, personas, today):
    ban_services.ban_review(actor=personas["head"], ban=ban, outcome="lift", reasons="No further concern.")


def _end(ban, personas, today):
    SiteBan.objects.filter(pk=ban.pk).update(
        starts_on=today - timedelta(days=20), review_on=today - timedelta(days=5), ends_on=today - timedelta(days=1))
    ban_services.ban_end(actor=personas["head"], ban=ban)


def _close_and_reopen(ban, personas, today):
    _lift(ban, personas, today)
    incident = ban.incident
    services.case_close(actor=personas["head"], incident=incident, outcome="Resolved.")
    services.case_reopen(actor=personas["head"], incident=incident, reason="He came back.")


@pytest.mark.parametrize("finish", [_lift, _end, _close_and_reopen])
def test_a_spent_sign_off_starts_no_second_ban(finish, confirmed_ban, make_ban, personas, today):
    finish(confirmed_ban, personas, today)
    with pytest.raises(ValidationError, match="its own"):
        make_ban(confirmed_ban.incident, days=300)
    assert SiteBan.objects.filter(incident=confirmed_ban.incident).count() == 1


def test_withdrawn_provisional_ban_leaves_its_sign_off_spent(ban_case, make_ban, personas, today):
    ban = make_ban(ban_case)
    _withdraw(ban, personas, today)
    with pytest.raises(ValidationError, match="its own"):
        make_ban(ban_case)
    assert SiteBan.objects.filter(incident=ban_case).count() == 1


def test_the_database_refuses_a_second_ban_on_one_consultation(ban_case, make_ban, personas, today):
    ban = make_ban(ban_case)
    _withdraw(ban, personas, today)
    twin = SiteBan.objects.get(pk=ban.pk)
    twin.pk = None
    twin.status = BanStatus.PROVISIONAL
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_the_page_refuses_a_second_ban_on_a_spent_sign_off(ban_case, make_ban, personas, client_as, school, today):
    ban = make_ban(ban_case)
    _withdraw(ban, personas, today)
    url = reverse("sanctions:ban_new", args=[ban_case.pk])
    data = {
        "person": ban_case.subjects()[0].pk, "route": "provisional", "sites": [school.pk],
        "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=90)).isoformat(),
        "review_on": (today + timedelta(days=45)).isoformat(),
        "representations_by": (today + timedelta(days=14)).isoformat(),
        "pupil_arrangements": "Collected at the office by an aunt.", "reasons": "Staff were threatened.",
    }
    response = client_as("head").post(url, data)
    assert response.status_code == 200
    assert "its own" in response.content.decode()
    # Nobody else gets further than the head.
    assert client_as("senior").post(url, data).status_code == 403
    assert client_as("chair").post(url, data).status_code == 403
    assert client_as("other_head").post(url, data).status_code == 404
    assert SiteBan.objects.filter(incident=ban_case).count() == 1
