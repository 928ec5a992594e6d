"""Shared fixtures: one user per role, plus an outsider with no membership."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from mizan.accounts.enums import Role
from tests.factories import InstitutionFactory, UserFactory, user_with_role


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language: a request in Arabic made by an earlier
    test (the locale middleware activates the request's language on the thread) must not
    leak into the next one."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def nhri(db):
    return InstitutionFactory(code="nhri", names={"en": "National Human Rights Council"})


@pytest.fixture
def coordinator(nhri):
    return user_with_role(Role.COORDINATOR, nhri, username="coordinator")


@pytest.fixture
def admin_user(nhri):
    return user_with_role(Role.ADMIN, nhri, username="administrator")


@pytest.fixture
def focal_point(db):
    police = InstitutionFactory(code="police", kind="law_enforcement")
    return user_with_role(Role.FOCAL_POINT, police, username="focal")


@pytest.fixture
def viewer(nhri):
    return user_with_role(Role.VIEWER, nhri, username="viewer")


@pytest.fixture
def outsider(db):
    """A user with an account but no membership of any institution."""
    return UserFactory(username="outsider")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def outsider_client(client, outsider):
    client.force_login(outsider)
    return client
