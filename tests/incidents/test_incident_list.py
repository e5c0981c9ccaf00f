"""/incidents/: the school's incidents, searchable, filterable, paginated."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import BreachCategory
from incidents.services import incident_create
from incidents.views import PAGE_SIZE
from incidents.workflow import Stage

URL = reverse("incidents:incident_list")


def test_who_may_open_the_list(db, statuses, personas):
    assert statuses(URL) == {
        "office": 200, "senior": 200, "head": 200, "chair": 200, "trust": 200,
        "other_office": 200, "other_head": 200, "inactive": 302, "anonymous": 302,
    }


def _refs(response):
    return [i.reference for i in response.context["page"]]


@pytest.fixture
def cases(build):
    brown = build.person(name="Mark Brown")
    green = build.person(name="Sarah Green")
    cases = {
        "brown": build.incident(person=brown, categories=("dogs",), days_ago=3),
        "green": build.case(stage=Stage.GATHERING, person=green, categories=("threatening", "aggression"),
                            days_ago=10),
        "other": build.incident(school=build.other_school, categories=("dogs",), days_ago=3),
    }
    return cases


def test_each_user_sees_only_their_schools(client_as, cases):
    assert set(_refs(client_as("office").get(URL))) == {cases["brown"].reference, cases["green"].reference}
    assert _refs(client_as("other_office").get(URL)) == [cases["other"].reference]
    assert len(_refs(client_as("trust").get(URL))) == 3


def test_search_by_person_name(client_as, cases):
    assert _refs(client_as("office").get(URL, {"q": "brown"})) == [cases["brown"].reference]
    assert _refs(client_as("office").get(URL, {"q": "Sarah"})) == [cases["green"].reference]


def test_search_by_words_in_the_account(client_as, cases, personas):
    cases["brown"].description = "Shouted about the SPELLING test"
    cases["brown"].save()
    assert _refs(client_as("office").get(URL, {"q": "spelling"})) == [cases["brown"].reference]
    assert _refs(client_as("office").get(URL, {"q": "nothing like this"})) == []


def test_search_does_not_leak_another_schools_cases(client_as, cases):
    assert _refs(client_as("other_office").get(URL, {"q": "Brown"})) == []


def test_filter_by_category(client_as, cases):
    threatening = BreachCategory.objects.get(code="threatening").pk
    dogs = BreachCategory.objects.get(code="dogs").pk
    assert _refs(client_as("office").get(URL, {"category": threatening})) == [cases["green"].reference]
    assert _refs(client_as("office").get(URL, {"category": dogs})) == [cases["brown"].reference]


def test_filter_by_stage(client_as, cases):
    assert _refs(client_as("office").get(URL, {"stage": Stage.GATHERING})) == [cases["green"].reference]
    assert _refs(client_as("office").get(URL, {"stage": Stage.REPORTED})) == [cases["brown"].reference]
    assert _refs(client_as("office").get(URL, {"stage": Stage.CLOSED})) == []


def test_filter_by_date_range(client_as, cases):
    today = timezone.localdate()
    recent = {"date_from": (today - timedelta(days=5)).isoformat(), "date_to": today.isoformat()}
    older = {"date_from": (today - timedelta(days=12)).isoformat(),
             "date_to": (today - timedelta(days=8)).isoformat()}
    assert _refs(client_as("office").get(URL, recent)) == [cases["brown"].reference]
    assert _refs(client_as("office").get(URL, older)) == [cases["green"].reference]


def test_a_backwards_date_range_is_explained(client_as, cases):
    response = client_as("office").get(URL, {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert "The end date is before the start date." in response.content.decode()


def test_filters_combine(client_as, cases):
    dogs = BreachCategory.objects.get(code="dogs").pk
    assert _refs(client_as("office").get(URL, {"category": dogs, "stage": Stage.GATHERING})) == []
    assert _refs(client_as("office").get(URL, {"category": dogs, "q": "Brown"})) == [cases["brown"].reference]


def test_pagination_keeps_the_filters(client_as, build, personas):
    person = build.person(name="Many Times")
    dogs = BreachCategory.objects.filter(code="dogs")
    for n in range(PAGE_SIZE + 3):
        incident_create(actor=personas["office"], school=build.school,
                        occurred_at=timezone.now() - timedelta(hours=n + 1), location="premises",
                        description=f"Case {n}", categories=dogs, subjects=[person], reported_by="Gate")
    first = client_as("office").get(URL, {"q": "Many"})
    assert len(first.context["page"]) == PAGE_SIZE
    assert first.context["page"].paginator.count == PAGE_SIZE + 3
    assert "?q=Many&amp;page=2" in first.content.decode()
    second = client_as("office").get(URL, {"q": "Many", "page": 2})
    assert len(second.context["page"]) == 3
    assert not set(_refs(first)) & set(_refs(second))


def test_overdue_cases_come_longest_waiting_first(client_as, build):
    from incidents.models import Incident

    now = timezone.now()
    waiting = {days: build.case(stage=Stage.GATHERING) for days in (12, 30, 20)}
    for days, case in waiting.items():
        Incident.objects.filter(pk=case.pk).update(stage_changed_at=now - timedelta(days=days))
    recent = build.case(stage=Stage.GATHERING)
    page = client_as("head").get(URL, {"overdue": "1"})
    assert "overdue cases</strong>, most urgent first" in page.content.decode()
    assert _refs(page) == [waiting[30].reference, waiting[20].reference, waiting[12].reference]
    assert recent.reference not in _refs(page)


@pytest.mark.parametrize("params", [{"overdue": "1"}, {"work": "logged"}, {"q": "Waiting"}])
def test_lists_that_count_in_their_page_query_page_and_count_right(client_as, build, personas, params):
    from incidents.models import Incident

    person = build.person(name="Waiting Long")
    dogs = BreachCategory.objects.filter(code="dogs")
    long_ago = timezone.now() - timedelta(days=30)
    for n in range(PAGE_SIZE + 2):
        incident = incident_create(actor=personas["office"], school=build.school,
                                   occurred_at=timezone.now() - timedelta(hours=n + 1), location="premises",
                                   description=f"Case {n}", categories=dogs, subjects=[person], reported_by="Gate")
        Incident.objects.filter(pk=incident.pk).update(stage_changed_at=long_ago + timedelta(minutes=n))
    build.case(person=build.person(name="Someone Else"), school=build.other_school)
    first = client_as("office").get(URL, params)
    assert first.context["page"].paginator.count == PAGE_SIZE + 2
    assert len(first.context["page"]) == PAGE_SIZE
    second = client_as("office").get(URL, {**params, "page": 2})
    assert second.context["page"].paginator.count == PAGE_SIZE + 2
    assert len(second.context["page"]) == 2
    assert not set(_refs(first)) & set(_refs(second))
    # Past the last page: the last page, as everywhere else.
    beyond = client_as("office").get(URL, {**params, "page": 9})
    assert _refs(beyond) == _refs(second)


@pytest.mark.parametrize("persona", ["trust", "head"])
def test_a_category_is_counted_across_the_schools_the_user_reads(client_as, build, persona):
    from incidents.models import Incident

    dogs = ("dogs",)
    here = [build.case(categories=dogs) for _ in range(3)]
    there = [build.case(categories=dogs, school=build.other_school) for _ in range(2)]
    build.case(categories=("offensive-language",))
    Incident.objects.filter(pk=here[0].pk).update(stage=Stage.GATHERING)
    category = BreachCategory.objects.get(code="dogs").pk
    readable = here + there if persona == "trust" else here
    page = client_as(persona).get(URL, {"category": category}).context["page"]
    assert page.paginator.count == len(readable)
    assert set(_refs_of(page)) == {case.reference for case in readable}
    # With another filter too, and with a school chosen.
    narrowed = client_as(persona).get(URL, {"category": category, "stage": Stage.REPORTED}).context["page"]
    assert narrowed.paginator.count == len(readable) - 1
    one_school = client_as(persona).get(URL, {"category": category, "school": build.school.pk}).context["page"]
    assert one_school.paginator.count == 3


def _refs_of(page):
    return [incident.reference for incident in page.object_list]
