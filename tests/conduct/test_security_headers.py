"""Security headers on every response, cookie flags, HSTS over HTTPS, and the admin
for superusers only at settings.ADMIN_URL."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from tests.conduct.test_permission_matrix import OBJECTS, URLS

ROOT = Path(__file__).resolve().parents[2]


def assert_security_headers(response, where):
    csp = response.get("Content-Security-Policy", "")
    assert csp, f"{where}: no Content-Security-Policy"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, f"{where}: {csp}"
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response.get("X-Frame-Options") == "DENY", where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") == "same-origin", where
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", where
    permissions = response.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions, f"{where}: {permissions}"


def test_headers_on_every_app_page_for_a_signed_in_user(build, client_as):
    client = client_as("head")
    for name, _route, takes_kwargs in URLS:
        if takes_kwargs and name not in OBJECTS:
            continue  # the permission matrix fails on a URL without an object factory
        kwargs = OBJECTS[name](build, build.school) if takes_kwargs else {}
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert_security_headers(response, f"GET {url} ({response.status_code})")
        # Pages with personal data never sit in a shared cache.
        assert "no-store" in response.get("Cache-Control", ""), url


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password_reset/", "/", "/no-such-page/",
                                  "/incidents/999999/"])
def test_headers_for_anonymous_visitors_and_errors(db, path):
    response = Client().get(path)
    assert_security_headers(response, f"GET {path} ({response.status_code})")


def test_headers_on_403_404_and_405_answers(build, client_as):
    incident = build.case()
    client = client_as("chair")
    forbidden = client.get(reverse("incidents:statement_add", args=[incident.pk]))
    missing = client_as("other_head").get(incident.get_absolute_url())
    wrong_method = client.get(reverse("incidents:incident_advance", args=[incident.pk]))
    for response, status in ((forbidden, 403), (missing, 404), (wrong_method, 405)):
        assert response.status_code == status
        assert_security_headers(response, str(status))


def test_hsts_over_https_with_debug_off(db):
    assert settings.DEBUG is False
    response = Client().get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    # Never over plain HTTP, where the browser ignores it anyway.
    assert "Strict-Transport-Security" not in Client().get("/accounts/login/")


def test_session_and_csrf_cookies_are_httponly_and_samesite(personas):
    client = Client()
    client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"username": "office", "password": "pw-for-tests-only"})
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_cookies_are_marked_secure_when_the_setting_is_on(personas):
    client = Client()
    response = client.post("/accounts/login/", {"username": "office", "password": "pw-for-tests-only"}, secure=True)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["secure"]


def _production_settings(extra=None):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_", "ADMIN_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "conduct.settings", "DEBUG": "false",
                "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "conduct.example.org", **(extra or {})})
    code = ("import django; django.setup(); from django.conf import settings as s; from django.urls import reverse; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, "
            "s.SECURE_HSTS_SECONDS, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SESSION_COOKIE_AGE, reverse('admin:index'))")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_production_values_are_secure_by_default():
    result = _production_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True", "31536000", "True", "1800", "/admin/"]


def test_admin_path_and_idle_timeout_come_from_the_environment():
    result = _production_settings({"ADMIN_URL": "manage-7f3k/", "SESSION_IDLE_MINUTES": "20"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["1200", "/manage-7f3k/"]


def test_a_bad_admin_path_stops_the_settings_loading():
    result = _production_settings({"ADMIN_URL": "/"})
    assert result.returncode != 0 and "ADMIN_URL" in result.stderr


# The admin ------------------------------------------------------------------------------


@pytest.fixture
def admin_url():
    return "/" + settings.ADMIN_URL


def test_admin_answers_superusers(db, admin_url):
    superuser = get_user_model().objects.create_superuser("root", "root@example.org", "a-long-password-for-root")
    client = Client()
    client.force_login(superuser)
    response = client.get(admin_url)
    assert response.status_code == 200
    assert_security_headers(response, "admin")


@pytest.mark.parametrize("persona", ["office", "head", "trust"])
def test_admin_is_a_404_for_everybody_else(personas, admin_url, persona, client_as):
    user = personas[persona]
    user.is_staff = True  # even with the admin's own staff flag
    user.save()
    client = client_as(persona)
    assert client.get(admin_url).status_code == 404
    assert client.get(admin_url + "incidents/incident/").status_code == 404
    assert client.post(admin_url + "login/", {"username": persona, "password": "pw-for-tests-only"}).status_code == 404


def test_admin_sends_anonymous_visitors_to_the_normal_login(db, admin_url):
    response = Client().get(admin_url)
    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)
    # The admin's own login form (which would bypass nothing, but is a second door) is closed too.
    response = Client().get(admin_url + "login/")
    assert response.status_code == 302 and response["Location"].startswith(settings.LOGIN_URL)
