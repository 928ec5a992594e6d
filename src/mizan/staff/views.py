"""Back-office views: thin, each with its permission rule, calling domain services."""

from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin


class DashboardView(PermissionRequiredMixin, TemplateView):
    permission_required = "recommendations.view_recommendation"
    template_name = "staff/dashboard.html"
