"""CONDUCT_PASSWORD_SIGNIN=false with a provider configured: the login page offers only the
providers, a password is refused, and the break-glass superuser still signs in with one."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.sso_provider import mock_provider, sign_in

PASSWORD = "pw-for-tests-only"


@pytest.fixture
def provider_only(settings, db):
    settings.CONDUCT_PASSWORD_SIGNIN = False
    with mock_provider() as mock:
        settings.CONDUCT_OIDC_PROVIDERS = [mock.entry()]
        yield mock


def _signed_in(client):
    return client.get("/").status_code == 200


def test_the_login_page_offers_only_the_providers(provider_only):
    html = Client().get("/accounts/login/").content.decode()
    assert "Sign in with School account" in html
    assert 'name="password"' not in html and "Forgotten your password?" not in html


def test_a_password_post_is_refused(provider_only, personas):
    client = Client()
    response = client.post("/accounts/login/", {"username": "office", "password": PASSWORD})
    assert response.status_code == 200 and "Please enter a correct username and password" in response.content.decode()
    assert not _signed_in(client)


def test_the_provider_still_signs_staff_in(provider_only, personas):
    provider_only.add_user("office@example.org", email_verified=True)
    assert sign_in(Client(), provider_only, "office@example.org")["Location"] == "/"


def test_the_break_glass_superuser_uses_the_password_form(provider_only):
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client = Client()
    html = client.get("/accounts/login/?password=1").content.decode()
    assert 'name="password"' in html and "emergency administrator account" in html
    response = client.post("/accounts/login/?password=1", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    assert _signed_in(client)


def test_wrong_passwords_still_count_towards_the_lock_out(provider_only, settings):
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/?password=1", {"username": "root", "password": "wrong"})
    assert client.post("/accounts/login/?password=1", {"username": "root", "password": PASSWORD}).status_code == 429


def test_without_a_provider_the_setting_changes_nothing(settings, personas):
    settings.CONDUCT_PASSWORD_SIGNIN = False
    client = Client()
    assert 'name="password"' in client.get("/accounts/login/").content.decode()
    client.post("/accounts/login/", {"username": "office", "password": PASSWORD})
    assert _signed_in(client)
