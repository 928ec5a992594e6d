"""The recommendations dashboard: the registry's progress in figures, for every member,
scoped to what they may see, with filters and a CSV download of each table."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from mizan.institutions.models import Institution
from mizan.recommendations.enums import AssessmentVoice
from mizan.recommendations.exporters import neutralise_formula
from mizan.recommendations.queries import documents_visible_to, mechanisms_visible_to
from mizan.reports import recommendation_figures as rf
from mizan.reports.charts import Chart

#: The GET parameters of the filters, carried by every link and form of the page.
FILTER_FIELDS = ("mechanism", "document", "institution", "date_from", "date_until", "voice")


class DashboardFilterForm(forms.Form):
    """What the figures count. Values that are not offered are errors and count as no
    filter, so a stale link still shows a page."""

    mechanism = forms.ChoiceField(label=gettext_lazy("Mechanism"), required=False)
    document = forms.ChoiceField(label=gettext_lazy("Document"), required=False)
    institution = forms.ChoiceField(label=gettext_lazy("Responsible institution"), required=False)
    date_from = forms.DateField(
        label=gettext_lazy("Documents dated from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_until = forms.DateField(
        label=gettext_lazy("until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    voice = forms.ChoiceField(
        label=gettext_lazy("Implementation over time, by"),
        choices=AssessmentVoice.choices,
        required=False,
    )

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        everything = [("", _("All"))]
        mechanisms = mechanisms_visible_to(user).order_by("code")
        self.fields["mechanism"].choices = everything + [  # type: ignore[attr-defined]
            (m.code, f"{m.code} · {m.name}") for m in mechanisms
        ]
        documents = documents_visible_to(user).order_by("symbol")
        mechanism = (data or {}).get("mechanism")
        if mechanism:
            # A long registry has many documents: offer those of the chosen mechanism.
            documents = documents.filter(mechanism__code=mechanism)
        self.fields["document"].choices = everything + [  # type: ignore[attr-defined]
            (symbol, symbol) for symbol in documents.values_list("symbol", flat=True)
        ]
        institutions = Institution.objects.filter(assignments__isnull=False).distinct()
        self.fields["institution"].choices = everything + [  # type: ignore[attr-defined]
            (i.code, i.name) for i in institutions.order_by("code")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("date_from"), data.get("date_until")
        if first and last and last < first:
            self.add_error("date_until", _("The period cannot end before it starts."))
        return data

    def value(self, name: str) -> Any:
        """The field's cleaned value; nothing when the form is unbound or the value wrong
        (a wrong field is left out of ``cleaned_data``)."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name)

    def figure_filters(self) -> rf.FigureFilters:
        return rf.FigureFilters(
            mechanism=self.value("mechanism") or "",
            document=self.value("document") or "",
            institution=self.value("institution") or "",
            date_from=self.value("date_from"),
            date_until=self.value("date_until"),
        )

    def chosen_voice(self) -> str:
        return self.value("voice") or AssessmentVoice.STATE


class RecommendationDashboardView(PermissionRequiredMixin, TemplateView):
    """Rule: any member (``recommendations.view_recommendation``); every figure counts
    only what the reader may see. ``?download=<table>`` returns that table as CSV."""

    permission_required = "recommendations.view_recommendation"
    template_name = "staff/dashboards/recommendations.html"
    request: HttpRequest

    @cached_property
    def form(self) -> DashboardFilterForm:
        params = {key: self.request.GET[key] for key in FILTER_FIELDS if key in self.request.GET}
        return DashboardFilterForm(params or None, user=self.request.user)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        table = request.GET.get("download")
        if table:
            return self.download(table)
        return super().get(request, *args, **kwargs)

    def compute_figures(self) -> rf.RecommendationFigures:
        return rf.recommendation_figures(
            self.request.user, self.form.figure_filters(), voice=self.form.chosen_voice()
        )

    def filter_query(self) -> dict[str, str]:
        return {key: self.request.GET[key] for key in FILTER_FIELDS if self.request.GET.get(key)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        found = self.compute_figures()
        charts = rf.figure_charts(found, list_url=reverse("staff:recommendation_list"))
        query = self.filter_query()

        def download(table: str) -> str:
            return "?" + urlencode({**query, "download": table})

        return {
            **super().get_context_data(**kwargs),
            "nav": "reports",
            "form": self.form,
            "figures": found,
            "blocks": {
                key: {"chart": chart, "download": download(key)} for key, chart in charts.items()
            },
            "overdue": [
                {
                    "key": key,
                    "title": OVERDUE_TITLES[key](),
                    "link": OVERDUE_LINKS[key],
                    "list": overdue_list,
                    "download": download(key),
                }
                for key, overdue_list in rf.overdue_tables(found.overdue).items()
            ],
            "filters_hidden": {k: v for k, v in query.items() if k != "voice"},
            "voice": self.form.chosen_voice(),
            "overdue_shown": rf.OVERDUE_SHOWN,
        }

    def download(self, table: str) -> HttpResponse:
        filters = self.form.figure_filters()
        if table in OVERDUE_TABLES:
            scope = rf.recommendations_in_scope(self.request.user, filters)
            overdue = rf.overdue_work(self.request.user, filters, scope, limit=None)
            name = table.replace("_", "-")
            return overdue_csv(rf.overdue_tables(overdue)[table], f"recommendations-{name}.csv")
        charts = rf.figure_charts(self.compute_figures(), list_url="")
        if table not in charts:
            raise Http404(_("There is no such table."))
        return chart_csv(charts[table], f"recommendations-{table.replace('_', '-')}.csv")


OVERDUE_TABLES = ("overdue_actions", "overdue_assignments", "overdue_tasks")
OVERDUE_TITLES = {
    "overdue_actions": lambda: _("Actions past their due date"),
    "overdue_assignments": lambda: _("Assignments past their due date"),
    "overdue_tasks": lambda: _("Partnership follow-up tasks past their due date"),
}
#: The page each overdue item links to (with ``OverdueItem.target_pk``).
OVERDUE_LINKS = {
    "overdue_actions": "staff:action_detail",
    "overdue_assignments": "staff:recommendation_detail",
    "overdue_tasks": "staff:meeting_detail",
}


def csv_response(
    header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str
) -> HttpResponse:
    """A CSV file with a byte-order mark (so spreadsheets read Arabic), every cell quoted
    and safe from formula injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([neutralise_formula(str(cell)) for cell in header])
    for row in rows:
        writer.writerow(["" if cell is None else neutralise_formula(str(cell)) for cell in row])
    response = HttpResponse(
        codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def chart_csv(chart: Chart, filename: str) -> HttpResponse:
    return csv_response(
        [chart.dimension, *chart.series],
        ([bar.label, *bar.values] for bar in chart.bars),
        filename,
    )


def overdue_csv(overdue: rf.OverdueList, filename: str) -> HttpResponse:
    def day(value: date) -> str:
        return value.isoformat()

    return csv_response(
        [_("Overdue item"), _("Institution"), _("Due date"), _("Days overdue")],
        (
            [item.title, item.institution, day(item.due_on), item.days_late]
            for item in overdue.items
        ),
        filename,
    )
