"""Settings: one module, everything read from the environment (see .env.example).

PORTAL_ENV=production switches on the production hardening and refuses to start with DEBUG
on or a missing secret key; `manage.py check --deploy` also refuses a database in which a
user still has the demo password (portal/checks.py).
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.exchange.schedule import BEAT_SCHEDULE as EXCHANGE_BEAT_SCHEDULE
from portal.healthcheck import BEAT_MAX_LOOP_INTERVAL
from portal.logs import logging_config
from portal.reminders.schedule import BEAT_SCHEDULE as REMINDERS_BEAT_SCHEDULE
from portal.schedule import BEAT_SCHEDULE as CORE_BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# The .env file beside manage.py, or the one PORTAL_DOTENV names; PORTAL_DOTENV set empty reads
# none (the tests: portal/testenv.py). Variables already in the environment win.
dotenv_path = os.environ.get("PORTAL_DOTENV", str(BASE_DIR / ".env"))
if dotenv_path:
    environ.Env.read_env(dotenv_path, overwrite=False)

PORTAL_ENV = env.str("PORTAL_ENV", default="development")
PRODUCTION = PORTAL_ENV == "production"
DEBUG = env.bool("DEBUG", default=False)

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("Production settings refuse to start with DEBUG on.")
    if env.str("DEMO_PASSWORD", default=""):
        raise ImproperlyConfigured(
            "Production settings refuse to start with DEMO_PASSWORD set: "
            "demo accounts are for development only."
        )
    SECRET_KEY = env.str("SECRET_KEY")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production")

# Old keys still accepted for signatures made with them (sessions, password-reset links) while
# a new SECRET_KEY takes over: docs/operations.md, "Rotating secrets".
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

# The demo users' password; in production the variable must be unset, and the deploy check
# still looks for users with this (default) password.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="") or "demo12345"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A form sent after its token went stale gets a page that says so (portal/errors.py).
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "csp",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    # Two-factor sign-in: authenticator apps (TOTP) and recovery codes (portal/signin).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal",
    "portal.reminders",
    "cadres",
    "grassroots",
    "poverty",
    "supervision",
]

MIDDLEWARE = [
    # A request id on every log line and response (portal/logs.py), and the request counts and
    # latencies of /metrics (portal/metrics.py): first, so that they see every answer.
    "portal.logs.RequestIdMiddleware",
    "portal.metrics.RequestMetricsMiddleware",
    # The whole request body's cap (portal/bodylimit.py): before anything reads the body.
    "portal.bodylimit.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session has passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits, then the second factor, then a first password change
    # (portal/signin/middleware.py).
    "portal.signin.middleware.SessionLimitsMiddleware",
    "portal.signin.middleware.SecondFactorMiddleware",
    "portal.signin.middleware.PasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records who made each change, and from which address, in the audit trail (pghistory).
    "portal.audit.HistoryMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The audit trail's events in Django admin, with personal fields masked (portal/admin_events.py).
PGHISTORY_ADMIN_CLASS = "portal.admin_events.MaskedEventsAdmin"

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# Options every connection of the portal starts with (libpq `options`, so a pooled, a test and
# a management-command connection all get them):
# - pgtrigger.ignore = '{}': pgtrigger's _pgtrigger_should_ignore() reads this setting inside an
#   exception block on every row a trigger fires for. Unset (or '' after any SET LOCAL), the read
#   or its cast to text[] raises, the block's subtransaction rolls back, and each rollback scans
#   the deferred foreign-key checks queued so far: a big transaction (seed_demo, an import of
#   thousands of rows) became quadratic in its size. '{}' casts cleanly: no rollback, ever.
# - jit = off: the portal's queries are short OLTP queries over indexes; JIT compilation added
#   350-390 ms to the deadline queries at ten times the county and saves nothing here.
CONNECTION_OPTIONS = "-c pgtrigger.ignore={} -c jit=off"
# - statement_timeout / idle_in_transaction_session_timeout (seconds; 0 = none): a runaway query
#   or a transaction left open by a stuck process is ended by the server instead of holding
#   locks and a pooled connection. Production defaults suit a web request (gunicorn's timeout
#   is 60 s); the compose file lifts them for migrate and raises them for the workers.
DATABASE_STATEMENT_TIMEOUT = env.int("DATABASE_STATEMENT_TIMEOUT", default=60 if PRODUCTION else 0)
DATABASE_IDLE_IN_TRANSACTION_TIMEOUT = env.int(
    "DATABASE_IDLE_IN_TRANSACTION_TIMEOUT", default=300 if PRODUCTION else 0
)
CONNECTION_OPTIONS += (
    f" -c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}"
    f" -c idle_in_transaction_session_timeout={DATABASE_IDLE_IN_TRANSACTION_TIMEOUT * 1000}"
)


def database(url: str) -> dict:
    config = env.db_url_config(url)
    config["ENGINE"] = "django.db.backends.postgresql"
    # A Unix-socket directory may come percent-encoded in the host part (postgres://u@%2Fpath/db).
    config["HOST"] = unquote(config.get("HOST", ""))
    options = config.setdefault("OPTIONS", {})
    # psycopg 3's pool; persistent connections (CONN_MAX_AGE) must stay 0 with it. Its size
    # bounds the requests one process serves at once (threads of runserver, the tests'
    # concurrent submissions); psycopg's default of 4 would make the fifth wait 30 s.
    options["pool"] = (
        {"min_size": 1, "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=12)}
        if env.bool("DATABASE_POOL", default=True)
        else False
    )
    options["options"] = f"{options.get('options', '')} {CONNECTION_OPTIONS}".strip()
    config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": database(env.str("DATABASE_URL"))}
# Parallel test runs on one server each name their own test database.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_portal")}
# A read replica (streaming replication of the same database) for dashboards and exports
# (portal/replica.py); in tests it mirrors the test database.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = database(env.str("DATABASE_REPLICA_URL"))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["portal.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # A Redis database of its own in production (docker-compose.yml): the broker's never
        # shares a FLUSHDB or a memory policy with the cache's.
        "LOCATION": env.str("REDIS_CACHE_URL", default=REDIS_URL),
        "KEY_PREFIX": "portal",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
# Sessions live in the database so that the web keeps serving while Redis is down.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "portal.User"
# django-axes first: it refuses a sign-in while the username or the address is locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
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

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# A whole request body is refused above this many MB (portal/bodylimit.py; nginx's
# client_max_body_size in deploy/nginx.conf says the same). Each upload has its own limit below.
REQUEST_MAX_BODY_MB = env.int("REQUEST_MAX_BODY_MB", default=25)
# Uploads (sign-in sheets, photos, scans) are limited to 10 MB each.
MAX_UPLOAD_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_SIZE + 1024 * 1024
# Import files (spreadsheets, CSV): 10,000 members with every column fill about 2 MB.
IMPORT_MAX_SIZE = env.int("IMPORT_MAX_SIZE", default=10 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if not PRODUCTION else "smtp://localhost:25"
)
vars().update(EMAIL_CONFIG)
# A backend by dotted path (tests point a worker at a deliberately failing one).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=EMAIL_CONFIG["EMAIL_BACKEND"])
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = False  # set per task: only tasks that are safe to repeat ack late
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis re-delivers an unacknowledged task after the visibility timeout; tasks here have
# short time limits and no long ETAs, so one hour is plenty and avoids duplicate runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Redis down: the worker and beat keep trying to reconnect instead of exiting.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# The beat schedule is in code, one comment per entry (portal/reminders/schedule.py).
CELERY_BEAT_SCHEDULE: dict = {
    **REMINDERS_BEAT_SCHEDULE,
    **EXCHANGE_BEAT_SCHEDULE,
    **CORE_BEAT_SCHEDULE,
}
# One-tap keys (portal/submissions.py) are remembered this many days, then purged daily.
SUBMISSION_KEEP_DAYS = env.int("SUBMISSION_KEEP_DAYS", default=30)
# Imports and exports run on a queue of their own, so that a 10,000-row import or a
# 100,000-row export never holds up reminder delivery (the default "celery" queue). `make
# run`'s worker consumes both; in production run a separate worker for it:
# `celery -A portal worker -Q exchange`.
CELERY_TASK_ROUTES = {"portal.exchange.*": {"queue": "exchange"}}

# Exports (portal/exchange): above this many rows an export is written in the background and
# offered by a notification; the file stays downloadable this many hours.
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=5000)
EXPORT_FILE_HOURS = env.int("EXPORT_FILE_HOURS", default=24)

# The reminder engine (portal/reminders). Links in e-mails and the calendar feed need the
# site's address; the other numbers tune delivery and rarely change.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# A missed sweep is caught up: each sweep looks back this many days past the escalation.
REMINDERS_CATCH_UP_DAYS = env.int("REMINDERS_CATCH_UP_DAYS", default=14)
# A mail claimed by a worker that died is released after this many seconds; longer than the
# e-mail task's hard time limit, so a slow but living worker is never doubled.
REMINDERS_EMAIL_CLAIM_TIMEOUT = env.int("REMINDERS_EMAIL_CLAIM_TIMEOUT", default=600)
# Retries back off exponentially from this many seconds, capped at five minutes.
REMINDERS_EMAIL_RETRY_BASE = env.int("REMINDERS_EMAIL_RETRY_BASE", default=30)
REMINDERS_EMAIL_MAX_ATTEMPTS = env.int("REMINDERS_EMAIL_MAX_ATTEMPTS", default=6)
# A queued mail nobody picked up for this long (its message lost with a killed worker or
# while Redis was down) is queued again; longer than the longest retry countdown (300 s).
REMINDERS_EMAIL_REQUEUE_AFTER = env.int("REMINDERS_EMAIL_REQUEUE_AFTER", default=600)

# Logs go to stdout (Docker rotates them, docs/operations.md): time, level, logger, the request
# id (portal/logs.py) and the message; one JSON object per line in production.
LOGGING = logging_config(
    level=env.str("LOG_LEVEL", default="INFO"),
    fmt=env.str("LOG_FORMAT", default="json" if PRODUCTION else "text"),
)
# Celery writes through the same handlers instead of installing its own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Unhandled errors are e-mailed to these addresses (comma-separated; Django's mail_admins).
ADMINS = [(address, address) for address in env.list("ADMINS", default=[])]

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # HSTS starts at an hour: a mistake in the intranet's TLS set-up then locks browsers out
    # for an hour, not a year. Raise it (docs/operations.md) once the certificate is proven.
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Never preloaded: an intranet name cannot be on the browsers' public preload list.
    SECURE_HSTS_PRELOAD = False
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_CONTENT_TYPE_NOSNIFF = True
# No page of the portal is ever framed (CSP frame-ancestors 'none' below, for older browsers).
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A session ends 8 hours after signing in, and after SESSION_IDLE_TIMEOUT seconds without a
# request (portal/signin/middleware.py checks both on the server).
SESSION_COOKIE_AGE = 8 * 3600
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
# Flash messages live in the session (server side), not in the signed but readable `messages`
# cookie: a message may carry a revealed ID number.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Content-Security-Policy on every response (django-csp): the browser runs only script files
# served by the portal itself, so no inline <script>, on...= handler, eval (htmx runs with
# allowEval off) or injected markup can run. Behaviour lives in static/js/, wired by data-
# attributes; the template scan in tests/portal/test_csp.py keeps it that way.
# Where browsers report a violation (a URL that accepts CSP reports); none by default. Not a
# setting of its own: django-csp refuses its 3.x names (CSP_*) as outdated.
csp_report_uri = env.str("CSP_REPORT_URI", default="")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        # No 'unsafe-inline': templates carry no style attribute or <style> element (sizes are
        # classes in static/css/); Bootstrap and htmx set styles through the CSS object model,
        # which the policy does not restrict, and htmx's own indicator <style> is turned off.
        "style-src": [SELF],
        # data: for the small SVGs Bootstrap's CSS draws form controls with (select arrows,
        # checkboxes, the navbar toggler, close buttons); pictures come from the portal.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],  # Bootstrap Icons
        "connect-src": [SELF],  # htmx requests
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "frame-src": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    }
}
if csp_report_uri:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [csp_report_uri]

# --- Operations (docs/operations.md): health checks, ... ----------------------------------
# The container health checks probe over plain HTTP from inside the container
# (portal/healthcheck.py): the health paths are exempt from the HTTPS redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/|$)"]
# Beat touches its heartbeat file at each tick, and ticks at least once a minute.
CELERY_BEAT_SCHEDULER = "portal.heartbeat:HeartbeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = BEAT_MAX_LOOP_INTERVAL
# /metrics (portal/metrics.py): a Prometheus scraper sends `Authorization: Bearer <token>`;
# without a token only a signed-in administrator reads it.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Error reports to a Sentry-compatible server (a self-hosted GlitchTip works offline), with ID
# numbers and reporters' identities scrubbed (portal/errorreports.py). Off unless set.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from portal.errorreports import start as start_error_reports

    start_error_reports(dsn=SENTRY_DSN, environment=PORTAL_ENV)
# Sign-in attempts django-axes logs (AccessLog, AccessFailureLog) are deleted after this many
# days by a daily task (portal/tasks.py); lockouts themselves last LOGIN_COOLOFF_MINUTES.
AXES_LOG_RETENTION_DAYS = env.int("AXES_LOG_RETENTION_DAYS", default=90)

# The client's address (portal/clientip.py): behind this many reverse proxies, the client is
# the Nth address from the right of X-Forwarded-For; 0 means REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Sign-in lockout (django-axes, portal/signin/lockout.py): this many failed sign-ins for one
# username, or from one address, within the cool-off, and signing in is refused until the
# cool-off has passed (or an administrator unlocks the account). A success resets the count.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env.int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", default=20)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=15)
AXES_HANDLER = "portal.signin.lockout.PortalAxesHandler"
AXES_VERBOSE = False  # no banner on every manage.py command; failures are still logged
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # the handler reads them in this order
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "portal.signin.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "portal.signin.lockout.attempted_username"
# Two-factor sign-in (portal/signin/twofactor.py) is required of administrators, the
# supervision office and everyone who may reveal ID numbers: by default in production only,
# so that the demo county stays one sign-in away in development.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=PRODUCTION)
# The name authenticator apps show next to the code.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="组织工作门户")
# Password-reset requests per client address and per e-mail address, per hour
# (portal/signin/views.py).
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=10)
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL", default=3)
