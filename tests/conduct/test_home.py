"""/: each user's work list, overdue items first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.models import Incident
from incidents.workflow import Stage
from sanctions.models import DecisionOutcome
from sanctions.services import decision_record


def test_who_may_open_it(db, statuses, personas):
    assert statuses("/") == {
        "office": 200, "senior": 200, "head": 200, "chair": 200, "trust": 200,
        "other_office": 200, "other_head": 200, "inactive": 302, "anonymous": 302,
    }


def _sections(client):
    return {s["title"]: [i["incident"].reference for i in s["items"]] for s in client.get("/").context["sections"]}


@pytest.fixture
def cases(build):
    return {stage: build.case(stage=stage) for stage in Stage.values}


GATHER = "Cases to gather information on or to speak to the parent about"
DECIDE = "Proposals waiting for your decision"
REVISE = "Proposals to revise after the head rejected them"
ACTIONS = "Decided cases with actions to complete"
CHAIR = "Consultations to sign off"
WAITING_FOR_CHAIR = "Ban proposals waiting for the Chair"
LOGGED = "Incidents you logged"
TRUST = "Open cases across the trust"


def test_office_sees_what_they_logged_and_its_stage(client_as, cases):
    sections = _sections(client_as("office"))
    assert set(sections[LOGGED]) == {cases[s].reference for s in Stage.values if s != Stage.CLOSED}
    assert DECIDE not in sections and CHAIR not in sections and GATHER not in sections
    page = client_as("office").get("/").content.decode()
    assert "Gathering information" in page


def test_senior_leader_sees_cases_to_gather_and_to_speak_about(client_as, cases):
    sections = _sections(client_as("senior"))
    assert set(sections[GATHER]) == {cases[s].reference for s in (Stage.REPORTED, Stage.GATHERING,
                                                                   Stage.CONVERSATION)}
    assert sections[ACTIONS] == [cases[Stage.DECIDED].reference]
    assert DECIDE not in sections and CHAIR not in sections and LOGGED not in sections


def test_head_sees_proposals_to_decide(client_as, cases):
    sections = _sections(client_as("head"))
    assert sections[DECIDE] == [cases[Stage.PROPOSED].reference]
    assert CHAIR not in sections


def test_head_sees_ban_proposals_still_waiting_for_the_chair(client_as, cases):
    assert _sections(client_as("head"))[WAITING_FOR_CHAIR] == [cases[Stage.AWAITING_CHAIR].reference]
    assert WAITING_FOR_CHAIR not in _sections(client_as("senior"))


def test_chair_sees_consultations_to_sign_off_and_nothing_else(client_as, cases):
    sections = _sections(client_as("chair"))
    assert sections[CHAIR] == [cases[Stage.AWAITING_CHAIR].reference]
    assert not {GATHER, DECIDE, REVISE, ACTIONS, LOGGED, TRUST, WAITING_FOR_CHAIR} & set(sections)


def test_trust_sees_open_cases_across_schools(client_as, cases, build):
    theirs = build.case(school=build.other_school, stage=Stage.GATHERING)
    sections = _sections(client_as("trust"))
    assert set(sections[TRUST]) == {c.reference for s, c in cases.items() if s != Stage.CLOSED} | {theirs.reference}


def test_another_schools_staff_see_none_of_it(client_as, cases):
    for name in ("other_office", "other_head"):
        assert all(refs == [] for refs in _sections(client_as(name)).values())


def test_a_rejected_proposal_waits_for_a_revision_not_for_the_head(client_as, build, personas):
    incident = build.case(stage=Stage.PROPOSED)
    decision_record(actor=personas["head"], incident=incident, outcome=DecisionOutcome.REJECTED,
                    reasons="Not proportionate.")
    assert _sections(client_as("head"))[DECIDE] == []
    assert _sections(client_as("senior"))[REVISE] == [incident.reference]


def test_overdue_items_come_first(client_as, build):
    fresh = build.case(stage=Stage.GATHERING)
    old = build.case(stage=Stage.GATHERING)
    older_but_not_overdue = build.case(stage=Stage.REPORTED)
    Incident.objects.filter(pk=old.pk).update(stage_changed_at=timezone.now() - timedelta(days=30))
    Incident.objects.filter(pk=older_but_not_overdue.pk).update(
        stage_changed_at=timezone.now() - timedelta(days=1))
    items = next(s for s in client_as("senior").get("/").context["sections"] if s["title"] == GATHER)["items"]
    assert [i["incident"].reference for i in items] == [old.reference, older_but_not_overdue.reference,
                                                         fresh.reference]
    assert [i["overdue"] for i in items] == [True, False, False]
    assert "Overdue" in client_as("senior").get("/").content.decode()
