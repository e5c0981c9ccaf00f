"""conduct.prepared: a query compiled once and run with each run's values, read as the ORM reads it."""

from datetime import timedelta

from django.db.models import DateTimeField, IntegerField
from django.utils import timezone

from conduct.prepared import Param, PreparedQuery, column_in, ids_param
from incidents.models import Incident
from incidents.workflow import Stage

SCHOOL = Param(lambda run: run["school"], IntegerField())


def _at_school():
    return Incident.objects.filter(school_id=SCHOOL).order_by("pk")


def test_each_run_binds_its_own_values_to_the_one_compiled_query(build, school, other_school):
    ours, theirs = build.case(), build.case(school=other_school)
    prepared = PreparedQuery(_at_school().values("reference"))
    assert prepared.rows({"school": school.pk}) == [{"reference": ours.reference}]
    assert prepared.rows({"school": other_school.pk}) == [{"reference": theirs.reference}]
    assert prepared.rows({"school": school.pk}) == [{"reference": ours.reference}]


def test_rows_read_what_values_reads_dates_included(build, school):
    build.case(), build.case(stage=Stage.GATHERING)
    queryset = Incident.objects.filter(school=school).order_by("pk")
    fields = ("pk", "reference", "stage", "stage_changed_at", "occurred_at", "school__name")
    prepared = PreparedQuery(_at_school().values(*fields))
    assert prepared.rows({"school": school.pk}) == list(queryset.values(*fields))
    assert all(timezone.is_aware(row["stage_changed_at"]) for row in prepared.rows({"school": school.pk}))


def test_a_time_is_bound_for_each_run_as_the_orm_binds_it(build, school):
    older, newer = build.case(), build.case()
    now = timezone.now()
    Incident.objects.filter(pk=older.pk).update(stage_changed_at=now - timedelta(days=5))
    Incident.objects.filter(pk=newer.pk).update(stage_changed_at=now - timedelta(days=1))
    before = Param(lambda run: run["now"] - timedelta(days=run["days"]), DateTimeField())
    prepared = PreparedQuery(_at_school().filter(stage_changed_at__lt=before).values("reference"))
    assert prepared.rows({"school": school.pk, "now": now, "days": 3}) == [{"reference": older.reference}]
    assert prepared.rows({"school": school.pk, "now": now, "days": 0}) == [
        {"reference": older.reference}, {"reference": newer.reference}]
    assert prepared.rows({"school": school.pk, "now": now, "days": 6}) == []


def test_lists_of_ids_are_bound_for_each_run_whatever_their_length(build, school, other_school):
    ours, theirs = build.case(), build.case(school=other_school)
    at_schools = column_in(Incident, "school_id", ids_param(lambda run: run["schools"]))
    not_shown = column_in(Incident, "id", ids_param(lambda run: run["shown"]), negated=True)
    prepared = PreparedQuery(Incident.objects.filter(at_schools).filter(not_shown).order_by("pk").values("reference"))
    both = [school.pk, other_school.pk]
    assert prepared.rows({"schools": both, "shown": []}) == [{"reference": ours.reference},
                                                             {"reference": theirs.reference}]
    assert prepared.rows({"schools": both, "shown": [ours.pk]}) == [{"reference": theirs.reference}]
    assert prepared.rows({"schools": [other_school.pk], "shown": []}) == [{"reference": theirs.reference}]
    assert prepared.rows({"schools": [], "shown": []}) == []


def test_count_counts_every_row_of_its_query(build, school):
    for _ in range(3):
        build.case()
    prepared = PreparedQuery(_at_school().values("pk"))
    assert prepared.count({"school": school.pk}) == 3
    assert prepared.count({"school": school.pk + 1000}) == 0


def test_a_query_that_can_match_nothing_runs_no_sql(db, django_assert_num_queries):
    prepared = PreparedQuery(Incident.objects.filter(pk__in=[]).values("pk"))
    with django_assert_num_queries(0):
        assert prepared.rows({}) == [] and prepared.count({}) == 0
