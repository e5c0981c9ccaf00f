"""Emails telling staff a case is waiting for them.

Only the case reference and a link: no names, no allegations, because email
leaves the school's systems. Nobody hears about what they have just done
themselves. Each member of staff chooses an email each time (the default) or
one daily digest (conduct.models.NotificationPreference): an email each time
is sent after the transaction commits, so a rolled back change never announces
itself; a digest entry is a row written in the same transaction, so it rolls
back with it, and `manage.py send_notification_digest` sends it.

Lives in conduct, the lowest floor, so that incidents (a case logged) and
sanctions (a response, a ban) both call it; it names incidents' page by URL
name only and imports nothing above conduct.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from conduct.models import NotificationFrequency, QueuedNotification, StaffRole

NO_PERSONAL_DETAILS = "This email deliberately contains no personal details."


def case_link(incident) -> str:
    """The absolute address of the case page, for an email."""
    return settings.CONDUCT_BASE_URL.rstrip("/") + reverse("incidents:incident_detail", args=[incident.pk])


def role_holders(school, roles, *, exclude=None):
    """Active staff holding any of `roles` at `school` who have an email address, less `exclude`."""
    user_ids = StaffRole.objects.filter(school=school, role__in=list(roles)).values("user_id")
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email="")
    if exclude is not None and exclude.pk is not None:
        users = users.exclude(pk=exclude.pk)
    return users.order_by("email")


def role_emails(school, role):
    """Active staff holding `role` at `school` who have an email address."""
    return list(role_holders(school, [role]).values_list("email", flat=True))


def notify_role(*, actor, school, role, incident, what: str) -> None:
    """notify_roles for one role."""
    notify_roles(actor=actor, school=school, roles=[role], incident=incident, what=what)


def notify_roles(*, actor, school, roles, incident, what: str) -> None:
    """Tell every active holder of any of `roles` at `school` but `actor` (once each): by email, or in the digest."""
    immediate, daily = [], []
    holders = role_holders(school, roles, exclude=actor).values_list(
        "pk", "email", "notification_preference__frequency")
    for pk, email, frequency in holders:
        (daily if frequency == NotificationFrequency.DAILY else immediate).append((pk, email))
    queued = [QueuedNotification(user_id=pk, incident=incident, what=what) for pk, _email in daily]
    for row in queued:
        row.full_clean()
    QueuedNotification.objects.bulk_create(queued)
    addresses = sorted({email for _pk, email in immediate})
    if not addresses:
        return
    subject = f"Conduct: case {incident.reference} {what}"
    body = (f"Case {incident.reference} at {school.name} {what}.\n\n"
            f"Open it in Conduct: {case_link(incident)}\n\n{NO_PERSONAL_DETAILS}")

    def send():
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)

    transaction.on_commit(send)
