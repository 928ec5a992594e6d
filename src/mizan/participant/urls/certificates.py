"""URLs of the participant pages: certificates."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
