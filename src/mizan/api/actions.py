"""API endpoints: actions."""

from __future__ import annotations

from django.urls import URLPattern
from rest_framework.routers import SimpleRouter


def register(router: SimpleRouter) -> None:
    """Add this area's viewsets to the API's router."""


urlpatterns: list[URLPattern] = []
