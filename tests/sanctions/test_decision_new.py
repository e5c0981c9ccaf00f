"""/incidents/<id>/decide/ and decision_record: only the head decides, with reasons (approving as proposed
adopts the proposal's own)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from incidents.workflow import Stage
from sanctions.models import Decision, DecisionOutcome, ProposalStatus
from sanctions.responses.services import APPROVED_FOR_PROPOSAL_REASONS, decision_record

EXPECTED = {
    "office": 403, "senior": 403, "head": 200, "chair": 403, "trust": 403,
    "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
}


def _url(incident):
    return reverse("sanctions:decision_new", args=[incident.pk])


def test_who_may_open_the_page(build, statuses):
    assert statuses(_url(build.case(stage=Stage.PROPOSED))) == EXPECTED


def test_who_may_decide(build, statuses):
    incident = build.case(stage=Stage.PROPOSED)
    assert statuses(_url(incident), "post", {"outcome": "approved", "reasons": "Fair."}) == {**EXPECTED, "head": 302}
    assert Decision.objects.filter(incident=incident).count() == 1


def test_approve_takes_the_proposed_actions(build, client_as, personas):
    incident = build.case(stage=Stage.PROPOSED)
    client_as("head").post(_url(incident), {"outcome": "approved", "reasons": "Fair.", "actions": ["nfa"]})
    decision = Decision.objects.get()
    assert (decision.head, decision.actions, decision.reasons) == (personas["head"], ["warning"], "Fair.")
    assert [a.kind for a in decision.followups.all()] == ["warning"]
    assert incident.proposals.get().status == ProposalStatus.DECIDED
    incident.refresh_from_db()
    assert incident.stage == Stage.DECIDED


def test_change_takes_the_heads_actions(build, client_as):
    incident = build.case(stage=Stage.PROPOSED)
    response = client_as("head").post(_url(incident), {"outcome": "changed", "reasons": "Also meet."})
    assert "Choose the actions of the changed response." in response.content.decode()
    client_as("head").post(_url(incident), {"outcome": "changed", "reasons": "Also meet.",
                                            "actions": ["meeting", "warning"]})
    decision = Decision.objects.get()
    assert decision.outcome == "changed" and sorted(decision.actions) == ["meeting", "warning"]


def test_reject_keeps_the_case_open_for_a_new_proposal(build, client_as):
    incident = build.case(stage=Stage.PROPOSED)
    client_as("head").post(_url(incident), {"outcome": "rejected", "reasons": "Too harsh."})
    incident.refresh_from_db()
    assert incident.stage == Stage.PROPOSED and not Decision.objects.exists()
    assert incident.proposals.get().status == ProposalStatus.REJECTED
    assert incident.events.filter(kind="decision", note="Too harsh.").exists()


@pytest.mark.parametrize("outcome", [DecisionOutcome.CHANGED, DecisionOutcome.REJECTED])
def test_reasons_are_required_to_change_or_reject(build, client_as, personas, outcome):
    incident = build.case(stage=Stage.PROPOSED)
    response = client_as("head").post(_url(incident), {"outcome": outcome, "reasons": " ", "actions": ["meeting"]})
    assert response.status_code == 200
    assert "Give the reasons for your decision." in response.content.decode()
    with pytest.raises(ValidationError, match="reasons"):
        decision_record(actor=personas["head"], incident=incident, outcome=outcome, reasons=" ",
                        actions=["warning"])
    assert not Decision.objects.exists()
    incident.refresh_from_db()
    assert incident.proposals.get().status == ProposalStatus.PENDING


def test_approving_as_proposed_needs_no_reasons_of_its_own(build, client_as):
    """Issue 25: the proposal's rationale stands; the decision says it approved for those reasons."""
    incident = build.case(stage=Stage.PROPOSED)
    page = client_as("head").get(_url(incident)).content.decode()
    assert "Optional when you approve as proposed" in page
    response = client_as("head").post(_url(incident), {"outcome": "approved", "reasons": ""})
    assert response.status_code == 302
    decision = Decision.objects.get(incident=incident)
    assert decision.reasons == APPROVED_FOR_PROPOSAL_REASONS
    assert incident.events.filter(kind="decision", note=APPROVED_FOR_PROPOSAL_REASONS).exists()
    incident.refresh_from_db()
    assert incident.stage == Stage.DECIDED


def test_the_service_approves_without_reasons_too(build, personas):
    incident = build.case(stage=Stage.PROPOSED)
    decision = decision_record(actor=personas["head"], incident=incident, outcome=DecisionOutcome.APPROVED,
                               reasons="  ")
    assert decision.reasons == APPROVED_FOR_PROPOSAL_REASONS


def test_nothing_to_decide_before_a_proposal(build, personas):
    for stage in (Stage.CONVERSATION, Stage.AWAITING_CHAIR, Stage.DECIDED):
        incident = build.case(stage=stage)
        with pytest.raises(ValidationError):
            decision_record(actor=personas["head"], incident=incident, outcome="approved", reasons="R")


@pytest.mark.parametrize("persona", ["office", "senior", "chair", "trust", "other_head"])
def test_the_service_refuses_everyone_but_the_schools_head(build, personas, persona):
    incident = build.case(stage=Stage.PROPOSED)
    with pytest.raises(PermissionDenied):
        decision_record(actor=personas[persona], incident=incident, outcome="approved", reasons="R")
    assert not Decision.objects.exists()


def test_a_case_still_waiting_for_the_chair_sends_the_head_back_to_the_case(build, client_as):
    incident = build.case(stage=Stage.AWAITING_CHAIR)
    client = client_as("head")
    for method in ("get", "post"):
        response = getattr(client, method)(_url(incident), {"outcome": "approved", "reasons": "Fair."})
        assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert not Decision.objects.filter(incident=incident).exists()


def test_a_decision_to_ban_goes_on_to_recording_the_ban(build, client_as):
    """Recording the ban is the head's next step: its form opens; any other decision returns to the case."""
    ban_case = build.case(stage=Stage.PROPOSED, ban=True)
    response = client_as("head").post(_url(ban_case), {"outcome": "approved"})
    assert response.status_code == 302
    assert response["Location"] == reverse("sanctions:ban_new", args=[ban_case.pk])
    assert client_as("head").get(response["Location"]).status_code == 200

    warning_case = build.case(stage=Stage.PROPOSED)
    response = client_as("head").post(_url(warning_case), {"outcome": "approved"})
    assert response["Location"] == warning_case.get_absolute_url()
    changed = build.case(stage=Stage.PROPOSED, ban=True)
    response = client_as("head").post(_url(changed), {"outcome": "changed", "reasons": "A warning is enough.",
                                                      "actions": ["warning"]})
    assert response["Location"] == changed.get_absolute_url()
