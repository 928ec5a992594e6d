"""Base settings, used for development; production.py and test.py adjust them."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url
from django.utils.translation import gettext_lazy as _

from mizan.settings.environment import (
    PROJECT_DIR,
    development_secret_key,
    env,
    env_bool,
    env_list,
)

SRC_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = Path(env("MIZAN_DATA_DIR"))

DEBUG = env_bool("MIZAN_DEBUG")
SECRET_KEY = env("MIZAN_SECRET_KEY") or development_secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("MIZAN_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("MIZAN_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "simple_history",
    "django_tasks_db",
    "mizan.core",
    "mizan.accounts",
    "mizan.audit",
    "mizan.institutions",
    "mizan.evidence",
    "mizan.recommendations",
    "mizan.actions",
    "mizan.training",
    "mizan.partnerships",
    "mizan.suggestions",
    "mizan.reminders",
    "mizan.reports",
    "mizan.assist",
    "mizan.staff",
    "mizan.public",
    "mizan.participant",
    "mizan.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mizan.accounts.language.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "mizan.urls"
WSGI_APPLICATION = "mizan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mizan.core.context_processors.layout",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'mizan.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            # WAL lets readers work during an import; a bigger cache and memory-mapped
            # reads keep full-text searches over large registries fast.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456"
            ),
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en"
LANGUAGES = [("ar", _("Arabic")), ("fr", _("French")), ("en", _("English"))]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [SRC_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("MIZAN_TIME_ZONE")

STATIC_URL = "static/"
STATICFILES_DIRS = [SRC_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise warns about a missing STATIC_ROOT before collectstatic has run.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
MIZAN_MAX_IMPORT_BYTES = 50 * 1024 * 1024


def _mailer(url: str) -> dict[str, object]:
    """The default mailer from ``MIZAN_EMAIL_URL`` (console://, locmem://, smtp[s|+tls]://)."""
    parsed = urlparse(url)
    if parsed.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "locmem":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parsed.hostname or "localhost",
            "port": parsed.port or 25,
            "username": unquote(parsed.username or ""),
            "password": unquote(parsed.password or ""),
            "use_tls": parsed.scheme == "smtp+tls",
            "use_ssl": parsed.scheme == "smtps",
        },
    }


MAILERS = {"default": _mailer(env("MIZAN_EMAIL_URL"))}
DEFAULT_FROM_EMAIL = env("MIZAN_DEFAULT_FROM_EMAIL")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "mizan.api.errors.structured_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mizan API",
    "DESCRIPTION": (
        "Recommendations, source documents, vocabularies and taggings; institutions, "
        "assessments, actions, indicators, progress reports, partnership agreements and "
        "joint committees; each person's work."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from the package, not a CDN: the docs page works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a field called ``status`` with different choices: name each set.
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "mizan.actions.enums.ActionStatus",
        "ProgressReportStatusEnum": "mizan.actions.enums.ProgressReportStatus",
        "ImplementationStatusEnum": "mizan.recommendations.enums.ImplementationStatus",
        "MeetingStatusEnum": "mizan.partnerships.enums.MeetingStatus",
        "MembershipRoleEnum": "mizan.accounts.enums.Role",
        "AssignmentRoleEnum": "mizan.recommendations.enums.AssignmentRole",
        "CommitteeRoleEnum": "mizan.partnerships.enums.CommitteeRole",
        "CurriculumVersionStatusEnum": "mizan.training.enums.VersionStatus",
        "AttendanceStatusEnum": "mizan.training.enums.AttendanceStatus",
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"mizan": {"handlers": ["console"], "level": env("MIZAN_LOG_LEVEL")}},
}

#: Throttle of the public API (``mizan.api.public``), per client address.
MIZAN_PUBLIC_API_RATE = env("MIZAN_PUBLIC_API_RATE")

PROJECT_ROOT = PROJECT_DIR

# Evidence files, and the reminder job (see ``mizan.reminders``).
MIZAN_EVIDENCE_MAX_BYTES = int(env("MIZAN_EVIDENCE_MAX_MB")) * 1024 * 1024
MIZAN_ESCALATE_AFTER_DAYS = int(env("MIZAN_ESCALATE_AFTER_DAYS"))
MIZAN_REMINDER_HORIZON_DAYS = int(env("MIZAN_REMINDER_HORIZON_DAYS"))
#: The site's own address, for absolute links where there is no request (e-mails).
MIZAN_SITE_URL = env("MIZAN_SITE_URL").rstrip("/")
