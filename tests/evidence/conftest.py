import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Evidence files go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
