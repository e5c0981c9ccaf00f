"""conduct.cronlock: one run of a cron command at a time across every app server."""

import pytest
from django.db import connection

from conduct.cronlock import cron_lock, lock_key
from tests.locks import held_elsewhere

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="advisory locks are PostgreSQL's; SQLite runs on one server only")


def test_the_key_is_the_same_in_every_process():
    # Fixed numbers, not hash(): every server must ask PostgreSQL for the same lock.
    assert lock_key("conduct_reminders") == -6362248683252206967
    assert lock_key("conduct_audit") == -3957347678494379775


@postgres_only
@pytest.mark.django_db
def test_a_lock_held_by_another_connection_is_refused_until_released():
    with held_elsewhere("conduct_reminders"):
        with cron_lock("conduct_reminders") as acquired:
            assert acquired is False
        with cron_lock("conduct_audit") as other:  # another name is another lock
            assert other is True
    with cron_lock("conduct_reminders") as acquired:
        assert acquired is True


@postgres_only
@pytest.mark.django_db
def test_the_lock_is_released_when_the_run_fails():
    with pytest.raises(RuntimeError), cron_lock("conduct_reminders") as acquired:
        assert acquired
        raise RuntimeError("the run broke")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        assert cursor.fetchone()[0] == 0
    with held_elsewhere("conduct_reminders"):  # another server can take it now
        pass


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite behaviour")
@pytest.mark.django_db
def test_on_sqlite_the_block_always_runs():
    with cron_lock("conduct_reminders") as first, cron_lock("conduct_reminders") as second:
        assert first is True and second is True
