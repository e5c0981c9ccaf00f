"""The one page every refused provider sign-in gets, and its line in the audit log.

The page is the same whatever the reason, so it tells nobody which accounts exist; the reason
goes to the conduct.audit log, with the provider and the email the provider gave.
"""

import logging

from django.shortcuts import render

from conduct.sso import config

logger = logging.getLogger("conduct.audit")


def refused_response(request, *, provider_id: str, reason: str, email: str = ""):
    logger.warning("sso_refused provider=%s reason=%s email=%s ip=%s", str(provider_id)[:30], reason[:80],
                   email[:254] or "-", request.META.get("REMOTE_ADDR", "-"))
    provider = config.provider_config(provider_id)
    context = {"provider_name": provider["name"] if provider else "that provider"}
    return render(request, "conduct/sso/refused.html", context, status=403)
