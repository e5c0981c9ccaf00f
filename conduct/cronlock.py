"""One run of a cron command at a time across every app server.

cron starts the same command on every server at the same moment. The first to
take the lock does the work; the others are told another server holds it and
stop. On PostgreSQL the lock is a session-level advisory lock: released when
the block ends, and by the database itself when the process or its connection
dies, so a crashed run never leaves it held. Other databases (SQLite: one
server only, where a write transaction already serialises) have no such lock,
and the block always runs.

Session-level locks need a real session: run cron against PostgreSQL directly
or through a pooler in session mode, not transaction mode.
"""

import hashlib
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections


def lock_key(name: str) -> int:
    """A signed 64-bit key for `name`, the same in every process (hash() is not)."""
    return int.from_bytes(hashlib.sha256(f"conduct:{name}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def cron_lock(name: str, using: str = DEFAULT_DB_ALIAS):
    """Yield True while this process holds the lock called `name`, False when another one holds it."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield True
        return
    key = lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired = cursor.fetchone()[0]
    if not acquired:
        yield False
        return
    try:
        yield True
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        except DatabaseError:
            # The connection is gone (the lock went with it) or its transaction is broken (the lock
            # goes when the process ends and closes it); the run's own error is the one to report.
            pass
