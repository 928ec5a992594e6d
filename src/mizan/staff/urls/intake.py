"""Back-office URLs of the assistant: intake."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
