"""Back-office URLs of the assistant: clusters."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
