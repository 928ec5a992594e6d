"""URLs of the participant pages opened with a personal link: what is open now, tests,
evaluations, the action plan, the follow-up survey and cascade reports."""

from django.urls import path

from mizan.participant.views import pages as views

urlpatterns = [
    path("<str:token>/", views.HomeView.as_view(), name="home"),
    path("<str:token>/test/<str:stage>/", views.TestView.as_view(), name="test"),
    path(
        "<str:token>/evaluation/<str:kind>/<int:day>/",
        views.EvaluationView.as_view(),
        name="evaluation",
    ),
    path("<str:token>/action-plan/", views.ActionPlanView.as_view(), name="action_plan"),
    path("<str:token>/follow-up/", views.FollowUpView.as_view(), name="follow_up"),
    path("<str:token>/cascade/", views.CascadeView.as_view(), name="cascade"),
]
