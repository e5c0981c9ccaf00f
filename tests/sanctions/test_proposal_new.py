"""/incidents/<id>/propose/ and proposal_submit: a proportional response, with the record in view."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.services import conversation_record
from incidents.workflow import Stage
from sanctions.models import ActionKind, DecisionOutcome, Proposal, ProposalStatus
from sanctions.responses.services import decision_record, proposal_submit

EXPECTED = {
    "office": 403, "senior": 200, "head": 200, "chair": 403, "trust": 403,
    "other_office": 404, "other_head": 404, "inactive": 302, "anonymous": 302,
}


def _url(incident):
    return reverse("sanctions:proposal_new", args=[incident.pk])


@pytest.fixture
def ready(build, personas):
    """A case at the parent conversation, with the conversation recorded."""

    def make(**kwargs):
        incident = build.case(stage=Stage.CONVERSATION, **kwargs)
        conversation_record(actor=personas["senior"], incident=incident, took_place=True,
                            held_on=timezone.now() - timedelta(hours=1), parent_said="I was upset.")
        return incident

    return make


def test_who_may_open_the_page(ready, statuses):
    assert statuses(_url(ready())) == EXPECTED


def test_who_may_propose(ready, client_as):
    result = {}
    for name in EXPECTED:
        incident = ready()
        response = client_as(name).post(_url(incident), {"actions": ["warning"], "rationale": f"By {name}"})
        result[name] = response.status_code
        assert Proposal.objects.filter(incident=incident).exists() is (name in ("senior", "head")), name
    assert result == {**EXPECTED, "senior": 302, "head": 302}


def test_a_proposal_needs_a_rationale(ready, client_as, personas):
    incident = ready()
    response = client_as("senior").post(_url(incident), {"actions": ["warning"], "rationale": ""})
    assert "Why this response is proportionate: This field is required." in response.content.decode()
    with pytest.raises(ValidationError, match="proportionate"):
        proposal_submit(actor=personas["senior"], incident=incident, actions=["warning"], rationale="   ")
    assert not Proposal.objects.exists()


def test_a_proposal_needs_an_action_and_no_further_action_stands_alone(ready, personas):
    incident = ready()
    for actions in ([], ["nfa", "warning"], ["prison"]):
        with pytest.raises(ValidationError):
            proposal_submit(actor=personas["senior"], incident=incident, actions=actions, rationale="R")
    proposal = proposal_submit(actor=personas["senior"], incident=incident, actions=["nfa"], rationale="Minor.")
    assert proposal.actions == ["nfa"]


def test_a_ban_with_no_earlier_warning_needs_a_justification(ready, client_as, personas):
    incident = ready()
    response = client_as("senior").post(_url(incident), {"actions": ["ban"], "rationale": "Serious."})
    page = response.content.decode()
    assert "has had no earlier warning letter" in page
    assert "Serious." in page  # what was typed stays
    with pytest.raises(ValidationError, match="no earlier warning"):
        proposal_submit(actor=personas["senior"], incident=incident, actions=["ban"], rationale="Serious.")
    incident.refresh_from_db()
    assert incident.stage == Stage.CONVERSATION
    proposal = proposal_submit(actor=personas["senior"], incident=incident, actions=["ban"], rationale="Serious.",
                               ban_justification="He punched a teacher.")
    incident.refresh_from_db()
    assert proposal.includes_ban and incident.stage == Stage.AWAITING_CHAIR


def test_after_an_earlier_warning_a_ban_needs_no_separate_justification(build, ready, personas):
    person = build.person(name="Repeat Parent")
    earlier = build.case(stage=Stage.DECIDED, person=person, days_ago=40)
    assert ActionKind.WARNING_LETTER in earlier.decisions.get().actions
    incident = ready(person=person)
    proposal = proposal_submit(actor=personas["senior"], incident=incident, actions=["ban"], rationale="Again.")
    assert proposal.includes_ban and proposal.ban_justification == ""


def test_the_page_shows_earlier_incidents_the_viewer_may_see_and_their_responses(build, ready, client_as,
                                                                                 personas):
    person = build.person(name="Travelling Parent")
    ours = build.case(stage=Stage.DECIDED, person=person, days_ago=30)
    theirs = build.incident(school=build.other_school, person=person, days_ago=20)
    later = build.incident(person=person, days_ago=0)
    incident = ready(person=person)

    def earlier(name):
        return [row["incident"].reference for row in client_as(name).get(_url(incident)).context["history"]]

    assert earlier("senior") == [ours.reference]
    page = client_as("senior").get(_url(incident)).content.decode()
    assert "Response: Send a warning letter" in page
    assert theirs.reference not in page and later.reference not in page

    # A head who also works at the other school sees both.
    from conduct.models import StaffRole

    StaffRole.objects.create(user=personas["head"], school=build.other_school, role="office")
    assert earlier("head") == [theirs.reference, ours.reference]


def test_a_first_incident_says_so(ready, client_as):
    page = client_as("senior").get(_url(ready())).content.decode()
    assert "This is their first recorded incident." in page


@pytest.mark.parametrize(("categories", "suggested", "not_suggested"), [
    (("threatening",), ["Contact the appropriate authorities"], ["Seek advice from the trust"]),
    (("property-damage",), ["Contact the appropriate authorities"], ["Report the post"]),
    (("derogatory-social-media",), ["Seek advice from the trust&#x27;s legal team", "Report the post"],
     ["Contact the appropriate authorities"]),
])
def test_suggestions_come_from_the_categories(ready, client_as, categories, suggested, not_suggested):
    incident = ready(categories=categories)
    page = client_as("senior").get(_url(incident)).content.decode()
    section = page.split('id="h-suggest"')[1].split("</section>")[0]
    for text in suggested:
        assert text in section
    for text in not_suggested:
        assert text not in section


def test_a_revision_supersedes_the_open_proposal(build, personas):
    incident = build.case(stage=Stage.PROPOSED)
    first = incident.proposals.get()
    second = proposal_submit(actor=personas["head"], incident=incident, actions=["meeting"], rationale="Softer.")
    first.refresh_from_db()
    assert first.status == ProposalStatus.SUPERSEDED and second.status == ProposalStatus.PENDING
    incident.refresh_from_db()
    assert incident.stage == Stage.PROPOSED


def test_after_the_head_rejects_a_revision_is_needed(build, personas):
    incident = build.case(stage=Stage.PROPOSED)
    assert decision_record(actor=personas["head"], incident=incident, outcome=DecisionOutcome.REJECTED,
                           reasons="Too harsh.") is None
    with pytest.raises(ValidationError, match="no proposal waiting"):
        decision_record(actor=personas["head"], incident=incident, outcome=DecisionOutcome.APPROVED, reasons="Ok")
    proposal_submit(actor=personas["senior"], incident=incident, actions=["meeting"], rationale="Softer.")
    decision_record(actor=personas["head"], incident=incident, outcome=DecisionOutcome.APPROVED, reasons="Ok")
    incident.refresh_from_db()
    assert incident.stage == Stage.DECIDED


@pytest.mark.parametrize("stage", [Stage.REPORTED, Stage.GATHERING, Stage.AWAITING_CHAIR, Stage.DECIDED,
                                   Stage.CLOSED])
def test_not_at_other_stages(build, personas, stage):
    incident = build.case(stage=stage)
    with pytest.raises(ValidationError):
        proposal_submit(actor=personas["head"], incident=incident, actions=["warning"], rationale="R")


@pytest.mark.parametrize("persona", ["office", "chair", "trust", "other_head"])
def test_the_service_refuses_other_roles(ready, personas, persona):
    with pytest.raises(PermissionDenied):
        proposal_submit(actor=personas[persona], incident=ready(), actions=["warning"], rationale="R")
