"""Login lock-out (django-axes), password strength, idle session expiry and
single-use password reset links."""

import logging
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from conduct.middleware import IdleTimeoutMiddleware

LOGIN = "/accounts/login/"
PASSWORD = "pw-for-tests-only"


def _login(client, username="office", password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


# Lock-out ------------------------------------------------------------------------------


def test_five_failures_lock_the_account_from_that_address_and_are_logged(personas, caplog):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    caplog.set_level(logging.INFO, logger="conduct.audit")
    for attempt in range(4):
        response = _login(client, password=f"wrong-{attempt}")
        assert response.status_code == 200, attempt
        assert "Please enter a correct username and password" in response.content.decode()
    response = _login(client, password="wrong-5")
    assert response.status_code == 429
    # Locked: even the right password is refused during the cool-off, with a page that says why.
    response = _login(client)
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302
    failures = [r for r in caplog.records if r.getMessage().startswith("login_failed username=office")]
    assert len(failures) >= 5
    assert any(r.getMessage().startswith("login_locked_out username=office") for r in caplog.records)
    # The lock-out page carries the security headers too.
    assert "Content-Security-Policy" in response


def test_a_locked_out_username_does_not_lock_out_colleagues_at_the_same_school(personas):
    client = Client()
    for attempt in range(5):
        _login(client, password=f"wrong-{attempt}")
    assert _login(client).status_code == 429
    assert _login(Client(), username="head").status_code == 302


def test_the_lock_lifts_after_the_cool_off(personas):
    client = Client()
    for attempt in range(5):
        _login(client, password=f"wrong-{attempt}")
    assert _login(client).status_code == 429
    past = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=past)
    assert _login(client).status_code == 302


def test_a_success_before_the_limit_resets_the_count(personas):
    client = Client()
    for attempt in range(4):
        _login(client, password=f"wrong-{attempt}")
    assert _login(client).status_code == 302
    client.post("/accounts/logout/")
    for attempt in range(4):
        assert _login(client, password=f"again-{attempt}").status_code == 200
    assert _login(client).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_limit_is_a_setting(personas):
    client = Client()
    assert _login(client, password="wrong").status_code == 200
    assert _login(client, password="wrong").status_code == 429


def test_force_login_still_works_for_the_test_suite(client_as):
    assert client_as("office").get("/").status_code == 200


# Passwords ----------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["short-pw1", "password1234", "123456789012345", "office.example"])
def test_weak_passwords_are_refused(personas, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=personas["office"])


def test_a_long_unusual_password_is_accepted(personas):
    validate_password("cobalt-harbour-lantern-42", user=personas["office"])


# Sessions -----------------------------------------------------------------------------


def _session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_the_session_ends_when_the_browser_closes(personas):
    client = Client()
    response = _login(client)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # No Max-Age or Expires: a browser-session cookie.
    assert not cookie["max-age"] and not cookie["expires"]
    assert client.session.get_expire_at_browser_close()


def _pretend_idle_for(client, minutes):
    """Time passing: the session row's expiry and its last push both move back."""
    session = client.session
    session[IdleTimeoutMiddleware.KEY] -= minutes * 60
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=30 - minutes))


def test_a_request_after_a_quiet_spell_pushes_the_idle_timeout_back(personas):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = Client()
    _login(client)
    client.get("/")
    _pretend_idle_for(client, 29)
    assert client.get("/").status_code == 200
    remaining = _session_row(client).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_requests_within_a_minute_do_not_rewrite_the_session(personas):
    """The session row is written at most once a minute, not on every page view."""
    client = Client()
    _login(client)
    client.get("/")
    before = _session_row(client).expire_date
    assert client.get("/incidents/").status_code == 200
    assert _session_row(client).expire_date == before


def test_an_idle_session_is_logged_out(personas):
    client = Client()
    _login(client)
    row = _session_row(client)
    row.expire_date = timezone.now() - timedelta(seconds=1)  # 30 minutes without a request
    row.save()
    response = client.get("/incidents/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


# Password reset -----------------------------------------------------------------------


def _reset_link(email):
    Client().post("/accounts/password_reset/", {"email": email})
    assert len(mail.outbox) == 1
    return re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)


def test_a_reset_link_works_once(personas):
    link = _reset_link("office@example.org")
    client = Client()
    response = client.get(link)
    assert response.status_code == 302  # to the set-password form, the token moved into the session
    form_url = response["Location"]
    new = "cobalt-harbour-lantern-42"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert get_user_model().objects.get(username="office").check_password(new)
    # The same link again: refused, and the password cannot be set a second time.
    again = Client()
    response = again.get(link, follow=True)
    assert "This link has been used or has expired" in response.content.decode()
    other = "other-long-password-7"
    response = again.post(form_url, {"new_password1": other, "new_password2": other})
    assert "This link has been used or has expired" in response.content.decode()
    assert get_user_model().objects.get(username="office").check_password(new)


def test_a_reset_link_for_an_unknown_address_sends_nothing_and_says_the_same(personas):
    response = Client().post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_reset_link_expires(personas, settings):
    link = _reset_link("office@example.org")
    settings.PASSWORD_RESET_TIMEOUT = -1
    response = Client().get(link, follow=True)
    assert "This link has been used or has expired" in response.content.decode()


def test_logins_and_logouts_are_in_the_audit_log(personas, caplog):
    caplog.set_level(logging.INFO, logger="conduct.audit")
    client = Client()
    _login(client, password="wrong")
    _login(client)
    client.post("/accounts/logout/")
    lines = [r.getMessage() for r in caplog.records if r.name == "conduct.audit"]
    office = personas["office"].pk
    assert any(line.startswith("login_failed username=office ip=127.0.0.1") for line in lines)
    assert f"login user={office} target=- " in lines
    assert f"logout user={office} target=- " in lines
    assert not any("pw-for-tests-only" in line for line in lines)
