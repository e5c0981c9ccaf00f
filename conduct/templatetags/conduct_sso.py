"""The "Sign in with ..." buttons, wherever a page offers a sign-in (login, an invitation)."""

from django import template
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from conduct.sso import config

register = template.Library()


@register.inclusion_tag("conduct/sso/_buttons.html", takes_context=True)
def sso_buttons(context, heading="", then=""):
    request = context.get("request")
    target = request.GET.get("next", "") if request is not None else ""
    safe = request is not None and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                                   require_https=request.is_secure())
    providers = [{"name": p["name"], "url": reverse("openid_connect_login", kwargs={"provider_id": p["id"]})}
                 for p in config.configured_providers()]
    return {"providers": providers, "next": target if safe else "", "heading": heading, "then": then,
            "csrf_token": context.get("csrf_token")}


@register.simple_tag
def sso_password_signin() -> bool:
    return config.password_signin_allowed()
