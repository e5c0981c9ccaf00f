"""The course-of-conduct counts read a year of the trust's incidents: the page keeps them a few minutes,
says when they were counted, and reads the names fresh on every request."""

import pytest
from django.core.cache import cache

from incidents.models import Person
from tests.incidents.person_matches import named_at_two

pytestmark = pytest.mark.django_db
URL = "/reports/course-of-conduct/"


def test_the_counts_are_kept_and_the_names_are_current(build, personas, other_school, client_as):
    pat = build.incident().subjects()[0]
    named_at_two(personas, other_school, pat)
    trust = client_as("trust")
    first = trust.get(URL)
    assert [(r["name"], r["occasions"]) for r in first.context["rows"]] == [("Pat Parent", 2)]
    assert "Counted at" in first.content.decode()
    build.incident(person=pat)
    Person.objects.filter(pk=pat.pk).update(full_name="Patricia Parent")
    again = trust.get(URL).context["rows"]
    # Within the cache's lifetime the third occasion is not counted yet; the new name is shown at once.
    assert [(r["name"], r["occasions"]) for r in again] == [("Patricia Parent", 2)]
    cache.clear()
    assert [r["occasions"] for r in trust.get(URL).context["rows"]] == [3]
