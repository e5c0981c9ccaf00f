"""Login, logout, password change and password reset by email."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

NEW_PASSWORD = "a-long-new-password-2026"


@pytest.fixture
def office(personas):
    return personas["office"]


def test_login_with_the_right_password_goes_to_next(office):
    client = Client()
    response = client.post(reverse("login") + "?next=/incidents/",
                           {"username": "office", "password": "pw-for-tests-only"})
    assert response.status_code == 302 and response["Location"] == "/incidents/"
    assert client.get("/").status_code == 200


def test_login_refuses_a_wrong_password_and_an_inactive_user(office, personas):
    client = Client()
    response = client.post(reverse("login"), {"username": "office", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    response = client.post(reverse("login"), {"username": "inactive", "password": "pw"})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_login_does_not_redirect_off_site(office):
    response = Client().post(reverse("login") + "?next=https://evil.example.com/",
                             {"username": "office", "password": "pw-for-tests-only"})
    assert response["Location"] == "/"


def test_logout_is_a_post_and_ends_the_session(client_as):
    client = client_as("office")
    assert client.get(reverse("logout")).status_code == 405
    assert client.get("/").status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_password_change(client_as, office):
    client = client_as("office")
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(reverse("password_change"), {
        "old_password": "pw-for-tests-only", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    office.refresh_from_db()
    assert office.check_password(NEW_PASSWORD)


def test_password_change_refuses_a_short_password_and_a_wrong_old_one(client_as, office):
    client = client_as("office")
    short = client.post(reverse("password_change"), {
        "old_password": "pw-for-tests-only", "new_password1": "short1", "new_password2": "short1"})
    assert "at least 12 characters" in short.content.decode()
    wrong = client.post(reverse("password_change"), {
        "old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    office.refresh_from_db()
    assert office.check_password("pw-for-tests-only")


def _reset_link():
    assert len(mail.outbox) == 1
    match = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def test_password_reset_by_email_and_the_link_works_once(office):
    client = Client()
    response = client.post(reverse("password_reset"), {"email": "office@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox[0].to == ["office@example.org"]
    link = _reset_link()

    # The link leads to the form (Django swaps the token for a session marker first).
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    office.refresh_from_db()
    assert office.check_password(NEW_PASSWORD)

    # The same link a second time, in a fresh browser: refused.
    again = Client().get(link, follow=True)
    assert not again.context["validlink"]
    assert "This link has been used or has expired" in again.content.decode()
    Client().post(link, {"new_password1": "another-password-99", "new_password2": "another-password-99"})
    office.refresh_from_db()
    assert office.check_password(NEW_PASSWORD)


def test_password_reset_does_not_reveal_unknown_addresses(db):
    response = Client().post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_sends_nothing_to_an_inactive_user(db):
    get_user_model().objects.create_user(username="gone", email="gone@example.org", password="x", is_active=False)
    Client().post(reverse("password_reset"), {"email": "gone@example.org"})
    assert mail.outbox == []
