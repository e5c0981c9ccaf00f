"""Send each member of staff who chose the daily digest one email listing their waiting cases; meant for cron.

Each email lists case references, what each needs and a link: no names, like
every notification. The queued rows are marked sent in the transaction that
sends the email, so running the command again sends nothing twice, and a
failed send takes the marks back with it (the next run tries again).

Safe when cron runs it on every app server at once: one server takes the
"send_notification_digest" lock (conduct.cronlock) and the others say so and
exit 0. Should two runs still overlap (SQLite, a lock lost with its
connection), each user's rows are locked before they are read, and the second
run finds them sent.

A row is dropped unsent when its user can no longer be told (deactivated, no
email address) or no longer works at the case's school: the link would only
say "not found". Rows sent more than PRUNE_AFTER ago are deleted: they only
stopped a second send.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from conduct.cronlock import cron_lock
from conduct.models import QueuedNotification, StaffRole
from conduct.notifications import NO_PERSONAL_DETAILS, case_link

PRUNE_AFTER = timedelta(days=30)


def digest_lines(rows) -> list[str]:
    """One line per case and what it needs, in the order they came, each once."""
    lines = []
    for row in rows:
        line = f"- {row.incident.reference} {row.what}: {case_link(row.incident)}"
        if line not in lines:
            lines.append(line)
    return lines


class Command(BaseCommand):
    help = "Email each member of staff who chose the daily digest their waiting cases, once; then prune old rows."

    def handle(self, *args, **options):
        with cron_lock("send_notification_digest") as acquired:
            if not acquired:
                self.stdout.write("Another server is sending the digest right now; nothing sent from here.")
                return
            sent = 0
            user_ids = (QueuedNotification.objects.filter(sent_at__isnull=True).order_by("user_id")
                        .values_list("user_id", flat=True).distinct())
            for user_id in list(user_ids):
                sent += self._send_to(user_id)
            pruned, _ = QueuedNotification.objects.filter(sent_at__lt=timezone.now() - PRUNE_AFTER).delete()
            self.stdout.write(f"{sent} digest(s) sent; {pruned} old row(s) pruned.")

    def _send_to(self, user_id) -> int:
        with transaction.atomic():
            # Locked before they are read: a run that overlaps this one waits here, then finds them sent.
            pending = QueuedNotification.objects.select_for_update(of=("self",)).filter(
                user_id=user_id, sent_at__isnull=True)
            ids = list(pending.values_list("pk", flat=True))
            if not ids:
                return 0
            works_there = StaffRole.objects.filter(user_id=OuterRef("user_id"),
                                                   school_id=OuterRef("incident__school_id"))
            rows = list(QueuedNotification.objects.filter(pk__in=ids, user__is_active=True)
                        .exclude(user__email="").filter(Exists(works_there))
                        .select_related("user", "incident").order_by("created_at", "pk"))
            dropped = QueuedNotification.objects.filter(pk__in=ids).exclude(pk__in=[row.pk for row in rows])
            dropped_count, _ = dropped.delete()
            if dropped_count:
                self.stdout.write(f"User {user_id}: {dropped_count} row(s) dropped (cannot be told any more).")
            if not rows:
                return 0
            QueuedNotification.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=timezone.now())
            user = rows[0].user
            lines = digest_lines(rows)
            # Sent inside the transaction, not on commit: a failed send takes the marks back with it.
            send_mail(
                f"Conduct: your daily digest ({len(lines)} case update{'s' if len(lines) != 1 else ''})",
                "These cases need you (newest last):\n\n" + "\n".join(lines) + f"\n\n{NO_PERSONAL_DETAILS}\n"
                "You chose one email a day; change it under Notifications in Conduct.",
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
        self.stdout.write(f"Sent to user {user_id}: {len(lines)} line(s).")
        return 1
