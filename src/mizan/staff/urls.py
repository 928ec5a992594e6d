"""The back office: coordinators, focal points, trainers, committee members."""

from django.urls import path

from mizan.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
]
