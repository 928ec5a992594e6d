"""Back-office URLs: marking."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
