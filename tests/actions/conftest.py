"""Fixtures of the actions tests: an action led by the police, and people around it."""

from __future__ import annotations

import pytest

from mizan.accounts.enums import Role
from tests.actions.factories import ActionFactory
from tests.actions.fixtures import registered_figure
from tests.factories import InstitutionFactory, user_with_role


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Evidence files go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def figure():
    with registered_figure() as fake:
        yield fake


@pytest.fixture
def police(db):
    return InstitutionFactory(code="police", kind="law_enforcement")


@pytest.fixture
def action(police):
    return ActionFactory(lead_institution=police)


@pytest.fixture
def other_focal_point(db):
    justice = InstitutionFactory(code="justice", kind="ministry")
    return user_with_role(Role.FOCAL_POINT, justice, username="justice-focal")


@pytest.fixture
def second_coordinator(nhri):
    return user_with_role(Role.COORDINATOR, nhri, username="coordinator2")
