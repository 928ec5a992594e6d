"""Back-office URLs: the reports hub, the follow-up report to the UN and report jobs."""

from django.urls import path

from mizan.staff.views import reports as views

urlpatterns = [
    path("reports/", views.ReportsHubView.as_view(), name="reports"),
    path(
        "reports/follow-up/new/",
        views.FollowUpReportNewView.as_view(),
        name="followup_report_new",
    ),
    path("reports/jobs/<int:pk>/", views.ReportJobView.as_view(), name="report_job"),
    path(
        "reports/jobs/<int:pk>/download/",
        views.ReportJobDownloadView.as_view(),
        name="report_job_download",
    ),
]
