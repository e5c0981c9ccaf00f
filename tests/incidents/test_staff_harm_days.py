"""/staff-harmed/<id>/days-off/ and the staff_harm_days_update service (issue 26): days off are updated later."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from incidents.models import CaseEvent, Injury
from incidents.services import ConflictError, staff_harm_days_update, staff_harm_record

EXPECTED = {
    "office": 200, "senior": 200, "head": 200, "chair": 403, "trust": 403,
    "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
}


@pytest.fixture
def harm(build, personas):
    return staff_harm_record(actor=personas["office"], incident=build.case(), name="Jo Teacher",
                             what_happened="Pushed.", injury=Injury.MINOR, days_off=1)


def _url(harm):
    return reverse("incidents:staff_harm_days", args=[harm.pk])


def test_who_may_open_the_form(harm, statuses):
    assert statuses(_url(harm)) == EXPECTED


def test_who_may_post_and_a_second_post_with_the_same_version_is_refused(harm, statuses):
    result = statuses(_url(harm), "post", {"days_off": "8", "version": "1"})
    # The office saves first; the senior and the head opened version 1 and are told someone else changed it.
    assert result == {**EXPECTED, "office": 302}
    harm.refresh_from_db()
    assert (harm.days_off, harm.version, harm.riddor_due_on is not None) == (8, 2, True)


def test_the_change_is_in_the_history_and_on_the_timeline(harm, personas):
    harm = staff_harm_days_update(actor=personas["senior"], harm=harm, days_off=4, expected_version=1)
    assert harm.history.first().history_change_reason == "Days off updated"
    event = CaseEvent.objects.get(kind="staff_harm_days")
    assert event.summary == "Days off work for Jo Teacher: 1 → 4. Over 3 days off: record the injury."


@pytest.mark.parametrize("days", ["367", "-1", "1e3", "", "99999999999999999999"])
def test_days_off_are_bounded(harm, client_as, days):
    assert client_as("office").post(_url(harm), {"days_off": days, "version": "1"}).status_code == 200
    harm.refresh_from_db()
    assert harm.days_off == 1


def test_the_service_refuses_other_schools_read_only_roles_and_a_stale_version(harm, personas):
    for name in ("other_office", "chair", "trust"):
        with pytest.raises(PermissionDenied):
            staff_harm_days_update(actor=personas[name], harm=harm, days_off=9, expected_version=1)
    with pytest.raises(ConflictError):
        staff_harm_days_update(actor=personas["office"], harm=harm, days_off=9, expected_version=7)
    with pytest.raises(ValidationError):
        staff_harm_days_update(actor=personas["office"], harm=harm, days_off=367, expected_version=1)
