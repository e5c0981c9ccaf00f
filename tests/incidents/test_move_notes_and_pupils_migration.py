"""Migration incidents 0011: a person's notes (with their history) and pupils go to the school that added
them, the only school whose staff could write them, and to no other school that knows the person."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("incidents", "0010_person_school_notes")]
AFTER = [("incidents", "0012_pupil_school_required_person_notes_moved")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _latest_schema_afterwards():
    """Going back to incidents 0010 also unapplies every later migration that depends on incidents (sanctions
    0005, for one); AFTER reapplies only incidents', so the schema goes back to every app's latest for the
    tests that follow on this database."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


# serialized_rollback: without it the flush after this test recreates the content types, and the
# next transactional test that restores its serialized rows then collides with them on PostgreSQL.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_notes_and_pupils_move_to_the_adding_school_with_their_history(personas, school, other_school):
    old = _migrate(BEFORE)
    Person, HistoricalPerson = old.get_model("incidents", "Person"), old.get_model("incidents", "HistoricalPerson")
    office = personas["office"].pk
    person = Person.objects.create(full_name="Lee Shared", relationship="parent", notes="Second version",
                                   added_at_school_id=school.pk, added_by_id=office)
    Person.objects.create(full_name="No Notes", relationship="parent", added_at_school_id=other_school.pk,
                          added_by_id=office)
    start = timezone.now() - timedelta(days=3)
    for days, notes, user in [(0, "First version", office), (1, "First version", office),
                              (2, "Second version", personas["head"].pk)]:
        HistoricalPerson.objects.create(
            id=person.pk, full_name="Lee Shared", relationship="parent", notes=notes, added_at=start, version=1,
            added_at_school_id=school.pk, added_by_id=office, history_date=start + timedelta(days=days),
            history_type="+" if days == 0 else "~", history_user_id=user, history_change_reason="Person edited")
    old.get_model("incidents", "PersonSchool").objects.create(person_id=person.pk, school_id=other_school.pk)
    old.get_model("incidents", "Pupil").objects.create(person_id=person.pk, name="Kai Shared")

    new = _migrate(AFTER)
    Note = new.get_model("incidents", "PersonSchoolNote")
    assert list(Note.objects.values_list("person_id", "school_id", "notes")) == [
        (person.pk, school.pk, "Second version")]
    history = new.get_model("incidents", "HistoricalPersonSchoolNote").objects.order_by("history_date")
    assert [(h.notes, h.history_user_id, h.history_type) for h in history] == [
        ("First version", office, "+"), ("Second version", personas["head"].pk, "~")]
    assert list(new.get_model("incidents", "Pupil").objects.values_list("name", "school_id")) == [
        ("Kai Shared", school.pk)]
