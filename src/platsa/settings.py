"""Settings for platsa, read from the environment through strict helpers.

SQLite in a per-user data directory is the default, so a fresh install runs with no
configuration; ``PLATSA_DATABASE_URL=postgres://user:pass@host:port/name`` selects PostgreSQL.
"""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path

import dj_database_url
import platformdirs
from django.core.exceptions import ImproperlyConfigured

from platsa.envconfig import env_bool, env_int, env_list, env_str
from platsa.oidcconfig import oidc_apps, saml_apps

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("PLATSA_DATA_DIR") or platformdirs.user_data_dir("platsa", appauthor=False))

DEBUG = env_bool("PLATSA_DEBUG", False)


def _secret_key() -> str:
    key = env_str("PLATSA_SECRET_KEY")
    if key:
        return key
    # No key configured: keep one per data directory, readable by the user only, so sessions
    # survive restarts of a local installation. Production sets PLATSA_SECRET_KEY(_FILE).
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.touch(mode=0o600)
    path.write_text(key, encoding="utf-8")
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("PLATSA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("PLATSA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Lowest first: common (permissions, clock, labels, template helpers) stands under every
    # app; site (start pages, case files, the demo, ``platsa calc``) stands on all of them.
    "platsa.common",
    "platsa.accounts",
    "platsa.procurement",
    "platsa.placements",
    "platsa.occupancy",
    "platsa.impact",
    "platsa.transfer",
    "platsa.site",
    "ninja",  # the API's interactive documentation, served from our own static files
    "django_tasks",  # long work in the background (``platsa worker`` runs it)
    "django_tasks_db",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "django.contrib.humanize",  # allauth's WebAuthn pages
]

# The task queue lives in the database (no extra service): ``platsa worker`` runs the jobs;
# ``platsa demo`` starts one itself.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "platsa.placements.access.AccessLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "platsa.common.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
    "platsa.site.mfa.SecondFactorMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# After this many failed logins for one username, or from one address, logins stop for a while.
AXES_FAILURE_LIMIT = env_int("PLATSA_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = env_int("PLATSA_LOGIN_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# Behind a reverse proxy: the proxies whose X-Forwarded-For is believed (addresses or networks).
PLATSA_TRUSTED_PROXIES = env_list("PLATSA_TRUSTED_PROXIES", [])
for _proxy in PLATSA_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"PLATSA_TRUSTED_PROXIES: {_proxy!r} is not an address or a network."
        ) from None
AXES_CLIENT_IP_CALLABLE = "platsa.common.http.client_address"

ROOT_URLCONF = "platsa.urls"
WSGI_APPLICATION = "platsa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "platsa.common.context_processors.navigation",
            ],
        },
    },
]

# SQLite, wherever its file is: writes take the lock when their transaction begins and wait for
# it (no "database is locked" when a few people save at once), readers never block the writer.
_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}

_database_url = env_str("PLATSA_DATABASE_URL")
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"PLATSA_DATABASE_URL cannot be read: {exc}") from exc
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = {
            **_SQLITE_OPTIONS,
            **DATABASES["default"].get("OPTIONS", {}),
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "platsa.sqlite3",
            "OPTIONS": dict(_SQLITE_OPTIONS),
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Login, second factor and password reset: django-allauth. Accounts are created by the
# municipality's administrator, never by sign-up; usernames, not e-mail, log in.
ACCOUNT_ADAPTER = "platsa.site.mfa.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # no mail to addresses that have no account
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Failed logins are counted by django-axes (in the database, so across processes); allauth's own
# per-process count would answer first with a different page.
ACCOUNT_RATE_LIMITS = {"login": None, "login_failed": None}
# The municipality's identity provider (OpenID Connect or SAML 2.0; platsa.site.federation).
SOCIALACCOUNT_ADAPTER = "platsa.site.federation.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"APPS": oidc_apps(env_str("PLATSA_OIDC_FILE"))},
    "saml": {"APPS": saml_apps(env_str("PLATSA_SAML_FILE"))},
}
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_TOTP_ISSUER = "platsa"
# Every account must have passed a second factor in its session before it reaches any page
# but the ones that set one up (platsa.site.mfa). Off only in the demo.
PLATSA_MFA_REQUIRED = env_bool("PLATSA_MFA_REQUIRED", True)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface is written with English source strings and translated completely into Swedish
# (locale/sv); Swedish is the default and the only language offered to users.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

STATIC_URL = "static/"
# Static files are served from the package by WhiteNoise; set PLATSA_STATIC_ROOT and run
# `platsa collectstatic` to serve them compressed from one folder in production.
_static_root = env_str("PLATSA_STATIC_ROOT")
STATIC_ROOT = Path(_static_root) if _static_root else None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# A session ends after this long without a request (each request starts the clock again), and
# when the browser closes: a screen left open with people's data does not stay signed in.
SESSION_COOKIE_AGE = env_int("PLATSA_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
_https = env_bool("PLATSA_HTTPS", False)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
# WebAuthn needs a secure origin; without HTTPS only a loopback demo can use it.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not _https
SECURE_SSL_REDIRECT = _https
# Over HTTPS, browsers are told to use nothing else for a year.
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if _https else 0
# platsa runs on a host of its own (e.g. platsa.kommun.se): its subdomains are its own too.
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
# Preloading is a commitment for the whole registered domain, which is the municipality's to
# make (and to submit to the browsers' list), not platsa's.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Email is off until configured; switching it on without a host fails loudly at start-up.
PLATSA_EMAIL_ENABLED = env_bool("PLATSA_EMAIL", False)
if PLATSA_EMAIL_ENABLED:
    EMAIL_HOST = env_str("PLATSA_EMAIL_HOST")
    if not EMAIL_HOST:
        raise ImproperlyConfigured("PLATSA_EMAIL is true but PLATSA_EMAIL_HOST is not set.")
    EMAIL_PORT = env_int("PLATSA_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("PLATSA_EMAIL_USER") or ""
    EMAIL_HOST_PASSWORD = env_str("PLATSA_EMAIL_PASSWORD") or ""
    EMAIL_USE_TLS = env_bool("PLATSA_EMAIL_TLS", True)
    DEFAULT_FROM_EMAIL = env_str("PLATSA_EMAIL_FROM") or "platsa@localhost"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

# Logs carry ids and pseudonymous codes only: never names or personal identity numbers.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("PLATSA_LOG_LEVEL") or "INFO"},
    "loggers": {
        "waitress.queue": {"level": "ERROR"},
        # WeasyPrint reports every layout step at INFO and missing CSS features at WARNING.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

# Counts under this threshold are suppressed in aggregates shown to analysts and boards.
PLATSA_MIN_GROUP_SIZE = env_int("PLATSA_MIN_GROUP_SIZE", 5)

# Calls one user may make to the API (django-ninja's rate format: "1200/m", "50/s").
PLATSA_API_RATE = env_str("PLATSA_API_RATE", "1200/m") or "1200/m"
