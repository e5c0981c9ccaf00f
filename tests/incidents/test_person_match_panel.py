"""The case page's "Records at other schools" panel and the work list's section (issue 21.5): school two's head
(and the DPO) is told to contact school one's head, and learns nothing of school one's cases by any URL."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from incidents.models import PersonMatch
from tests.incidents.person_matches import (
    SECRET_DESCRIPTION,
    banned_at_one,
    dpo_user,
    lookalike_at_two,
    named_at_two,
)

pytestmark = pytest.mark.django_db

TOLD = "Another school of the trust holds records about this person (or someone who may be them)"


@pytest.fixture
def world(build, personas, school, other_school):
    case_one, ban = banned_at_one(build, personas, school)
    case_two = named_at_two(personas, other_school, lookalike_at_two(personas, other_school))
    return case_one, ban, case_two


def text(response):
    return " ".join(response.content.decode().split())


def test_school_twos_head_is_told_on_the_case_page_and_nothing_of_school_ones_case(world, client_as, school):
    case_one, _ban, case_two = world
    page = text(client_as("other_head").get(case_two.get_absolute_url()))
    assert TOLD in page
    assert f"contact the head of {school.name}, {school.head_name}" in page
    assert case_one.reference not in page and SECRET_DESCRIPTION not in page
    assert "threatening" not in page.lower() and "Ban:" not in page


def test_school_ones_head_is_told_the_same_the_other_way(world, client_as, other_school):
    case_one, _ban, case_two = world
    page = text(client_as("head").get(case_one.get_absolute_url()))
    assert TOLD in page and f"contact the head of {other_school.name}" in page
    assert case_two.reference not in page and "Raised voice at the gate" not in page


@pytest.mark.parametrize("persona", ["other_office", "office", "senior", "chair", "trust"])
def test_no_one_else_is_told_on_the_case_page(world, client_as, persona):
    case_one, _ban, case_two = world
    case = case_two if persona.startswith("other") else case_one
    page = text(client_as(persona).get(case.get_absolute_url()))
    assert TOLD not in page and "Records at other schools" not in page


def test_the_dpo_is_told_on_both_case_pages(world):
    case_one, _ban, case_two = world
    client = Client()
    client.force_login(dpo_user())
    for case in (case_one, case_two):
        assert TOLD in text(client.get(case.get_absolute_url()))


def test_the_work_list_tells_both_heads_and_shows_no_case_of_the_other_school(world, client_as, school, other_school):
    case_one, _ban, case_two = world
    home_two = text(client_as("other_head").get("/"))
    assert "Records at other schools" in home_two
    assert f"Contact the head of {school.name}" in home_two and school.head_name in home_two
    assert case_one.reference not in home_two and SECRET_DESCRIPTION not in home_two
    home_one = text(client_as("head").get("/"))
    assert f"Contact the head of {other_school.name}" in home_one and case_two.reference not in home_one
    for persona in ("office", "senior", "chair", "other_office", "trust"):
        assert "Contact the head of" not in text(client_as(persona).get("/")), persona


def test_other_head_gets_nothing_of_school_one_by_any_url(world, client_as, statuses):
    case_one, ban, _case_two = world
    client = client_as("other_head")
    for url in (case_one.get_absolute_url(), f"{case_one.get_absolute_url()}history/",
                f"/people/{ban.person.pk}/", f"/people/{ban.person.pk}/edit/", f"/bans/{ban.pk}/"):
        assert client.get(url).status_code == 404, url
    # The alert's own page: the two heads and the DPO; everyone else a 404.
    match = PersonMatch.objects.get()
    found = statuses(f"/people/matches/{match.pk}/")
    assert found["head"] == found["other_head"] == 200
    assert all(found[p] == 404 for p in ("office", "senior", "chair", "trust", "other_office")), found
    assert found["anonymous"] == 302
    page = text(client.get(f"/people/matches/{match.pk}/"))
    assert TOLD in page and case_one.reference not in page and SECRET_DESCRIPTION not in page


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_case_page_and_home_page_query_counts_do_not_grow_with_the_alerts(build, personas, school, other_school,
                                                                            client_as):
    banned_at_one(build, personas, school)
    case_two = named_at_two(personas, other_school, lookalike_at_two(personas, other_school))
    client = client_as("other_head")
    _queries(client, case_two.get_absolute_url())
    small = (_queries(client, case_two.get_absolute_url()), _queries(client, "/"))
    for n in range(3):
        # More people banned at school one, each named at school two on the same case and on cases of their own.
        banned_at_one(build, personas, school)
        person = lookalike_at_two(personas, other_school, name=f"Alex Other{n}", email=f"alex{n}@example.com")
        build.incident(person=build.person(name=f"Alex Other{n}"), days_ago=2)
        named_at_two(personas, other_school, person)
    # School one's new records of Pat Parent, each banned, are likely matches of school two's: more alerts shown.
    assert text(client.get(case_two.get_absolute_url())).count(TOLD) > 1
    assert (_queries(client, case_two.get_absolute_url()), _queries(client, "/")) == small
