"""With CONDUCT_REQUIRE_2FA on, a provider sign-in counts as the second factor only when the
provider reports MFA in the ID token's `amr`, or is configured as enforcing it."""

import pytest
from django.test import Client

from tests.sso_provider import mock_provider, sign_in

SETUP = "/accounts/2fa/setup/"


@pytest.fixture
def mock(settings, db):
    settings.CONDUCT_REQUIRE_2FA = True
    with mock_provider() as provider:
        yield provider


def _home_after_sign_in(settings, mock, personas, *, amr=None, mfa_enforced=False):
    settings.CONDUCT_OIDC_PROVIDERS = [mock.entry(mfa_enforced=mfa_enforced)]
    claims = {"email_verified": True} | ({"amr": amr} if amr is not None else {})
    mock.add_user("head@example.org", **claims)
    client = Client()
    assert sign_in(client, mock, "head@example.org").status_code == 302
    return client, client.get("/")


@pytest.mark.parametrize("amr", [["pwd", "mfa"], ["otp"], ["hwk"], ["fido"]])
def test_the_provider_reporting_mfa_passes_the_head_straight_to_my_work(settings, mock, personas, amr):
    _, home = _home_after_sign_in(settings, mock, personas, amr=amr)
    assert home.status_code == 200 and home.context["user"] == personas["head"]


@pytest.mark.parametrize("amr", [None, ["pwd"], "mfa"])  # "mfa" as a string is not the list RFC 8176 gives
def test_without_mfa_the_authenticator_step_follows(settings, mock, personas, amr):
    client, home = _home_after_sign_in(settings, mock, personas, amr=amr)
    assert home.status_code == 302 and home["Location"].startswith(SETUP)
    assert client.get("/incidents/")["Location"].startswith(SETUP)


def test_a_provider_marked_mfa_enforced_counts_without_amr(settings, mock, personas):
    _, home = _home_after_sign_in(settings, mock, personas, mfa_enforced=True)
    assert home.status_code == 200


def test_the_provider_mfa_ends_with_the_session(settings, mock, personas):
    client, _ = _home_after_sign_in(settings, mock, personas, amr=["mfa"])
    client.post("/accounts/logout/")
    client.force_login(personas["head"])
    assert client.get("/")["Location"].startswith(SETUP)


def test_a_password_login_still_asks_for_the_authenticator(settings, mock, personas):
    settings.CONDUCT_OIDC_PROVIDERS = [mock.entry(mfa_enforced=True)]
    client = Client()
    client.post("/accounts/login/", {"username": "head", "password": "pw-for-tests-only"})
    assert client.get("/")["Location"].startswith(SETUP)
