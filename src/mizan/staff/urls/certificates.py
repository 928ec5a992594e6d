"""Back-office URLs: certificates."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
