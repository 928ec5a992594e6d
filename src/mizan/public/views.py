"""The public portal: what anyone may read without an account.

The home page says what Mizan is and gives the headline figures of what coordinators
published; the lists, detail pages and open data files are in :mod:`views_portal` and
:mod:`views_open_data`. Every figure starts from :mod:`mizan.reports.publication`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from mizan.actions.models import Action
from mizan.recommendations.enums import ImplementationStatus
from mizan.recommendations.models import Recommendation
from mizan.reports.charts import Bar, Chart
from mizan.reports.publication import published_figures


class HomeView(TemplateView):
    """Open to everyone: the landing page, with the headline published figures."""

    template_name = "public/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        published = Recommendation.objects.filter(published_at__isnull=False)
        by_status = dict(
            published.order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        list_url = reverse("public:recommendation_list")
        chart = Chart(
            title=_("Published recommendations by the state's assessment"),
            dimension=_("State's assessment"),
            series=[_("Recommendations")],
            bars=[
                Bar(str(label), [by_status.get(value, 0)], href=f"{list_url}?status={value}")
                for value, label in ImplementationStatus.choices
            ],
        )
        figures = [f for _action, f in published_figures() if f.shown]
        return {
            **super().get_context_data(**kwargs),
            "recommendation_count": sum(by_status.values()),
            "action_count": Action.objects.filter(published_at__isnull=False).count(),
            "status_chart": chart,
            "officers_trained": sum(f.trained or 0 for f in figures),
            "figure_actions": len(figures),
        }
