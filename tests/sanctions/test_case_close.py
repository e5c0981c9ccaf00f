"""/incidents/<id>/close/ and case_close: every action done, and an outcome."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.workflow import Stage
from sanctions.responses.services import action_complete, case_close

EXPECTED = {
    "office": 403, "senior": 403, "head": 200, "chair": 403, "trust": 403,
    "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
}


def _url(incident):
    return reverse("sanctions:case_close", args=[incident.pk])


def _all_done(incident, head):
    for action in incident.decisions.get().followups.all():
        action_complete(actor=head, action=action, done_on=timezone.localdate(), details="Done")


def test_who_may_open_the_page(build, statuses):
    assert statuses(_url(build.case(stage=Stage.DECIDED))) == EXPECTED


def test_who_may_close(build, statuses, personas):
    incident = build.case(stage=Stage.DECIDED)
    _all_done(incident, personas["head"])
    assert statuses(_url(incident), "post", {"outcome": "Resolved."}) == {**EXPECTED, "head": 302}
    incident.refresh_from_db()
    assert incident.stage == Stage.CLOSED and incident.outcome == "Resolved."


def test_close_needs_every_action_done(build, client_as, personas):
    incident = build.case(stage=Stage.DECIDED)
    response = client_as("head").post(_url(incident), {"outcome": "Resolved."})
    assert "Every action of the decision must be done" in response.content.decode()
    incident.refresh_from_db()
    assert incident.stage == Stage.DECIDED


def test_close_needs_an_outcome(build, client_as, personas):
    incident = build.case(stage=Stage.DECIDED)
    _all_done(incident, personas["head"])
    response = client_as("head").post(_url(incident), {"outcome": ""})
    assert "Outcome of the case: This field is required." in response.content.decode()
    with pytest.raises(ValidationError, match="outcome"):
        case_close(actor=personas["head"], incident=incident, outcome="  ")
    incident.refresh_from_db()
    assert incident.stage == Stage.DECIDED and incident.outcome == ""


def test_closing_is_on_the_timeline_with_the_outcome(build, personas):
    incident = build.case(stage=Stage.DECIDED)
    _all_done(incident, personas["head"])
    case_close(actor=personas["head"], incident=incident, outcome="Apologised.")
    event = incident.events.filter(kind="stage").last()
    assert (event.summary, event.note, event.to_stage, event.actor) == ("Case closed", "Apologised.", Stage.CLOSED,
                                                                        personas["head"])


def test_a_no_further_action_decision_closes_without_actions(build, personas):
    from sanctions.responses.services import decision_record

    incident = build.case(stage=Stage.PROPOSED)
    decision_record(actor=personas["head"], incident=incident, outcome="changed", actions=["nfa"], reasons="Minor")
    assert not incident.decisions.get().followups.exists()
    case_close(actor=personas["head"], incident=incident, outcome="No further action.")
    incident.refresh_from_db()
    assert incident.stage == Stage.CLOSED


@pytest.mark.parametrize("persona", ["office", "senior", "chair", "trust", "other_head"])
def test_the_service_refuses_other_roles(build, personas, persona):
    incident = build.case(stage=Stage.DECIDED)
    _all_done(incident, personas["head"])
    with pytest.raises(PermissionDenied):
        case_close(actor=personas[persona], incident=incident, outcome="Closed.")
