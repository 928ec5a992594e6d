"""Languages Mizan holds text in, and picking the right translation of a short label."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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


@dataclass(frozen=True)
class Written:
    """Text people typed, with its own direction: WeasyPrint does not read ``dir="auto"``,
    so an English rationale in Arabic minutes would otherwise be laid out right to left
    (its full stop jumping to the start)."""

    text: str
    dir: str

    def __str__(self) -> str:
        return self.text


def written(text: Any, default: str = "ltr") -> Written:
    """``text`` with the direction of its first strong character, as ``dir="auto"``."""
    text = str(text or "")
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return Written(text, "rtl")
        if kind == "L":
            return Written(text, "ltr")
    return Written(text, default)
