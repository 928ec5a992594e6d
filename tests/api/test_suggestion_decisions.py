"""Rejecting a model's suggested tag through the API."""

from __future__ import annotations

import pytest

from mizan.assist.models import RejectedSuggestion
from mizan.recommendations.models import Tagging
from tests.api.conftest import Registry

pytestmark = pytest.mark.django_db


def url(tagging) -> str:
    return f"/api/v1/taggings/{tagging.pk}/reject/"


def test_a_coordinator_rejects_a_suggestion_and_it_is_remembered(
    as_user, coordinator, registry: Registry
):
    response = as_user(coordinator).post(url(registry.suggestion))
    assert response.status_code == 204
    assert not Tagging.objects.filter(pk=registry.suggestion.pk).exists()
    rejected = RejectedSuggestion.objects.get(recommendation=registry.recommendation)
    assert (rejected.term, rejected.rejected_by) == (registry.suggestion.term, coordinator)


def test_a_viewer_may_not_reject(as_user, viewer, registry: Registry):
    response = as_user(viewer).post(url(registry.suggestion))
    assert response.status_code == 403
    assert Tagging.objects.filter(pk=registry.suggestion.pk).exists()


def test_a_confirmed_tag_is_not_a_suggestion(as_user, coordinator, registry: Registry):
    response = as_user(coordinator).post(url(registry.tagging))
    assert response.status_code == 400
    assert "not a suggestion" in str(response.json())
    assert Tagging.objects.filter(pk=registry.tagging.pk).exists()


def test_anonymous_requests_are_refused(client, registry: Registry):
    response = client.post(url(registry.suggestion))
    assert response.status_code in (401, 403)
