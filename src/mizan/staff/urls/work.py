"""Back-office URLs: work."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
