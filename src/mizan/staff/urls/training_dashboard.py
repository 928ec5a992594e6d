"""Back-office URLs: the training dashboard and its breakdown as CSV."""

from django.urls import path

from mizan.staff.views import training_dashboard as views

urlpatterns = [
    path(
        "dashboards/training/",
        views.TrainingDashboardView.as_view(),
        name="training_dashboard",
    ),
    path(
        "dashboards/training/breakdown.csv",
        views.TrainingDashboardCSVView.as_view(),
        name="training_dashboard_csv",
    ),
]
