"""conduct_reminders: each reminder once, to the heads of the ban's school only, with no personal details."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from sanctions.models import ReminderKind, ReminderSent, SiteBan


def run():
    out = StringIO()
    call_command("conduct_reminders", stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _quiet_outbox():
    mail.outbox.clear()


def test_a_passed_deadline_is_sent_once(ban_case, make_ban, deadline_passed, personas):
    ban = deadline_passed(make_ban(ban_case))
    mail.outbox.clear()
    output = run()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [personas["head"].email]
    assert ban_case.reference in message.subject and f"/incidents/{ban_case.pk}/" in message.body
    assert ban.person.full_name not in message.body + message.subject
    assert "Sent: " + ban_case.reference in output
    assert ReminderSent.objects.get().kind == ReminderKind.REPRESENTATIONS_DUE
    assert "0 reminder(s) sent." in run()
    assert len(mail.outbox) == 1


def test_review_due_and_ending_soon(confirmed_ban, today):
    SiteBan.objects.filter(pk=confirmed_ban.pk).update(review_on=today + timedelta(days=3),
                                                       ends_on=today + timedelta(days=6))
    mail.outbox.clear()
    run()
    kinds = set(ReminderSent.objects.values_list("kind", flat=True))
    assert kinds == {ReminderKind.REVIEW_DUE, ReminderKind.ENDING}
    assert len(mail.outbox) == 2
    run()
    assert len(mail.outbox) == 2
    # A new review date is a new reminder.
    SiteBan.objects.filter(pk=confirmed_ban.pk).update(review_on=today + timedelta(days=4))
    run()
    assert len(mail.outbox) == 3


def test_nothing_due_nothing_sent(confirmed_ban):
    mail.outbox.clear()
    assert "0 reminder(s) sent." in run()
    assert mail.outbox == []


def test_only_the_heads_of_that_school(ban_case, make_ban, deadline_passed, personas):
    deadline_passed(make_ban(ban_case))
    mail.outbox.clear()
    run()
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {personas["head"].email}
    for persona in ("office", "senior", "chair", "trust", "other_head", "other_office"):
        assert personas[persona].email not in recipients
