"""Placeholder: being written (issue 5). Suggestions, review rounds, reviews, decisions
and their integration into curriculum versions."""

from typing import Any

urlpatterns: list[Any] = []


def register(router: Any) -> None:
    """Nothing registered yet."""
