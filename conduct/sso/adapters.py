"""allauth's two adapters, set so that a provider sign-in only ever opens an invited account.

SocialAccountAdapter: the apps come from settings.CONDUCT_OIDC_PROVIDERS (never the database),
sign-up is closed, and every sign-in is checked here, each time, before allauth logs anyone in:
the nonce, the provider's vouching for the email, the domain, and an existing active account.
AccountAdapter: the session's backend is Conduct's (roles read with the user), and the
provider's MFA is handed to the two-factor rule.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthError
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.utils.crypto import constant_time_compare

from conduct import twofactor
from conduct.audit import audit_log
from conduct.sso import config
from conduct.sso.refusal import refused_response
from conduct.sso.services import provider_account_link

SESSION_BACKEND = "conduct.auth_backend.RolesModelBackend"
# `amr` values (RFC 8176) that mean more than a password: Entra ID and most providers say "mfa";
# one-time code, hardware or software key, FIDO.
MFA_AMR = frozenset({"mfa", "otp", "hwk", "swk", "fido"})


def id_token_claims(sociallogin) -> dict:
    return dict((sociallogin.account.extra_data or {}).get("id_token") or {})


def identity_claims(sociallogin) -> dict:
    """Userinfo, overridden by the signed ID token where both say something."""
    data = sociallogin.account.extra_data or {}
    return {**(data.get("userinfo") or {}), **(data.get("id_token") or {})}


def email_refusal(provider: dict, claims: dict) -> str | None:
    """Why the provider's email cannot identify a member of staff, or None."""
    email = str(claims.get("email") or "").strip().lower()
    if "@" not in email:
        return "no_email"
    if email.rsplit("@", 1)[1] not in provider["domains"]:
        return "domain_not_allowed"
    verified = claims.get("email_verified")
    # Entra ID often leaves email_verified out; its tenant issuer and the allowed domain stand for it.
    if not (verified in (True, "true") or (verified is None and provider["kind"] == config.MICROSOFT)):
        return "email_not_verified"
    if provider["kind"] == config.GOOGLE and str(claims.get("hd") or "").lower() not in provider["domains"]:
        # A personal Google account can carry a school address it once proved; only the
        # Workspace domain's own accounts carry `hd`.
        return "hosted_domain_not_allowed"
    return None


def account_refusal(email: str, sociallogin) -> tuple[str | None, object]:
    """(why not, None) or (None, the one active account with this email)."""
    users = list(get_user_model()._default_manager.filter(email__iexact=email)[:2])
    if not users:
        return "unknown_email", None
    if len(users) > 1:
        return "email_on_several_accounts", None
    user = users[0]
    if not user.is_active:
        return "account_deactivated", None
    if sociallogin.is_existing and sociallogin.user.pk != user.pk:
        return "provider_account_linked_to_another_user", None
    return None, user


def nonce_matches(sociallogin) -> bool:
    expected, got = sociallogin.state.get("nonce"), id_token_claims(sociallogin).get("nonce")
    return bool(expected and got and constant_time_compare(str(expected), str(got)))


def mfa_passed(provider: dict, sociallogin) -> bool:
    amr = id_token_claims(sociallogin).get("amr") or []
    return bool(provider["mfa_enforced"] or (isinstance(amr, list) and MFA_AMR.intersection(map(str, amr))))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def list_apps(self, request, provider=None, client_id=None):
        from allauth.socialaccount.models import SocialApp

        apps = [SocialApp(provider="openid_connect", provider_id=p["id"], name=p["name"], client_id=p["client_id"],
                          secret=p["secret"], settings=app_settings(p)) for p in config.configured_providers()]
        return [app for app in apps if provider in (None, app.provider, app.provider_id)
                and client_id in (None, app.client_id)]

    def pre_social_login(self, request, sociallogin) -> None:
        provider_id = sociallogin.account.provider
        provider = config.provider_config(provider_id)
        claims = identity_claims(sociallogin)
        email = str(claims.get("email") or "").strip().lower()
        reason = None if provider else "provider_not_configured"
        reason = reason or (None if nonce_matches(sociallogin) else "nonce_mismatch")
        reason = reason or email_refusal(provider, claims)
        user = None
        if reason is None:
            reason, user = account_refusal(email, sociallogin)
        if reason is not None:
            raise ImmediateHttpResponse(refused_response(request, provider_id=provider_id, reason=reason, email=email))
        if not sociallogin.is_existing:
            provider_account_link(user=user, account=sociallogin.account, provider_name=provider["name"])
        sociallogin.user = user
        sociallogin.state["conduct_mfa"] = mfa_passed(provider, sociallogin)

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None) -> None:
        if error == AuthError.CANCELLED:
            raise ImmediateHttpResponse(redirect("login"))
        reason = f"{error or 'error'}:{type(exception).__name__}" if exception else str(error or "error")
        raise ImmediateHttpResponse(refused_response(request, provider_id=provider.sub_id, reason=reason))


def app_settings(provider: dict) -> dict:
    settings = {"server_url": provider["server_url"], "oauth_pkce_enabled": True}
    if provider["kind"] == config.GOOGLE:
        # Google's account chooser shows the school's Workspace accounts first.
        settings["auth_params"] = {"hd": provider["domains"][0] if len(provider["domains"]) == 1 else "*",
                                   "prompt": "select_account"}
    return settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def login(self, request, user) -> None:
        # allauth would pick the first backend with get_user, axes' (which finds nobody).
        user.backend = SESSION_BACKEND
        super().login(request, user)

    def post_login(self, request, user, *, signal_kwargs=None, **kwargs):
        response = super().post_login(request, user, signal_kwargs=signal_kwargs, **kwargs)
        sociallogin = (signal_kwargs or {}).get("sociallogin")
        if sociallogin is not None:
            passed = bool(sociallogin.state.get("conduct_mfa"))
            request.session[config.SESSION_PROVIDER_KEY] = sociallogin.account.provider
            twofactor.provider_mfa_record(request, provider_id=sociallogin.account.provider, passed=passed)
            audit_log(user, "sso_login", provider=sociallogin.account.provider, mfa=passed)
        return response

    def add_message(self, *args, **kwargs) -> None:
        # My work is where a sign-in lands, as after a password; allauth's "Successfully signed in" adds nothing.
        return None
