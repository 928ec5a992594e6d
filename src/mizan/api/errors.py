"""One JSON error shape for the whole API: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
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
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        return _error(response.status_code, "invalid", str(_first_message(fields)), fields)
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
    return _error(response.status_code, str(code), str(exc.detail), {})


def _first_message(fields: Any) -> str:
    if isinstance(fields, dict):
        for value in fields.values():
            return _first_message(value)
    if isinstance(fields, list) and fields:
        return _first_message(fields[0])
    return str(fields)


def _error(status_code: int, code: str, message: str, fields: Any) -> Response:
    return Response(
        {"error": {"code": code, "message": message, "fields": fields}},
        status=status_code or status.HTTP_400_BAD_REQUEST,
    )
