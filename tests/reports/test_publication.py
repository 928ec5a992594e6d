"""Publishing and withdrawing: coordinators only, audited, and what the public figures
of a training action hide."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mizan.core.errors import Refused
from mizan.recommendations.models import Recommendation
from mizan.reports import publication
from mizan.reports.suppression import SMALL_CELL
from tests.actions.factories import ActionFactory
from tests.factories import RecommendationFactory, SourceDocumentFactory
from tests.public.builders import trained_action

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- services ------------------------------------------------------------------------


def test_publishing_recommendations_dates_them_and_names_the_coordinator(coordinator):
    first, second = RecommendationFactory(), RecommendationFactory()
    changed = publication.publish_recommendations(coordinator, [first.pk, second.pk])
    assert {r.pk for r in changed} == {first.pk, second.pk}
    first.refresh_from_db()
    assert first.published_at is not None
    latest = first.history.latest()
    assert latest.history_user == coordinator
    assert latest.history_change_reason == "Published on the public portal"


def test_publishing_again_keeps_the_first_date(coordinator):
    recommendation = RecommendationFactory()
    publication.publish_recommendations(coordinator, [recommendation.pk])
    recommendation.refresh_from_db()
    first_date = recommendation.published_at
    assert publication.publish_recommendations(coordinator, [recommendation.pk]) == []
    recommendation.refresh_from_db()
    assert recommendation.published_at == first_date


def test_withdrawing_a_recommendation_is_audited(coordinator):
    recommendation = RecommendationFactory()
    publication.publish_recommendations(coordinator, [recommendation.pk])
    publication.withdraw_recommendations(coordinator, [recommendation.pk])
    recommendation.refresh_from_db()
    assert recommendation.published_at is None
    assert recommendation.history.latest().history_change_reason == (
        "Withdrawn from the public portal"
    )


def test_a_focal_point_may_not_publish(focal_point):
    recommendation = RecommendationFactory()
    action = ActionFactory()
    with pytest.raises(Refused):
        publication.publish_recommendations(focal_point, [recommendation.pk])
    with pytest.raises(Refused):
        publication.publish_action(focal_point, action, with_figures=True)
    with pytest.raises(Refused):
        publication.withdraw_action(focal_point, action)
    recommendation.refresh_from_db()
    assert recommendation.published_at is None


def test_publishing_an_action_with_its_figures(coordinator):
    action = publication.publish_action(coordinator, ActionFactory(), with_figures=True)
    assert action.published_at is not None and action.training_figures_published
    assert action.history.latest().history_user == coordinator


def test_an_action_that_is_not_training_has_no_figures_to_publish(coordinator):
    action = publication.publish_action(
        coordinator, ActionFactory(kind="legislation"), with_figures=True
    )
    assert action.published_at is not None and not action.training_figures_published


def test_withdrawing_an_action_takes_its_figures_off_too(coordinator):
    action = publication.publish_action(coordinator, ActionFactory(), with_figures=True)
    action = publication.withdraw_action(coordinator, action)
    action.refresh_from_db()
    assert action.published_at is None and not action.training_figures_published
    assert action.history.latest().history_change_reason == "Withdrawn from the public portal"


# --- public training figures ----------------------------------------------------------


def test_a_group_of_four_is_hidden_with_the_next_smallest():
    action = trained_action({"Oriental": 15, "Souss-Massa": 11, "Draa": 4})
    figures = publication.public_training_figures(action)
    assert figures.shown and figures.trained == 30
    region = {g.label: g for g in next(b for b in figures.breakdowns if b.code == "region").groups}
    assert region["Draa"].trained is None and region["Draa"].suppressed
    assert region["Souss-Massa"].trained is None and region["Souss-Massa"].suppressed
    assert region["Souss-Massa"].completion_rate is None
    assert region["Oriental"].trained == 15


def test_the_total_minus_the_shown_cells_recovers_no_single_cell():
    action = trained_action({"Oriental": 15, "Souss-Massa": 11, "Draa": 4})
    figures = publication.public_training_figures(action)
    for breakdown in figures.breakdowns:
        hidden = [g for g in breakdown.groups if g.suppressed]
        shown = sum(g.trained for g in breakdown.groups if not g.suppressed)
        # Whatever is hidden, it is never one group alone, nor fewer than 11 together.
        assert len(hidden) != 1
        if hidden:
            assert figures.trained - shown >= SMALL_CELL


def test_an_action_with_fewer_than_eleven_officers_shows_no_figure():
    action = trained_action({"Oriental": 6, "Draa": 4})
    figures = publication.public_training_figures(action)
    assert not figures.shown
    assert figures.trained is None and figures.completed is None
    assert figures.breakdowns == [] and figures.mean_gain is None
    assert all(score.mean is None for score in figures.reaction)


def test_figures_are_none_unless_published_with_them(coordinator):
    action = trained_action({"Oriental": 12})
    assert publication.figures_of(action) is None
    publication.publish_action(coordinator, action, with_figures=False)
    action.refresh_from_db()
    assert publication.figures_of(action) is None
    publication.publish_action(coordinator, action, with_figures=True)
    action.refresh_from_db()
    assert publication.figures_of(action).trained == 12


# --- staff endpoints ------------------------------------------------------------------


def test_a_coordinator_publishes_a_recommendation_from_its_page(coordinator_client):
    recommendation = RecommendationFactory()
    page = coordinator_client.get(reverse("staff:recommendation_detail", args=[recommendation.pk]))
    assert (
        reverse("staff:recommendation_publish", args=[recommendation.pk]) in page.content.decode()
    )
    response = coordinator_client.post(
        reverse("staff:recommendation_publish", args=[recommendation.pk])
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.published_at is not None


def test_a_coordinator_publishes_all_of_a_document(coordinator_client):
    document = SourceDocumentFactory()
    recommendations = [RecommendationFactory(document=document) for _ in range(3)]
    other = RecommendationFactory()
    response = coordinator_client.post(
        reverse("staff:document_publish", args=[document.pk]),
        {"recommendation": recommendations[0].pk},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "staff:recommendation_detail", args=[recommendations[0].pk]
    )
    published = set(
        Recommendation.objects.filter(published_at__isnull=False).values_list("pk", flat=True)
    )
    assert published == {r.pk for r in recommendations}
    assert other.pk not in published


def test_a_coordinator_publishes_an_action_with_figures(coordinator_client):
    action = ActionFactory()
    response = coordinator_client.post(
        reverse("staff:action_publish", args=[action.pk]), {"with_figures": "1"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.published_at is not None and action.training_figures_published
    coordinator_client.post(reverse("staff:action_withdraw", args=[action.pk]))
    action.refresh_from_db()
    assert action.published_at is None


@pytest.mark.parametrize(
    "name",
    [
        "recommendation_publish",
        "recommendation_withdraw",
        "document_publish",
        "document_withdraw",
        "action_publish",
        "action_withdraw",
    ],
)
def test_a_focal_point_is_refused_every_publication_endpoint(client, focal_point, name):
    recommendation = RecommendationFactory()
    action = ActionFactory()
    pk = {
        "recommendation": recommendation.pk,
        "document": recommendation.document.pk,
        "action": action.pk,
    }[name.split("_")[0]]
    client.force_login(focal_point)
    assert client.post(reverse(f"staff:{name}", args=[pk])).status_code == 403
    recommendation.refresh_from_db()
    action.refresh_from_db()
    assert recommendation.published_at is None and action.published_at is None


def test_a_focal_point_sees_no_publish_button(client, focal_point):
    recommendation = RecommendationFactory()
    client.force_login(focal_point)
    page = client.get(reverse("staff:recommendation_detail", args=[recommendation.pk]))
    assert page.status_code == 200
    assert reverse("staff:recommendation_publish", args=[recommendation.pk]) not in (
        page.content.decode()
    )


def test_publishing_is_refused_to_get(coordinator_client):
    recommendation = RecommendationFactory()
    url = reverse("staff:recommendation_publish", args=[recommendation.pk])
    assert coordinator_client.get(url).status_code == 405
