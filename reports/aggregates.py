"""A median that the database computes, and day counts between two timestamps.

PostgreSQL has the ordered-set aggregate PERCENTILE_CONT; SQLite (development
and the default test run) has no median, so ReportsConfig.ready() registers one
on every SQLite connection. Either way a median is one aggregate in one query,
grouped like any COUNT, and never a list of durations read into Python.
"""

import statistics

from django.db import NotSupportedError
from django.db.models import Aggregate, FloatField, Func


class Median(Aggregate):
    function = "PERCENTILE_CONT"
    name = "Median"
    output_field = FloatField()
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra_context):
        # A copy with SQLite's function and a plain template: Aggregate.as_sql builds its FILTER clause on
        # self.template, so both must be attributes rather than arguments.
        clone = self.copy()
        clone.function, clone.template = SQLITE_MEDIAN, "%(function)s(%(expressions)s)"
        return super(Median, clone).as_sql(compiler, connection, **extra_context)


class DaysBetween(Func):
    """Days (a fraction) from `earlier` to `later`; NULL when either is NULL."""

    output_field = FloatField()
    arity = 2

    def __init__(self, later, earlier, **extra):
        super().__init__(later, earlier, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("Reports count days on PostgreSQL and SQLite only.")

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, arg_joiner=" - ",
            template="(CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS double precision) / 86400.0)", **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, arg_joiner=") - JULIANDAY(",
                              template="(JULIANDAY(%(expressions)s))", **extra_context)


SQLITE_MEDIAN = "REPORTS_MEDIAN"


class _SqliteMedian:
    """The SQLite side of Median: collects one group's values and returns their median."""

    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(float(value))

    def finalize(self):
        return statistics.median(self.values) if self.values else None


def register_sqlite_median(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate(SQLITE_MEDIAN, 1, _SqliteMedian)
