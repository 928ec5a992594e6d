"""Back-office views: thin, each with its permission rule, calling domain services."""

from mizan.staff.views.dashboard import DashboardView
from mizan.staff.views.documents import DocumentCreateView, DocumentListView
from mizan.staff.views.imports import ImportConfirmView, ImportView
from mizan.staff.views.recommendations import (
    AssignView,
    BulkActionView,
    ExportView,
    RecommendationCreateView,
    RecommendationDetailView,
    RecommendationEditView,
    RecommendationHistoryView,
    RecommendationListView,
    TaggingConfirmView,
    TaggingRemoveView,
    TagView,
    UnassignView,
)
from mizan.staff.views.vocabularies import VocabularyDetailView, VocabularyListView

__all__ = [
    "AssignView",
    "BulkActionView",
    "DashboardView",
    "DocumentCreateView",
    "DocumentListView",
    "ExportView",
    "ImportConfirmView",
    "ImportView",
    "RecommendationCreateView",
    "RecommendationDetailView",
    "RecommendationEditView",
    "RecommendationHistoryView",
    "RecommendationListView",
    "TagView",
    "TaggingConfirmView",
    "TaggingRemoveView",
    "UnassignView",
    "VocabularyDetailView",
    "VocabularyListView",
]
