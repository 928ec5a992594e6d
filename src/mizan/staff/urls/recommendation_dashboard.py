"""Back-office URLs: the recommendations dashboard."""

from django.urls import path

from mizan.staff.views import recommendation_dashboard as views

urlpatterns = [
    path(
        "dashboards/recommendations/",
        views.RecommendationDashboardView.as_view(),
        name="recommendation_dashboard",
    ),
]
