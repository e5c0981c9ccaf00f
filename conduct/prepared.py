"""Queries built and compiled once per process, then run with each view's own values.

The ORM builds and compiles a queryset afresh on every call. On the head's home page that work, for a
dozen sections that differ from one view to the next only in their values (the school, the user, today's
date), was two thirds of the page's time (bench/). A query is built once with a Param wherever a value
goes, compiled once to SQL with a placeholder for each, and each run binds the values it is given.
"""

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import BooleanField, Expression, Field
from django.db.models.expressions import RawSQL


class Param(Expression):
    """A value of a prepared query: `value(run)` gives it for a run; compiled as one placeholder."""

    def __init__(self, value: Callable[[Any], Any], output_field):
        super().__init__(output_field=output_field)
        self.value = value

    def as_sql(self, compiler, connection):
        return "%s", [_Slot(self)]

    @property
    def placeholder(self):
        """The parameter to put in RawSQL's params, which are not compiled."""
        return _Slot(self)


def id_list(ids: Iterable[int]):
    """Ids as one query parameter: a JSON array for SQLite, an array for PostgreSQL."""
    ids = sorted(int(pk) for pk in ids)
    return ids if connection.vendor == "postgresql" else json.dumps(ids)


def ids_param(ids: Callable[[Any], Iterable[int]]) -> Param:
    """A Param holding a run's list of ids (`ids(run)`) as one parameter, however many there are."""
    return Param(lambda run: id_list(ids(run)), Field())


def column_in(model, column: str, ids: Param, *, negated=False) -> RawSQL:
    """A condition: the model's `column` is (or with `negated`, is not) one of the ids `ids` holds.

    An IN list is compiled, and written into the SQL, once for each id; the ids as one JSON or array
    parameter keep the SQL the same whatever their number (a Param in `__in` is refused for a foreign key).
    """
    # Constant, quoted names and a placeholder only; the ids travel as one parameter.
    name = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(column)}"
    if connection.vendor == "postgresql":
        sql = f"{name} {'<>' if negated else '='} {'ALL' if negated else 'ANY'}(%s)"
    else:
        sql = f"{name} {'NOT IN' if negated else 'IN'} (SELECT value FROM json_each(%s))"  # nosec B608
    return RawSQL(sql, [ids.placeholder], output_field=BooleanField())  # nosec B611


class _Slot:
    """Where a Param's value goes among a compiled query's parameters."""

    def __init__(self, param: Param):
        self.param = param

    def bind(self, run, connection):
        field = self.param.output_field
        return field.get_db_prep_value(field.get_prep_value(self.param.value(run)), connection, prepared=True)


class PreparedQuery:
    """A queryset's SQL, compiled once: `rows(run)` and `count(run)` bind the run's values and execute it.

    `rows` reads what `values()` would, converted as the ORM converts it (dates, booleans).
    """

    def __init__(self, queryset):
        query = queryset.query
        self.alias = queryset.db
        self.compiler = query.get_compiler(self.alias)
        try:
            self.sql, self.params = self.compiler.as_sql()
        except EmptyResultSet:
            self.sql, self.params = "", ()
        self.names = list(query.selected) if query.selected else [
            *query.extra_select, *query.values_select, *query.annotation_select]

    def _bound(self, run) -> list:
        connection = connections[self.alias]
        return [p.bind(run, connection) if isinstance(p, _Slot) else p for p in self.params]

    def _fetch(self, run, sql) -> list[tuple]:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, self._bound(run))
            return cursor.fetchall()

    def rows(self, run) -> list[dict]:
        if not self.sql:
            return []
        fetched = self._fetch(run, self.sql)
        return [dict(zip(self.names, row, strict=True)) for row in self.compiler.results_iter(results=[fetched])]

    def count(self, run) -> int:
        """How many rows the query reads (any LIMIT left out of the query it was built from)."""
        if not self.sql:
            return 0
        # The query's own SQL as a subquery: the databases fold it into a plain count (EXPLAIN in bench/).
        return self._fetch(run, f"SELECT COUNT(*) FROM ({self.sql}) counted")[0][0]  # nosec B608
