"""Training results: what a session, or all the sessions of a training action, achieved
at the four Kirkpatrick levels, with breakdowns of the officers trained, knowledge gain
per learning objective and, for those who may read the question bank, item analysis.

Only aggregates, never names: any member reads these pages. A reader who may not see a
session's people (``training.view_roster``) sees no figure computed from fewer than
``analytics.SMALL_CELL`` people. The breakdown tables download as CSV.
"""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views import View
from django.views.generic import TemplateView

from mizan.actions.models import Action
from mizan.actions.queries import actions_visible_to
from mizan.recommendations.exporters import neutralise_formula
from mizan.staff.views.mixins import ReadFirstMixin
from mizan.training import analytics
from mizan.training.models import TrainingSession
from mizan.training.queries import sessions_visible_to, sessions_with_roster_for

NAV = "actions"


class PeriodForm(forms.Form):
    """The period whose sessions count: those starting between the two days."""

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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("starts_from"), data.get("starts_until")
        if first and last and last < first:
            self.add_error("starts_until", _("The period cannot end before it starts."))
        return data

    def period(self) -> tuple[date | None, date | None]:
        if not self.is_valid():
            return None, None
        return self.cleaned_data.get("starts_from"), self.cleaned_data.get("starts_until")


class ResultsMixin(ReadFirstMixin):
    """Anyone who may not read sessions is refused before any record is looked up."""

    read_permission = "training.view_session"
    permission_required = "training.view_session"
    request: HttpRequest
    kwargs: dict[str, Any]

    def scope(self) -> QuerySet[TrainingSession]:
        raise NotImplementedError

    def sees_everyone(self) -> bool:
        """Whether the reader may see the people of every session in scope."""
        raise NotImplementedError

    def results(self, *, with_items: bool) -> analytics.TrainingResults:
        results = analytics.training_results(self.scope(), with_items=with_items)
        if not self.sees_everyone():
            results = analytics.hide_small_cells(results)
        return results

    def shared_context(self) -> dict[str, Any]:
        user = self.request.user
        can_see_items = user.has_perm("training.view_question")
        sees_everyone = self.sees_everyone()
        return {
            "nav": NAV,
            "results": self.results(with_items=can_see_items),
            "can_see_items": can_see_items,
            "small_cells_hidden": not sees_everyone,
            "small_cell": analytics.SMALL_CELL,
        }


class SessionResultsMixin(ResultsMixin):
    @cached_property
    def session(self) -> TrainingSession:
        return get_object_or_404(
            sessions_visible_to(self.request.user).select_related("action", "version__curriculum"),
            pk=self.kwargs["pk"],
        )

    def scope(self) -> QuerySet[TrainingSession]:
        return analytics.one_session(self.session)

    def sees_everyone(self) -> bool:
        return bool(self.request.user.has_perm("training.view_roster", self.session))


class ActionResultsMixin(ResultsMixin):
    @cached_property
    def action(self) -> Action:
        return get_object_or_404(actions_visible_to(self.request.user), pk=self.kwargs["pk"])

    @cached_property
    def period_form(self) -> PeriodForm:
        return PeriodForm(self.request.GET or None)

    def scope(self) -> QuerySet[TrainingSession]:
        starts_from, starts_until = self.period_form.period()
        return analytics.sessions_of_action(
            self.action, starts_from=starts_from, starts_until=starts_until
        )

    @cached_property
    def _sees_everyone(self) -> bool:
        others = self.scope().exclude(
            pk__in=sessions_with_roster_for(self.request.user).values("pk")
        )
        return not others.exists()

    def sees_everyone(self) -> bool:
        return self._sees_everyone


class SessionResultsView(SessionResultsMixin, TemplateView):
    """Rule: any member (``training.view_session``); item analysis for those who may
    read the question bank (``training.view_question``); small cells hidden from those
    without ``training.view_roster`` on the session."""

    template_name = "staff/results/session_results.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            **self.shared_context(),
            "session": self.session,
        }


class ActionTrainingFiguresView(ActionResultsMixin, TemplateView):
    """Rule: any member (``training.view_session``); item analysis for those who may
    read the question bank (``training.view_question``); small cells hidden unless the
    reader may see the people of every session counted (``training.view_roster``)."""

    template_name = "staff/results/action_training_figures.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            **self.shared_context(),
            "action": self.action,
            "period_form": self.period_form,
            "period": self.period_form.period(),
        }


# --- CSV of the breakdown tables -----------------------------------------------------


def breakdown_csv(participation: analytics.Participation, filename: str) -> HttpResponse:
    """The breakdowns as CSV, with a byte-order mark so spreadsheets read the Arabic,
    and every cell safe from formula injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(
        [
            _("Breakdown"),
            pgettext("breakdown table", "Group"),
            _("Officers trained"),
            _("Completed"),
            _("Completion rate (%)"),
            _("Share of the officers trained (%)"),
        ]
    )
    for row in analytics.breakdown_table(participation):
        writer.writerow([neutralise_formula(cell) for cell in row])
    response = HttpResponse(
        codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class SessionResultsCSVView(SessionResultsMixin, View):
    """Rule: as the session's results page (``training.view_session``)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        participation = analytics.participation(self.scope())
        if not self.sees_everyone():
            participation = participation.with_small_cells_hidden()
        return breakdown_csv(participation, f"session-{self.session.pk}-officers-trained.csv")


class ActionTrainingFiguresCSVView(ActionResultsMixin, View):
    """Rule: as the action's training figures page (``training.view_session``)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        participation = analytics.participation(self.scope())
        if not self.sees_everyone():
            participation = participation.with_small_cells_hidden()
        starts_from, starts_until = self.period_form.period()
        period = "-".join(str(day) for day in (starts_from, starts_until) if day)
        name = slugify(f"action-{self.action.pk}-officers-trained-{period}".strip("-"))
        return breakdown_csv(participation, f"{name}.csv")
