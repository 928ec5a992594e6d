"""URLs of the participant's suggestions: making one, anonymously or not."""

from django.urls import path

from mizan.participant.views import suggestions as views

urlpatterns = [
    path("<str:token>/suggest/", views.SuggestView.as_view(), name="suggest"),
]
