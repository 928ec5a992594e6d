from django.urls import path

from mizan.public import views

app_name = "public"
urlpatterns = [path("", views.HomeView.as_view(), name="home")]
