"""Access that is not a change (downloads, exports, logins) goes to the audit log.

Changes are already kept by simple-history and the case timeline; this log
answers "who looked at or took away this record".
"""

import logging

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("conduct.audit")


def audit_log(user, action: str, obj=None, **extra) -> None:
    target = f"{obj._meta.label}:{obj.pk}" if obj is not None else "-"
    details = " ".join(f"{k}={v}" for k, v in extra.items())
    logger.info("%s user=%s target=%s %s", action, getattr(user, "pk", None), target, details)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_log(user, "login")


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    logger.warning("login_failed username=%s", str(credentials.get("username", ""))[:150])
