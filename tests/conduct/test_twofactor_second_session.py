"""A session that knows only the password never gets past the second factor: it cannot add an
authenticator of its own once the account has one, nor learn the secret another session is setting up."""

import re
from urllib.parse import unquote

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conduct import services

SETUP = "/accounts/2fa/setup/"
VERIFY = "/accounts/2fa/verify/"
PAGES = ["/", "/incidents/", "/people/new/", "/reports/", "/reports/incidents.csv", "/setup/", "/bans/register/",
         "/accounts/password_change/"]


def code(device, drift=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


@pytest.fixture
def require_2fa(settings):
    settings.CONDUCT_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    return settings


@pytest.fixture
def head_device(personas):
    return TOTPDevice.objects.create(user=personas["head"], name="phone", confirmed=True)


def _password_only(username="head"):
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": "pw-for-tests-only"}).status_code == 302
    return client


def _held(response):
    return response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_a_password_only_session_cannot_add_an_authenticator(require_2fa, head_device, personas):
    intruder = _password_only()
    page = intruder.get(SETUP + "?next=/incidents/")
    assert _held(page) and "/incidents/" in unquote(page["Location"])
    assert not TOTPDevice.objects.filter(user=personas["head"], confirmed=False).exists(), "no secret was made"
    # Even with a device it made up itself: nothing is confirmed, and the session stays held.
    other = TOTPDevice.objects.create(user=personas["head"], name="intruder", confirmed=False)
    assert _held(intruder.post(SETUP, {"token": code(other), "next": "/incidents/"}))
    other.refresh_from_db()
    assert not other.confirmed
    assert list(TOTPDevice.objects.filter(user=personas["head"], confirmed=True)) == [head_device]
    for url in PAGES:
        assert _held(intruder.get(url)), url
    assert _held(intruder.post("/people/new/", {}))


def test_a_password_only_session_cannot_add_one_when_two_factor_is_optional(head_device, personas):
    intruder = _password_only()
    response = intruder.get(SETUP)
    assert _held(response)
    assert not TOTPDevice.objects.filter(user=personas["head"], confirmed=False).exists()


def test_a_verified_session_may_add_a_second_authenticator(require_2fa, head_device, personas):
    client = _password_only()
    assert client.post(VERIFY, {"token": code(head_device), "next": "/"}).status_code == 302
    page = client.get(SETUP)
    assert page.status_code == 200 and "You already have an authenticator app set up" in page.content.decode()
    spare = TOTPDevice.objects.get(user=personas["head"], confirmed=False)
    assert client.post(SETUP, {"token": code(spare)}).status_code == 302
    assert TOTPDevice.objects.filter(user=personas["head"], confirmed=True).count() == 2
    assert client.get("/incidents/").status_code == 200


def test_two_sessions_setting_up_at_once_never_see_each_others_secret(require_2fa, personas):
    first, second = _password_only(), _password_only()
    secret = re.compile(r'<code class="user-select-all">([A-Z2-7]+)</code>')
    first_secret = secret.search(first.get(SETUP).content.decode()).group(1)
    second_secret = secret.search(second.get(SETUP).content.decode()).group(1)
    assert first_secret != second_secret
    # The first session's secret is gone: a code made from it confirms nothing.
    assert TOTPDevice.objects.filter(user=personas["head"]).count() == 1
    device = TOTPDevice.objects.get(user=personas["head"])
    stale = first.post(SETUP, {"token": code(device)})
    assert stale.status_code == 302 and stale["Location"].startswith(SETUP)
    device.refresh_from_db()
    assert not device.confirmed
    assert second.post(SETUP, {"token": code(device)}).status_code == 302
    assert second.get("/incidents/").status_code == 200
    assert _held(first.get("/incidents/")), "the other session now needs the confirmed device's code"


def test_the_service_refuses_a_second_device_outside_a_verified_session(head_device, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.authenticator_start(actor=personas["head"])
