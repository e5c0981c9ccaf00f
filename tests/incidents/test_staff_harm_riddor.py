"""/staff-harmed/<id>/riddor/, the staff_harm_riddor_report service, and the head's "RIDDOR reports due" (issue 26).

The done-when: a physical injury with 8 days off puts a RIDDOR deadline 15 days after the incident in the head's
work list, and recording the report clears it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conduct.dates import page_date
from incidents.models import CaseEvent, Injury
from incidents.services import staff_harm_days_update, staff_harm_record, staff_harm_riddor_report
from incidents.workflow import Stage
from sanctions.responses.services import action_complete, case_close

EXPECTED = {
    "office": 403, "senior": 200, "head": 200, "chair": 403, "trust": 403,
    "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
}
TITLE = "RIDDOR reports due"


def _harm(build, personas, *, days_off=8, injury=Injury.OTHER, **case):
    incident = build.case(**case)
    return staff_harm_record(actor=personas["office"], incident=incident, name="Jo Teacher",
                             what_happened="Punched.", injury=injury, days_off=days_off)


def _url(harm):
    return reverse("incidents:staff_harm_riddor", args=[harm.pk])


def _report(harm, actor, **kwargs):
    values = {"reported_on": timezone.localdate(), "reference": "HSE-123", "made_by": "A Head"} | kwargs
    return staff_harm_riddor_report(actor=actor, harm=harm, **values)


def _riddor_section(client):
    return next((s for s in client.get("/").context["sections"] if s["title"] == TITLE), None)


def test_who_may_open_the_form(build, personas, statuses):
    assert statuses(_url(_harm(build, personas))) == EXPECTED


def test_who_may_post(build, personas, statuses):
    harm = _harm(build, personas)
    data = {"reported_on": timezone.localdate().isoformat(), "reference": "HSE-9", "made_by": "Head"}
    assert statuses(_url(harm), "post", data) == {**EXPECTED, "senior": 302, "head": 200}  # the head: already made
    harm.refresh_from_db()
    assert harm.riddor_reference == "HSE-9"


def test_eight_days_off_puts_the_deadline_in_the_heads_work_list_and_the_report_clears_it(build, personas,
                                                                                            client_as):
    harm = _harm(build, personas, days_ago=2)
    due = timezone.localtime(harm.incident.occurred_at).date() + timedelta(days=15)
    head = client_as("head")
    section = _riddor_section(head)
    [item] = section["items"]
    assert (item["title"], item["note"], item["url"]) == (
        harm.incident.reference, f"RIDDOR report due by {page_date(due)}", _url(harm))
    assert f"RIDDOR report due by {page_date(due)}" in head.get("/").content.decode()
    assert "Legal deadline: RIDDOR report due by" in head.get(harm.incident.get_absolute_url()).content.decode()
    response = head.post(_url(harm), {"reported_on": timezone.localdate().isoformat(), "reference": "HSE-77",
                                      "made_by": "Head"})
    assert response.status_code == 302
    assert _riddor_section(head)["items"] == []
    page = head.get(harm.incident.get_absolute_url()).content.decode()
    # The deadline is gone from the page (the timeline still says when it was set).
    assert "Legal deadline: RIDDOR report due by" not in page and "reference HSE-77" in page
    assert CaseEvent.objects.filter(incident=harm.incident, kind="riddor_report").exists()


def test_seven_days_off_or_no_physical_injury_is_not_listed(build, personas, client_as):
    _harm(build, personas, days_off=7)
    _harm(build, personas, injury=Injury.NONE, days_off=30)
    assert _riddor_section(client_as("head"))["items"] == []


def test_days_off_updated_later_make_it_due_and_fewer_days_take_it_away(build, personas, client_as):
    harm = _harm(build, personas, days_off=2)
    harm = staff_harm_days_update(actor=personas["office"], harm=harm, days_off=8, expected_version=harm.version)
    assert len(_riddor_section(client_as("head"))["items"]) == 1
    staff_harm_days_update(actor=personas["office"], harm=harm, days_off=5, expected_version=harm.version)
    assert _riddor_section(client_as("head"))["items"] == []


def test_the_senior_leader_sees_a_count_and_another_school_sees_nothing(build, personas, client_as):
    harm = _harm(build, personas)
    folded = [c for g in client_as("senior").get("/").context["folded"] for lst in g["lists"] for c in lst["counts"]]
    assert [(c["n"], c["label"]) for c in folded] == [(1, "RIDDOR report due")]
    listed = client_as("senior").get(folded[0]["url"]).context["page"].object_list
    assert [i.pk for i in listed] == [harm.incident_id]
    other = _riddor_section(client_as("other_head"))
    assert other["items"] == [] and other["total"] == 0


def test_a_past_deadline_is_overdue_first(build, personas, client_as):
    late = _harm(build, personas, days_ago=20)
    _harm(build, personas, days_ago=1)
    items = _riddor_section(client_as("head"))["items"]
    assert items[0]["title"] == late.incident.reference and items[0]["overdue"]
    assert items[0]["overdue_label"] == "Overdue: RIDDOR report was due 5 days ago"
    assert not items[1]["overdue"]


def test_a_case_closed_after_the_harm_still_shows_its_deadline_and_takes_the_report(build, personas, client_as):
    harm = _harm(build, personas, stage=Stage.DECIDED)
    second = staff_harm_record(actor=personas["head"], incident=harm.incident, name="Al Office",
                               what_happened="Hit.", injury=Injury.MINOR, days_off=10)
    for action in harm.incident.decisions.last().followups.all():
        action_complete(actor=personas["head"], action=action, done_on=timezone.localdate(), details="Done.")
    case_close(actor=personas["head"], incident=harm.incident, outcome="Resolved.")
    assert len(_riddor_section(client_as("head"))["items"]) == 1  # one case, two harms: the case once
    _report(harm, personas["head"])
    assert len(_riddor_section(client_as("head"))["items"]) == 1
    _report(second, personas["senior"])
    assert _riddor_section(client_as("head"))["items"] == []


def test_the_service_refuses_what_is_not_due_twice_or_not_theirs(build, personas):
    harm = _harm(build, personas)
    for name in ("office", "chair", "trust", "other_head"):
        with pytest.raises(PermissionDenied):
            _report(harm, personas[name])
    with pytest.raises(ValidationError):
        _report(harm, personas["head"], reported_on=timezone.localdate() - timedelta(days=30))
    _report(harm, personas["head"])
    with pytest.raises(ValidationError):
        _report(harm, personas["head"])
    not_due = _harm(build, personas, days_off=3)
    with pytest.raises(ValidationError):
        _report(not_due, personas["head"])


def test_the_form_refuses_a_future_date_and_an_overlong_reference(build, personas, client_as):
    harm = _harm(build, personas)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    for data in ({"reported_on": tomorrow, "reference": "X", "made_by": "H"},
                 {"reported_on": "99999-01-01", "reference": "X", "made_by": "H"},
                 {"reported_on": timezone.localdate().isoformat(), "reference": "X" * 41, "made_by": "H"}):
        assert client_as("head").post(_url(harm), data).status_code == 200
    harm.refresh_from_db()
    assert harm.riddor_reported_on is None
