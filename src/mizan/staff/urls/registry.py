"""Back-office URLs of the recommendation registry."""

from django.urls import path

from mizan.staff import views
from mizan.staff.views.recommendations import AssessmentCreateView

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("recommendations/", views.RecommendationListView.as_view(), name="recommendation_list"),
    path(
        "recommendations/new/",
        views.RecommendationCreateView.as_view(),
        name="recommendation_create",
    ),
    path("recommendations/import/", views.ImportView.as_view(), name="import"),
    path(
        "recommendations/import/confirm/", views.ImportConfirmView.as_view(), name="import_confirm"
    ),
    path("recommendations/export/", views.ExportView.as_view(), name="export"),
    path("recommendations/bulk/", views.BulkActionView.as_view(), name="bulk"),
    path(
        "recommendations/<int:pk>/",
        views.RecommendationDetailView.as_view(),
        name="recommendation_detail",
    ),
    path(
        "recommendations/<int:pk>/edit/",
        views.RecommendationEditView.as_view(),
        name="recommendation_edit",
    ),
    path(
        "recommendations/<int:pk>/history/",
        views.RecommendationHistoryView.as_view(),
        name="recommendation_history",
    ),
    path(
        "recommendations/<int:pk>/assessments/<slug:voice>/",
        AssessmentCreateView.as_view(),
        name="assessment_create",
    ),
    path("recommendations/<int:pk>/tags/", views.TagView.as_view(), name="tag"),
    path(
        "recommendations/<int:pk>/tags/<int:tagging_pk>/confirm/",
        views.TaggingConfirmView.as_view(),
        name="tagging_confirm",
    ),
    path(
        "recommendations/<int:pk>/tags/<int:tagging_pk>/remove/",
        views.TaggingRemoveView.as_view(),
        name="tagging_remove",
    ),
    path("recommendations/<int:pk>/assignments/", views.AssignView.as_view(), name="assign"),
    path(
        "recommendations/<int:pk>/assignments/<int:assignment_pk>/remove/",
        views.UnassignView.as_view(),
        name="unassign",
    ),
    path("documents/", views.DocumentListView.as_view(), name="document_list"),
    path("documents/new/", views.DocumentCreateView.as_view(), name="document_create"),
    path("vocabularies/", views.VocabularyListView.as_view(), name="vocabulary_list"),
    path(
        "vocabularies/<slug:code>/", views.VocabularyDetailView.as_view(), name="vocabulary_detail"
    ),
]
