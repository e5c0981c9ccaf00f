"""Two aggregates that SQLite and PostgreSQL both have under different names.

They let a page read a short list of related values with the row they belong
to, in the same query, instead of one more query after it.
"""

from django.db.models import Aggregate, CharField, JSONField


class JoinedText(Aggregate):
    """The rows' text joined by the separator given: GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra_context)


class JSONList(Aggregate):
    """The rows as one JSON array: JSON_GROUP_ARRAY on SQLite, JSONB_AGG on PostgreSQL. Its order is not
    defined on SQLite: sort the list in Python."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)
