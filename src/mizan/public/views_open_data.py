"""Open data: the published recommendations, actions and training figures as CSV and
JSON files, free for anyone to reuse.

Open to everyone; the files hold exactly what the portal's pages show (they start from
the same selectors in :mod:`mizan.reports.publication`). A hidden figure is an empty
cell (CSV) or ``null`` (JSON), with its ``suppressed`` flag set. CSV files are UTF-8
with a byte-order mark, so spreadsheets read Arabic, every cell quoted and
neutralised against formulas.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from mizan.core.languages import CONTENT_LANGUAGES
from mizan.recommendations.exporters import neutralise_formula
from mizan.reports import publication
from mizan.reports.suppression import SMALL_CELL

RECOMMENDATION_COLUMNS = [
    "id",
    "mechanism",
    "document",
    "document_date",
    "state_under_review",
    "paragraph",
    "recommending_state",
    "position",
    "status",
    "nhri_status",
    *[f"text_{language}" for language in CONTENT_LANGUAGES],
    "actions",
    "published_at",
]
ACTION_COLUMNS = [
    "id",
    "title",
    "kind",
    "status",
    "lead_institution",
    "partner_institutions",
    "starts_on",
    "due_on",
    "recommendations",
    "indicators",
    "training_figures_published",
    "published_at",
]
FIGURE_COLUMNS = [
    "action_id",
    "action_title",
    "breakdown",
    "group",
    "officers_trained",
    "completion_rate",
    "suppressed",
]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    return neutralise_formula(str(value))


def csv_response(columns: Sequence[str], rows: Iterable[dict[str, Any]], name: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    response = HttpResponse(
        codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def json_response(records: list[dict[str, Any]], name: str) -> HttpResponse:
    body = {"generated_at": timezone.now().isoformat(), "count": len(records), "items": records}
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def recommendation_rows() -> list[dict[str, Any]]:
    rows = []
    for recommendation in publication.published_recommendations():
        record = publication.recommendation_record(recommendation)
        for language in CONTENT_LANGUAGES:
            record[f"text_{language}"] = record["texts"].get(language, "")
        rows.append(record)
    return rows


def action_rows() -> list[dict[str, Any]]:
    return [publication.action_record(action) for action in publication.published_actions()]


class OpenDataView(TemplateView):
    """Open to everyone: what each file holds, and the links."""

    template_name = "public/open_data.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "api_docs": reverse("api:public_docs"),
            "small_cell": SMALL_CELL,
        }


class RecommendationsFile(View):
    """Open to everyone: ``recommendations.csv`` or ``.json``."""

    format = "csv"

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = recommendation_rows()
        if self.format == "json":
            for row in rows:
                for language in CONTENT_LANGUAGES:
                    row.pop(f"text_{language}", None)
            return json_response(rows, "recommendations.json")
        return csv_response(RECOMMENDATION_COLUMNS, rows, "recommendations.csv")


class ActionsFile(View):
    """Open to everyone: ``actions.csv`` or ``.json``."""

    format = "csv"

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = action_rows()
        if self.format == "json":
            return json_response(rows, "actions.json")
        for row in rows:
            row["indicators"] = [
                f"{i['name']}: {_cell(i['latest_value']) or '-'} / {_cell(i['target']) or '-'}"
                f" {i['unit']}"
                for i in row["indicators"]
            ]
        return csv_response(ACTION_COLUMNS, rows, "actions.csv")


class TrainingFiguresFile(View):
    """Open to everyone: ``training-figures.csv`` or ``.json``."""

    format = "csv"

    def get(self, request: HttpRequest) -> HttpResponse:
        published = publication.published_figures()
        if self.format == "json":
            records = [publication.figures_record(action, f) for action, f in published]
            return json_response(records, "training-figures.json")
        rows = [row for action, f in published for row in publication.figure_rows(action, f)]
        return csv_response(FIGURE_COLUMNS, rows, "training-figures.csv")
