"""The back office's front page: the registry at a glance, with both voices' assessments."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from mizan.recommendations.enums import ImplementationStatus
from mizan.recommendations.queries import (
    DISAGREE,
    NOT_ASSESSED,
    documents_visible_to,
    recommendations_visible_to,
)


class DashboardView(PermissionRequiredMixin, TemplateView):
    """Rule: any member of an institution (``recommendations.view_recommendation``)."""

    permission_required = "recommendations.view_recommendation"
    template_name = "staff/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        recommendations = recommendations_visible_to(self.request.user)
        by_status = dict(recommendations.order_by().values_list("status").annotate(n=Count("id")))
        by_nhri_status = dict(
            recommendations.order_by().values_list("nhri_status").annotate(n=Count("id"))
        )
        by_mechanism = (
            recommendations.order_by()
            .values("document__mechanism__code")
            .annotate(n=Count("id"))
            .order_by("-n")
        )
        return {
            **super().get_context_data(**kwargs),
            "nav": "dashboard",
            "total": recommendations.count(),
            # Each status with the state's count and the NHRI's, then those the NHRI has not
            # assessed yet.
            "by_status": [
                (value, label, by_status.get(value, 0), by_nhri_status.get(value, 0))
                for value, label in ImplementationStatus.choices
            ],
            "not_assessed": by_nhri_status.get("", 0),
            "not_assessed_value": NOT_ASSESSED,
            "disagree": recommendations.filter(DISAGREE).count(),
            "by_mechanism": by_mechanism,
            "unassigned": recommendations.filter(assignments__isnull=True).count(),
            "recent_documents": documents_visible_to(self.request.user)
            .annotate(n=Count("recommendations"))
            .order_by("-date", "symbol")[:6],
        }
