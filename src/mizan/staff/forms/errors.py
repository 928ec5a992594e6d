"""Showing a service's refusal on a form."""

from __future__ import annotations

from collections.abc import Mapping

from django.forms import Form

from mizan.core.errors import MizanError


def add_service_error(
    form: Form, error: MizanError, field_map: Mapping[str, str] | None = None
) -> None:
    """Show a service's refusal on the form field it names (``field_map`` renames a
    service's field to the form's), or above the form when the form has no such field."""
    field = (field_map or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)
