"""Charts: a table of figures with bars drawn beside them, mirrored right to left."""

import re

from django.template import Context, Template
from django.utils import translation

from mizan.reports.charts import Bar, Chart


def render(chart):
    return Template("{% load charts %}{% chart chart %}").render(Context({"chart": chart}))


def bar_rects(html):
    return [
        (float(x), float(width))
        for x, width in re.findall(
            r'<rect x="([\d.]+)" y="0" width="([\d.]+)" height="10" fill="#(?!eef1f4)', html
        )
    ]


def chart(**kwargs):
    defaults = {
        "title": "Officers trained by region",
        "dimension": "Region",
        "series": ["Officers trained"],
        "bars": [Bar("Oriental", [30]), Bar("Souss-Massa", [15])],
    }
    return Chart(**{**defaults, **kwargs})


def test_labels_and_numbers_are_html_and_the_drawing_is_hidden_from_screen_readers():
    html = render(chart())
    assert '<th scope="row">Oriental</th>' in html
    assert '<td class="num">30</td>' in html
    assert "<text" not in html
    assert html.count('aria-hidden="true"') == 2


def test_the_longest_bar_fills_the_width_and_others_are_in_proportion():
    with translation.override("en"):
        rects = bar_rects(render(chart()))
    assert rects == [(0.0, 100.0), (0.0, 50.0)]


def test_bars_grow_from_the_right_in_arabic():
    with translation.override("ar"):
        rects = bar_rects(render(chart()))
    assert rects == [(0.0, 100.0), (50.0, 50.0)]


def test_stacked_bars_follow_each_other_and_have_a_legend():
    stacked = chart(
        series=["Women", "Men"], bars=[Bar("Oriental", [10, 30]), Bar("Souss", [5, 15])]
    )
    with translation.override("en"):
        html = render(stacked)
    assert bar_rects(html) == [(0.0, 25.0), (25.0, 75.0), (0.0, 12.5), (12.5, 37.5)]
    assert 'class="chart-legend"' in html and "Women" in html


def test_a_suppressed_value_shows_a_dash_and_no_bar():
    with translation.override("en"):
        html = render(
            chart(bars=[Bar("Oriental", [30]), Bar("Draa", [None], note="fewer than 11")])
        )
    assert '<td class="num">—</td>' in html
    assert len(bar_rects(html)) == 1


def test_shares_use_a_fixed_scale_and_the_language_number_format():
    shares = chart(
        series=["Share of women"],
        unit=" %",
        maximum=100,
        decimals=1,
        bars=[Bar("Oriental", [27.5])],
    )
    with translation.override("fr"):
        html = render(shares)
    assert "27,5 %" in html
    assert bar_rects(html) == [(0.0, 27.5)]


def test_a_row_short_of_a_series_still_puts_its_bar_in_the_bar_column():
    stacked = chart(
        series=["Lead", "Contributing"], bars=[Bar("Police", [4, 2]), Bar("Not assigned", [3])]
    )
    with translation.override("en"):
        html = render(stacked)
    row = html.split("Not assigned")[1].split("</tr>")[0]
    assert row.count('<td class="num">') == 2
    assert '<td class="num">—</td><td class="chart-bar-cell">' in row
