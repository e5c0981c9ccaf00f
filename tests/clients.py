"""Django's test client, signing in without a session it throws away."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from django.test import Client as DjangoClient


class Client(DjangoClient):
    """force_login on a client with no session yet signs in on a new, unsaved one.

    Django's saves an empty session first, reads it back, and deletes it when login() gives the user a new key:
    five queries of a sign-in's eleven, and the suite signs in some ten thousand times. login() runs as ever,
    with its signals (the last login, axes' access log, the audit log); the client ends with one session, as
    Django's does."""

    def _login(self, user, backend=None):
        if self.cookies.get(settings.SESSION_COOKIE_NAME):
            return super()._login(user, backend)
        request = HttpRequest()
        request.session = import_module(settings.SESSION_ENGINE).SessionStore()
        login(request, user, backend)
        request.session.save()
        self._set_login_cookies(request)
