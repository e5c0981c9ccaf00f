"""Email heads about bans that need them; meant for cron, safe to run repeatedly.

Three reminders: the deadline for representations has passed (confirm or
withdraw the ban), a review is due within seven days, a ban ends within seven
days. Each is sent once per ban and date: ReminderSent's unique key records
it, so running the command again sends nothing new, and a changed date (a new
review date, a new end) is a new reminder. Emails carry only the case
reference and a link, like every notification.

Safe when cron runs it on every app server at once: one server takes the
"conduct_reminders" lock (conduct.cronlock) and the others say so and exit 0.
Should two runs still overlap (SQLite, a lock lost with its connection), the
unique key decides: each run inserts the ReminderSent row before sending, and
the second insert waits for the first run's transaction and then fails.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from conduct.cronlock import cron_lock
from conduct.dates import page_date
from conduct.notifications import role_emails
from conduct.roles import Role
from sanctions.models import IN_FORCE_STATUSES, BanStatus, ReminderKind, ReminderSent, SiteBan

WINDOW_DAYS = 7


def due_reminders(today):
    """(kind, ban, due date, what) for every reminder due today, sent or not."""
    soon = today + timedelta(days=WINDOW_DAYS)
    bans = SiteBan.objects.select_related("incident__school").order_by("pk")
    for ban in bans.filter(status__in=[BanStatus.INTENDED, BanStatus.PROVISIONAL], representations_by__lt=today):
        yield (ReminderKind.REPRESENTATIONS_DUE, ban, ban.representations_by,
               "has a ban whose deadline for representations has passed: confirm or withdraw it")
    for ban in bans.filter(status=BanStatus.CONFIRMED, review_on__lte=soon, ends_on__gte=today):
        yield ReminderKind.REVIEW_DUE, ban, ban.review_on, f"has a ban review due by {page_date(ban.review_on)}"
    for ban in bans.filter(status__in=IN_FORCE_STATUSES, ends_on__gte=today, ends_on__lte=soon):
        yield ReminderKind.ENDING, ban, ban.ends_on, f"has a ban ending on {page_date(ban.ends_on)}"


def already_sent(kind, ban, due_on) -> bool:
    # Only spares the insert that would fail: the unique key is what keeps a reminder to one email.
    return ReminderSent.objects.filter(kind=kind, ban=ban, due_on=due_on).exists()


class Command(BaseCommand):
    help = "Email heads about passed representation deadlines, reviews due and bans ending; each reminder once."

    def handle(self, *args, **options):
        with cron_lock("conduct_reminders") as acquired:
            if not acquired:
                self.stdout.write("Another server is sending the reminders right now; nothing sent from here.")
                return
            self._send_due()

    def _send_due(self):
        today = timezone.localdate()
        sent = 0
        for kind, ban, due_on, what in due_reminders(today):
            if already_sent(kind, ban, due_on):
                continue
            incident = ban.incident
            recipients = role_emails(incident.school, Role.HEAD)
            if not recipients:
                self.stdout.write(f"{incident.reference}: {ReminderKind(kind).label}: no head with an email address")
                continue
            try:
                with transaction.atomic():
                    # Recorded first: if the row exists already, another run got there, so nothing is sent twice.
                    # Sent inside the transaction, not on commit: a failed send takes the row back with it,
                    # so the next run tries again, and a concurrent run waits on the row until then.
                    ReminderSent.objects.create(kind=kind, ban=ban, due_on=due_on, recipients=", ".join(recipients))
                    self._send(incident, what, recipients)
            except IntegrityError:
                continue
            sent += 1
            self.stdout.write(f"Sent: {incident.reference}: {ReminderKind(kind).label} ({page_date(due_on)}) "
                              f"to {', '.join(recipients)}")
        self.stdout.write(f"{sent} reminder(s) sent.")

    def _send(self, incident, what, recipients):
        link = settings.CONDUCT_BASE_URL.rstrip("/") + reverse("incidents:incident_detail", args=[incident.pk])
        send_mail(
            f"Conduct: case {incident.reference} {what.split(':')[0]}",
            f"Case {incident.reference} at {incident.school.name} {what}.\n\n"
            f"Open it in Conduct: {link}\n\nThis email deliberately contains no personal details.",
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
