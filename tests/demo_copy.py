"""The demo seeded once per test process and lent to every module, class or test that only reads it.

Seeding takes seconds; on SQLite, copying a seeded in-memory copy into the test database takes
milliseconds. The browser tests, the hostile-URL walk, the seeded demo's own checks, the audit on the
demo and the benchmark's harness each used to seed it again. The tests of `seed_demo` itself still run
the command. On another database there is no copy: each borrower seeds it inside a transaction that is
rolled back.
"""

import importlib
import os
import shutil
import sqlite3
from contextlib import contextmanager

from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import override_settings


def restore_breach_categories():
    """pytest-django runs transactional tests last, and one that does not ask for
    serialized rollback leaves the database flushed: the categories the data
    migration seeded are gone. Running the migration's own seed again (it is
    idempotent) makes the demo independent of that order."""
    from django.apps import apps

    migration = importlib.import_module("incidents.migrations.0002_seed_breach_categories")
    migration.seed(apps, None)


def seed_demo():
    restore_breach_categories()
    call_command("seed_demo", "--force", stdout=open(os.devnull, "w"))


def copy_of(database):
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    database.backup(copy)
    return copy


def seeded_copy(media):
    """(the demo as an in-memory SQLite copy, its files in `media`), the database left as it was; None but on SQLite.

    Call it outside any transaction, with database access unblocked."""
    if connection.vendor != "sqlite":
        return None
    connection.ensure_connection()
    before = copy_of(connection.connection)
    with override_settings(MEDIA_ROOT=media):
        seed_demo()
    seeded = copy_of(connection.connection)
    before.backup(connection.connection)
    before.close()
    return seeded


def put_back(seeded, media, media_root):
    """The seeded copy into the test database and its files into `media_root`."""
    connection.ensure_connection()
    seeded.backup(connection.connection)
    shutil.copytree(media, media_root, dirs_exist_ok=True)


@contextmanager
def demo_lent(seeded_demo, media_root):
    """The demo in the test database, with its files in `media_root`, for as long as the block runs; the
    database as it was afterwards. Call it outside any transaction, with database access unblocked."""
    if seeded_demo is None:
        with override_settings(MEDIA_ROOT=media_root), transaction.atomic():
            seed_demo()
            yield
            transaction.set_rollback(True)
        return
    connection.ensure_connection()
    before = copy_of(connection.connection)
    put_back(*seeded_demo, media_root)
    try:
        yield
    finally:
        before.backup(connection.connection)
        before.close()
