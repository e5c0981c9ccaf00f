"""The invitation a new member of staff receives: a set-password link that works
once and for INVITATION_DAYS.

The token is Django's password-reset token with its own salt, so a reset link
never opens an invitation nor the other way round. It hashes the password and
the last login, so it dies as soon as the password is set; it hashes is_active
too, so deactivating someone kills the link they have not used yet.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

INVITATION_DAYS = 7


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "conduct.invitations.InvitationTokenGenerator"
    timeout = timedelta(days=INVITATION_DAYS)

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"

    def check_token(self, user, token):
        # The parent's check, with this generator's timeout instead of PASSWORD_RESET_TIMEOUT
        # (two hours): an invitation has to survive a weekend.
        if not (user and token):
            return False
        try:
            ts_b36, _ = str(token).split("-")
            issued = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, issued, secret), token):
                break
        else:
            return False
        return self._num_seconds(self._now()) - issued <= self.timeout.total_seconds()


invitation_token_generator = InvitationTokenGenerator()


def invitation_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_token_generator.make_token(user)
    path = reverse("invitation_accept", kwargs={"uidb64": uid, "token": token})
    return settings.CONDUCT_BASE_URL.rstrip("/") + path


def invitation_send(*, user, invited_by, roles) -> None:
    """Email the set-password link once the transaction commits: a rolled-back invitation sends nothing."""
    context = {
        "user": user, "invited_by": invited_by.get_full_name() or invited_by.get_username(),
        "roles": roles, "days": INVITATION_DAYS,
    }

    def send():
        # The link is made at sending time, from the user as committed.
        body = render_to_string("conduct/setup/invitation_email.txt", {**context, "link": invitation_link(user)})
        send_mail("Your Conduct account", body, settings.DEFAULT_FROM_EMAIL, [user.email])

    transaction.on_commit(send)
