"""Back-office URLs: marking the short answers of a session's tests."""

from django.urls import path

from mizan.staff.views import marking as views

urlpatterns = [
    path(
        "sessions/<int:pk>/marking/",
        views.SessionMarkingView.as_view(),
        name="session_marking",
    ),
]
