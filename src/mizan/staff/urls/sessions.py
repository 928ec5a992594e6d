"""Back-office URLs: sessions."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
