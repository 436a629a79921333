"""CSC Workforce settings: one file, everything from the environment (see .env.example)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
# The demo is the default; production must say so and must bring its own secret.
PRODUCTION = env_bool("PRODUCTION", False)
_DEMO_SECRET = "demo-only-insecure-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEMO_SECRET)
if PRODUCTION and SECRET_KEY == _DEMO_SECRET:
    raise ImproperlyConfigured("SECRET_KEY must be set when PRODUCTION=1.")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when PRODUCTION=1.")

ALLOWED_HOSTS = [
    h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# The DfE's XML schema of the CSWW census return, which exports are checked against. It is DfE's
# file, not part of this project: point CSWW_SCHEMA at the copy DfE publishes for the year.
CSWW_SCHEMA = Path(
    os.environ.get(
        "CSWW_SCHEMA",
        BASE_DIR.parent / "shared" / "reference" / "csww-schema" / "social_work_workforce_2022.xsd",
    )
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "workforce.core",
    "workforce.establishment",
    "workforce.metrics",
    "workforce.caseloads",
    "workforce.recruitment",
    "workforce.census",
    "workforce.imports",
    "workforce.reports",
    "workforce.actionplans",
    "workforce.careers",
    "workforce.benchmarks",
    "workforce.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Sign-in rules (docs/security.md): private pages are not cached, an idle session ends,
    # and administrators and workforce leads give a second factor before any page.
    "workforce.core.security.PrivateResponseMiddleware",
    "workforce.core.security.IdleTimeoutMiddleware",
    "workforce.core.security.TwoFactorMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Counts failed sign-ins and refuses a locked-out username or address (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "workforce.core.forms.GovukFormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workforce.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the demo server read while a long import or seed writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["timeout"] = 30
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The figures' queries are short but their estimated costs large, so PostgreSQL's JIT
    # compiler spends longer compiling than running them (1.7 s of 2.5 s in the caseloads
    # overview's series): it is off for this service's connections.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

# Passwords follow the NCSC's guidance: long (12 characters or more, no rules on which kinds of
# character), not one of the 20,000 most common (Django's list, taken from breached passwords),
# and never forced to change on a timetable.
PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "12"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks every sign-in first; the model backend then checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout (docs/security.md): after AXES_FAILURE_LIMIT failed sign-ins for one username, or from
# one address, further attempts are refused for AXES_COOLOFF_TIME hours, or until an
# administrator unlocks the account (the user's page) or `manage.py axes_reset_ip` an address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "workforce.core.account.locked_out"
AXES_VERBOSE = False
# Behind the production reverse proxy the client's address is the last one it adds.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "1" if PRODUCTION else "0"))
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if PRODUCTION else ["REMOTE_ADDR"]
)

# Two-factor sign-in (TOTP, django-otp): these roles must set up and use an authenticator app;
# anyone else may, from "Your account".
TWO_FACTOR_ROLES = [
    r for r in os.environ.get("TWO_FACTOR_ROLES", "admin,workforce_lead").split(",") if r
]
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "CSC Workforce")

# A session unused for SESSION_IDLE_TIMEOUT seconds ends (the sign-in page says why); none lasts
# longer than SESSION_COOKIE_AGE, nor past closing the browser.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(10 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en-gb"
# Dates as GOV.UK writes them ("1 July 2023"): workforce/core/formats/en_GB/formats.py.
FORMAT_MODULE_PATH = ["workforce.core.formats"]
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:ia"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Production collects static files here (`manage.py collectstatic`); the demo serves them straight
# from the app and npm folders through WhiteNoise's finders.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages are installed by npm (package.json) and served from node_modules.
STATICFILES_DIRS = [
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vega", NODE_MODULES / "vega" / "build"),
    ("vega-lite", NODE_MODULES / "vega-lite" / "build"),
    ("vega-embed", NODE_MODULES / "vega-embed" / "build"),
]
STATICFILES_DIRS = [(prefix, path) for prefix, path in STATICFILES_DIRS if path.exists()]
WHITENOISE_USE_FINDERS = True

# Uploads (the import pages): up to FILE_UPLOAD_MAX_MEMORY_SIZE a file is held in memory, larger
# ones are spooled to a temporary file in FILE_UPLOAD_TEMP_DIR (the system's by default) and
# refused by their size before they are read. An upload past IMPORT_UPLOAD_CEILING bytes is not
# even spooled: it is stopped as it arrives (workforce/imports/uploads.py).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, 2.5 MB
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None
FILE_UPLOAD_HANDLERS = [
    "workforce.imports.uploads.CeilingUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
IMPORT_UPLOAD_CEILING = int(os.environ.get("IMPORT_UPLOAD_CEILING", str(200 * 1024 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Background work (checking and importing files) is queued in the database and run by a second
# process, `manage.py db_worker` (docs/operations.md): no other server is needed, on SQLite or
# PostgreSQL. TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs each task at
# once, in the request that queues it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A file being checked or imported that the worker has said nothing of for this many seconds is
# taken to have stopped (the worker killed part way) and recorded as failed.
IMPORT_STALE_AFTER = int(os.environ.get("IMPORT_STALE_AFTER", "3600"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_FAILURE_VIEW = "workforce.core.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site only;
# nothing inline, no eval (charts use Vega's interpreter), no frames, forms post here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features the service never uses are switched off (workforce.core.security).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
# Production runs behind an HTTPS reverse proxy that sets X-Forwarded-Proto (and removes any a
# client sent): plain HTTP is redirected, and browsers are told to use HTTPS only.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_SSL_REDIRECT = PRODUCTION
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
# HSTS covers the names under the service's own host name and consents to the browsers' preload
# list; either can be turned off (docs/decisions/0018-hsts-subdomains-and-preload.md).
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION and env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = PRODUCTION and env_bool("SECURE_HSTS_PRELOAD", True)

# Census: the absence-rate denominator (working days in a year), as DfE uses.
WORKING_DAYS_PER_YEAR = int(os.environ.get("WORKING_DAYS_PER_YEAR", "253"))

# Caseloads: the key for pseudonymous child references (a keyed hash of the case-system id).
CHILD_REF_KEY = os.environ.get("CHILD_REF_KEY", "demo-only-child-reference-key")
# The key that seals files waiting to be imported (`imports.sealed`); by default from SECRET_KEY.
IMPORT_FILE_KEY = os.environ.get("IMPORT_FILE_KEY", "")
# Where a job inside its transaction on SQLite writes its progress aside (`core.progress`): a
# folder the web server and the worker share. Empty: the system's temporary folder.
PROGRESS_DIR = os.environ.get("PROGRESS_DIR", "")

# Action plans: evidence files are kept here, outside anything the web server serves, and given
# back only as downloads to those allowed to read the plan.
EVIDENCE_ROOT = os.environ.get("EVIDENCE_ROOT") or str(BASE_DIR / "var" / "evidence")
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))

AUDITLOG_INCLUDE_ALL_MODELS = False

# Logs go to standard error: as JSON lines that never hold personal data (workforce/core/logs.py)
# in production or with LOG_FORMAT=json, as plain text for the demo.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "workforce.core.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# `manage.py backup` (make backup) writes here unless told otherwise; the files hold personal
# data.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))

# The retention policy (`manage.py apply_retention_policy`): a leaver's identifying details are
# removed this many whole years after their last engagement ended; figures are unchanged.
LEAVER_RETENTION_YEARS = int(os.environ.get("LEAVER_RETENTION_YEARS", "6"))
