"""Back-office URLs of the assistant: tag_suggestions."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
