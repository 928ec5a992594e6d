"""Values every page's layout needs: text direction and the interface languages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from mizan.core.languages import active_language, text_direction


def layout(request: HttpRequest) -> dict[str, object]:
    language = active_language()
    return {
        "text_dir": text_direction(language),
        "is_rtl": text_direction(language) == "rtl",
        "interface_languages": settings.LANGUAGES,
    }
