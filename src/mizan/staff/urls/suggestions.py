"""Back-office URLs: suggestions, their traceability and export."""

from django.urls import path

from mizan.staff.views import suggestions as views

urlpatterns = [
    path("suggestions/", views.SuggestionListView.as_view(), name="suggestion_list"),
    path("suggestions/new/", views.SuggestionCreateView.as_view(), name="suggestion_create"),
    path("suggestions/mine/", views.MySuggestionsView.as_view(), name="my_suggestions"),
    path(
        "suggestions/export.<str:fmt>",
        views.SuggestionExportView.as_view(),
        name="suggestion_export",
    ),
    path("suggestions/<int:pk>/", views.SuggestionDetailView.as_view(), name="suggestion_detail"),
    path(
        "suggestions/<int:pk>/history/",
        views.SuggestionHistoryView.as_view(),
        name="suggestion_history",
    ),
    path(
        "sessions/<int:pk>/suggestions/",
        views.SessionSuggestionsView.as_view(),
        name="session_suggestions",
    ),
]
