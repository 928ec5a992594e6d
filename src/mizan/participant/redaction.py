"""Keeps personal link tokens (and half-day check-in codes) out of the logs.

Django logs the address of every request answered 4xx or 5xx (``django.request``) and,
under ``runserver``, of every request (``django.server``). Under ``/p/`` the address
holds the key to a participant's pages, and a "link not found" or a form sent back with
an error is enough to log it. The filter below, installed on those loggers when the app
starts, writes such addresses with the token masked.
"""

from __future__ import annotations

import logging
import re

#: ``/p/<token>`` and ``/p/check-in/<code>``, wherever they appear in a message.
SECRET_IN_PATH = re.compile(r"(/p/(?:check-in/)?)[A-Za-z0-9_-]{16,}")
MASK = r"\1…"
#: The loggers that write request addresses.
REQUEST_LOGGERS = ("django.request", "django.server")


def mask(text: str) -> str:
    return SECRET_IN_PATH.sub(MASK, text)


class MaskPersonalLinks(logging.Filter):
    """Masks personal link tokens in a record's message and arguments; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


def install() -> None:
    """Put the filter on the request loggers (once, however often it is called)."""
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskPersonalLinks) for f in logger.filters):
            logger.addFilter(MaskPersonalLinks())
