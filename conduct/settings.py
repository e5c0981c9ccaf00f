"""Settings for Conduct, read from the environment (see README.md)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from bootstrap_wrapper import get_bootstrap_dir
from django.core.exceptions import ImproperlyConfigured

from conduct.env import env_bool, env_int, env_list, env_str, media_storage
from conduct.sso.config import providers_from_env

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

# Refused below whenever DEBUG is off, so it can never sign a production session.
_DEV_SECRET = "dev-only-insecure-secret-key-never-use-in-production-0123456789"  # nosec B105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else None)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("SECRET_KEY must be set to a real secret when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # Sign in with the school's Microsoft 365 or Google account (conduct/sso); only the
    # OpenID Connect provider, and only its sign-in URLs are mounted (conduct/urls.py).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "conduct",
    "incidents",
    "sanctions",
    # The top floor: they read the apps below; nothing imports them but conduct/urls.py and the home page.
    "reports",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The idle timeout, pushed back at most once a minute (see the class).
    "conduct.middleware.IdleTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed a second factor?
    "django_otp.middleware.OTPMiddleware",
    # Every page needs a login unless its view says otherwise (login, reset).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # allauth requires it (it answers allauth's ImmediateHttpResponse during a provider sign-in).
    "allauth.account.middleware.AccountMiddleware",
    # With CONDUCT_REQUIRE_2FA on, heads, chairs, trust users and superusers
    # go through a second factor before anything else.
    "conduct.twofactor.RequireTwoFactorMiddleware",
    # The admin answers only superusers, wherever ADMIN_URL puts it.
    "conduct.middleware.AdminSuperuserOnlyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "conduct.middleware.SecurityHeadersMiddleware",
    # django-axes wants to be last: it turns a locked-out login into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "conduct.urls"
WSGI_APPLICATION = "conduct.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "conduct.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A web application's queries are short: JIT compilation only adds to the aggregate reports'
    # latency, and the database is on SSD or in memory, where a random read costs about a sequential one.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env_str(
        "DATABASE_PG_OPTIONS", "-c jit=off -c random_page_cost=1.1")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite's own page cache is 2 MB by default: a search across years of cases re-read its pages
    # from the operating system on every request. 64 MB of cache and reads through a memory map
    # spare those system calls.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = env_str(
        "DATABASE_SQLITE_INIT", "PRAGMA cache_size=-65536; PRAGMA mmap_size=1073741824")
    # A deferred transaction reads first and asks for the write lock later, when another request
    # may hold it: SQLite then fails at once with "database is locked". Taking the lock when the
    # transaction begins lets the second writer wait (up to the timeout, in seconds) and then see
    # what the first one did.
    DATABASES["default"]["OPTIONS"].update(
        transaction_mode="IMMEDIATE", timeout=env_int("DATABASE_SQLITE_TIMEOUT", 20))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every app server: a table in the database (reports/migrations creates it).
# Only the reports' figures are cached, for REPORT_CACHE_SECONDS.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "conduct_cache"},
}
REPORT_CACHE_SECONDS = env_int("REPORT_CACHE_SECONDS", 600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out username before any password is checked.
# Then Django's ModelBackend, extended to read the user's roles with the user (one query a request, not two).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "conduct.auth_backend.RolesModelBackend",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
# A reset link works once (the token is tied to the password hash and the last
# login) and for two hours at most.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Failed logins (django-axes): after LOGIN_FAILURE_LIMIT failures for one
# username from one address, that pair is locked for LOGIN_COOLOFF_MINUTES.
# The pair, not the address alone: a school's staff share one public address,
# and one mistyping colleague must not lock out the whole office.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "conduct/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Axes keeps its own attempt and access logs in the database (visible in the admin);
# every failure and lock-out also goes to the conduct.audit log.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The failure counters are rows in the shared database, so a lock-out holds on every
# app server, not only the one that counted the failures.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# Two-factor authentication (TOTP, django-otp). Off by default; when on,
# heads, chairs, trust users and superusers must set up and use an
# authenticator app. Everybody else may set one up from the account menu.
CONDUCT_REQUIRE_2FA = env_bool("CONDUCT_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Conduct")

# Sign in with the school's own account (OpenID Connect, django-allauth; conduct/sso). Each
# provider comes from CONDUCT_OIDC_PROVIDERS and its CONDUCT_OIDC_<ID>_* variables (README).
# allauth never creates an account here: conduct.sso.adapters lets in invited, active staff only.
CONDUCT_OIDC_PROVIDERS = providers_from_env()
# Off (once a provider is configured): the login page offers only the providers; a password
# sign-in is accepted for superusers only (the break-glass account, at /accounts/login/?password=1).
CONDUCT_PASSWORD_SIGNIN = env_bool("CONDUCT_PASSWORD_SIGNIN", True)
ACCOUNT_ADAPTER = "conduct.sso.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "conduct.sso.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    # allauth's provider with a nonce and the ID token's signature always checked (conduct/sso/provider.py).
    "openid_connect": {"provider_class": "conduct.sso.provider.ConductOIDCProvider", "OAUTH_PKCE_ENABLED": True},
}
# The provider has verified the address (the adapter checks); allauth sends no emails of its own.
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
ACCOUNT_EMAIL_VERIFICATION = "none"

# Several app servers share one database: sessions live there (not in a process or
# a server's files), so any server recognises a login made on another.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
# The age counts from the last request (an idle timeout): conduct.middleware.IdleTimeoutMiddleware.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", get_bootstrap_dir())]
# Files browsers ask for at the root of the site (/favicon.ico), served by WhiteNoise before any login check.
WHITENOISE_ROOT = BASE_DIR / "public"
STORAGES = {
    # Uploaded evidence, photos, logos and attachments live under MEDIA_ROOT or, with
    # MEDIA_STORAGE=s3, in one private bucket that every app server shares. No URL serves
    # either: only permission-checking views read them, through the storage API.
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = None

FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CONDUCT_MAX_UPLOAD_MB = env_int("CONDUCT_MAX_UPLOAD_MB", 20)

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds to wait for the mail server: a letter emailed after issuing must not hold the page for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "conduct@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in notification emails need the public address of the site.
CONDUCT_BASE_URL = env_str("CONDUCT_BASE_URL", "http://127.0.0.1:8000")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        # The client's address for the login lock-out is the one the proxy adds (several app
        # servers behind it all see the proxy as REMOTE_ADDR); without a proxy only REMOTE_ADDR
        # counts, so a forged header changes nothing.
        AXES_CLIENT_IP_CALLABLE = "conduct.client_ip.forwarded_client_ip"

# The admin lives at a path of the deployment's choosing (e.g. "manage-7f3k/"),
# answers superusers only (conduct.middleware.AdminSuperuserOnlyMiddleware) and
# is a 404 for everybody else.
ADMIN_URL = env_str("ADMIN_URL", "admin/")
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/") or ADMIN_URL.strip("/") in {"", "accounts", "static"}:
    raise ImproperlyConfigured(
        f"ADMIN_URL={ADMIN_URL!r}: give a path such as 'manage-7f3k/' (no leading slash, one trailing)."
    )
CONDUCT_REPRESENTATION_DAYS_DEFAULT = 14

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "conduct.audit": {"handlers": ["console"], "level": "INFO"},
        "axes": {"handlers": ["console"], "level": "WARNING"},
        # allauth logs a refused or failed provider sign-in with its exception; conduct.audit says why.
        "allauth": {"handlers": ["console"], "level": "ERROR"},
        "django": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
    },
}
