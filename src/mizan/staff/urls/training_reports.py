"""Back-office URLs: the reports on a training session and on a curriculum version, as
``.pdf``, ``.docx`` or ``.xlsx``."""

from django.urls import path

from mizan.staff.views import training_reports as views

urlpatterns = [
    path(
        "sessions/<int:pk>/report.<str:format>",
        views.SessionReportView.as_view(),
        name="session_report",
    ),
    path(
        "training/versions/<int:pk>/report.<str:format>",
        views.VersionReportView.as_view(),
        name="version_report",
    ),
]
