"""count_each: several querysets counted in one query, each exactly as .count() would."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conduct.counting import count_each
from incidents.models import Incident
from incidents.workflow import Stage


@pytest.mark.django_db
def test_counts_each_queryset_in_one_query(build, other_school):
    build.case(stage=Stage.GATHERING)
    build.case(stage=Stage.GATHERING)
    build.case(stage=Stage.DECIDED, school=other_school)
    querysets = {
        "gathering": Incident.objects.filter(stage=Stage.GATHERING),
        "other school": Incident.objects.filter(school=other_school),
        "none": Incident.objects.filter(stage=Stage.CLOSED),
        "ordered and sliced away": Incident.objects.order_by("-occurred_at"),
    }
    with CaptureQueriesContext(connection) as queries:
        counts = count_each(querysets)
    assert len(queries) == 1
    assert counts == {key: queryset.count() for key, queryset in querysets.items()}
    assert counts["gathering"] == 2 and counts["other school"] == 1 and counts["none"] == 0


@pytest.mark.django_db
def test_nothing_to_count_makes_no_query():
    with CaptureQueriesContext(connection) as queries:
        assert count_each({}) == {}
    assert len(queries) == 0
