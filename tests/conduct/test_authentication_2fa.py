"""Two-factor authentication with TOTP: optional for everybody, required for
heads, chairs, trust users and superusers when CONDUCT_REQUIRE_2FA is on."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

SETUP = "/accounts/2fa/setup/"
VERIFY = "/accounts/2fa/verify/"


def code(device, drift=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


@pytest.fixture
def require_2fa(settings):
    settings.CONDUCT_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code followed at once by the right one
    return settings


def test_off_by_default(client_as):
    assert settings.CONDUCT_REQUIRE_2FA is False
    assert client_as("head").get("/").status_code == 200


@pytest.mark.parametrize("persona", ["head", "chair", "trust", "other_head"])
def test_required_roles_are_sent_to_set_up_a_device(require_2fa, client_as, persona):
    client = client_as(persona)
    response = client.get("/incidents/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP) and "next=/incidents/" in response["Location"]
    # Every other page too, reads and writes alike.
    assert client.post("/people/new/", {}).status_code == 302


@pytest.mark.parametrize("persona", ["office", "senior", "other_office"])
def test_other_roles_are_not_held(require_2fa, client_as, persona):
    assert client_as(persona).get("/").status_code == 200


def test_superusers_are_held_too(require_2fa, db):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "a-long-password-for-root")
    client = Client()
    client.force_login(root)
    assert client.get("/" + settings.ADMIN_URL).status_code == 302


def test_setting_up_a_device_then_every_new_login_asks_for_a_code(require_2fa, client_as, personas):
    client = client_as("head")
    page = client.get(SETUP + "?next=/incidents/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html  # the QR code: an image, no script or inline style
    secret = re.search(r'<code class="user-select-all">([A-Z2-7]+)</code>', html).group(1)
    device = TOTPDevice.objects.get(user=personas["head"], confirmed=False)
    assert secret  # the key for typing in by hand

    wrong = client.post(SETUP, {"token": "000000" if code(device) != "000000" else "111111", "next": "/incidents/"})
    assert wrong.status_code == 200 and "That code is not right" in wrong.content.decode()
    response = client.post(SETUP, {"token": code(device), "next": "/incidents/"})
    assert response.status_code == 302 and response["Location"] == "/incidents/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/incidents/").status_code == 200
    assert client.get("/").status_code == 200

    # A new session for the same user: a code is needed again, not a new device.
    other = client_as("head")
    response = other.get("/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    wrong = other.post(VERIFY, {"token": "12ab56", "next": "/"})
    assert wrong.status_code == 200 and "Enter the digits" in wrong.content.decode()
    # The code just used in setup cannot be replayed; the next one works.
    response = other.post(VERIFY, {"token": code(device, drift=1), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert other.get("/").status_code == 200


def test_verification_does_not_redirect_off_site(require_2fa, client_as, personas):
    device = TOTPDevice.objects.create(user=personas["chair"], name="phone", confirmed=True)
    client = client_as("chair")
    response = client.post(VERIFY, {"token": code(device), "next": "https://evil.example.com/"})
    assert response.status_code == 302 and response["Location"] == settings.LOGIN_REDIRECT_URL


def test_logout_stays_reachable_while_held(require_2fa, client_as):
    client = client_as("trust")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == settings.LOGOUT_REDIRECT_URL


def test_anybody_may_set_up_a_device_when_not_required(client_as, personas):
    client = client_as("office")
    assert client.get(SETUP).status_code == 200
    device = TOTPDevice.objects.get(user=personas["office"])
    assert client.post(SETUP, {"token": code(device)}).status_code == 302
    assert TOTPDevice.objects.get(user=personas["office"]).confirmed


def test_the_pages_need_a_login(db):
    for url in (SETUP, VERIFY):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(settings.LOGIN_URL)
