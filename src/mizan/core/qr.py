"""QR codes drawn as inline SVG (with segno), for pages and PDFs.

The SVG carries no text, only squares, so it lays out the same in right-to-left pages
and in WeasyPrint. The caller gives a label that names what the code opens, for screen
readers.
"""

from __future__ import annotations

import io

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, label: str, scale: int = 4, border: int = 2) -> SafeString:
    """An ``<svg>`` element (no XML declaration) encoding ``data``, with ``label`` as its
    accessible name."""
    code = segno.make(data, error="m")
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        scale=scale,
        border=border,
        xmldecl=False,
        svgns=True,
        title=None,
        desc=None,
        svgclass="qr-code",
        lineclass=None,
        omitsize=False,
    )
    svg = buffer.getvalue().decode()
    # An accessible name: role="img" with aria-label (the label is escaped).
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return mark_safe(svg)  # noqa: S308 - segno's own markup, and the label is escaped


def qr_png(data: str, *, scale: int = 8, border: int = 2) -> bytes:
    """The same code as a PNG, for downloads and printing."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()
