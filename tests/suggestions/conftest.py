"""Fixtures of the suggestion tests."""

from __future__ import annotations

import pytest

from tests.suggestions.builders import ReviewCase, build_review_case


@pytest.fixture
def case(nhri, coordinator) -> ReviewCase:
    return build_review_case(nhri=nhri, coordinator=coordinator)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
