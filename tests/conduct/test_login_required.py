"""Every page needs a login, except the login and password reset pages."""

import re
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"login", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete",
          "invitation_accept",  # the set-password page an invitation opens: tests/conduct/test_setup_staff_invite.py
          # Signing in through the school's provider, and its sign-out: tests/conduct/test_sso_*.py
          "openid_connect_login", "openid_connect_callback", "sso_provider_logout"}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield namespace + (p.name or ""), prefix + str(p.pattern)


def _concrete(route):
    """Fill the converters of a route with plausible values: 1 for ids, 'x' for strings."""
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(?:str|slug|uuid|path):\w+>|<\w+>", "x", route)
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    return "/" + route


APP_URLS = sorted({(name, _concrete(route)) for name, route in _walk(get_resolver().url_patterns)
                   if not name.startswith("admin:") and not route.startswith(settings.ADMIN_URL)})


def test_the_list_of_urls_is_not_empty():
    names = {name for name, _ in APP_URLS}
    assert {"home", "incidents:incident_list", "incidents:incident_new", "incidents:evidence_download",
            "sanctions:decision_new", "password_change", "logout"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), [u for u in APP_URLS if u[0] not in PUBLIC])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(name, path, method):
    response = getattr(Client(), method)(path)
    assert response.status_code == 302, (name, path)
    assert response["Location"] == f"/accounts/login/?next={quote(path)}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PUBLIC - {"password_reset_confirm", "invitation_accept", "openid_connect_login",
                                                  "openid_connect_callback", "sso_provider_logout"}))
def test_login_and_password_reset_pages_are_open(name):
    from django.urls import reverse

    assert Client().get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_an_invalid_reset_link_is_open_but_says_it_is_invalid():
    response = Client().get("/accounts/reset/MQ/set-password/")
    assert response.status_code == 200
    assert "This link has been used or has expired" in response.content.decode()


@pytest.mark.django_db
def test_the_admin_sends_anonymous_to_a_login_page():
    response = Client().get("/" + settings.ADMIN_URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_inactive_users_are_treated_as_anonymous(client_as):
    response = client_as("inactive").get("/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/"
