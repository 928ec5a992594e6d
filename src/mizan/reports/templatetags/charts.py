"""``{% chart chart %}``: a :class:`mizan.reports.charts.Chart` as a table with bars."""

from __future__ import annotations

from typing import Any

from django import template

from mizan.reports.charts import Chart

register = template.Library()


@register.inclusion_tag("reports/_chart.html")
def chart(chart: Chart) -> dict[str, Any]:
    return {
        "chart": chart,
        "rows": chart.rows(),
        "swatches": chart.swatches() if chart.stacked else [],
    }
