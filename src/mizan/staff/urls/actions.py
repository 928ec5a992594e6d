"""Back-office URLs: actions, their indicators and progress reports."""

from django.urls import path

from mizan.staff.views import actions as views

urlpatterns = [
    path("actions/", views.ActionListView.as_view(), name="action_list"),
    path("actions/new/", views.ActionCreateView.as_view(), name="action_create"),
    path("actions/<int:pk>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<int:pk>/edit/", views.ActionEditView.as_view(), name="action_edit"),
    path("actions/<int:pk>/status/", views.ActionStatusView.as_view(), name="action_status"),
    path("actions/<int:pk>/evidence/", views.ActionEvidenceView.as_view(), name="action_evidence"),
    path(
        "actions/<int:pk>/evidence/<int:evidence_pk>/remove/",
        views.ActionEvidenceRemoveView.as_view(),
        name="action_evidence_remove",
    ),
    path("actions/<int:pk>/history/", views.ActionHistoryView.as_view(), name="action_history"),
    path(
        "actions/<int:pk>/indicators/new/",
        views.IndicatorCreateView.as_view(),
        name="indicator_create",
    ),
    path(
        "actions/indicators/<int:pk>/edit/",
        views.IndicatorEditView.as_view(),
        name="indicator_edit",
    ),
    path(
        "actions/indicators/<int:pk>/values/new/",
        views.IndicatorValueCreateView.as_view(),
        name="indicator_value_create",
    ),
    path(
        "actions/values/<int:pk>/correct/",
        views.IndicatorValueCorrectView.as_view(),
        name="indicator_value_correct",
    ),
    path(
        "actions/values/<int:pk>/remove/",
        views.IndicatorValueRemoveView.as_view(),
        name="indicator_value_remove",
    ),
    path(
        "actions/indicators/<int:pk>/compute/",
        views.IndicatorComputeView.as_view(),
        name="indicator_compute",
    ),
    path(
        "actions/<int:pk>/reports/new/",
        views.ProgressReportCreateView.as_view(),
        name="progress_report_create",
    ),
    path(
        "actions/reports/<int:pk>/",
        views.ProgressReportDetailView.as_view(),
        name="progress_report_detail",
    ),
    path(
        "actions/reports/<int:pk>/edit/",
        views.ProgressReportEditView.as_view(),
        name="progress_report_edit",
    ),
    path(
        "actions/reports/<int:pk>/submit/",
        views.ProgressReportSubmitView.as_view(),
        name="progress_report_submit",
    ),
    path(
        "actions/reports/<int:pk>/approve/",
        views.ProgressReportApproveView.as_view(),
        name="progress_report_approve",
    ),
    path(
        "actions/reports/<int:pk>/return/",
        views.ProgressReportReturnView.as_view(),
        name="progress_report_return",
    ),
    path(
        "actions/reports/<int:pk>/correct/",
        views.ProgressReportCorrectView.as_view(),
        name="progress_report_correct",
    ),
    path(
        "actions/reports/<int:pk>/evidence/",
        views.ProgressReportEvidenceView.as_view(),
        name="progress_report_evidence",
    ),
]
