"""Back-office URLs: partnerships."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
