"""The sign-in providers, read from the environment by settings.py and from settings at run time.

CONDUCT_OIDC_PROVIDERS lists provider ids ("microsoft,google"); each id has its own variables,
CONDUCT_OIDC_<ID>_CLIENT_ID and so on (README's settings table). A missing client id, secret or
domain list stops the server: a provider that half-works would refuse every member of staff.
No Django imports beyond ImproperlyConfigured: settings.py imports this module.
"""

import re
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

from conduct.env import env_bool, env_list, env_str

MICROSOFT, GOOGLE, GENERIC = "microsoft", "google", "oidc"
KINDS = {MICROSOFT, GOOGLE, GENERIC}
# The issuers whose rules differ: Entra ID may leave out email_verified; Google vouches for the
# Workspace domain in `hd`, and an outside Google account can carry any address it has proved.
ISSUER_HOSTS = {"login.microsoftonline.com": MICROSOFT, "accounts.google.com": GOOGLE}
DEFAULT_NAMES = {MICROSOFT: "Microsoft", GOOGLE: "Google", GENERIC: "your school account"}
# Which provider this session signed in with: logging out then offers the provider's sign-out.
SESSION_PROVIDER_KEY = "sso_provider"
PROVIDER_ID = re.compile(r"^[a-z][a-z0-9-]{0,29}$")


def providers_from_env() -> list[dict]:
    ids = env_list("CONDUCT_OIDC_PROVIDERS", [])
    return [_provider_from_env(provider_id.lower()) for provider_id in ids]


def _provider_from_env(provider_id: str) -> dict:
    if not PROVIDER_ID.match(provider_id):
        raise ImproperlyConfigured(f"CONDUCT_OIDC_PROVIDERS: {provider_id!r} is not a provider id "
                                   "(lower-case letters, digits and '-', e.g. microsoft or google).")
    prefix = f"CONDUCT_OIDC_{provider_id.upper().replace('-', '_')}_"
    default_url = "https://accounts.google.com" if provider_id == GOOGLE else None
    server_url = env_str(prefix + "SERVER_URL", default_url).rstrip("/")
    kind = env_str(prefix + "KIND", kind_of(server_url)).lower()
    if kind not in KINDS:
        raise ImproperlyConfigured(f"{prefix}KIND={kind!r}: use microsoft, google or oidc.")
    domains = [d.lower().lstrip("@") for d in env_list(prefix + "DOMAINS", [])]
    if not domains:
        raise ImproperlyConfigured(f"{prefix}DOMAINS must list the email domains allowed, e.g. school.org.uk.")
    return provider_entry(
        provider_id=provider_id, kind=kind, server_url=server_url, domains=domains,
        name=env_str(prefix + "NAME", DEFAULT_NAMES[kind]),
        client_id=env_str(prefix + "CLIENT_ID"), secret=env_str(prefix + "SECRET"),
        mfa_enforced=env_bool(prefix + "MFA_ENFORCED", False),
    )


def kind_of(server_url: str) -> str:
    return ISSUER_HOSTS.get(urlparse(server_url).hostname or "", GENERIC)


def provider_entry(*, provider_id, kind, server_url, domains, name, client_id, secret, mfa_enforced=False) -> dict:
    """One provider as settings.CONDUCT_OIDC_PROVIDERS holds it (tests build theirs with this too)."""
    return {"id": provider_id, "kind": kind, "server_url": server_url, "domains": list(domains), "name": name,
            "client_id": client_id, "secret": secret, "mfa_enforced": mfa_enforced}


def configured_providers() -> list[dict]:
    from django.conf import settings

    return list(getattr(settings, "CONDUCT_OIDC_PROVIDERS", []))


def provider_config(provider_id: str) -> dict | None:
    return next((p for p in configured_providers() if p["id"] == provider_id), None)


def password_signin_allowed() -> bool:
    """Password sign-in for everybody, unless the trust turned it off and has a provider to use instead."""
    from django.conf import settings

    return getattr(settings, "CONDUCT_PASSWORD_SIGNIN", True) or not configured_providers()
