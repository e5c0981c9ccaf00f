"""A real OpenID Connect provider on loopback for the sign-in tests: oidc-provider-mock in a thread.

The mock signs its ID tokens with its own RSA key, publishes it at /jwks, and puts every claim
given to `add_user` into the ID token and the userinfo (so `amr`, `email_verified` and `hd` are
whatever a test says). Its authorization page is a form: POST `sub` and it redirects to Conduct's
callback with a code, as a real provider does after its own login.
"""

from contextlib import contextmanager
from urllib.parse import quote, urlsplit

import httpx
import oidc_provider_mock

from conduct.sso.config import provider_entry

PROVIDER_ID = "school"


class MockProvider:
    def __init__(self, url: str):
        self.url = url

    def add_user(self, sub: str, **claims) -> None:
        response = httpx.put(f"{self.url}/users/{quote(sub, safe='')}", json={"email": sub, **claims})
        assert response.status_code == 204, response.text

    def entry(self, *, provider_id=PROVIDER_ID, kind="oidc", domains=("example.org",), mfa_enforced=False,
              name="School account") -> dict:
        return provider_entry(provider_id=provider_id, kind=kind, server_url=self.url, domains=domains, name=name,
                              client_id="conduct-test", secret="test-secret", mfa_enforced=mfa_enforced)

    def authorize(self, authorize_url: str, sub: str) -> str:
        """What the provider's login form does: the callback URL (path and query) it sends the browser to."""
        response = httpx.post(authorize_url, data={"sub": sub})
        assert response.status_code in (302, 303), response.text
        parts = urlsplit(response.headers["location"])
        return f"{parts.path}?{parts.query}"


@contextmanager
def mock_provider():
    with oidc_provider_mock.run_server_in_thread() as server:
        yield MockProvider(f"http://localhost:{server.server_port}")


def sign_in(client, provider: MockProvider, sub: str, *, provider_id=PROVIDER_ID, data=None):
    """Press "Sign in with ..." on Conduct, sign in as `sub` at the provider, come back: Conduct's answer."""
    start = client.post(f"/accounts/oidc/{provider_id}/login/", data or {})
    assert start.status_code == 302, start.content[:500]
    return client.get(provider.authorize(start["Location"], sub))
