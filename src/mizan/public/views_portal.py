"""The portal's lists and detail pages: published recommendations and actions.

Open to everyone. Each page starts from ``publication.published_recommendations`` or
``published_actions``: a record not published is absent from the lists and answers
404, exactly as one that does not exist. Nothing personal is shown: no names, no
e-mail, no author, no assessment rationale, no evidence; training figures only as
``publication.figures_of`` gives them, small groups hidden.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from mizan.recommendations.enums import ImplementationStatus
from mizan.recommendations.models import Mechanism, Recommendation, SourceDocument
from mizan.reports import publication
from mizan.reports.charts import Bar, Chart
from mizan.reports.suppression import SMALL_CELL

PAGE_SIZE = 25


class RecommendationListView(TemplateView):
    """Open to everyone: published recommendations, filtered by document, mechanism and
    status, 25 a page."""

    template_name = "public/recommendation_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        query = publication.RecommendationQuery.from_params(self.request.GET)
        queryset = query.apply(publication.published_recommendations())
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        published = Recommendation.objects.filter(published_at__isnull=False)
        return {
            **super().get_context_data(**kwargs),
            "page": page,
            "query": query,
            "documents": SourceDocument.objects.filter(
                pk__in=published.values("document_id")
            ).order_by("symbol"),
            "mechanisms": Mechanism.objects.filter(
                pk__in=published.values("document__mechanism_id")
            ).order_by("code"),
            "statuses": ImplementationStatus.choices,
        }


class RecommendationDetailView(TemplateView):
    """Open to everyone: a published recommendation (404 otherwise), its text in the
    active language, both assessments' statuses and the published actions answering it."""

    template_name = "public/recommendation_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        recommendation = publication.published_recommendations().filter(pk=kwargs["pk"]).first()
        if recommendation is None:
            raise Http404
        return {
            **super().get_context_data(**kwargs),
            "recommendation": recommendation,
            "text": recommendation.text_in(),
            "actions": recommendation.published_actions,  # type: ignore[attr-defined]
        }


class ActionListView(TemplateView):
    """Open to everyone: published actions, 25 a page."""

    template_name = "public/action_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        queryset = (
            publication.published_actions()
            .prefetch_related(None)
            .prefetch_related("partner_institutions")
            .annotate(
                public_recommendations=Count(
                    "recommendations",
                    filter=Q(recommendations__published_at__isnull=False),
                    distinct=True,
                )
            )
        )
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page": page}


class ActionDetailView(TemplateView):
    """Open to everyone: a published action (404 otherwise), its indicators and, if the
    coordinator published them, the aggregated figures of its training sessions."""

    template_name = "public/action_detail.html"

    @cached_property
    def action(self) -> Any:
        action = publication.published_actions().filter(pk=self.kwargs["pk"]).first()
        if action is None:
            raise Http404
        return action

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        figures = publication.figures_of(self.action)
        return {
            **super().get_context_data(**kwargs),
            "action": self.action,
            "recommendations": self.action.published_recommendations,
            "indicators": publication.public_indicators(self.action),
            "figures": figures,
            "charts": figure_charts(figures) if figures and figures.shown else [],
            "small_cell": SMALL_CELL,
        }


def figure_charts(figures: publication.PublicFigures) -> list[Chart]:
    """A chart of the officers trained per group for each breakdown, one of the
    completion rate per group, and one of the evaluation means."""
    hidden_note = _("hidden: fewer than %(count)d people, or needed to protect such a group") % {
        "count": SMALL_CELL
    }
    charts = []
    for breakdown in figures.breakdowns:
        charts.append(
            Chart(
                title=_("Officers trained: %(breakdown)s") % {"breakdown": breakdown.title},
                dimension=_("Group"),
                series=[_("Officers trained")],
                bars=[
                    Bar(group.label, [group.trained], note=hidden_note if group.suppressed else "")
                    for group in breakdown.groups
                ],
                identifier=f"trained-{breakdown.code}",
            )
        )
        charts.append(
            Chart(
                title=_("Completion rate: %(breakdown)s") % {"breakdown": breakdown.title},
                dimension=_("Group"),
                series=[_("Completion rate")],
                bars=[
                    Bar(
                        group.label,
                        [group.completion_rate],
                        note=hidden_note if group.completion_rate is None else "",
                    )
                    for group in breakdown.groups
                ],
                unit="%",
                maximum=100,
                decimals=1,
                identifier=f"completion-{breakdown.code}",
            )
        )
    if not figures.reaction_suppressed:
        charts.append(
            Chart(
                title=_("End-of-course evaluation: mean score out of 5"),
                dimension=_("Question"),
                series=[_("Mean score")],
                bars=[Bar(capfirst(score.label), [score.mean]) for score in figures.reaction],
                maximum=5,
                decimals=1,
                identifier="reaction",
            )
        )
    return charts
