"""conduct.constraints answers each check constraint as the database does, without asking it.

Every check constraint of the project's models is answered in Python, and for values at and around each
constant it names (and None, in every field), its answer is the database's: Django's own check runs the
same condition as a query on the test database (SQLite here, PostgreSQL in CI)."""

from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import CheckConstraint, F, Q
from django.db.models.functions import Lower
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conduct.constraints import Unanswered, condition_holds, field_values, validate_constraints
from incidents.models import ParentConversation, Statement
from sanctions.models import SiteBan

APPS = ("conduct", "incidents", "sanctions", "privacy", "reports")
CHECKS = [(model, constraint) for app in APPS for model in apps.get_app_config(app).get_models()
          for constraint in model._meta.constraints if isinstance(constraint, CheckConstraint)]
DAY = date(2026, 3, 1)
MOMENT = datetime(2026, 3, 1, 9, 30, tzinfo=dt_timezone.utc)


def _literals(condition, name):
    """The constants the condition compares field `name` with."""
    for child in condition.children:
        if isinstance(child, Q):
            yield from _literals(child, name)
        elif child[0].split("__")[0] == name and not isinstance(child[1], F):
            yield from (child[1] if isinstance(child[1], (list, tuple, set)) else [child[1]])


def _candidates(model, name, condition) -> list:
    field = model._meta.get_field(name)
    literals = [v for v in _literals(condition, name) if not isinstance(v, bool) or isinstance(
        field, models.BooleanField)]
    if isinstance(field, models.BooleanField):
        return [None, True, False]
    if isinstance(field, models.DateTimeField):
        return [None, MOMENT - timedelta(days=1), MOMENT, MOMENT + timedelta(days=1)]
    if isinstance(field, models.DateField):
        return [None, DAY - timedelta(days=1), DAY, DAY + timedelta(days=1)]
    if field.is_relation or isinstance(field, models.IntegerField):
        numbers = [n for n in literals if isinstance(n, int)]
        return [None, 0, 1, 2, *{n + step for n in numbers for step in (-1, 0, 1)}]
    if isinstance(field, (models.CharField, models.TextField)) or field.choices:
        return [None, "", "x", *[str(v) for v in literals if v is not None], *[str(v) for v, _ in field.choices or []]]
    return [None, *literals]


def _instance(model, values: dict):
    instance = model()
    for name, value in values.items():
        setattr(instance, model._meta.get_field(name).attname, value)
    return instance


def _databases_answer(model, constraint, instance) -> bool:
    return Q(constraint.condition).check(instance._get_field_expression_map(meta=model._meta))


@pytest.mark.parametrize(("model", "constraint"), CHECKS, ids=[c.name for _m, c in CHECKS])
def test_every_check_constraint_is_answered_in_python(model, constraint):
    instance = model()
    result = condition_holds(constraint.condition, field_values(model, instance, set()), model._meta)
    assert result in (True, False, None)


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "constraint"), CHECKS, ids=[c.name for _m, c in CHECKS])
def test_python_and_the_database_agree_on_every_value(model, constraint):
    names = sorted(Q(constraint.condition).referenced_base_fields)
    values = st.fixed_dictionaries({name: st.sampled_from(_candidates(model, name, constraint.condition))
                                    for name in names})
    answers = set()

    # derandomize: the same values on every run. Drawn at random, 40 of them now and then all kept one
    # constraint (incident_closed_has_outcome, in CI on PostgreSQL), and the last assertion failed.
    @settings(max_examples=40, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(values)
    def agree(chosen):
        instance = _instance(model, chosen)
        ours = condition_holds(constraint.condition, field_values(model, instance, set()), model._meta)
        databases = _databases_answer(model, constraint, instance)
        answers.add(databases)
        assert (True if ours is None else ours) == databases, chosen

    agree()
    assert answers == {True, False}, "the values tried should both keep and break the constraint"


@pytest.mark.django_db
def test_a_record_breaking_a_constraint_gets_its_message_without_a_query():
    ban = SiteBan(starts_on=DAY, ends_on=DAY - timedelta(days=1), review_on=DAY, representations_by=DAY,
                  route="provisional", status="proposed")
    statement = Statement(kind="pupil", others_present="")
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as refused:
        validate_constraints(statement)
    assert queries.captured_queries == []
    assert refused.value.messages == [
        c.get_violation_error_message() for c in Statement._meta.constraints if c.name.startswith("statement_pupil")]
    ban_constraint = next(c for c in SiteBan._meta.constraints if c.name == "ban_ends_after_start")
    assert condition_holds(ban_constraint.condition, field_values(SiteBan, ban, set()), SiteBan._meta) is False


@pytest.mark.django_db
def test_a_field_left_out_of_validation_leaves_its_constraints_unchecked():
    conversation = ParentConversation(took_place=True, held_on=None, not_possible_reason="", parent_said="")
    with pytest.raises(ValidationError):
        validate_constraints(conversation)
    validate_constraints(conversation, exclude={"held_on"})


@pytest.mark.django_db
def test_what_python_cannot_answer_is_asked_of_the_database(monkeypatch):
    lowered = CheckConstraint(condition=Q(Lower("others_present")) | Q(kind="pupil"), name="needs_the_database")
    assert pytest.raises(Unanswered, condition_holds, lowered.condition, {"others_present": "x", "kind": "pupil"},
                         Statement._meta)
    ordered = CheckConstraint(condition=Q(others_present__gt="m"), name="collation_orders_strings")
    monkeypatch.setattr(Statement._meta, "constraints", [ordered])
    with CaptureQueriesContext(connection) as queries:
        validate_constraints(Statement(kind="pupil", others_present="z"))
        with pytest.raises(ValidationError):
            validate_constraints(Statement(kind="pupil", others_present="a"))
    assert any('"_check"' in query["sql"] for query in queries.captured_queries)


def test_unknown_is_three_valued():
    meta = SiteBan._meta
    ends_after_start = Q(ends_on__gte=F("starts_on"))
    assert condition_holds(ends_after_start, {"ends_on": None, "starts_on": DAY}, meta) is None
    assert condition_holds(~ends_after_start, {"ends_on": None, "starts_on": DAY}, meta) is None
    assert condition_holds(ends_after_start | Q(status="lifted"), {"ends_on": None, "starts_on": DAY,
                                                                   "status": "lifted"}, meta) is True
    assert condition_holds(ends_after_start & Q(status="lifted"), {"ends_on": None, "starts_on": DAY,
                                                                   "status": "active"}, meta) is False
