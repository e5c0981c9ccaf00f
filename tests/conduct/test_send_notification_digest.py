"""send_notification_digest: one email per digest reader listing references and links, once, however often it runs."""

from datetime import timedelta
from io import StringIO

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from conduct.models import NotificationFrequency, NotificationPreference, QueuedNotification, StaffRole


def _digest():
    out = StringIO()
    call_command("send_notification_digest", stdout=out)
    return out.getvalue()


def _log_two_cases(build, personas, capture):
    """The head reads the digest; the office logs two cases (queued for her, emailed to the senior leader)."""
    NotificationPreference.objects.create(user=personas["head"], frequency=NotificationFrequency.DAILY)
    first = build.incident(person=build.person(name="Pat Parent"), actor=personas["office"])
    second = build.incident(person=build.person(name="Lee Other"), actor=personas["office"])
    return first, second


def test_a_digest_reader_gets_one_email_listing_each_case_with_its_link(build, personas,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, second = _log_two_cases(build, personas, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["senior@example.org"], ["senior@example.org"]]
    mail.outbox.clear()
    _digest()
    [message] = mail.outbox
    assert message.to == ["head@example.org"]
    base = settings.CONDUCT_BASE_URL.rstrip("/")
    for incident in (first, second):
        assert f"{incident.reference} has been logged: {base}{incident.get_absolute_url()}" in message.body
    assert message.body.index(first.reference) < message.body.index(second.reference)
    for personal in ("Pat Parent", "Lee Other", "Sam Parent", "pat@example.com", "Shouted", "Main gate", "Office"):
        assert personal not in message.subject + message.body
    assert not QueuedNotification.objects.filter(sent_at__isnull=True).exists()


def test_running_it_twice_sends_nothing_twice(build, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _log_two_cases(build, personas, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    _digest()
    out = _digest()
    assert len(mail.outbox) == 1
    assert "0 digest(s) sent" in out


def test_nothing_queued_sends_nothing(personas):
    assert "0 digest(s) sent" in _digest()
    assert mail.outbox == []


def test_a_case_queued_after_a_digest_comes_in_the_next_one_alone(build, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, _second = _log_two_cases(build, personas, django_capture_on_commit_callbacks)
    _digest()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        third = build.incident(person=build.person(name="Kim Third"), actor=personas["office"])
    mail.outbox.clear()
    _digest()
    [message] = mail.outbox
    assert third.reference in message.body and first.reference not in message.body


def test_a_failed_send_leaves_the_rows_for_the_next_run(build, personas, django_capture_on_commit_callbacks,
                                                        monkeypatch):
    import pytest

    with django_capture_on_commit_callbacks(execute=True):
        _log_two_cases(build, personas, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("conduct.management.commands.send_notification_digest.send_mail", refuse)
    with pytest.raises(OSError):
        _digest()
    assert QueuedNotification.objects.filter(sent_at__isnull=True).count() == 2
    monkeypatch.undo()
    _digest()
    assert len(mail.outbox) == 1


def test_someone_who_left_the_school_or_was_deactivated_is_not_sent_it(build, personas,
                                                                        django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=personas["senior"], frequency=NotificationFrequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        _log_two_cases(build, personas, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    StaffRole.objects.filter(user=personas["senior"]).delete()
    personas["head"].is_active = False
    personas["head"].save()
    _digest()
    assert mail.outbox == []
    assert not QueuedNotification.objects.exists()


def test_rows_sent_over_a_month_ago_are_pruned(build, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _log_two_cases(build, personas, django_capture_on_commit_callbacks)
    _digest()
    QueuedNotification.objects.update(sent_at=timezone.now() - timedelta(days=31))
    assert "2 old row(s) pruned" in _digest()
    assert not QueuedNotification.objects.exists()
