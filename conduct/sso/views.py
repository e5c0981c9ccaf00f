"""The pages around a provider sign-in: the login page with its buttons, the POST that starts a
sign-in, logging out, and the provider's own sign-out.

allauth answers the callback; the provider's login is POST only (a CSRF-protected button), so
another site cannot start a sign-in in the visitor's browser with a link.
"""

import logging
from functools import wraps
from urllib.parse import urlencode, urlsplit

import requests
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_protect

from conduct.middleware import CONTENT_SECURITY_POLICY
from conduct.sso import config
from conduct.sso.provider import SignatureCheckingAdapter

logger = logging.getLogger("conduct.audit")
DISCOVERY_CACHE_SECONDS = 3600


def provider_form_action(view):
    """A page with "Sign in with ..." buttons: its policy lets the button's POST be redirected to the providers.

    Chromium applies the policy's form-action to where a form's answer redirects, and the sign-in's
    POST is answered with a redirect to the provider's authorisation page.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        origins = sorted({_origin(p["server_url"]) for p in config.configured_providers()})
        if origins and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
                "form-action 'self'", "form-action 'self' " + " ".join(origins))
        return response

    return wrapped


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class LoginForm(AuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not config.password_signin_allowed() and not user.is_superuser:
            # The same answer as a wrong password: the form does not tell who holds which password.
            logger.warning("login_refused_password_signin_off user=%s", user.pk)
            raise self.get_invalid_login_error()


class LoginView(auth_views.LoginView):
    """Django's login, with the providers' buttons; with CONDUCT_PASSWORD_SIGNIN off, only the buttons.

    The break-glass superuser opens /accounts/login/?password=1 for the password form: any
    password POST is then accepted for superusers only.
    """

    form_class = LoginForm

    def get_context_data(self, **kwargs):
        password_on = config.password_signin_allowed()
        signed_out = config.provider_config(self.request.GET.get("signed_out", ""))
        return super().get_context_data(**kwargs) | {
            "password_signin": password_on,
            "show_password_form": password_on or self.request.GET.get("password") == "1"
            or self.request.method == "POST",
            "signed_out_of": signed_out if signed_out and signed_out["kind"] != config.GOOGLE else None,
        }


login = provider_form_action(LoginView.as_view())


@login_not_required
@csrf_protect
def provider_login(request, provider_id):
    if request.method != "POST":
        return redirect("login")
    return _oidc_view(OAuth2LoginView, request, provider_id)


@login_not_required
def callback(request, provider_id):
    """allauth's callback, with Conduct's adapter: allauth's own view names its adapter class itself."""
    return _oidc_view(OAuth2CallbackView, request, provider_id)


def _oidc_view(view_class, request, provider_id):
    try:
        return view_class.adapter_view(SignatureCheckingAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


def logout(request):
    """Conduct's session ends; a provider sign-in's login page then offers the provider's sign-out too."""
    provider_id = request.session.get(config.SESSION_PROVIDER_KEY)
    response = auth_views.LogoutView.as_view()(request)
    if provider_id and response.status_code == 302 and response["Location"] == settings.LOGOUT_REDIRECT_URL:
        response["Location"] = f"{settings.LOGOUT_REDIRECT_URL}?{urlencode({'signed_out': provider_id})}"
    return response


@login_not_required
def provider_logout(request, provider_id):
    """Send the browser to the provider's end_session_endpoint, when its discovery document has one."""
    provider = config.provider_config(provider_id)
    endpoint = provider and end_session_endpoint(provider)
    if not endpoint:
        return redirect("login")
    back = settings.CONDUCT_BASE_URL.rstrip("/") + reverse("login")
    return redirect(f"{endpoint}?{urlencode({'client_id': provider['client_id'], 'post_logout_redirect_uri': back})}")


def end_session_endpoint(provider: dict) -> str | None:
    key = f"conduct.sso.end_session:{provider['id']}:{provider['server_url']}"
    endpoint = cache.get(key)
    if endpoint is None:
        try:
            response = requests.get(provider["server_url"] + "/.well-known/openid-configuration", timeout=5)
            response.raise_for_status()
            endpoint = str(response.json().get("end_session_endpoint") or "")
        except (requests.RequestException, ValueError):
            return None
        cache.set(key, endpoint, DISCOVERY_CACHE_SECONDS)
    return endpoint or None

