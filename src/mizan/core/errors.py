"""Mizan's one error type: a translated message that views, the API and the CLI all show."""

from __future__ import annotations

from typing import Any


class MizanError(Exception):
    """A business rule refused an operation. ``message`` is already translated (lazily)."""

    code = "invalid"
    status_code = 400

    def __init__(self, message: Any, *, code: str | None = None, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        if code:
            self.code = code


class Refused(MizanError):
    """The operation is not the user's to do, whatever the input (403 in the API)."""

    code = "forbidden"
    status_code = 403
