"""Back-office URLs of the assistant: tag suggestions, accepted or rejected one by one, and
their review queue."""

from django.urls import path

from mizan.staff.views.tag_suggestions import (
    SuggestionAcceptView,
    SuggestionRejectView,
    SuggestionReviewView,
)

urlpatterns = [
    path(
        "recommendations/suggested-tags/",
        SuggestionReviewView.as_view(),
        name="suggestion_review",
    ),
    path(
        "recommendations/<int:pk>/suggested-tags/<int:tagging_pk>/accept/",
        SuggestionAcceptView.as_view(),
        name="suggestion_accept",
    ),
    path(
        "recommendations/<int:pk>/suggested-tags/<int:tagging_pk>/reject/",
        SuggestionRejectView.as_view(),
        name="suggestion_reject",
    ),
]
