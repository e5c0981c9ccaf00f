"""Settings for the test suite: production settings with test-only secrets.

Tests run with DEBUG off, as production does, so they see the same security
settings; only what cannot work inside a test process is changed here.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="conduct-test-media-"))
# WhiteNoise serves from the finders in tests; an empty STATIC_ROOT keeps it from
# warning on every request that collectstatic has not run.
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="conduct-test-static-"))

from conduct.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# The login lock-out stays on, as in production: tests that log in through the
# login form see it. client.force_login() does not authenticate, so axes never
# sees it; client.login() would need a request (axes refuses without one), so
# tests use force_login or post the login form.
AXES_ENABLED = True

# The test client builds the middleware anew for every Client, and WhiteNoise indexes every static file
# (Bootstrap's dist and ours) each time it is built: a third of a request-heavy test's time. Looked up on
# request instead, the same files are served with the same headers.
WHITENOISE_AUTOREFRESH = True
