"""A short list of related records read inside their parent's query, as JSON, and turned back into
model instances for display.

A case page holding every kind of record made a query for each list; the
smaller lists (a decision's actions, a case's evidence) now come as a JSON
list in the query that reads their parent. The instances made from them are
for showing only: they are never saved.
"""

from datetime import timezone

from django.db.models import DateTimeField, F, ForeignKey, JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.utils.dateparse import parse_datetime

from conduct.db_functions import JSONList


def json_rows(model, parent: str, fields, related: dict | None = None):
    """A subquery: each parent row's `model` rows as a JSON list of {field: value}. `related`:
    {foreign key: fields of the record it points to}, carried as a nested object."""
    values = {name: F(name) for name in fields}
    for name, related_fields in (related or {}).items():
        values[name] = JSONObject(**{field: F(f"{name}__{field}") for field in related_fields})
    rows = (model.objects.filter(**{parent: OuterRef("pk")}).order_by().values(parent)
            .annotate(rows=JSONList(JSONObject(**values))).values("rows"))
    return Subquery(rows, output_field=JSONField())


def _value(field, value):
    if isinstance(field, DateTimeField) and isinstance(value, str):
        # SQLite writes the stored UTC text without an offset; PostgreSQL writes one.
        moment = parse_datetime(value.replace(" ", "T", 1))
        return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment
    # to_python: JSON carries dates as text, and SQLite's booleans as 0 or 1.
    return field.to_python(value)


def instances(model, rows, sort_key=None) -> list:
    """Unsaved `model` instances from json_rows' rows (None, when there were none), with their nested
    related records as instances too; sorted by `sort_key` (JSON lists have no order on SQLite)."""
    fields = {field.name: field for field in model._meta.concrete_fields}
    fields.update({field.attname: field for field in model._meta.concrete_fields})
    made = []
    for row in rows or []:
        values, related = {}, {}
        for name, value in row.items():
            field = fields[name]
            if isinstance(field, ForeignKey) and isinstance(value, dict):
                related[field.name] = instances(field.related_model, [value])[0]
            elif isinstance(field, ForeignKey):
                values[field.attname] = value
            else:
                values[name] = _value(field, value)
        instance = model(**values)
        for name, record in related.items():
            setattr(instance, name, record)
        made.append(instance)
    return sorted(made, key=sort_key) if sort_key else made
