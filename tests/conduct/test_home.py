"""/: each user's work list: their own lists first, each case once, overdue first, each row's next step;
other roles' lists as counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
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


# Each role's own work first; other roles' lists as counts; each case once; what each case needs next.


def _own(client) -> list[str]:
    return [s["key"] for s in client.get("/").context["sections"]]


def _folded(client) -> dict[str, dict]:
    """{label: {"n", "url"}} of the folded counts on the page."""
    return {count["label"]: count for group in client.get("/").context["folded"] for lst in group["lists"]
            for count in lst["counts"]}


def _items(client) -> dict[str, dict]:
    return {item["title"]: item for s in client.get("/").context["sections"] for item in s["items"]}


def test_each_role_leads_with_its_own_decisions_and_deadlines(client_as, cases):
    assert _own(client_as("head"))[:4] == ["decide", "ban_deadline", "ban_review", "letters_to_issue"]
    assert _own(client_as("senior"))[:3] == ["gather", "revise", "actions"]
    assert _own(client_as("chair")) == ["chair"]
    assert _own(client_as("office")) == ["letters_unsent", "logged"]


def test_the_head_sees_the_senior_leaders_lists_as_counts_not_in_full(client_as, cases):
    head = client_as("head")
    assert not {"gather", "revise", "actions"} & set(_own(head))
    folded = _folded(head)
    assert {label: c["n"] for label, c in folded.items()} == {
        "reported": 1, "gathering": 1, "in conversation": 1, "decided case with actions": 1}
    assert folded["gathering"]["url"] == "/incidents/?work=gather&stage=gathering"
    # Each count links to exactly the cases it counts.
    listed = head.get(folded["gathering"]["url"]).context["page"].object_list
    assert [i.reference for i in listed] == [cases[Stage.GATHERING].reference]
    listed = head.get(folded["decided case with actions"]["url"]).context["page"].object_list
    assert [i.reference for i in listed] == [cases[Stage.DECIDED].reference]
    page = head.get("/").content.decode()
    assert "Senior leaders&#x27; lists" in page and cases[Stage.GATHERING].reference not in page


def test_nobody_else_sees_folded_counts_of_lists_that_are_their_own(client_as, cases):
    for persona in ("senior", "chair", "office", "trust"):
        assert client_as(persona).get("/").context["folded"] == [], persona


def test_another_schools_cases_are_neither_listed_nor_counted(client_as, cases):
    for persona in ("other_head", "other_office"):
        client = client_as(persona)
        assert all(s["items"] == [] and s["total"] == 0 for s in client.get("/").context["sections"])
        assert client.get("/").context["folded"] == []
        page = client.get("/").content.decode()
        assert not any(case.reference in page for case in cases.values())


def test_each_row_says_what_the_case_needs_next(client_as, cases):
    senior = _items(client_as("senior"))
    assert senior[cases[Stage.REPORTED].reference]["next_step"] == "Record the first statement"
    assert senior[cases[Stage.CONVERSATION].reference]["next_step"] == "Propose a response"
    head = _items(client_as("head"))
    assert head[cases[Stage.PROPOSED].reference]["next_step"] == "Decide the response"
    assert head[cases[Stage.AWAITING_CHAIR].reference]["next_step"] == "The Chair's sign-off"
    chair = _items(client_as("chair"))
    assert chair[cases[Stage.AWAITING_CHAIR].reference]["next_step"] == "Record your consultation on the proposed ban"
    office = _items(client_as("office"))
    assert office[cases[Stage.PROPOSED].reference]["next_step"] == "The head's decision"
    page = client_as("head").get("/").content.decode()
    assert "Next: Decide the response" in page


def test_an_overdue_row_says_how_long_it_has_waited(client_as, build):
    late = build.case(stage=Stage.GATHERING)
    Incident.objects.filter(pk=late.pk).update(stage_changed_at=timezone.now() - timedelta(days=16, hours=1))
    item = _items(client_as("senior"))[late.reference]
    assert item["overdue"] and item["overdue_label"] == "Overdue: gathering for 16 days"
    assert "Overdue: gathering for 16 days" in client_as("senior").get("/").content.decode()


def _ban_past_its_deadline(build, personas):
    """A decided case with a provisional ban whose representations were due yesterday, and its draft letter."""
    from sanctions.bans import services as ban_services
    from sanctions.models import BanRoute, SiteBan

    case = build.case(stage=Stage.DECIDED, ban=True, categories=("threatening", "aggression"))
    today = timezone.localdate()
    ban = ban_services.ban_create(
        actor=personas["head"], incident=case, person=case.subjects()[0], route=BanRoute.PROVISIONAL,
        sites=[build.school], starts_on=today, ends_on=today + timedelta(days=180),
        review_on=today + timedelta(days=90), pupil_arrangements="Collected by an aunt at the office.",
        reasons="Staff felt threatened.")
    SiteBan.objects.filter(pk=ban.pk).update(representations_by=today - timedelta(days=1))
    return case


def test_a_case_in_several_of_the_heads_lists_appears_in_the_most_pressing_only(client_as, build, personas):
    case = _ban_past_its_deadline(build, personas)  # the ban's deadline has passed, and its letter is a draft
    sections = {s["key"]: s for s in client_as("head").get("/").context["sections"]}
    assert [i["title"] for i in sections["ban_deadline"]["items"]] == [case.reference]
    assert sections["ban_deadline"]["items"][0]["next_step"] == "Confirm or withdraw the ban"
    assert sections["ban_deadline"]["items"][0]["overdue_label"] == "Overdue by 1 day"
    assert sections["letters_to_issue"]["items"] == [] and sections["letters_to_issue"]["total"] == 0
    shown = [i["title"] for s in sections.values() for i in s["items"]]
    assert shown.count(case.reference) == 1


def test_the_head_is_asked_to_issue_a_draft_letter(client_as, build, personas):
    from sanctions.letters.services import letter_draft
    from sanctions.models import LetterKind

    case = build.case(stage=Stage.DECIDED)
    letter = letter_draft(actor=personas["senior"], incident=case, kind=LetterKind.WARNING)
    section = next(s for s in client_as("head").get("/").context["sections"] if s["key"] == "letters_to_issue")
    assert [i["title"] for i in section["items"]] == [case.reference]
    assert section["items"][0]["next_step"] == "Issue the warning letter"
    assert section["items"][0]["url"] == reverse("sanctions:letter_detail", args=[letter.pk])
    assert "letters_to_issue" not in _own(client_as("senior"))


def test_the_heads_page_makes_the_same_queries_however_many_cases_wait(client_as, build, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        head.get("/")
        with CaptureQueriesContext(connection) as queries:
            head.get("/")
        return len(queries)

    head = client_as("head")
    for stage in Stage.values:
        build.case(stage=stage)
    _ban_past_its_deadline(build, personas)
    few = count()
    for _ in range(3):
        for stage in Stage.values:
            build.case(stage=stage)
        _ban_past_its_deadline(build, personas)
    assert count() == few
    assert _folded(head)["gathering"]["n"] == 4


def test_a_decided_case_says_how_many_actions_remain_and_the_head_is_asked_to_close_it(client_as, build, personas):
    from sanctions.models import DecisionAction
    from sanctions.responses.services import action_complete

    case = build.case(stage=Stage.DECIDED)
    undone = list(DecisionAction.objects.filter(decision__incident=case, done=False))
    assert undone
    expected = "Complete the action" if len(undone) == 1 else f"Complete the {len(undone)} actions"
    assert _items(client_as("senior"))[case.reference]["next_step"] == expected
    assert case.reference not in _items(client_as("head"))
    for action in undone:
        action_complete(actor=personas["senior"], action=action, done_on=timezone.localdate(), details="Sent.")
    assert _items(client_as("senior"))[case.reference]["next_step"] == "Every action is done: the head closes the case"
    close = next(s for s in client_as("head").get("/").context["sections"] if s["key"] == "close")
    assert [(i["title"], i["next_step"]) for i in close["items"]] == [(case.reference, "Close the case")]
    assert "close" not in _own(client_as("senior"))


# Each section's queries are compiled once a process and run with each view's values (conduct.prepared):
# the second school, the second user, the second day and the cases of a second section must all be bound anew.


def test_a_second_school_reads_the_first_schools_compiled_query_with_its_own_school(client_as, build, other_school):
    ours, theirs = build.case(stage=Stage.PROPOSED), build.case(stage=Stage.PROPOSED, school=other_school)
    for _ in range(2):
        assert _sections(client_as("head"))[DECIDE] == [ours.reference]
        assert _sections(client_as("other_head"))[DECIDE] == [theirs.reference]


def test_a_head_at_two_schools_sees_both_and_a_head_at_one_only_theirs(client_as, build, personas, other_school):
    from conduct.models import StaffRole
    from conduct.roles import Role

    ours, theirs = build.case(stage=Stage.PROPOSED), build.case(stage=Stage.PROPOSED, school=other_school)
    StaffRole.objects.create(user=personas["chair"], role=Role.HEAD, school=build.school)
    StaffRole.objects.create(user=personas["chair"], role=Role.HEAD, school=other_school)
    assert sorted(_sections(client_as("chair"))[DECIDE]) == sorted([ours.reference, theirs.reference])
    assert _sections(client_as("head"))[DECIDE] == [ours.reference]
    assert _sections(client_as("other_head"))[DECIDE] == [theirs.reference]
    page = client_as("chair").get("/")
    assert {i["school"] for s in page.context["sections"] if s["key"] == "decide" for i in s["items"]} == {
        build.school.name, other_school.name}


def _work(user) -> dict[str, list]:
    """The user's sections as the view builds them, read without a request: a request on a later day
    would find its session expired."""
    from conduct.views import work_sections

    return {s["key"]: s["items"] for s in work_sections(user)}


def _a_day_later(monkeypatch):
    later = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)


def test_on_a_later_day_a_ban_whose_deadline_has_since_passed_waits_for_the_head(build, personas, monkeypatch):
    from sanctions.models import SiteBan

    case = _ban_past_its_deadline(build, personas)
    SiteBan.objects.filter(incident=case).update(representations_by=timezone.localdate())
    assert _work(personas["head"])["ban_deadline"] == []
    _a_day_later(monkeypatch)
    items = _work(personas["head"])["ban_deadline"]
    assert [(i["title"], i["overdue_label"]) for i in items] == [(case.reference, "Overdue by 1 day")]


def test_on_a_later_day_a_case_that_has_since_become_overdue_comes_first(build, personas, monkeypatch):
    waiting_long, reported = build.case(stage=Stage.GATHERING), build.case(stage=Stage.REPORTED)
    now = timezone.now()
    # Ten days are allowed for gathering and two for a reported case: a day later only the second is overdue.
    Incident.objects.filter(pk=waiting_long.pk).update(stage_changed_at=now - timedelta(days=8))
    Incident.objects.filter(pk=reported.pk).update(stage_changed_at=now - timedelta(days=1, hours=12))
    assert [i["title"] for i in _work(personas["senior"])["gather"]] == [waiting_long.reference, reported.reference]
    _a_day_later(monkeypatch)
    assert [i["title"] for i in _work(personas["senior"])["gather"]] == [reported.reference, waiting_long.reference]


def test_a_case_shown_in_one_section_is_left_out_of_the_next_on_every_view(client_as, build, personas):
    first = _ban_past_its_deadline(build, personas)  # its draft letter would also put it among letters to issue
    for _ in range(2):
        sections = {s["key"]: s for s in client_as("head").get("/").context["sections"]}
        assert [i["title"] for i in sections["ban_deadline"]["items"]] == [first.reference]
        assert sections["letters_to_issue"]["total"] == 0
    second = _ban_past_its_deadline(build, personas)
    sections = {s["key"]: s for s in client_as("head").get("/").context["sections"]}
    assert sorted(i["title"] for i in sections["ban_deadline"]["items"]) == sorted([first.reference, second.reference])
    assert sections["letters_to_issue"]["total"] == 0
