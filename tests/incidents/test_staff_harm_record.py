"""/incidents/<id>/staff-harmed/new/ and the staff_harm_record service (issue 26)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.models import CaseEvent, Injury, StaffHarm
from incidents.services import staff_harm_record
from incidents.workflow import Stage

EXPECTED = {
    "office": 200, "senior": 200, "head": 200, "chair": 403, "trust": 403,
    "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
}
DATA = {"name": "Jo Teacher", "what_happened": "Pushed against the gate.", "injury": "minor", "days_off": "2"}


def _url(incident):
    return reverse("incidents:staff_harm_add", args=[incident.pk])


def _record(actor, incident, **kwargs):
    values = {"name": "Jo Teacher", "what_happened": "Pushed.", "injury": Injury.MINOR, "days_off": 0} | kwargs
    return staff_harm_record(actor=actor, incident=incident, **values)


def test_who_may_open_the_form(build, statuses):
    assert statuses(_url(build.case())) == EXPECTED


def test_who_may_post(build, statuses):
    incident = build.case()
    result = statuses(_url(incident), "post", DATA)
    assert result == {**EXPECTED, "office": 302, "senior": 302, "head": 302}
    assert StaffHarm.objects.filter(incident=incident, name="Jo Teacher").count() == 3


def test_eight_days_off_a_physical_injury_makes_riddor_due_15_days_after_the_incident(build, personas):
    incident = build.case(days_ago=3)
    harm = _record(personas["office"], incident, injury=Injury.OTHER, days_off=8)
    assert harm.riddor_due_on == timezone.localtime(incident.occurred_at).date() + timedelta(days=15)
    assert harm.riddor_outstanding and harm.to_record
    event = CaseEvent.objects.get(incident=incident, kind="staff_harm")
    assert "RIDDOR report due by" in event.summary


@pytest.mark.parametrize(("injury", "days", "due", "flagged"), [
    (Injury.MINOR, 7, False, True), (Injury.MINOR, 3, False, False), (Injury.MINOR, 4, False, True),
    (Injury.NONE, 366, False, False), (Injury.MINOR, 366, True, True),
])
def test_more_than_7_days_is_riddor_more_than_3_is_flagged_and_none_never(build, personas, injury, days, due,
                                                                           flagged):
    harm = _record(personas["senior"], build.case(), injury=injury, days_off=days)
    assert (harm.riddor_due_on is not None, harm.to_record) == (due, flagged)


def test_days_off_are_bounded_on_the_form_and_in_the_model(build, client_as, personas):
    incident = build.case()
    for days in ("367", "-1", "99999999999999999999"):
        response = client_as("office").post(_url(incident), {**DATA, "days_off": days})
        assert response.status_code == 200
    with pytest.raises(ValidationError):
        _record(personas["office"], incident, days_off=367)
    assert not StaffHarm.objects.exists()


def test_staff_account_must_be_of_the_case_school(build, personas):
    incident = build.case()
    harm = _record(personas["office"], incident, staff_account=personas["senior"])
    assert harm.staff_account == personas["senior"]
    with pytest.raises(ValidationError):
        _record(personas["office"], incident, staff_account=personas["other_head"])


def test_the_form_offers_only_the_school_staff(build, client_as):
    page = client_as("office").get(_url(build.case())).content.decode()
    assert ">Senior<" in page and ">Other_Head<" not in page


def test_another_school_and_read_only_roles_are_refused_by_the_service(build, personas):
    incident = build.case()
    for name in ("other_head", "chair", "trust"):
        with pytest.raises(PermissionDenied):
            _record(personas[name], incident)


def test_a_closed_case_is_reopened_first(build, personas):
    incident = build.case(stage=Stage.CLOSED)
    with pytest.raises(ValidationError):
        _record(personas["head"], incident)


def test_the_case_page_shows_the_harm_and_its_deadline(build, client_as, personas):
    incident = build.case()
    _record(personas["office"], incident, name="Jo Teacher", injury=Injury.OTHER, days_off=9)
    page = client_as("chair").get(incident.get_absolute_url()).content.decode()
    assert "Jo Teacher" in page and "RIDDOR report due by" in page
    assert reverse("incidents:staff_harm_riddor", args=[StaffHarm.objects.get().pk]) not in page  # read only
    head_page = client_as("head").get(incident.get_absolute_url()).content.decode()
    assert reverse("incidents:staff_harm_riddor", args=[StaffHarm.objects.get().pk]) in head_page


def test_the_history_names_who_recorded_it(build, personas):
    harm = _record(personas["office"], build.case())
    record = harm.history.get()
    assert (record.history_user, record.history_change_reason) == (personas["office"],
                                                                   "Member of staff harmed recorded")


def test_the_audit_reports_a_harm_missing_from_the_timeline(build, personas):
    from sanctions.responses.audit import check_records_are_on_the_timeline

    harm = _record(personas["office"], build.case())
    assert list(check_records_are_on_the_timeline()) == []
    CaseEvent.objects.filter(kind="staff_harm").delete()
    assert list(check_records_are_on_the_timeline()) == [
        (harm.incident.reference, "has a member of staff harmed that its timeline does not show")]
