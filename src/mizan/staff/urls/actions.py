"""Back-office URLs: actions."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
