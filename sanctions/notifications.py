"""Emails telling someone a case is waiting for them.

Only the case reference and a link: no names, no allegations, because email
leaves the school's systems. Sent after the transaction commits, so a rolled
back change never announces itself.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from conduct.models import StaffRole


def role_emails(school, role):
    """Active staff holding `role` at `school` who have an email address."""
    user_ids = StaffRole.objects.filter(school=school, role=role).values_list("user_id", flat=True)
    return list(
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def notify_role(*, school, role, incident, what: str) -> None:
    notify_roles(school=school, roles=[role], incident=incident, what=what)


def notify_roles(*, school, roles, incident, what: str) -> None:
    """One email to every active holder of any of `roles` at `school` (once each, whatever roles they hold)."""
    addresses = sorted({address for role in roles for address in role_emails(school, role)})
    if not addresses:
        return
    link = settings.CONDUCT_BASE_URL.rstrip("/") + reverse("incidents:incident_detail", args=[incident.pk])
    subject = f"Conduct: case {incident.reference} {what}"
    body = (
        f"Case {incident.reference} at {school.name} {what}.\n\n"
        f"Open it in Conduct: {link}\n\n"
        "This email deliberately contains no personal details."
    )

    def send():
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)

    transaction.on_commit(send)
