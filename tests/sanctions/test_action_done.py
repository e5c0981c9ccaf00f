"""/actions/<id>/done/ and action_complete: each action of a decision is marked done."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.workflow import Stage
from sanctions.models import DecisionOutcome
from sanctions.responses.services import action_complete, decision_record

EXPECTED = {
    "office": 403, "senior": 200, "head": 200, "chair": 403, "trust": 403,
    "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
}


def _action(incident, kind=None):
    followups = incident.decisions.get().followups
    return followups.get(kind=kind) if kind else followups.get()


def _url(action):
    return reverse("sanctions:action_done", args=[action.pk])


def test_who_may_open_the_page(build, statuses):
    assert statuses(_url(_action(build.case(stage=Stage.DECIDED)))) == EXPECTED


def test_who_may_mark_it_done(build, client_as):
    result = {}
    for name in EXPECTED:
        action = _action(build.case(stage=Stage.DECIDED))
        result[name] = client_as(name).post(_url(action), {"done_on": timezone.localdate().isoformat(),
                                                           "details": "Sent"}).status_code
        action.refresh_from_db()
        assert action.done is (name in ("senior", "head")), name
    assert result == {**EXPECTED, "senior": 302, "head": 302}


def test_done_records_date_details_who_and_a_timeline_line(build, personas):
    incident = build.case(stage=Stage.DECIDED)
    action = action_complete(actor=personas["senior"], action=_action(incident), done_on=timezone.localdate(),
                             details="Letter posted first class")
    assert (action.done, action.done_by, action.details) == (True, personas["senior"], "Letter posted first class")
    assert incident.events.filter(kind="action", summary="Done: Send a warning letter").exists()
    with pytest.raises(ValidationError, match="already"):
        action_complete(actor=personas["senior"], action=action, done_on=timezone.localdate())


def test_the_authorities_need_a_reference(build, personas):
    incident = build.case(stage=Stage.PROPOSED)
    decision_record(actor=personas["head"], incident=incident, outcome=DecisionOutcome.CHANGED,
                    actions=["authorities", "legal", "report_post"], reasons="Criminal.")
    police = _action(incident, "authorities")
    with pytest.raises(ValidationError, match="reference"):
        action_complete(actor=personas["head"], action=police, done_on=timezone.localdate())
    action = action_complete(actor=personas["head"], action=police, done_on=timezone.localdate(),
                             reference="KNT-123")
    assert action.reference == "KNT-123"
    assert incident.events.filter(kind="action", note__contains="KNT-123").exists()
    for kind, details in (("legal", "Advice received"), ("report_post", "Reported to Facebook")):
        assert action_complete(actor=personas["head"], action=_action(incident, kind),
                               done_on=timezone.localdate(), details=details).done


def test_a_future_date_is_refused(build, personas, client_as):
    incident = build.case(stage=Stage.DECIDED)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError):
        action_complete(actor=personas["head"], action=_action(incident), done_on=tomorrow)
    response = client_as("head").post(_url(_action(incident)), {"done_on": tomorrow.isoformat()})
    assert "This date cannot be in the future." in response.content.decode()
    assert not _action(incident).done


def test_a_ban_is_not_marked_done_by_hand(build, personas):
    incident = build.case(stage=Stage.DECIDED, ban=True)
    with pytest.raises(ValidationError, match="ban letter"):
        action_complete(actor=personas["head"], action=_action(incident, "ban"), done_on=timezone.localdate())


def test_not_once_the_case_is_closed(build, personas):
    incident = build.case(stage=Stage.CLOSED)
    with pytest.raises(ValidationError):
        action_complete(actor=personas["head"], action=_action(incident), done_on=timezone.localdate())


@pytest.mark.parametrize("persona", ["office", "chair", "trust", "other_head"])
def test_the_service_refuses_other_roles(build, personas, persona):
    action = _action(build.case(stage=Stage.DECIDED))
    with pytest.raises(PermissionDenied):
        action_complete(actor=personas[persona], action=action, done_on=timezone.localdate())
