"""A logged incident tells the school's case leaders (senior leaders and the head): reference and link only,
after the commit, never the one who logged it, never another school's staff."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction

from conduct.models import NotificationFrequency, NotificationPreference, QueuedNotification


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to + message.cc + message.bcc)


def test_the_office_logging_a_case_emails_the_senior_leader_and_the_head_once(build, personas,
                                                                               django_capture_on_commit_callbacks):
    person = build.person()
    with django_capture_on_commit_callbacks(execute=True):
        build.incident(person=person, actor=personas["office"])
    assert len(mail.outbox) == 1
    assert _recipients() == ["head@example.org", "senior@example.org"]


def test_nobody_else_is_emailed(build, personas, django_capture_on_commit_callbacks):
    # Not the office who logged it, not the Chair (no part until a ban), not the trust reader, not the
    # other school's head, not a deactivated head.
    person = build.person()
    with django_capture_on_commit_callbacks(execute=True):
        build.incident(person=person, actor=personas["office"])
    for outsider in ("office", "chair", "trust", "other_office", "other_head"):
        assert personas[outsider].email not in _recipients()


def test_the_leader_who_logs_it_is_not_emailed_about_it(build, personas, django_capture_on_commit_callbacks):
    person = build.person()
    with django_capture_on_commit_callbacks(execute=True):
        build.incident(person=person, actor=personas["senior"])
    assert _recipients() == ["head@example.org"]


def test_the_email_has_the_reference_and_a_link_and_no_names(build, personas, django_capture_on_commit_callbacks):
    person = build.person(name="Pat Parent")
    with django_capture_on_commit_callbacks(execute=True):
        incident = build.incident(person=person, actor=personas["office"])
    [message] = mail.outbox
    assert incident.reference in message.subject and "has been logged" in message.subject
    assert settings.CONDUCT_BASE_URL.rstrip("/") + incident.get_absolute_url() in message.body
    text = message.subject + message.body
    for personal in ("Pat Parent", "Sam Parent", "pat@example.com", "Shouted", "Main gate", "Class teacher",
                     personas["office"].first_name):
        assert personal not in text


def test_nothing_is_sent_before_the_commit(build, personas, django_capture_on_commit_callbacks):
    person = build.person()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        build.incident(person=person, actor=personas["office"])
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_a_rolled_back_log_sends_nothing_and_queues_nothing(build, personas, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=personas["head"], frequency=NotificationFrequency.DAILY)
    person = build.person()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            build.incident(person=person, actor=personas["office"])
            raise RuntimeError("something later failed")
    assert callbacks == [] and mail.outbox == []
    assert not QueuedNotification.objects.exists()


def test_a_digest_reader_is_queued_instead_of_emailed(build, personas, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=personas["head"], frequency=NotificationFrequency.DAILY)
    person = build.person()
    with django_capture_on_commit_callbacks(execute=True):
        incident = build.incident(person=person, actor=personas["office"])
    assert _recipients() == ["senior@example.org"]
    assert list(QueuedNotification.objects.values_list("user__username", "incident", "what", "sent_at")) == [
        ("head", incident.pk, "has been logged", None)]
