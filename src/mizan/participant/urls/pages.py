"""URLs of the participant pages: pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
