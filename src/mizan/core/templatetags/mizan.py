"""Template helpers: translated labels and query-string building for filters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.http import QueryDict

from mizan.core.languages import pick_translation

register = template.Library()


@register.filter
def translated(labels: Mapping[str, str] | None) -> str:
    """``{{ term.labels|translated }}``: the label in the active language."""
    return pick_translation(labels)


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (``None`` removes one)."""
    request = context["request"]
    query: QueryDict = request.GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_toggle(context: dict[str, Any], key: str, value: Any) -> str:
    """The current query string with ``value`` added to or removed from list parameter ``key``."""
    request = context["request"]
    query: QueryDict = request.GET.copy()
    query.pop("page", None)
    values = query.getlist(key)
    value = str(value)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    query.setlist(key, values)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
