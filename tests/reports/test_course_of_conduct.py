"""The trust's course-of-conduct report (issue 21.5): per adult, schools and occasions across the trust, records
confirmed the same person counted as one adult; trust-wide readers only; a constant number of queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from incidents import services
from incidents.models import PersonMatch
from tests.incidents.person_matches import dpo_user, lookalike_at_two, named_at_two

pytestmark = pytest.mark.django_db
URL = "/reports/course-of-conduct/"


def rows(client):
    cache.clear()  # the counts are kept a few minutes (test_course_of_conduct_cache.py); these tests change them
    response = client.get(URL)
    assert response.status_code == 200
    return response.context["rows"]


def test_only_trust_wide_readers_see_it(build, statuses):
    build.incident()
    found = statuses(URL)
    assert found["trust"] == 200
    assert all(found[p] == 404 for p in ("office", "senior", "head", "chair", "other_office", "other_head")), found
    assert found["anonymous"] == 302
    client = Client()
    client.force_login(dpo_user())
    assert client.get(URL).status_code == 200


def test_the_same_record_at_two_schools_counts_its_schools_and_occasions(build, personas, other_school, client_as):
    case = build.incident()
    pat = case.subjects()[0]
    build.incident(person=pat, days_ago=5)
    named_at_two(personas, other_school, pat)
    build.incident(person=build.person(name="Once Only"), days_ago=3)
    build.incident(person=build.person(name="Long Ago"), days_ago=400)
    build.incident(person=build.person(name="Long Ago"), days_ago=500)
    found = rows(client_as("trust"))
    assert [(r["name"], r["schools"], r["occasions"]) for r in found] == [("Pat Parent", 2, 3)]


def test_records_confirmed_the_same_person_count_as_one_adult(build, personas, other_school, client_as):
    build.incident(days_ago=10)
    lookalike = lookalike_at_two(personas, other_school)
    named_at_two(personas, other_school, lookalike)
    match = PersonMatch.objects.get()
    # Not yet confirmed: two adults of one occasion each, neither a course of conduct.
    assert rows(client_as("trust")) == []
    services.person_match_confirm(actor=personas["other_head"], match=match)
    found = rows(client_as("trust"))
    assert [(r["person_id"], r["schools"], r["occasions"]) for r in found] == [(match.person_id, 2, 2)]
    page = client_as("trust").get(URL).content.decode()
    assert "Pat Parent" in page


def test_the_query_count_does_not_grow_with_the_data(build, personas, other_school, client_as):
    client = client_as("trust")

    def count():
        with CaptureQueriesContext(connection) as queries:
            rows(client)
        return len(queries)

    pat = build.incident().subjects()[0]
    named_at_two(personas, other_school, pat)
    count()
    small = count()
    for n in range(4):
        person = build.person(name=f"Rae Repeat{n}")
        build.incident(person=person, days_ago=2)
        build.incident(person=person, days_ago=3)
        named_at_two(personas, other_school, person)
    assert len(rows(client)) == 5
    assert count() == small
