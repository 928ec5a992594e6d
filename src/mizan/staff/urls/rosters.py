"""Back-office URLs: rosters."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
