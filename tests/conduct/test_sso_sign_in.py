"""Signing in with the school's own account through OpenID Connect, against a real provider on
loopback (oidc-provider-mock): invited, active staff only, and one page for everybody refused."""

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client

from tests.sso_provider import PROVIDER_ID, mock_provider, sign_in

REFUSED = ("Conduct could not sign you in with that account. Ask your school's office or the trust's "
           "administrator to invite you with your school email address.")


@pytest.fixture
def audit(caplog):
    caplog.set_level(logging.INFO, logger="conduct.audit")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "conduct.audit"]


def signed_in_user(client):
    response = client.get("/")
    return response.context["user"] if response.status_code == 200 else None


def assert_refused(response, client, audit_lines, reason):
    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    assert signed_in_user(client) is None
    assert any(line.startswith(f"sso_refused provider={PROVIDER_ID} reason={reason}") for line in audit_lines), \
        audit_lines


def test_with_no_provider_the_login_page_has_no_buttons(db):
    html = Client().get("/accounts/login/").content.decode()
    assert "Sign in with" not in html and 'name="password"' in html


def test_the_login_page_offers_the_provider_beside_the_password_form(provider):
    html = Client().get("/accounts/login/?next=/incidents/").content.decode()
    assert f'action="/accounts/oidc/{PROVIDER_ID}/login/"' in html
    assert "Sign in with School account" in html and 'name="csrfmiddlewaretoken"' in html
    assert '<input type="hidden" name="next" value="/incidents/">' in html
    assert 'name="password"' in html


def test_starting_a_sign_in_takes_a_post_with_the_csrf_token(provider):
    client = Client(enforce_csrf_checks=True)
    assert client.get(f"/accounts/oidc/{PROVIDER_ID}/login/")["Location"] == "/accounts/login/"
    assert client.post(f"/accounts/oidc/{PROVIDER_ID}/login/").status_code == 403


def test_an_invited_account_signs_in_and_lands_on_my_work(provider, personas, audit):
    provider.add_user("Office@Example.ORG", email_verified=True)
    client = Client()
    response = sign_in(client, provider, "Office@Example.ORG")
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_user(client) == personas["office"]
    office = personas["office"].pk
    assert f"sso_login user={office} target=- provider={PROVIDER_ID} mfa=False" in audit()
    # The provider's subject is linked once; the next sign-in finds it and is checked again all the same.
    assert SocialAccount.objects.get(provider=PROVIDER_ID).user == personas["office"]
    assert sign_in(Client(), provider, "Office@Example.ORG")["Location"] == "/"
    assert SocialAccount.objects.count() == 1


def test_next_is_followed(provider, personas):
    provider.add_user("office@example.org", email_verified=True)
    response = sign_in(Client(), provider, "office@example.org", data={"next": "/incidents/"})
    assert response["Location"] == "/incidents/"


@pytest.mark.parametrize(("email", "claims", "reason"), [
    ("stranger@example.org", {"email_verified": True}, "unknown_email"),
    ("office@example.org", {"email_verified": False}, "email_not_verified"),
    ("office@example.org", {}, "email_not_verified"),
    ("office@elsewhere.org", {"email_verified": True}, "domain_not_allowed"),
    ("inactive@example.org", {"email_verified": True}, "account_deactivated"),
])
def test_anyone_else_is_refused_with_the_same_page(provider, personas, audit, email, claims, reason):
    user_model = get_user_model()
    user_model.objects.filter(username="inactive").update(email="inactive@example.org")
    if email == "office@elsewhere.org":
        user_model.objects.filter(username="office").update(email=email)
    provider.add_user(email, **claims)
    client = Client()
    assert_refused(sign_in(client, provider, email), client, audit(), reason)
    assert not SocialAccount.objects.exists()


def test_a_deactivated_account_is_refused_after_it_signed_in_before(provider, personas, audit):
    provider.add_user("office@example.org", email_verified=True)
    assert sign_in(Client(), provider, "office@example.org")["Location"] == "/"
    get_user_model().objects.filter(username="office").update(is_active=False)
    client = Client()
    assert_refused(sign_in(client, provider, "office@example.org"), client, audit(), "account_deactivated")


def test_google_needs_the_workspace_domain_in_hd(settings, personas, audit):
    with mock_provider() as google:
        settings.CONDUCT_OIDC_PROVIDERS = [google.entry(kind="google")]
        google.add_user("office@example.org", email_verified=True)
        client = Client()
        assert_refused(sign_in(client, google, "office@example.org"), client, audit(), "hosted_domain_not_allowed")
        google.add_user("office@example.org", email_verified=True, hd="example.org")
        assert sign_in(Client(), google, "office@example.org")["Location"] == "/"


def test_entra_may_leave_email_verified_out_but_not_say_false(settings, personas, audit):
    with mock_provider() as entra:
        settings.CONDUCT_OIDC_PROVIDERS = [entra.entry(kind="microsoft")]
        entra.add_user("office@example.org")
        assert sign_in(Client(), entra, "office@example.org")["Location"] == "/"
        entra.add_user("office@example.org", email_verified=False)
        client = Client()
        assert_refused(sign_in(client, entra, "office@example.org"), client, audit(), "email_not_verified")


def _started(client, provider, sub):
    start = client.post(f"/accounts/oidc/{PROVIDER_ID}/login/")
    return provider.authorize(start["Location"], sub)


def test_a_tampered_state_is_refused(provider, personas, audit):
    provider.add_user("office@example.org", email_verified=True)
    client = Client()
    callback = _started(client, provider, "office@example.org")
    query = parse_qs(urlsplit(callback).query)
    tampered = f"{urlsplit(callback).path}?code={query['code'][0]}&state=not-{query['state'][0]}"
    assert_refused(client.get(tampered), client, audit(), "unknown")


def test_a_callback_is_used_once(provider, personas, audit):
    provider.add_user("office@example.org", email_verified=True)
    client = Client()
    callback = _started(client, provider, "office@example.org")
    assert client.get(callback)["Location"] == "/"
    client.post("/accounts/logout/")
    assert_refused(client.get(callback), client, audit(), "unknown")


def test_a_callback_from_another_browser_is_refused(provider, personas, audit):
    """The state lives in the session that started the sign-in: a code and state sent to someone
    else's browser (login CSRF) opens nothing there."""
    provider.add_user("office@example.org", email_verified=True)
    callback = _started(Client(), provider, "office@example.org")
    victim = Client()
    assert_refused(victim.get(callback), victim, audit(), "unknown")


def test_an_id_token_with_another_nonce_is_refused(provider, personas, audit):
    # The mock copies a user's claims into the ID token, over the nonce it was sent.
    provider.add_user("office@example.org", email_verified=True, nonce="from-another-sign-in")
    client = Client()
    assert_refused(sign_in(client, provider, "office@example.org"), client, audit(), "nonce_mismatch")


def test_an_id_token_signed_with_another_key_is_refused(provider, personas, audit, monkeypatch):
    """The provider's tokens checked against a second provider's published keys: allauth alone would
    not look (the token came straight from the token endpoint); Conduct's adapter always does."""
    from conduct.sso import adapters

    provider.add_user("office@example.org", email_verified=True)
    with mock_provider() as other:
        original = adapters.app_settings
        monkeypatch.setattr(adapters, "app_settings", lambda p: original(p) | {
            "openid_configuration_overrides": {"jwks_uri": f"{other.url}/jwks"}})
        client = Client()
        assert_refused(sign_in(client, provider, "office@example.org"), client, audit(), "unknown:OAuth2Error")


def test_a_wrong_issuer_is_refused(provider, personas, audit):
    provider.add_user("office@example.org", email_verified=True, iss="https://login.example.net/other-tenant/v2.0")
    client = Client()
    assert_refused(sign_in(client, provider, "office@example.org"), client, audit(), "unknown:OAuth2Error")


def test_cancelling_at_the_provider_returns_to_the_login_page(provider, personas):
    import httpx

    client = Client()
    start = client.post(f"/accounts/oidc/{PROVIDER_ID}/login/")
    denied = httpx.post(start["Location"], data={"action": "deny"})
    parts = urlsplit(denied.headers["location"])
    # The mock leaves the state out of its "access denied" answer; a real provider sends it back.
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(f"{parts.path}?{parts.query}&state={state}")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert signed_in_user(client) is None


def test_pages_with_buttons_let_the_form_go_to_the_provider_and_nowhere_else(provider, db):
    policy = Client().get("/accounts/login/")["Content-Security-Policy"]
    assert f"form-action 'self' {provider.url};" in policy and "script-src 'self';" in policy
    assert "form-action 'self';" in Client().get("/accounts/password_reset/")["Content-Security-Policy"]
