"""Charts drawn on the server: bars in SVG, every word in HTML.

A chart is a table whose last column draws each row's numbers as a bar, so that a screen
reader reads an ordinary data table (the drawing is ``aria-hidden``) and a sighted reader
sees the bars beside the same figures. Labels, numbers and the legend are HTML, never SVG
``<text>``: browsers and WeasyPrint then shape Arabic and lay it out right to left like
the rest of the page (WeasyPrint writes Arabic inside SVG text in the wrong order). In a
right-to-left language the bars grow from the right: the coordinates are mirrored when
the SVG is written, so no CSS transform is needed, in a browser or in a PDF.

Build a :class:`Chart` in a view or a report, then render it with ``{% chart chart %}``
(``{% load charts %}``) in a page or a PDF template.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language_bidi

#: Fills for the series, in order: dark enough on white for non-text contrast (3:1) and
#: told apart by people with the commonest colour-vision deficiencies.
PALETTE = ("#1f5f8b", "#c05600", "#2e7d32", "#6a3d9a", "#8a6d00", "#b0283c", "#4d4d4d")

Number = int | float | Decimal


@dataclass(frozen=True)
class Bar:
    """One row of a chart: its label, one value per series (``None``: not shown, for
    example a suppressed cell) and, optionally, a link for the label."""

    label: str
    values: Sequence[Number | None]
    href: str = ""
    #: Shown after the label in a smaller type, for example "fewer than 11 people".
    note: str = ""


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart: one bar per row, stacked when there are several series.

    ``dimension`` heads the label column ("Region"), ``series`` name the value columns
    ("Officers trained"; or "Women", "Men" for a stacked chart). ``unit`` is appended to
    every number ("%"); ``maximum`` fixes the scale (100 for shares), otherwise the
    longest bar fills the width. ``decimals`` is how numbers are shown.
    """

    title: str
    dimension: str
    series: Sequence[str]
    bars: Sequence[Bar]
    unit: str = ""
    maximum: Number | None = None
    decimals: int = 0
    #: Said under the chart: the source, or why some cells are empty.
    caption: str = ""
    identifier: str = field(default="")

    @property
    def stacked(self) -> bool:
        return len(self.series) > 1

    @property
    def scale(self) -> float:
        if self.maximum is not None:
            return float(self.maximum) or 1.0
        totals = [sum(float(value or 0) for value in bar.values) for bar in self.bars]
        return max(totals, default=0.0) or 1.0

    def shown(self, value: Number | None) -> str:
        """A value as the table shows it, in the active language's number format."""
        if value is None:
            return "—"
        text = number_format(value, self.decimals, use_l10n=True, force_grouping=True)
        return f"{text}{self.unit}" if self.unit else text

    def rows(self) -> list[tuple[Bar, list[str], SafeString]]:
        """Each bar with its values as text (a dash for a series it has no value in)
        and its drawing."""
        width = len(self.series)
        return [
            (
                bar,
                [self.shown(value) for value in [*bar.values, *[None] * width][:width]],
                self.drawing(bar),
            )
            for bar in self.bars
        ]

    def drawing(self, bar: Bar) -> SafeString:
        """The bar as an SVG strip 100 units wide: one rectangle per series, mirrored in
        a right-to-left language."""
        scale = self.scale
        right_to_left = get_language_bidi()
        start = 0.0
        pieces: list[tuple[str, str, str]] = []
        for index, value in enumerate(bar.values):
            if not value:
                continue
            width = max(0.0, min(100.0 - start, float(value) / scale * 100))
            x = 100.0 - start - width if right_to_left else start
            pieces.append((f"{x:.2f}", f"{width:.2f}", PALETTE[index % len(PALETTE)]))
            start += width
        rectangles = format_html_join(
            "", '<rect x="{}" y="0" width="{}" height="10" fill="{}"/>', pieces
        )
        return format_html(
            '<svg class="chart-bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
            'width="100%" height="14" aria-hidden="true" focusable="false" role="presentation">'
            '<rect x="0" y="0" width="100" height="10" fill="#eef1f4"/>{}</svg>',
            rectangles,
        )

    def swatches(self) -> list[tuple[str, SafeString]]:
        """The legend: each series with a small square of its colour."""
        return [
            (
                name,
                format_html(
                    '<svg class="chart-swatch" viewBox="0 0 10 10" width="12" height="12" '
                    'aria-hidden="true" focusable="false"><rect width="10" height="10" '
                    'fill="{}"/></svg>',
                    PALETTE[index % len(PALETTE)],
                ),
            )
            for index, name in enumerate(self.series)
        ]
