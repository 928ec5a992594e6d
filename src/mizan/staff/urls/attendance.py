"""Back-office URLs: attendance."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
