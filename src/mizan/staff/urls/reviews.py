"""Back-office URLs: review rounds of a joint committee, reviewer assignment, reviews,
the round's dashboard and groups of near-identical suggestions."""

from django.urls import path

from mizan.staff.views import reviews as views

urlpatterns = [
    path("reviews/", views.RoundListView.as_view(), name="review_rounds"),
    path("reviews/new/", views.RoundCreateView.as_view(), name="review_round_create"),
    path("reviews/mine/", views.MyReviewsView.as_view(), name="my_reviews"),
    path("reviews/<int:pk>/", views.RoundDashboardView.as_view(), name="review_round"),
    path("reviews/<int:pk>/edit/", views.RoundEditView.as_view(), name="review_round_edit"),
    path(
        "reviews/<int:pk>/suggestions/",
        views.RoundSuggestionsView.as_view(),
        name="review_round_suggestions",
    ),
    path("reviews/<int:pk>/assign/", views.RoundAssignView.as_view(), name="review_round_assign"),
    path("reviews/<int:pk>/open/", views.RoundOpenView.as_view(), name="review_round_open"),
    path("reviews/<int:pk>/close/", views.RoundCloseView.as_view(), name="review_round_close"),
    path("reviews/<int:pk>/groups/", views.RoundGroupsView.as_view(), name="review_round_groups"),
    path(
        "reviews/assignments/<int:pk>/",
        views.ReviewFormView.as_view(),
        name="review_form",
    ),
]
