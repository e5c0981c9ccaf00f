"""The providers read from the environment: CONDUCT_OIDC_PROVIDERS and CONDUCT_OIDC_<ID>_*."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from conduct.sso.config import providers_from_env


@pytest.fixture
def env(monkeypatch):
    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_env


def test_none_by_default(monkeypatch):
    monkeypatch.delenv("CONDUCT_OIDC_PROVIDERS", raising=False)
    assert providers_from_env() == []


def test_microsoft_and_google(env):
    env(CONDUCT_OIDC_PROVIDERS="microsoft, google",
        CONDUCT_OIDC_MICROSOFT_SERVER_URL="https://login.microsoftonline.com/0000-tenant/v2.0/",
        CONDUCT_OIDC_MICROSOFT_CLIENT_ID="ms-id", CONDUCT_OIDC_MICROSOFT_SECRET="ms-secret",
        CONDUCT_OIDC_MICROSOFT_DOMAINS="school.org.uk,@Trust.org.uk", CONDUCT_OIDC_MICROSOFT_MFA_ENFORCED="true",
        CONDUCT_OIDC_GOOGLE_CLIENT_ID="g-id", CONDUCT_OIDC_GOOGLE_SECRET="g-secret",
        CONDUCT_OIDC_GOOGLE_DOMAINS="school.org.uk")
    microsoft, google = providers_from_env()
    assert microsoft == {"id": "microsoft", "kind": "microsoft", "name": "Microsoft", "client_id": "ms-id",
                         "secret": "ms-secret", "server_url": "https://login.microsoftonline.com/0000-tenant/v2.0",
                         "domains": ["school.org.uk", "trust.org.uk"], "mfa_enforced": True}
    assert google["kind"] == "google" and google["server_url"] == "https://accounts.google.com"
    assert google["name"] == "Google" and google["mfa_enforced"] is False


@pytest.mark.parametrize(("missing", "variable"), [
    ("CONDUCT_OIDC_MICROSOFT_CLIENT_ID", "CLIENT_ID"), ("CONDUCT_OIDC_MICROSOFT_SECRET", "SECRET"),
    ("CONDUCT_OIDC_MICROSOFT_DOMAINS", "DOMAINS"), ("CONDUCT_OIDC_MICROSOFT_SERVER_URL", "SERVER_URL"),
])
def test_a_half_configured_provider_stops_the_server(env, monkeypatch, missing, variable):
    env(CONDUCT_OIDC_PROVIDERS="microsoft", CONDUCT_OIDC_MICROSOFT_SERVER_URL="https://login.microsoftonline.com/t/v2.0",
        CONDUCT_OIDC_MICROSOFT_CLIENT_ID="id", CONDUCT_OIDC_MICROSOFT_SECRET="s",
        CONDUCT_OIDC_MICROSOFT_DOMAINS="a.org")
    monkeypatch.delenv(missing)
    with pytest.raises(ImproperlyConfigured, match=variable):
        providers_from_env()


@pytest.mark.parametrize(("name", "value", "match"), [
    ("CONDUCT_OIDC_PROVIDERS", "Micro soft", "not a provider id"),
    ("CONDUCT_OIDC_SCHOOL_KIND", "okta", "KIND"),
    ("CONDUCT_OIDC_SCHOOL_MFA_ENFORCED", "yes", "MFA_ENFORCED"),
])
def test_a_bad_value_stops_the_server(env, name, value, match):
    env(CONDUCT_OIDC_PROVIDERS="school", CONDUCT_OIDC_SCHOOL_SERVER_URL="https://idp.example.org",
        CONDUCT_OIDC_SCHOOL_CLIENT_ID="id", CONDUCT_OIDC_SCHOOL_SECRET="s", CONDUCT_OIDC_SCHOOL_DOMAINS="a.org")
    env(**{name: value})
    with pytest.raises(ImproperlyConfigured, match=match):
        providers_from_env()
