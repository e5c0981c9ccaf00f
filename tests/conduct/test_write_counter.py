"""The tests' write counter (tests.writes), which lets the workflow machine skip a check on unchanged data:
every way a write reaches the database counts, and reading or an undone savepoint does not."""

import pytest
from django.db import connection, transaction

from conduct.models import Trust
from incidents.models import Person
from tests.writes import counting_writes


def _writes(action):
    with counting_writes() as writes:
        action()
    return writes.count


def test_reading_and_savepoints_write_nothing(build):
    build.person(name="Pat Parent")

    def read_in_a_savepoint_undone():
        with transaction.atomic():
            list(Person.objects.select_for_update().values_list("full_name", flat=True))
            Person.objects.filter(full_name="Nobody").exists()
            transaction.set_rollback(True)
        with transaction.atomic():
            Person.objects.count()

    assert _writes(read_in_a_savepoint_undone) == 0


@pytest.mark.parametrize("write", ["create", "save", "update", "delete", "bulk_create", "raw delete", "raw update"])
def test_every_kind_of_write_counts(build, write):
    person = build.person(name="Pat Parent")
    trust = Trust.objects.get()
    actions = {
        "create": lambda: Trust.objects.create(name="Second Trust"),
        "save": lambda: trust.save(),
        "update": lambda: Person.objects.filter(pk=person.pk).update(full_name="Pat Other"),
        "delete": lambda: Person.objects.filter(pk=person.pk).delete(),
        "bulk_create": lambda: Trust.objects.bulk_create([Trust(name="A"), Trust(name="B")]),
        "raw delete": lambda: connection.cursor().execute(
            f"\n delete from {Trust._meta.db_table} where id = %s", [-1]),
        "raw update": lambda: connection.cursor().execute(
            f"  UPDATE {Trust._meta.db_table} SET name = %s WHERE id = %s", ["Raw", trust.pk]),
    }
    assert _writes(actions[write]) >= 1


def test_a_write_undone_with_its_savepoint_still_counts(build):
    def write_then_undo():
        with transaction.atomic():
            Trust.objects.create(name="Undone")
            transaction.set_rollback(True)

    assert _writes(write_then_undo) == 2  # the trust and its history row
    assert not Trust.objects.filter(name="Undone").exists()
