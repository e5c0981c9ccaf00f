"""Access that is not a change (downloads, exports, logins) goes to the audit log.

Changes are already kept by simple-history and the case timeline; this log
answers "who looked at or took away this record".
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("conduct.audit")


def audit_log(user, action: str, obj=None, **extra) -> None:
    target = f"{obj._meta.label}:{obj.pk}" if obj is not None else "-"
    details = " ".join(f"{k}={v}" for k, v in extra.items())
    logger.info("%s user=%s target=%s %s", action, getattr(user, "pk", None), target, details)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_log(user, "login")


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "-") if request is not None else "-"


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_log(user, "logout")


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The username as typed (it may be a password typed in the wrong box: cut short), never the password.
    logger.warning("login_failed username=%s ip=%s", str(credentials.get("username", ""))[:150], _address(request))


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    logger.warning("login_locked_out username=%s ip=%s", str(username or "")[:150], ip_address or _address(request))
