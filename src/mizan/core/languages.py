"""Languages Mizan holds text in, and picking the right translation of a short label."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import get_language

#: Languages of the interface; content may also be in other languages (e.g. Spanish).
INTERFACE_LANGUAGES = ("ar", "fr", "en")
#: Languages a recommendation's text may be written in.
CONTENT_LANGUAGES = ("ar", "fr", "en", "es", "ru", "zh")
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


def active_language() -> str:
    return (get_language() or "en").split("-")[0]


def pick_translation(labels: Mapping[str, str] | None, language: str | None = None) -> str:
    """Return the label in ``language`` (default: the active one), else English, else any."""
    if not labels:
        return ""
    language = language or active_language()
    for candidate in (language, "en", "fr", "ar"):
        value = labels.get(candidate)
        if value:
            return value
    return next((value for value in labels.values() if value), "")


def text_direction(language: str) -> str:
    return "rtl" if language.split("-")[0] in RTL_LANGUAGES else "ltr"
