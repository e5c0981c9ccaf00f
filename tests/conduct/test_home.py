"""/: each user's work list, overdue items first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.models import Incident
from incidents.workflow import Stage
from sanctions.models import DecisionOutcome
from sanctions.responses.services import decision_record


def test_who_may_open_it(db, statuses, personas):
    assert statuses("/") == {
        "office": 200, "senior": 200, "head": 200, "chair": 200, "trust": 200,
        "other_office": 200, "other_head": 200, "inactive": 302, "anonymous": 302,
    }


def _sections(client):
    return {s["title"]: [i["title"] for i in s["items"]] for s in client.get("/").context["sections"]}


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


def test_trust_sees_a_table_of_every_school_not_a_list_of_cases(client_as, cases, build, school, other_school):
    build.case(school=other_school, stage=Stage.GATHERING)
    Incident.objects.filter(pk=cases[Stage.REPORTED].pk).update(stage_changed_at=timezone.now() - timedelta(days=9))
    response = client_as("trust").get("/")
    assert response.context["sections"] == []
    rows = {row["school"].name: row for row in response.context["overview"]}
    assert set(rows) == {school.name, other_school.name}
    mine = rows[school.name]
    assert {cell["stage"].value: cell["count"] for cell in mine["stages"]} == {
        s: 1 for s in Stage.values if s != Stage.CLOSED}
    assert (mine["open"], mine["overdue"]) == (6, 1)
    assert (rows[other_school.name]["open"], rows[other_school.name]["overdue"]) == (1, 0)
    # Each figure links to the incident list showing exactly those cases.
    listed = client_as("trust").get(mine["overdue_url"]).context["page"].object_list
    assert [i.reference for i in listed] == [cases[Stage.REPORTED].reference]
    gathering = next(c for c in mine["stages"] if c["stage"] == Stage.GATHERING)
    listed = client_as("trust").get(gathering["url"]).context["page"].object_list
    assert [i.reference for i in listed] == [cases[Stage.GATHERING].reference]


def test_a_section_shows_fifteen_and_links_to_exactly_its_cases(client_as, build, personas):
    logged = [build.incident() for _ in range(17)]
    Incident.objects.filter(pk=logged[3].pk).update(stage_changed_at=timezone.now() - timedelta(days=5))
    build.incident(actor=personas["senior"])  # someone else's: not in "Incidents you logged"
    section = next(s for s in client_as("office").get("/").context["sections"] if s["title"] == LOGGED)
    assert (len(section["items"]), section["total"]) == (15, 17)
    assert section["items"][0]["title"] == logged[3].reference and section["items"][0]["overdue"]
    page = client_as("office").get(section["more_url"]).context["page"]
    assert page.paginator.count == 17
    assert {i.reference for i in page.object_list} == {i.reference for i in logged}
    assert page.object_list[0].reference == logged[3].reference


def test_each_item_says_which_school_it_belongs_to(client_as, cases, school):
    items = next(s for s in client_as("head").get("/").context["sections"] if s["title"] == DECIDE)["items"]
    assert items[0]["school"] == school.name
    assert school.name in client_as("head").get("/").content.decode()


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
    assert [i["title"] for i in items] == [old.reference, older_but_not_overdue.reference, fresh.reference]
    assert [i["overdue"] for i in items] == [True, False, False]
    assert "Overdue" in client_as("senior").get("/").content.decode()


def test_a_one_stage_section_puts_its_overdue_oldest_cases_first_and_counts_them_all(client_as, build):
    """Within one stage the section is read oldest first from the index: overdue first all the same."""
    cases = [build.case(stage=Stage.DECIDED) for _ in range(17)]
    now = timezone.now()
    # A decided case is overdue after 20 days.
    Incident.objects.filter(pk=cases[9].pk).update(stage_changed_at=now - timedelta(days=25))
    Incident.objects.filter(pk=cases[4].pk).update(stage_changed_at=now - timedelta(days=21))
    Incident.objects.filter(pk=cases[12].pk).update(stage_changed_at=now - timedelta(days=19))
    section = next(s for s in client_as("senior").get("/").context["sections"] if s["title"] == ACTIONS)
    assert (len(section["items"]), section["total"]) == (15, 17)
    assert [i["title"] for i in section["items"][:3]] == [cases[9].reference, cases[4].reference,
                                                          cases[12].reference]
    assert [i["overdue"] for i in section["items"][:3]] == [True, True, False]
    listed = client_as("senior").get(section["more_url"]).context["page"]
    assert listed.paginator.count == 17
    assert [i.reference for i in listed.object_list[:3]] == [i["title"] for i in section["items"][:3]]


def test_the_trust_table_counts_overdue_cases_by_each_stages_own_limit(client_as, build, school):
    now = timezone.now()
    ages = {Stage.REPORTED: 3, Stage.GATHERING: 11, Stage.CONVERSATION: 9, Stage.PROPOSED: 6,
            Stage.AWAITING_CHAIR: 4, Stage.DECIDED: 21}
    for stage, days in ages.items():
        Incident.objects.filter(pk=build.case(stage=stage).pk).update(stage_changed_at=now - timedelta(days=days))
    # Closed long ago: never overdue.
    Incident.objects.filter(pk=build.case(stage=Stage.CLOSED).pk).update(stage_changed_at=now - timedelta(days=400))
    row = next(r for r in client_as("trust").get("/").context["overview"] if r["school"] == school)
    # Over the limit: reported (2 days), gathering (10), proposed (5), decided (20); not conversation
    # (10) or awaiting the Chair (5).
    assert (row["open"], row["overdue"]) == (6, 4)
    listed = client_as("trust").get(row["overdue_url"]).context["page"].paginator.count
    assert listed == 4


def test_each_item_names_the_cases_subjects_but_not_its_witnesses(client_as, build, personas):
    from incidents import services as incident_services
    from incidents.models import BreachCategory, Location

    first, second = build.person(name="Ann Able"), build.person(name="Ben Bold")
    witness = build.person(name="Wendy Witness")
    incident = incident_services.incident_create(
        actor=personas["office"], school=build.school, occurred_at=timezone.now() - timedelta(days=1),
        location=Location.PREMISES, location_detail="Main gate", description="Shouted at staff.",
        categories=BreachCategory.objects.filter(code="offensive-language"), subjects=[first, second],
        witnesses=[witness], reported_by="Class teacher",
    )
    alone = build.incident(person=build.person(name="Cal Calm"))
    items = {i["title"]: i for s in client_as("office").get("/").context["sections"] for i in s["items"]}
    assert items[incident.reference]["subjects"] == "Ann Able, Ben Bold"
    assert items[alone.reference]["subjects"] == "Cal Calm"
