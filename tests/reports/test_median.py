"""Median and DaysBetween: computed by the database (PostgreSQL's PERCENTILE_CONT, a registered SQLite aggregate)."""

from datetime import timedelta

from django.db.models import Count, Q

from incidents.models import Incident
from reports.aggregates import DaysBetween, Median


def _incidents_logged_after(build, school, days_list):
    for days in days_list:
        incident = build.incident(school=school)
        Incident.objects.filter(pk=incident.pk).update(logged_at=incident.occurred_at + timedelta(days=days))


def _median(queryset, **kwargs):
    return queryset.aggregate(m=Median(DaysBetween("logged_at", "occurred_at"), **kwargs))["m"]


def test_the_median_of_an_odd_and_an_even_count(build, school):
    _incidents_logged_after(build, school, [1, 7, 2])
    assert round(_median(Incident.objects.all()), 6) == 2.0
    _incidents_logged_after(build, school, [10])
    assert round(_median(Incident.objects.all()), 6) == 4.5  # (2 + 7) / 2


def test_days_between_counts_fractions_of_a_day(build, school):
    incident = build.incident(school=school)
    Incident.objects.filter(pk=incident.pk).update(logged_at=incident.occurred_at + timedelta(hours=36))
    value = Incident.objects.annotate(d=DaysBetween("logged_at", "occurred_at")).get(pk=incident.pk).d
    assert round(value, 6) == 1.5


def test_no_rows_and_a_filter(build, school, other_school):
    assert _median(Incident.objects.all()) is None
    _incidents_logged_after(build, school, [1, 3])
    _incidents_logged_after(build, other_school, [20])
    assert round(_median(Incident.objects.all(), filter=Q(school=school)), 6) == 2.0


def test_grouped_by_school(build, school, other_school):
    _incidents_logged_after(build, school, [1, 3, 8])
    _incidents_logged_after(build, other_school, [20, 30])
    rows = (Incident.objects.values("school_id")
            .annotate(n=Count("pk"), m=Median(DaysBetween("logged_at", "occurred_at"))).order_by("school_id"))
    assert [(r["school_id"], r["n"], round(r["m"], 6)) for r in rows] == [
        (school.pk, 3, 3.0), (other_school.pk, 2, 25.0)]
