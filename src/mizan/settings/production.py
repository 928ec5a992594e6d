"""Production settings: secrets are required, cookies are secure, HTTPS is enforced."""

from django.core.exceptions import ImproperlyConfigured

from mizan.settings.base import *  # noqa: F403
from mizan.settings.environment import env

if not env("MIZAN_SECRET_KEY"):
    raise ImproperlyConfigured("MIZAN_SECRET_KEY must be set in production.")
SECRET_KEY = env("MIZAN_SECRET_KEY")
DEBUG = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
