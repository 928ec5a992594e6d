"""Fixtures of the partnership tests."""

from __future__ import annotations

import pytest

from tests.partnerships.factories import Partnership, build_partnership


@pytest.fixture
def partnership(nhri, coordinator) -> Partnership:
    return build_partnership(nhri=nhri, by=coordinator)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
