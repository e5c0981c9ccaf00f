"""A record's check constraints, answered in Python where they are simple, before it is saved.

Django's CheckConstraint.validate asks the database each time (a savepoint, a SELECT and a release per
constraint): on a decided ban case, 60 of its 226 queries. Every check constraint of this project compares a
record's own fields with constants or with each other, joined by AND, OR, XOR and NOT, and Python answers those
with SQL's three-valued logic, as the database would. Anything else (a join, a function, a string ordered by
collation, values of kinds that do not compare plainly) is asked of the database as before. The database's own
CHECK is still the last word when the record is saved.
"""

import operator
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections, router
from django.db.models import CheckConstraint, F, Q

ORDERINGS = {"exact": operator.eq, "gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}
# Kinds of value that compare in Python as they do in SQL (strings only for equality: ordering is collation's).
COMPARABLE = [{bool}, {int, Decimal}, {int, float}, {date}, {datetime}, {str}]


class Unanswered(Exception):
    """The condition is not a plain comparison of the record's fields: the database must answer it."""


class ExcludedField(Exception):
    """The condition reads a field left out of validation: like Django, the constraint is not checked."""


def validate_constraints(instance, exclude=frozenset()) -> None:
    """Model.validate_constraints, with the simple check constraints answered without a query."""
    using = router.db_for_write(type(instance), instance=instance)
    errors = {}
    for model, constraints in instance.get_constraints():
        for constraint in constraints:
            try:
                _validate(constraint, model, instance, exclude, using)
            except ValidationError as error:
                # As Django files them: a single-field uniqueness error under that field's name.
                if getattr(error, "code", None) == "unique" and len(getattr(constraint, "fields", ())) == 1:
                    errors.setdefault(constraint.fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _validate(constraint, model, instance, exclude, using) -> None:
    if not isinstance(constraint, CheckConstraint):
        constraint.validate(model, instance, exclude=exclude, using=using)
        return
    try:
        holds = condition_holds(constraint.condition, field_values(model, instance, exclude), model._meta)
    except ExcludedField:
        return
    except Unanswered:
        constraint.validate(model, instance, exclude=exclude, using=using)
        return
    # SQL's CHECK passes a condition that comes out unknown (NULL); Django's check does too where it can.
    if holds is None:
        holds = connections[using].features.supports_comparing_boolean_expr
    if not holds:
        raise ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)


def field_values(model, instance, exclude) -> dict:
    """What Django's check compares: each local column's value under its field's name, and pk."""
    meta = model._meta
    if any(field.generated for field in meta.local_concrete_fields):
        raise Unanswered("generated fields")
    values = {f.name: getattr(instance, f.attname) for f in meta.local_concrete_fields if f.name not in exclude}
    if "pk" not in exclude:
        values["pk"] = instance.pk
    return values


def condition_holds(condition, values: dict, meta) -> bool | None:
    """True, False or None (SQL's unknown) for a Q of the record's own fields; Unanswered otherwise."""
    if isinstance(condition, Q):
        results = [condition_holds(child, values, meta) for child in condition.children]
        result = _joined(condition.connector, results)
        return None if result is None else (not result if condition.negated else result)
    if isinstance(condition, tuple) and len(condition) == 2:
        return _lookup_holds(*condition, values, meta)
    raise Unanswered(repr(condition))


def _joined(connector: str, results: list) -> bool | None:
    if connector == Q.AND:
        return False if False in results else (None if None in results else True)
    if connector == Q.OR:
        return True if True in results else (None if None in results else False)
    if connector == Q.XOR:
        # As Django writes XOR where the database has none: (a OR b OR ...) AND an odd number are true,
        # an unknown operand counting as not true.
        trues = results.count(True)
        odd = trues % 2 == 1 if len(results) > 2 else trues == 1
        return _joined(Q.AND, [_joined(Q.OR, results), odd])
    raise Unanswered(connector)


def _lookup_holds(lookup: str, wanted, values: dict, meta) -> bool | None:
    name, _, kind = lookup.partition("__")
    kind = kind or "exact"
    value = _value_of(name, values, meta)
    if kind == "isnull":
        if not isinstance(wanted, bool):
            raise Unanswered(lookup)
        return (value is None) == wanted
    if kind == "exact" and wanted is None:
        return value is None  # Django reads field=None as IS NULL
    if kind == "in":
        return _is_in(value, wanted, lookup)
    if kind not in ORDERINGS:
        raise Unanswered(lookup)
    if isinstance(wanted, F):
        wanted = _value_of(wanted.name, values, meta)
    elif hasattr(wanted, "resolve_expression"):
        raise Unanswered(lookup)
    if value is None or wanted is None:
        return None
    _comparable(value, wanted, ordered=kind != "exact")
    return ORDERINGS[kind](value, wanted)


def _is_in(value, wanted, lookup) -> bool | None:
    # Django leaves None out of an IN list, and an empty list answers no query at all: the database decides.
    if not isinstance(wanted, (list, tuple, set, frozenset)) or not wanted or None in wanted:
        raise Unanswered(lookup)
    if value is None:
        return None
    for candidate in wanted:
        _comparable(value, candidate, ordered=False)
    return value in wanted


def _value_of(name: str, values: dict, meta):
    if name in values:
        value = values[name]
        if hasattr(value, "resolve_expression"):
            raise Unanswered(name)  # an F() or expression waiting to be saved
        return value
    try:
        field = meta.get_field(name)
    except FieldDoesNotExist:
        raise Unanswered(name) from None
    if field.concrete and field.model is meta.model:
        raise ExcludedField(name)
    raise Unanswered(name)


def _comparable(value, other, ordered: bool) -> None:
    kinds = {_kind(value), _kind(other)}
    if not any(kinds <= group for group in COMPARABLE) or (ordered and str in kinds):
        raise Unanswered(f"{value!r} against {other!r}")
    if datetime in kinds and (value.tzinfo is None) != (other.tzinfo is None):
        raise Unanswered("an aware and a naive datetime")


def _kind(value) -> type:
    for kind in (bool, int, Decimal, float, datetime, date, str):
        if isinstance(value, kind):
            return kind
    raise Unanswered(repr(value))
