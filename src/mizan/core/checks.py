"""System checks of Mizan's own settings, run by ``mizan check --deploy``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]", None, ""}


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """E-mails and calendar feeds link to ``MIZAN_SITE_URL``: in production it must be the
    address people reach Mizan at, over HTTPS."""
    url = urlparse(getattr(settings, "MIZAN_SITE_URL", ""))
    if url.hostname in LOCAL_HOSTS or url.scheme != "https":
        return [
            Warning(
                "MIZAN_SITE_URL is not a public https:// address; links in reminder e-mails "
                "and calendar feeds would not work.",
                hint="Set MIZAN_SITE_URL, e.g. https://mizan.example.org.",
                id="mizan.W001",
            )
        ]
    return []
