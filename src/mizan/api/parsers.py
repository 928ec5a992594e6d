"""Request body parsers: DRF's, made safe against bodies that crash them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, answering 400 rather than 500 to JSON nested thousands deep
    (Python's decoder raises RecursionError, which DRF does not catch)."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("JSON parse error - the data is nested too deeply.")) from error


#: JSON, forms and multipart, like DRF's default, with the safe JSON parser.
PARSER_CLASSES = [JSONParser, parsers.FormParser, parsers.MultiPartParser]
