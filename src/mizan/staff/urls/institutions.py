"""Back-office URLs: institutions."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
