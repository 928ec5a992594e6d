"""URLs of the participant pages: checking in for a half-day with its QR code."""

from django.urls import path

from mizan.participant.views import check_in as views

urlpatterns = [
    path("check-in/<str:code>/", views.CheckInView.as_view(), name="check_in"),
    path("check-in/<str:code>/done/", views.CheckInDoneView.as_view(), name="check_in_done"),
]
