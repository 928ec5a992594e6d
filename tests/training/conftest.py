"""Fixtures of the training tests: a trainer of the police, and uploads kept apart."""

from __future__ import annotations

import pytest

from tests.training.builders import make_trainer


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded materials go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def trainer(db):
    return make_trainer()
