"""Template helpers: query strings for the list filters and pages; figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.http import QueryDict
from django.utils import formats

register = template.Library()


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


@register.filter
def figure(value: Any) -> str:
    """A measured value as people write it: no trailing zeros (196, not 196.00; 21.4, not
    21.40), in the active language's number format."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return str(formats.number_format(number))
