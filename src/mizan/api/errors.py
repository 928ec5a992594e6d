"""One JSON error shape for the whole API: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from mizan.core.errors import MizanError


def structured_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, MizanError):
        fields: Any = {exc.field: [str(exc.message)]} if exc.field else {}
        return _error(exc.status_code, exc.code, str(exc.message), fields)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    # DRF puts WWW-Authenticate (on 401) and Retry-After (on 429) on its response; the
    # replacement must keep them, or clients cannot tell how to authenticate or when to retry.
    headers = {
        name: response[name] for name in ("WWW-Authenticate", "Retry-After") if name in response
    }
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        message = _first_message(fields) or str(_("Invalid input."))
        return _error(response.status_code, "invalid", message, fields, headers)
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
    return _error(response.status_code, str(code), str(exc.detail), {}, headers)


def _first_message(fields: Any) -> str | None:
    """The first message in a nested error structure, skipping the empty ``{}`` that stands
    for a list item without errors (``{"texts": [{}, {"language": [...]}]}``)."""
    if isinstance(fields, dict):
        values: Any = fields.values()
    elif isinstance(fields, list):
        values = fields
    else:
        return str(fields) if fields else None
    for value in values:
        message = _first_message(value)
        if message:
            return message
    return None


def _error(
    status_code: int, code: str, message: str, fields: Any, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        {"error": {"code": code, "message": message, "fields": fields}},
        status=status_code or status.HTTP_400_BAD_REQUEST,
        headers=headers,
    )
