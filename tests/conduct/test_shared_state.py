"""Nothing a login depends on is kept in one server's process: sessions and lock-out counters are database rows,
so every app server behind the proxy sees the same ones."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

LOGIN = "/accounts/login/"


def test_sessions_and_lock_out_counters_use_the_database():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


def test_a_login_is_a_session_row_another_server_can_read(personas):
    first = Client()
    assert first.post(LOGIN, {"username": "office", "password": "pw-for-tests-only"}).status_code == 302
    key = first.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.get(session_key=key).get_decoded()["_auth_user_id"] == str(personas["office"].pk)
    # A second client carrying only the cookie (as a request reaching the other server would) is signed in.
    second = Client()
    second.cookies[settings.SESSION_COOKIE_NAME] = key
    assert second.get("/").status_code == 200
    # And signing out removes the row, so no server keeps the session alive.
    second.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()


def test_a_lock_out_through_the_login_form_is_a_database_row(personas):
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "office", "password": f"wrong-{attempt}"})
    attempt = AccessAttempt.objects.get(username="office")
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    assert client.post(LOGIN, {"username": "office", "password": "pw-for-tests-only"}).status_code == 429
    # The lock is the row and nothing else: once it is gone (on any server), the right password works again.
    AccessAttempt.objects.all().delete()
    assert Client().post(LOGIN, {"username": "office", "password": "pw-for-tests-only"}).status_code == 302
