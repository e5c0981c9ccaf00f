"""Threads for the concurrency tests: another "server" holding a cron lock, or running a command at once."""

import threading
from contextlib import contextmanager

from django.db import connections

from conduct.cronlock import cron_lock


def in_thread(target):
    """Start `target` in a thread with its own database connection; return (thread, outcome dict)."""
    outcome = {}

    def run():
        try:
            outcome["result"] = target()
        except BaseException as error:  # noqa: BLE001 - handed back to the test to assert on (SystemExit too)
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@contextmanager
def held_elsewhere(name):
    """While the block runs, another connection (another server's run) holds the cron lock `name`."""
    taken, release = threading.Event(), threading.Event()

    def hold():
        try:
            with cron_lock(name) as acquired:
                outcome["acquired"] = acquired
                taken.set()
                release.wait(30)
        finally:
            taken.set()

    thread, outcome = in_thread(hold)
    assert taken.wait(30)
    assert outcome.get("acquired") is True, outcome
    try:
        yield
    finally:
        release.set()
        thread.join(30)
    assert not thread.is_alive() and "error" not in outcome, outcome
