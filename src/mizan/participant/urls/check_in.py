"""URLs of the participant pages: check_in."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
