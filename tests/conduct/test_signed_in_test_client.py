"""The tests' client (tests.clients.Client) signs in as Django's does, with one session and every signal."""

from axes.models import AccessLog
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session

from tests.clients import Client


def test_a_sign_in_leaves_one_session_the_last_login_and_the_access_log(personas):
    head = personas["head"]
    client = Client()
    client.force_login(head)

    sessions = list(Session.objects.all())
    assert [s.get_decoded()[SESSION_KEY] for s in sessions] == [str(head.pk)]
    assert client.cookies["sessionid"].value == sessions[0].session_key
    head.refresh_from_db()
    assert head.last_login is not None
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["head"]
    assert client.get("/").status_code == 200


def test_signing_in_again_as_someone_else_replaces_the_session(personas):
    client = Client()
    client.force_login(personas["head"])
    first = client.cookies["sessionid"].value
    client.force_login(personas["office"])

    assert client.cookies["sessionid"].value != first
    assert [s.get_decoded()[SESSION_KEY] for s in Session.objects.all()] == [str(personas["office"].pk)]
    assert client.get("/").context["user"] == personas["office"]
