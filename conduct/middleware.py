"""Security headers on every response, and the admin for superusers only.

Why our own Content-Security-Policy and not django-csp: the app has no inline
script or style anywhere and never needs a nonce, so the whole policy is one
constant string. django-csp 4 would add a dependency, a settings dialect and
nonce machinery we do not use; its report-only mode and per-view overrides are
not needed either. If inline code ever becomes necessary, switch to django-csp
for its nonces rather than adding 'unsafe-inline' here.
"""

import time

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404

# No inline scripts or styles anywhere: every script and stylesheet is a file
# under /static/, so a tight policy costs nothing and blocks injected markup.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Case pages hold personal data: keep them out of shared and back-button caches.
            response.setdefault("Cache-Control", "private, no-store")
        return response


class AdminSuperuserOnlyMiddleware:
    """The admin exists only for superusers.

    Django's admin lets in any `is_staff` user and has its own login page;
    here a visitor who is not logged in goes to the normal login page (with
    its lock-out and second factor) and a logged-in user who is not a
    superuser gets a 404, as if there were no admin at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_URL.lstrip("/")

    def __call__(self, request):
        if request.path.startswith(self.prefix) or request.path == self.prefix.rstrip("/"):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (user.is_active and user.is_superuser):
                raise Http404
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Pushes a signed-in session's idle timeout back, at most once a minute.

    SESSION_SAVE_EVERY_REQUEST wrote the session row on every page view: one
    UPDATE per request on the database every app server shares, the busiest
    write in the application. Touching the session when the last push is a
    minute old keeps the idle timeout to within a minute and costs one write a
    minute per user instead. Listed after SessionMiddleware, so the session is
    saved (and its expiry reset) by that middleware's response phase.
    """

    REFRESH_SECONDS = 60
    KEY = "_idle_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
                session[self.KEY] = now
        return response
