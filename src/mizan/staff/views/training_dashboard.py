"""The training dashboard: Kirkpatrick's four levels over every session the reader
sees, filtered by period, curriculum, version, sessions and organiser, broken down by
sex, region, institution or rank, with the breakdown as CSV.

Figures come from the precomputed per-session figures (``mizan.reports.rollup``), so the
page reads the same whatever the number of participants. Only aggregates, never names;
a reader who may not see the people of every session counted sees no figure computed
from fewer than ``SMALL_CELL`` people.
"""

from __future__ import annotations

import codecs
import csv
import io
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from mizan.institutions.models import Institution
from mizan.recommendations.exporters import neutralise_formula
from mizan.reports import training_figures
from mizan.reports.charts import Bar, Chart
from mizan.reports.training_figures import DIMENSION_LABELS, Filters, TrainingDashboard
from mizan.staff.views.mixins import ReadFirstMixin
from mizan.training.queries import curricula_visible_to, versions_visible_to

NAV = "reports"
#: At most this many session numbers in the filter.
MAX_SESSIONS = 100


class DashboardFilterForm(forms.Form):
    starts_from = forms.DateField(
        label=gettext_lazy("Sessions starting from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    starts_until = forms.DateField(
        label=gettext_lazy("until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    curriculum: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Curriculum"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All curricula"),
    )
    version: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Curriculum version"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All versions"),
    )
    organiser: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Organised by"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Any institution"),
    )
    sessions = forms.CharField(
        label=gettext_lazy("Session numbers"),
        required=False,
        help_text=gettext_lazy("Separated by commas, for example 12, 15."),
    )
    breakdown = forms.ChoiceField(
        label=gettext_lazy("Break down by"),
        required=False,
        choices=list(DIMENSION_LABELS.items()),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["curriculum"].queryset = curricula_visible_to(user).order_by("code")
        fields["version"].queryset = (
            versions_visible_to(user)
            .select_related("curriculum")
            .order_by("curriculum__code", "number")
        )
        fields["organiser"].queryset = Institution.objects.order_by("code")

    def clean_sessions(self) -> tuple[int, ...]:
        text = self.cleaned_data.get("sessions") or ""
        parts = [part.strip().lstrip("#") for part in text.replace("،", ",").split(",")]
        parts = [part for part in parts if part]
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(_("Give session numbers separated by commas."))
        if len(parts) > MAX_SESSIONS:
            raise forms.ValidationError(
                _("Give at most %(count)s session numbers.") % {"count": MAX_SESSIONS}
            )
        return tuple(sorted({int(part) for part in parts}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("starts_from"), data.get("starts_until")
        if first and last and last < first:
            self.add_error("starts_until", _("The period cannot end before it starts."))
        return data

    def filters(self) -> tuple[Filters, str]:
        """The filters and the breakdown asked for; none when the form does not hold."""
        if not self.is_bound or not self.is_valid():
            return Filters(), ""
        data = self.cleaned_data
        return (
            Filters(
                starts_from=data.get("starts_from"),
                starts_until=data.get("starts_until"),
                curriculum=data["curriculum"].pk if data.get("curriculum") else None,
                version=data["version"].pk if data.get("version") else None,
                sessions=data.get("sessions") or (),
                organiser=data["organiser"].pk if data.get("organiser") else None,
            ),
            data.get("breakdown") or "",
        )


class TrainingDashboardMixin(ReadFirstMixin):
    read_permission = "training.view_session"
    permission_required = "training.view_session"
    request: HttpRequest

    @cached_property
    def form(self) -> DashboardFilterForm:
        return DashboardFilterForm(self.request.GET or None, user=self.request.user)

    def dashboard(self) -> TrainingDashboard:
        filters, dimension = self.form.filters()
        return training_figures.training_dashboard(
            self.request.user,
            filters,
            dimension=dimension,
            with_items=self.request.user.has_perm("training.view_question"),
        )


def charts(dashboard: TrainingDashboard) -> dict[str, Chart]:
    """The dashboard's charts; a hidden cell is drawn as no bar, and says why."""
    hidden = _("hidden: fewer than %(threshold)s people") % {"threshold": dashboard.small_cell}
    rows = dashboard.groups or [dashboard.total]
    dimension = str(DIMENSION_LABELS[dashboard.dimension]) if dashboard.groups else ""
    participation = Chart(
        title=_("Officers trained and who completed (participations)"),
        dimension=dimension or _("Officers"),
        series=[_("Completed"), _("Trained, did not complete")],
        bars=[
            Bar(
                label=group.label,
                values=(
                    [None, None]
                    if group.trained is None
                    else [
                        group.completed,
                        None if group.completed is None else group.trained - group.completed,
                    ]
                ),
                note=hidden if group.suppressed else "",
            )
            for group in rows
        ],
        caption=_("Each officer counts once per session attended."),
        identifier="chart-participation",
    )
    learning = Chart(
        title=_("Mean normalised gain of the paired tests"),
        dimension=dimension or _("Officers"),
        series=[_("Mean normalised gain (%)")],
        bars=[
            Bar(
                label=group.label,
                values=[group.learning.mean_normalised_gain],
                note=hidden if group.learning.suppressed else "",
            )
            for group in rows
        ],
        unit="%",
        maximum=100,
        decimals=1,
        identifier="chart-learning",
    )
    reaction = Chart(
        title=_("Mean score of the end-of-course evaluations, from 1 to 5"),
        dimension=_("Question"),
        series=[_("Mean score")],
        bars=[
            Bar(
                label=str(label).capitalize(),
                values=[mean],
                note=hidden if dashboard.reaction.suppressed else "",
            )
            for _name, label, mean in dashboard.reaction.means
        ],
        maximum=5,
        decimals=2,
        identifier="chart-reaction",
    )
    reach = dashboard.cascades
    cascades = Chart(
        title=_("People reached, directly and through cascade sessions"),
        dimension=_("Reached"),
        series=[_("Women"), _("Men")],
        bars=[
            Bar(
                label=_("Officers trained directly (participations)"),
                values=[dashboard.women, dashboard.men],
            ),
            *(
                Bar(
                    label=_("Cascade sessions, generation %(generation)s")
                    % {"generation": generation.generation},
                    values=[generation.women, generation.men],
                )
                for generation in reach.generations
            ),
        ],
        identifier="chart-cascades",
    )
    indicators = Chart(
        title=_("Training indicators: progress towards the target"),
        dimension=_("Indicator"),
        series=[_("Progress (%)")],
        bars=[
            Bar(label=f"{indicator.name} ({indicator.action})", values=[indicator.progress])
            for indicator in dashboard.indicators
        ],
        unit="%",
        maximum=100,
        caption=_("From the baseline (or zero) to the target, by the latest value recorded."),
        identifier="chart-indicators",
    )
    return {
        "participation": participation,
        "learning": learning,
        "reaction": reaction,
        "cascades": cascades,
        "indicators": indicators,
    }


class TrainingDashboardView(TrainingDashboardMixin, TemplateView):
    """Rule: any member (``training.view_session``); item analysis for those who may
    read the question bank (``training.view_question``); small cells hidden unless the
    reader may see the people of every session counted (``training.view_roster``)."""

    template_name = "staff/dashboards/training.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        dashboard = self.dashboard()
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "form": self.form,
            "dashboard": dashboard,
            "charts": charts(dashboard),
            "dimension_label": DIMENSION_LABELS[dashboard.dimension],
        }


class TrainingDashboardCSVView(TrainingDashboardMixin, View):
    """Rule: as the dashboard (``training.view_session``)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        dashboard = self.dashboard()
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(training_figures.breakdown_header())
        for row in training_figures.breakdown_rows(dashboard):
            writer.writerow([neutralise_formula(cell) for cell in row])
        response = HttpResponse(
            codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8"),
            content_type="text/csv; charset=utf-8",
        )
        name = f"training-figures-{dashboard.dimension or 'all'}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
