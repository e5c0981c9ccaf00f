"""/incidents/<id>/conversation/ and the conversation_record service."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.models import ParentConversation
from incidents.services import conversation_record, incident_transition
from incidents.workflow import Stage

EXPECTED = {
    "office": 403, "senior": 200, "head": 200, "chair": 403, "trust": 403,
    "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
}


def _url(incident):
    return reverse("incidents:conversation_record", args=[incident.pk])


def test_who_may_open_the_form(build, statuses):
    assert statuses(_url(build.case(stage=Stage.CONVERSATION))) == EXPECTED


def test_who_may_post(build, statuses):
    incident = build.case(stage=Stage.CONVERSATION)
    data = {"took_place": "no", "not_possible_reason": "declined", "not_possible_detail": "Hung up."}
    assert statuses(_url(incident), "post", data) == {**EXPECTED, "senior": 302, "head": 302}
    assert ParentConversation.objects.filter(incident=incident).count() == 2


def test_a_conversation_that_took_place_needs_a_date_and_what_the_parent_said(build, client_as, personas):
    incident = build.case(stage=Stage.CONVERSATION)
    response = client_as("senior").post(_url(incident), {"took_place": "yes", "present": "Deputy head"})
    page = response.content.decode()
    assert "Give the date and time of the conversation." in page
    assert "Record what the parent said." in page
    assert 'value="Deputy head"' in page
    with pytest.raises(ValidationError):
        conversation_record(actor=personas["senior"], incident=incident, took_place=True, held_on=timezone.now(),
                            parent_said="  ")
    assert not ParentConversation.objects.exists()


def test_a_conversation_that_did_not_happen_needs_a_reason(build, client_as, personas):
    incident = build.case(stage=Stage.CONVERSATION)
    response = client_as("senior").post(_url(incident), {"took_place": "no"})
    assert "Say why the conversation could not happen." in response.content.decode()
    with pytest.raises(ValidationError):
        conversation_record(actor=personas["senior"], incident=incident, took_place=False)
    assert not ParentConversation.objects.exists()


@pytest.mark.parametrize("reason", ["declined", "unreachable", "risk"])
def test_each_reason_is_accepted(build, personas, reason):
    incident = build.case(stage=Stage.CONVERSATION)
    record = conversation_record(actor=personas["head"], incident=incident, took_place=False,
                                 not_possible_reason=reason)
    assert (record.took_place, record.held_on, record.recorded_by) == (False, None, personas["head"])


def test_the_case_cannot_move_on_without_a_conversation_or_reason(build, personas):
    from sanctions.responses.services import proposal_submit

    incident = build.case(stage=Stage.CONVERSATION)
    for target in (Stage.PROPOSED, Stage.AWAITING_CHAIR):
        with pytest.raises(ValidationError, match="Record the conversation with the parent"):
            incident_transition(actor=personas["senior"], incident=incident, to_stage=target)
    with pytest.raises(ValidationError):
        proposal_submit(actor=personas["senior"], incident=incident, actions=["warning"], rationale="Because.")
    incident.refresh_from_db()
    assert incident.stage == Stage.CONVERSATION
    assert not incident.proposals.exists()
    conversation_record(actor=personas["senior"], incident=incident, took_place=True, held_on=timezone.now(),
                        parent_said="Sorry.")
    proposal_submit(actor=personas["senior"], incident=incident, actions=["warning"], rationale="Because.")
    incident.refresh_from_db()
    assert incident.stage == Stage.PROPOSED


def test_at_reported_it_starts_gathering(build, personas):
    # Issue 25: no "Start gathering information" first; with no statement yet the case stays gathering.
    incident = build.case(stage=Stage.REPORTED)
    conversation_record(actor=personas["senior"], incident=incident, took_place=False,
                        not_possible_reason="declined")
    incident.refresh_from_db()
    assert incident.stage == Stage.GATHERING


@pytest.mark.parametrize("persona", ["office", "chair", "trust", "other_head"])
def test_the_service_refuses_other_roles(build, personas, persona):
    incident = build.case(stage=Stage.CONVERSATION)
    with pytest.raises(PermissionDenied):
        conversation_record(actor=personas[persona], incident=incident, took_place=False,
                            not_possible_reason="declined")
