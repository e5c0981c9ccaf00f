"""Optional two-factor authentication with a TOTP authenticator app (django-otp).

Anybody may set up a device from /accounts/2fa/setup/; once an account has one,
adding another takes a session that has passed a code. With the setting
CONDUCT_REQUIRE_2FA on, heads, chairs of Local Academy Boards, trust users and
superusers must: until their session has passed a second factor, every page
sends them to set up a device (when they have none) or to enter a code.
Imports neither incidents nor sanctions.
"""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from conduct import services
from conduct.audit import audit_log
from conduct.permissions import all_roles
from conduct.roles import Role

# Roles whose accounts can decide bans or read every school's cases.
TWO_FACTOR_ROLES = frozenset({Role.HEAD, Role.CHAIR, Role.TRUST, Role.DPO, Role.ADMIN})


def requires_two_factor(user) -> bool:
    if not getattr(settings, "CONDUCT_REQUIRE_2FA", False):
        return False
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(all_roles(user) & TWO_FACTOR_ROLES)


def confirmed_devices(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


class TokenForm(forms.Form):
    token = forms.CharField(
        label="The 6-digit code from your authenticator app", max_length=8, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        # "²".isdigit() is true too; only ASCII digits are a code.
        if not (token.isascii() and token.isdigit()):
            raise forms.ValidationError("Enter the digits shown in your authenticator app.")
        return token


PENDING_KEY = "twofactor_pending_device"
# Set by a sign-in through the school's identity provider (conduct.sso) when the provider reported
# multi-factor authentication or is configured as enforcing it: it counts as this session's second
# factor, as a code does. Django's login keeps the session's data and logout flushes it, like the
# device django-otp records.
PROVIDER_MFA_KEY = "twofactor_provider_mfa"


def provider_mfa_record(request, *, provider_id: str, passed: bool) -> None:
    """After a provider sign-in: did it pass a second factor there? (Otherwise Conduct's step follows.)"""
    if passed:
        request.session[PROVIDER_MFA_KEY] = provider_id
    else:
        request.session.pop(PROVIDER_MFA_KEY, None)


def second_factor_passed(request) -> bool:
    """An authenticator code in this session, or a provider sign-in that reported MFA."""
    return request.user.is_verified() or bool(request.session.get(PROVIDER_MFA_KEY))


def _pending_device(request):
    """The unconfirmed app this session started, if it still exists (another session may have replaced it)."""
    pk = request.session.get(PENDING_KEY)
    if not isinstance(pk, int):
        return None
    return TOTPDevice.objects.filter(pk=pk, user=request.user, confirmed=False).first()


def _to_verify(request):
    return redirect(f"{reverse('twofactor:verify')}?{urlencode({'next': _safe_next(request)})}")


def _to_setup(request):
    return redirect(f"{reverse('twofactor:setup')}?{urlencode({'next': _safe_next(request)})}")


def setup(request):
    """Add an authenticator app: show the secret as a QR code, confirm with one code."""
    user = request.user
    if not services.may_add_authenticator(user):
        return _to_verify(request)
    device = _pending_device(request)
    if request.method == "POST" and device is None:
        messages.error(request, "That set-up has expired: scan the new code.")
        return _to_setup(request)
    if device is None:
        device = services.authenticator_start(actor=user)
        request.session[PENDING_KEY] = device.pk
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.authenticator_confirm(actor=user, device=device, token=form.cleaned_data["token"])
        except (PermissionDenied, ValidationError):
            # Another session confirmed an app or replaced this secret meanwhile: verify
            # sends on to set-up again when there is still no app to ask a code from.
            return _to_verify(request)
        if confirmed:
            request.session.pop(PENDING_KEY, None)
            otp_login(request, device)
            messages.success(request, "Two-factor authentication is set up for your account.")
            return redirect(_safe_next(request))
        form.add_error("token", "That code is not right. Check the time on your phone and try the newest code.")
    return _setup_page(request, device, form)


def _setup_page(request, device, form):
    qr = segno.make(device.config_url, error="m")
    return render(request, "conduct/twofactor_setup.html", {
        "form": form, "qr_data_uri": qr.svg_data_uri(scale=5, border=2),
        "secret": b32encode(device.bin_key).decode(), "has_device": confirmed_devices(request.user).exists(),
        "next": _safe_next(request),
    })


def verify(request):
    """Enter a code from an already set-up authenticator app for this session."""
    user = request.user
    devices = list(confirmed_devices(user))
    if not devices:
        return _to_setup(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            # verify_token throttles repeated failures per device.
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                audit_log(user, "2fa_verified", device)
                return redirect(_safe_next(request))
        audit_log(user, "2fa_failed")
        form.add_error("token", "That code is not right. Try the newest code from your authenticator app.")
    return render(request, "conduct/twofactor_verify.html", {"form": form, "next": _safe_next(request)})


app_name = "twofactor"
urlpatterns = [
    path("setup/", setup, name="setup"),
    path("verify/", verify, name="verify"),
]


class RequireTwoFactorMiddleware:
    """With CONDUCT_REQUIRE_2FA on, hold users who need a second factor at the
    setup or verification page until this session has passed one.

    Exact paths, not prefixes: a session without its second factor reaches the one page that lets
    it pass (set-up only while the account has no app yet) and logout, nothing else. Static files
    never get here: WhiteNoise answers them first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and requires_two_factor(user) and not second_factor_passed(request):
            target = reverse("twofactor:verify" if confirmed_devices(user).exists() else "twofactor:setup")
            if request.path not in (target, reverse("logout")):
                return redirect_to_login(request.get_full_path(), target)
        return self.get_response(request)
