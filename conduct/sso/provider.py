"""allauth's OpenID Connect provider with two checks it leaves out: a nonce, and the ID token's signature.

Installed through SOCIALACCOUNT_PROVIDERS["openid_connect"]["provider_class"], allauth's own way
of replacing a provider's class, so its URLs, state and PKCE stay allauth's.
"""

import jwt
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.utils.crypto import get_random_string

NONCE_LENGTH = 32
# Public-key signatures only: "none" and the HMAC algorithms (keyed with something public) never.
SIGNING_ALGORITHMS = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}


class SignatureCheckingAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app, id_token: str) -> dict:
        # allauth skips the signature when the token came straight from the token endpoint, which
        # OpenID Connect allows over TLS. The `amr` claim in it decides whether Conduct asks for its
        # own second factor, so it is checked against the provider's published keys every time.
        try:
            key, algorithm = self.signing_key(id_token)
            return jwt.decode(id_token, key=key, algorithms=[algorithm], issuer=self.openid_config["issuer"],
                              audience=app.client_id, options={"require": ["iss", "aud", "exp", "iat", "sub"]})
        except (jwt.PyJWTError, KeyError, ValueError) as e:
            raise OAuth2Error("Invalid id_token") from e

    def signing_key(self, id_token: str):
        """The provider's key named by the token's `kid`; without one (allowed when the provider
        publishes a single key), its only signing key."""
        header = jwt.get_unverified_header(id_token)
        algorithm = header.get("alg")
        if algorithm not in SIGNING_ALGORITHMS:
            raise OAuth2Error(f"id_token signed with {algorithm!r}")
        with get_adapter().get_requests_session() as session:
            response = session.get(self.openid_config["jwks_uri"])
            response.raise_for_status()
            keys = [k for k in response.json().get("keys", []) if k.get("use", "sig") == "sig"]
        kid = header.get("kid")
        matching = [k for k in keys if kid is None or k.get("kid") == kid]
        if len(matching) != 1:
            raise OAuth2Error("No published key for the id_token")
        return jwt.PyJWK(matching[0], algorithm=algorithm).key, algorithm


class ConductOIDCProvider(OpenIDConnectProvider):
    oauth2_adapter_class = SignatureCheckingAdapter

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        # The nonce goes to the provider and into this session's stashed state; the adapter's
        # pre_social_login compares it with the ID token's, so a token issued for another sign-in
        # (replayed, or injected into this callback) is refused.
        nonce = get_random_string(NONCE_LENGTH)
        auth_params = kwargs.pop("auth_params", None)
        auth_params = dict(self.get_auth_params() if auth_params is None else auth_params, nonce=nonce)
        return super().redirect(request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs)
