"""The one settings module. Everything that differs between machines comes from
the environment through the helpers in `rumbo.env`; the defaults give the
embedded single-machine setup (SQLite in ./var, console email, DEBUG off)."""

import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from rumbo.env import env_bool, env_int, env_list, env_str

SRC_DIR = Path(__file__).resolve().parent
PROJECT_DIR = SRC_DIR.parent.parent
DATA_DIR = Path(env_str("RUMBO_DATA_DIR", str(PROJECT_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The secret comes from the environment in production; the embedded default
    keeps a generated one in the data directory so sessions survive restarts."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS hardening: on by RUMBO_HTTPS=1 in production behind TLS. Off by default
# so the embedded setup works on http://127.0.0.1.
HTTPS = env_bool("RUMBO_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    "rumbo.tenancy",
    "rumbo.sales",
    "rumbo.web",
    "rumbo.demo",
    "rumbo.imports",
    "rumbo.metrics",
    "rumbo.goals",
    "rumbo.notifications",
    "rumbo.dashboards",
    "rumbo.search",
    "rumbo.care",
    "rumbo.recognition",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "ninja",
    "axes",
    "csp",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    # First: a body beyond its URL's limit is refused (413) before anything reads it.
    "rumbo.web.limits.BodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # PostgreSQL's statement_timeout for web requests only (not commands or jobs).
    "rumbo.web.limits.StatementTimeoutMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Answers to a signed-in user (page or API): Cache-Control: private, no-store.
    "rumbo.web.middleware.PrivateNoStoreMiddleware",
    "rumbo.tenancy.middleware.CurrentMemberMiddleware",
    # A page's write refreshes its own rollup keys before answering (ADR 0019).
    "rumbo.dashboards.fresh.SavedMeansShownMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rumbo.urls"
WSGI_APPLICATION = "rumbo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rumbo.web.context.navigation",
            ],
        },
    }
]

# SQLite (WAL, immediate transactions) by default; PostgreSQL by DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'rumbo.sqlite3'}"),
        # A worker thread keeps its connection: opening one per request cost
        # PostgreSQL a new backend each time, half the rep home's server time
        # under load (docs/benchmarks.md, "Dashboards under load").
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "tenancy.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Email in any case, and the user read with their memberships (tenancy.auth);
    # ModelBackend stays listed for sessions that logged in by its path before.
    "rumbo.tenancy.auth.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout: five failures for one account from one address locks it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Count failures per lower-cased email, so changing its case opens no new budget.
AXES_USERNAME_CALLABLE = "rumbo.tenancy.auth.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Password spraying (one address trying a password on many emails): this many
# failures from one address, whatever the emails, lock that address out too
# for the same cool-off. Axes has one limit for all its parameters, so this
# second limit lives in our handler (rumbo.tenancy.auth.AxesHandler).
AXES_HANDLER = "rumbo.tenancy.auth.AxesHandler"
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 20)
# Messages sent to an address a visitor types (sign-up, password reset): at
# most this many per hour to one address, and from one client address.
ACCOUNT_EMAILS_PER_ADDRESS = env_int("RUMBO_ACCOUNT_EMAILS_PER_ADDRESS", 3)
ACCOUNT_EMAILS_PER_CLIENT = env_int("RUMBO_ACCOUNT_EMAILS_PER_CLIENT", 10)
# Password reset links work for one hour (and once: Django's token is bound to
# the password and the email, so it dies when either changes).
PASSWORD_RESET_TIMEOUT = 3600

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns when it is missing
NODE_MODULES = Path(env_str("RUMBO_NODE_MODULES", str(PROJECT_DIR / "node_modules")))
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve straight from the finders so `rumbo serve` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Content-Security-Policy: only our own origin, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds before a silent mail server fails the send instead of hanging the request.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Rumbo <rumbo@localhost>")

# Background jobs: SQLite storage in the embedded default, Redis when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL")
HUEY = {
    "name": "rumbo",
    "immediate": env_bool("HUEY_IMMEDIATE", False),
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "huey.sqlite3")})

# Cache: Redis (the same server as the jobs) when REDIS_URL is set, so that
# every worker process shares it; else each process's own memory. It holds
# computed figures under each organisation's figures version (ADR 0007), and
# with Redis also the sessions (read from the cache, written through to the
# database) — not with per-process memory, where a logout in one worker would
# leave the session cached in the others.
CACHE_URL = env_str("CACHE_URL", REDIS_URL)
CACHES: dict[str, dict[str, Any]]
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": CACHE_URL, "KEY_PREFIX": "rumbo"}}  # fmt: skip
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "LOCATION": "rumbo", "OPTIONS": {"MAX_ENTRIES": 5000}}}  # fmt: skip
# How long a computed figure stays cached at most. A change of the figures
# makes it unread at once (the version moves); this bounds what a restored
# backup could read from a cache older than it, and the memory it holds.
FIGURES_CACHE_SECONDS = env_int("RUMBO_FIGURES_CACHE_SECONDS", 3600)

# Imports: uploaded files and problem reports live here; files above the size
# limit are refused, and an XLSX may expand to at most IMPORT_MAX_XLSX_EXPANDED bytes.
IMPORT_ROOT = Path(env_str("RUMBO_IMPORT_ROOT", str(DATA_DIR / "imports")))
IMPORT_MAX_BYTES = env_int("RUMBO_IMPORT_MAX_MB", 256) * 1024 * 1024
IMPORT_MAX_XLSX_EXPANDED = env_int("RUMBO_IMPORT_MAX_XLSX_EXPANDED_MB", 1024) * 1024 * 1024
# A workbook's shared strings are held in memory while it is read: at most this
# many strings, of at most this many characters in all (reading.py).
IMPORT_MAX_SHARED_STRINGS = env_int("RUMBO_IMPORT_MAX_SHARED_STRINGS", 2_000_000)
IMPORT_MAX_SHARED_CHARS = env_int("RUMBO_IMPORT_MAX_SHARED_CHARS_M", 64) * 1_000_000

# Request bodies (docs/operations.md, "Security"): any request but an import
# upload is refused (413) past REQUEST_MAX_BYTES, before it is read (web/limits.py);
# an import upload past IMPORT_MAX_BYTES. Form fields beyond DATA_UPLOAD_MAX_MEMORY_SIZE
# answer 400; an uploaded file above FILE_UPLOAD_MAX_MEMORY_SIZE goes to a temporary
# file (counted by the limit handler first, so it stops at the limit).
REQUEST_MAX_BYTES = env_int("RUMBO_REQUEST_MAX_MB", 5) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "rumbo.web.limits.BodyLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# API calls per user (every token and the session together), reads (GET) and
# writes apart; past them the API answers 429 with Retry-After. Empty: no limit.
API_READ_RATE = env_str("RUMBO_API_RATE", "600/min")
API_WRITE_RATE = env_str("RUMBO_API_WRITE_RATE", "120/min")

# PostgreSQL stops a web request's statement after this many milliseconds and
# the request answers 503 (0: no limit). Commands (`rumbo metrics rebuild`,
# `rumbo import`) and the job worker never get it (web/limits.py).
STATEMENT_TIMEOUT_MS = env_int("RUMBO_STATEMENT_TIMEOUT_MS", 30_000)

# Links in emails sent by background jobs (the daily digest) start with this address.
BASE_URL = env_str("RUMBO_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The notification digest goes out at this hour of each organisation's local time.
NOTIFICATIONS_DIGEST_HOUR = env_int("RUMBO_DIGEST_HOUR", 7)

# Invitation links stay valid this many days.
INVITATION_DAYS = env_int("RUMBO_INVITATION_DAYS", 7)
PAGE_SIZE = 25
API_MAX_PAGE_SIZE = 500

# Bounded work for every request (docs/operations.md, "Security"). A metric,
# score or leaderboard is read over at most METRICS_MAX_YEARS, split into at
# most METRICS_MAX_BUCKETS weeks or months (metrics/periods.py).
METRICS_MAX_YEARS = env_int("RUMBO_MAX_PERIOD_YEARS", 10)
METRICS_MAX_BUCKETS = env_int("RUMBO_MAX_BUCKETS", 520)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
