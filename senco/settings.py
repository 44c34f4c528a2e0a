"""Settings for the SENCO caseload manager.

Every value comes from the environment through the helpers below, which fail loudly on
junk rather than guessing (style guide R14). `.env.example` and the README list them all.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, between: tuple[int, int] | None = None, why: str = "") -> int:
    """A whole number; with `between`, one inside those bounds (inclusive), `why` saying why."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc
    if between and not between[0] <= value <= between[1]:
        raise ImproperlyConfigured(
            f"{name} must be between {between[0]} and {between[1]} ({why}), not {value}"
        )
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    # An empty value is refused only where it would silently replace a default that lists
    # something; where the default is empty it means the same (docker-compose passes unset
    # variables on as "").
    if not items and default:
        raise ImproperlyConfigured(f"{name} is set but lists nothing")
    return items


def email_settings(url: str) -> dict[str, object]:
    """Turn EMAIL_URL (console://, smtp://user:pass@host:587?tls=1) into Django settings."""
    parsed = urlparse(url)
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parsed.scheme in ("smtp", "smtps"):
        if not parsed.hostname:
            raise ImproperlyConfigured("EMAIL_URL needs a host, e.g. smtp://user:pass@mail.example:587")
        query = dict(part.split("=", 1) for part in parsed.query.split("&") if "=" in part)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname,
            "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 587),
            "EMAIL_HOST_USER": unquote(parsed.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
            "EMAIL_USE_SSL": parsed.scheme == "smtps",
            "EMAIL_USE_TLS": parsed.scheme == "smtp" and query.get("tls", "1") in _TRUE,
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL scheme {parsed.scheme!r} is not one of console, locmem, smtp, smtps"
    )


def cache_settings(url: str | None) -> dict[str, dict[str, str]]:
    """Turn CACHE_URL (redis://host:6379/1, rediss://…) into Django's CACHES; unset, this process's
    memory."""
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    scheme = urlparse(url).scheme
    if scheme not in ("redis", "rediss"):
        raise ImproperlyConfigured(f"CACHE_URL must be redis://host:6379/1 or rediss://…, not {scheme!r}")
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "senco.apps.SencoAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's own form templates, for FORM_RENDERER below
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    # Before `senco`, so that senco/admin.py can take their devices out of the admin.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "senco",
    "pupils",
    "provision",
    "agencies",
    "transitions",
    "senco.reports",
    "senco.demo",
]

MIDDLEWARE = [
    # Outermost, so that the response it hangs a request's queued tasks on is the one the server
    # sends (nothing outside it can replace that response).
    "senco.middleware.tasks_after_response",
    # Before the others, so that the health check answers before the Host check and the HTTPS
    # redirect.
    "senco.middleware.health_check",
    "django.middleware.security.SecurityMiddleware",
    "senco.middleware.content_security_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, saving a session's new expiry at most once a minute rather than on every request.
    "senco.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Tells which signed-in users have given their second factor in this session.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "senco.middleware.request_context",
    # Sends a user who still owes a second factor to it, from every page that is not public.
    "senco.middleware.SecondFactorMiddleware",
    # Axes goes last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# Form widgets render through the project's templates, so templates/django/forms/ can replace a
# widget's template with a quicker one (the select, whose options Django includes one by one).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "senco.urls"
WSGI_APPLICATION = "senco.wsgi.application"

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
                "senco.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
# Each gunicorn thread keeps its connection for this many seconds rather than opening one per
# request (0: one per request). The health check (CONN_HEALTH_CHECKS) asks a kept connection
# whether it still works before a request's first query, so a restarted PostgreSQL costs the next
# request a reconnection, not an error page (docs/decisions/faults.md).
DB_CONN_MAX_AGE = env_int(
    "DB_CONN_MAX_AGE", 60, between=(0, 3600), why="0 opens a connection per request; at most an hour"
)
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds counters (how often an address or a client asked for a password reset) and an
# MIS import's progress. gunicorn runs several processes, and the worker another, so in production
# they share Redis; without CACHE_URL each process keeps its own, which is enough for `make run`.
CACHES = cache_settings(env_str("CACHE_URL"))

AUTH_USER_MODEL = "senco.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A reset link works once and for an hour (issue 12): long enough to open the e-mail, short
# enough that a link found later in a mailbox is dead.
PASSWORD_RESET_TIMEOUT = 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Ten failed tries lock the username out for an hour (issue 3: at most 10 tries).
AXES_FAILURE_LIMIT = env_int(
    "AXES_FAILURE_LIMIT", 10, between=(1, 10), why="sign-in locks after at most 10 tries"
)
AXES_COOLOFF_TIME = timedelta(hours=1)
# By username only: a whole school's staff often share one public IP address, so locking
# an address would lock every colleague out (hence axes.W006 is silenced below).
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Reverse proxies in front of gunicorn, each adding one X-Forwarded-For hop. 0 means none: the
# forwarded headers are then anybody's to write and nothing reads them (see
# SECURE_PROXY_SSL_HEADER below and `senco.middleware._client_ip`).
PROXY_COUNT = env_int("PROXY_COUNT", 0, between=(0, 5), why="the reverse proxies in front of gunicorn")
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT

# A second factor (an authenticator app's code, or a single-use recovery code) for everyone who
# can see a pupil's name (docs/decisions/multi-factor-sign-in.md). Only the demo turns it off
# (`make run`): with DEBUG off the settings refuse to start without it, so no production
# installation can run on passwords alone.
MFA_REQUIRED = env_bool("MFA_REQUIRED", True)
if not MFA_REQUIRED and not DEBUG:
    raise ImproperlyConfigured(
        "MFA_REQUIRED can be turned off only with DEBUG on (the demo): staff who see pupils' "
        "records must sign in with a second factor"
    )
# The name an authenticator app shows beside the code.
OTP_TOTP_ISSUER = "SENCO caseload"

# Database sessions that end after 30 idle minutes: a request pushes the expiry on when it was last
# pushed a minute or more ago (`senco.middleware.IdleSessionMiddleware`), not on every request,
# which cost every page a write and a commit; so a session ends 29 to 30 idle minutes. Under 5
# minutes staff are signed out while they type a review; over 8 hours a session left open on a
# staffroom PC outlives the school day.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = (
    env_int("SESSION_IDLE_MINUTES", 30, between=(5, 480), why="5 minutes to a school day of 8 hours") * 60
)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Only a proxy of our own may say that the browser's connection was HTTPS: without one, any client
# could send X-Forwarded-Proto and be taken for a secure connection. (gunicorn still sets the
# scheme itself from the proxies it trusts, FORWARDED_ALLOW_IPS.)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PROXY_COUNT else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if not SECURE_HSTS_PRELOAD:
    # Preloading is a one-way decision for the operator's domain; we leave it to them.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en-gb")
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files (professionals' reports) are kept here through Django's storage API, under
# random names, and read only through the app's audited download view: there is no MEDIA_URL,
# so nothing serves this directory (README, How uploads are stored).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# The largest report file accepted, in megabytes: a scanned multi-page report is a few MB.
REPORT_UPLOAD_MAX_MB = env_int(
    "REPORT_UPLOAD_MAX_MB", 20, between=(1, 100), why="megabytes; a scanned report is a few"
)

# SEN records are kept for each school's own period (`School.sen_retention_years`, 25 to 100
# years after the date of birth). A leaver who never had an SEN record (no status but "no SEN",
# no concern, passport or contact log) is kept under the school's general period for the pupil's
# record: IRMS, date of birth + 25 years at a secondary school (a primary school passes the file
# on to the next school, so 25 is the cautious figure for what it keeps). Not below 18, while the
# pupil is still a child; not above 25, the shortest SEN period a school may choose, since an SEN
# file is kept at least as long as the rest of the record.
PUPIL_RECORD_RETENTION_YEARS = env_int(
    "PUPIL_RECORD_RETENTION_YEARS",
    25,
    between=(18, 25),
    why="IRMS advises 25; an SEN file is kept at least as long as the rest of the record",
)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

for _key, _value in email_settings(env_str("EMAIL_URL", "console://")).items():
    globals()[_key] = _value
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SENCO caseload <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
# No broker means no worker: run tasks in-process so `make run` needs nothing else.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# A page that queues a task must answer within 2 s with the broker down (issue 13). Celery's
# defaults wait on a broker that accepts connections but never answers for ever, so every wait
# on the broker is bounded: connecting, and each command, gives up after BROKER_TIMEOUT_MS, and a
# refused publish is tried once more 0.2 s later. Two tries at the longest allowed wait stay
# under 2 s; `senco.tasks.enqueue_on_commit` then runs the task in this process instead.
BROKER_TIMEOUT = (
    env_int(
        "BROKER_TIMEOUT_MS",
        500,
        between=(100, 800),
        why="two tries must leave a page that queues a task answering within 2 s",
    )
    / 1000
)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": BROKER_TIMEOUT, "socket_timeout": BROKER_TIMEOUT}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0.2,
    "interval_step": 0,
    "interval_max": 0.2,
}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Changes of SEN status agreed ahead reach the register's copy just after midnight (until
    # then the register reads those pupils from their history, so it is never wrong).
    "sen-changes-into-force": {
        "task": "pupils.tasks.bring_sen_changes_into_force_tonight",
        "schedule": crontab(hour=0, minute=5),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every PDF at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("axes", "weasyprint", "fontTools")},
}
