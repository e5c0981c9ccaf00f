"""cron runs conduct_reminders and conduct_audit on every app server at the same moment: each reminder is
emailed once, and the audit's work is done once."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from sanctions.management.commands import conduct_audit, conduct_reminders
from sanctions.models import ReminderKind, ReminderSent, SiteBan
from tests.locks import held_elsewhere, in_thread

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="needs PostgreSQL's advisory and row locks; SQLite serves one server only")
# serialized_rollback: the flush after a transactional test would otherwise delete the
# breach categories the data migration seeded, for every later test.
across_connections = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run(command, **kwargs):
    out = StringIO()
    call_command(command, stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


@pytest.fixture
def two_due(confirmed_ban, today):
    """A ban whose review is due and whose end is near: two reminders to its school's head."""
    SiteBan.objects.filter(pk=confirmed_ban.pk).update(review_on=today + timedelta(days=3),
                                                       ends_on=today + timedelta(days=6))
    mail.outbox.clear()
    return confirmed_ban


def _each_sent_once(ban):
    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == 2 and len(set(subjects)) == 2, subjects
    assert all(ban.incident.reference in subject for subject in subjects)
    assert set(ReminderSent.objects.values_list("kind", flat=True)) == {ReminderKind.REVIEW_DUE, ReminderKind.ENDING}


def test_a_second_run_sends_nothing(two_due):
    assert "2 reminder(s) sent." in run("conduct_reminders")
    assert "0 reminder(s) sent." in run("conduct_reminders")
    _each_sent_once(two_due)


@postgres_only
def test_while_another_server_sends_this_one_says_so_and_stops(two_due):
    with held_elsewhere("conduct_reminders"):
        output = run("conduct_reminders")  # no SystemExit: cron sees success
    assert "Another server is sending the reminders" in output
    assert mail.outbox == [] and not ReminderSent.objects.exists()
    assert "2 reminder(s) sent." in run("conduct_reminders")


@postgres_only
@across_connections
def test_two_servers_at_the_same_moment_send_each_reminder_once(two_due):
    barrier = threading.Barrier(2, timeout=20)

    def server():
        barrier.wait()
        return run("conduct_reminders")

    runs = [in_thread(server) for _ in range(2)]
    for thread, _ in runs:
        thread.join(60)
    outputs = [outcome.get("result") for _, outcome in runs]
    assert all(output is not None for output in outputs), [outcome.get("error") for _, outcome in runs]
    assert sorted("2 reminder(s) sent." in output for output in outputs) == [False, True], outputs
    _each_sent_once(two_due)


@postgres_only
@across_connections
def test_without_the_lock_the_unique_key_still_sends_each_reminder_once(two_due, monkeypatch):
    """As if the lock were lost (a pooler in transaction mode): both runs find each reminder unsent, then race."""
    from contextlib import contextmanager

    @contextmanager
    def no_lock(name):
        yield True

    monkeypatch.setattr(conduct_reminders, "cron_lock", no_lock)
    both_checked = threading.Barrier(2, timeout=20)
    checked = conduct_reminders.already_sent

    def check_then_wait(*args):
        answer = checked(*args)
        both_checked.wait()  # neither run inserts until both have seen the reminder as unsent
        return answer

    monkeypatch.setattr(conduct_reminders, "already_sent", check_then_wait)
    runs = [in_thread(lambda: run("conduct_reminders")) for _ in range(2)]
    for thread, _ in runs:
        thread.join(60)
    outputs = [outcome.get("result") for _, outcome in runs]
    assert all(output is not None for output in outputs), [outcome.get("error") for _, outcome in runs]
    sent = sorted(output.count("Sent: ") for output in outputs)
    assert sum(sent) == 2, outputs
    _each_sent_once(two_due)


def test_the_audit_runs_and_reports_as_before(build):
    build.case()
    assert "No problems found." in run("conduct_audit")


@postgres_only
def test_while_another_server_audits_this_one_says_so_and_does_no_work(build, monkeypatch):
    build.case()

    def must_not_run():
        raise AssertionError("the audit ran twice")

    monkeypatch.setattr(conduct_audit, "run_audit", must_not_run)
    with held_elsewhere("conduct_audit"):
        output = run("conduct_audit")  # exits 0: the server that holds the lock reports problems
    assert "Another server is running the audit" in output
    with pytest.raises(AssertionError, match="ran twice"):
        run("conduct_audit")
