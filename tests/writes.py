"""Counting the statements that may change the database, for checks that need not run again on the same data."""

from contextlib import contextmanager

from django.db import connection

# Statements that read, or only mark and undo a savepoint (an undone write was counted when it ran).
# Anything else counts, so a statement this list does not know about can only make a check run again.
_NOT_WRITES = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK")


class WriteCounter:
    """A database execute wrapper: `count` goes up with every statement that may write."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        if not sql.lstrip().upper().startswith(_NOT_WRITES):
            self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def counting_writes():
    """While the block runs, the WriteCounter it yields counts the default connection's writes."""
    counter = WriteCounter()
    with connection.execute_wrapper(counter):
        yield counter
