"""The pages a session may open before its second factor: exactly the code page, logout, and the
set-up page while the account has no authenticator yet. Pages open without a login (login, password
reset, invitation) neither sign anybody in nor let a held session past."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from conduct.invitations import invitation_token_generator

SETUP = "/accounts/2fa/setup/"
VERIFY = "/accounts/2fa/verify/"


@pytest.fixture
def require_2fa(settings):
    settings.CONDUCT_REQUIRE_2FA = True
    return settings


def _held_at(response, target):
    return response.status_code == 302 and response["Location"].startswith(target)


def _links(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return [f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/",
            f"/accounts/welcome/{uid}/{invitation_token_generator.make_token(user)}/"]


def test_a_held_session_reaches_only_the_code_page_and_logout(require_2fa, client_as, personas):
    TOTPDevice.objects.create(user=personas["head"], name="phone", confirmed=True)
    held = client_as("head")
    assert held.get(VERIFY).status_code == 200
    for url in [SETUP, "/static/", "/static/../incidents/", "/static/conduct/x.css", "/accounts/login/",
                "/accounts/password_reset/", "/accounts/reset/done/", "/accounts/password_change/",
                *_links(personas["head"])]:
        assert _held_at(held.get(url), VERIFY), url
    assert _held_at(held.post("/accounts/login/", {"username": "office", "password": "pw-for-tests-only"}), VERIFY)
    assert held.post("/accounts/logout/").status_code == 302
    assert held.get("/").status_code == 302 and "_auth_user_id" not in held.session


def test_without_a_device_only_set_up_is_open(require_2fa, client_as):
    held = client_as("chair")
    assert held.get(SETUP).status_code == 200
    assert _held_at(held.get(VERIFY), SETUP)
    for url in ("/static/", "/accounts/login/", "/incidents/"):
        assert _held_at(held.get(url), SETUP), url


def test_pages_open_without_a_login_sign_nobody_in(require_2fa, personas):
    visitor = Client()
    for url in ("/accounts/login/", "/accounts/password_reset/"):
        assert visitor.get(url).status_code == 200
    for url in _links(personas["head"]):
        visitor.get(url, follow=True)
        assert "_auth_user_id" not in visitor.session, url
    assert visitor.get("/incidents/")["Location"].startswith("/accounts/login/")
