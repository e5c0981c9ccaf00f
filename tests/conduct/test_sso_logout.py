"""Logging out ends Conduct's session; after a provider sign-in the login page offers the
provider's own sign-out (its end_session_endpoint)."""

from urllib.parse import parse_qs, urlsplit

from django.test import Client

from tests.sso_provider import PROVIDER_ID, sign_in


def test_logout_offers_the_providers_sign_out(provider, personas, settings):
    provider.add_user("office@example.org", email_verified=True)
    client = Client()
    sign_in(client, provider, "office@example.org")
    response = client.post("/accounts/logout/")
    assert response["Location"] == f"/accounts/login/?signed_out={PROVIDER_ID}"
    assert client.get("/").status_code == 302  # Conduct's session is over
    page = client.get(response["Location"]).content.decode()
    assert f'href="/accounts/oidc/{PROVIDER_ID}/logout/"' in page and "sign out of School account too" in page
    end = client.get(f"/accounts/oidc/{PROVIDER_ID}/logout/")["Location"]
    assert end.startswith(f"{provider.url}/oauth2/end_session?")
    query = parse_qs(urlsplit(end).query)
    assert query["client_id"] == ["conduct-test"]
    assert query["post_logout_redirect_uri"] == [settings.CONDUCT_BASE_URL.rstrip("/") + "/accounts/login/"]


def test_a_password_logout_is_as_before(provider, personas):
    client = Client()
    client.force_login(personas["office"])
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"


def test_an_unknown_provider_has_no_sign_out(provider):
    assert "sign out of" not in Client().get("/accounts/login/?signed_out=nobody").content.decode()
    assert Client().get("/accounts/oidc/nobody/logout/")["Location"] == "/accounts/login/"
