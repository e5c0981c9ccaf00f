"""Migration incidents 0011: a person's notes (with their history) and pupils go to the school that added
them, the only school whose staff could write them, and to no other school that knows the person.

The migrations run on a database of their own, empty at the start: migrating the test database back to
incidents 0010 would unapply every later migration of every app and apply them again afterwards, three
quarters of a minute; from empty to 0010 and on to 0012 is a few seconds, and the test database is left
alone. A router sends the migrations' own queries (and this test's) to that database."""

import os
from datetime import timedelta

import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.utils import timezone

BEFORE = [("incidents", "0010_person_school_notes")]
AFTER = [("incidents", "0012_pupil_school_required_person_notes_moved")]
SANDBOX = "migration_sandbox"


class _ToTheSandbox:
    def db_for_read(self, model, **hints):
        return SANDBOX

    db_for_write = db_for_read


@pytest.fixture
def sandbox(django_db_setup, django_db_blocker):
    """An empty database beside the test database (SQLite in memory; PostgreSQL: created and dropped).

    Not the `db` fixture: its test case would wrap the sandbox in a transaction, in which SQLite cannot
    change a schema. The test database is not used."""
    with django_db_blocker.unblock():
        yield from _sandbox()


def _sandbox():
    default = connections["default"]
    settings_dict = {**default.settings_dict}
    # One per xdist worker: the workers share the PostgreSQL server.
    name = f"{SANDBOX}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    if default.vendor == "sqlite":
        settings_dict["NAME"] = f"file:{name}?mode=memory&cache=shared"
    else:
        settings_dict["NAME"] = f"test_{name}"
        _postgres(default, f"DROP DATABASE IF EXISTS {settings_dict['NAME']}",
                  f"CREATE DATABASE {settings_dict['NAME']}")
    connections.settings[SANDBOX] = settings_dict
    try:
        with override_settings(DATABASE_ROUTERS=[f"{__name__}._ToTheSandbox"]):
            yield connections[SANDBOX]
    finally:
        # Django keeps an in-memory SQLite database open on close(); closing it here drops it.
        connections[SANDBOX]._close()
        del connections[SANDBOX]
        del connections.settings[SANDBOX]
        if default.vendor != "sqlite":
            _postgres(default, f"DROP DATABASE IF EXISTS {settings_dict['NAME']}")


def _postgres(default, *statements):
    with default._nodb_cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _migrate(connection, targets):
    executor = MigrationExecutor(connection)
    # A database still on the migrations that incidents' squashed migration replaces: they are the ones it runs.
    executor.loader = MigrationLoader(connection, replace_migrations=False)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_notes_and_pupils_move_to_the_adding_school_with_their_history(sandbox):
    old = _migrate(sandbox, BEFORE)
    User = old.get_model("auth", "User")  # noqa: N806 - a model
    office, head = (User.objects.create(username=name).pk for name in ("office", "head"))
    trust = old.get_model("conduct", "Trust").objects.create(name="Trust")
    school, other_school = (old.get_model("conduct", "School").objects.create(trust=trust, code=code, name=code)
                            for code in ("one", "two"))
    Person, HistoricalPerson = old.get_model("incidents", "Person"), old.get_model("incidents", "HistoricalPerson")
    person = Person.objects.create(full_name="Lee Shared", relationship="parent", notes="Second version",
                                   added_at_school_id=school.pk, added_by_id=office)
    Person.objects.create(full_name="No Notes", relationship="parent", added_at_school_id=other_school.pk,
                          added_by_id=office)
    start = timezone.now() - timedelta(days=3)
    for days, notes, user in [(0, "First version", office), (1, "First version", office),
                              (2, "Second version", head)]:
        HistoricalPerson.objects.create(
            id=person.pk, full_name="Lee Shared", relationship="parent", notes=notes, added_at=start, version=1,
            added_at_school_id=school.pk, added_by_id=office, history_date=start + timedelta(days=days),
            history_type="+" if days == 0 else "~", history_user_id=user, history_change_reason="Person edited")
    old.get_model("incidents", "PersonSchool").objects.create(person_id=person.pk, school_id=other_school.pk)
    old.get_model("incidents", "Pupil").objects.create(person_id=person.pk, name="Kai Shared")

    new = _migrate(sandbox, AFTER)
    Note = new.get_model("incidents", "PersonSchoolNote")  # noqa: N806
    assert list(Note.objects.values_list("person_id", "school_id", "notes")) == [
        (person.pk, school.pk, "Second version")]
    history = new.get_model("incidents", "HistoricalPersonSchoolNote").objects.order_by("history_date")
    assert [(h.notes, h.history_user_id, h.history_type) for h in history] == [
        ("First version", office, "+"), ("Second version", head, "~")]
    assert list(new.get_model("incidents", "Pupil").objects.values_list("name", "school_id")) == [
        ("Kai Shared", school.pk)]


def test_the_sandbox_starts_empty_and_is_not_the_test_database(sandbox):
    assert sandbox.settings_dict["NAME"] != connections["default"].settings_dict["NAME"]
    assert not MigrationRecorder(sandbox).has_table()
    _migrate(sandbox, BEFORE)
    applied = MigrationRecorder(sandbox).applied_migrations()
    assert BEFORE[0] in applied
    assert ("sanctions", "0001_initial") not in applied
