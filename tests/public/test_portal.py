"""The public portal's pages: open to everyone, published records only (404 otherwise),
filters and pages, training figures only when published and never from small groups."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mizan.reports import publication
from tests.actions.factories import ActionFactory, IndicatorFactory, IndicatorValueFactory
from tests.factories import MechanismFactory, RecommendationFactory, SourceDocumentFactory
from tests.public.builders import trained_action

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def published(coordinator, **fields):
    recommendation = RecommendationFactory(**fields)
    publication.publish_recommendations(coordinator, [recommendation.pk])
    return recommendation


def test_the_home_page_shows_the_published_figures(client, coordinator):
    published(coordinator)
    RecommendationFactory()
    response = client.get(reverse("public:home"))
    assert response.status_code == 200
    assert response.context["recommendation_count"] == 1
    assert reverse("public:open_data") in response.content.decode()


def test_an_unpublished_recommendation_is_absent_and_404(client, coordinator):
    shown = published(coordinator, text="Publish this text.")
    hidden = RecommendationFactory(text="Keep this text inside.")
    listing = client.get(reverse("public:recommendation_list")).content.decode()
    assert "Publish this text." in listing and "Keep this text inside." not in listing
    assert client.get(reverse("public:recommendation_detail", args=[shown.pk])).status_code == 200
    assert client.get(reverse("public:recommendation_detail", args=[hidden.pk])).status_code == 404


def test_a_withdrawn_recommendation_is_404(client, coordinator):
    recommendation = published(coordinator)
    publication.withdraw_recommendations(coordinator, [recommendation.pk])
    url = reverse("public:recommendation_detail", args=[recommendation.pk])
    assert client.get(url).status_code == 404


def test_the_list_filters_by_mechanism_document_and_status(client, coordinator):
    upr = SourceDocumentFactory(mechanism=MechanismFactory(code="UPR"))
    first = published(coordinator, document=upr, status="implemented")
    second = published(coordinator)
    url = reverse("public:recommendation_list")
    for query in (
        {"mechanism": "UPR"},
        {"document": upr.pk},
        {"status": "implemented"},
    ):
        page = client.get(url, query).context["page"]
        assert [r.pk for r in page] == [first.pk], query
    assert second.pk in [r.pk for r in client.get(url).context["page"]]
    assert list(client.get(url, {"document": "nonsense"}).context["page"]) == []


def test_the_list_is_paginated(client, coordinator):
    for _ in range(26):
        published(coordinator)
    url = reverse("public:recommendation_list")
    assert len(client.get(url).context["page"]) == 25
    assert len(client.get(url, {"page": 2}).context["page"]) == 1


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_takes_a_fixed_number_of_queries(client, coordinator, count):
    for _ in range(count):
        published(coordinator)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("public:recommendation_list"))
    assert len(queries) <= 8


def test_the_recommendation_page_lists_only_published_actions(client, coordinator):
    recommendation = published(coordinator)
    shown = ActionFactory(title="Shown action")
    hidden = ActionFactory(title="Hidden action")
    shown.recommendations.add(recommendation)
    hidden.recommendations.add(recommendation)
    publication.publish_action(coordinator, shown, with_figures=False)
    content = client.get(
        reverse("public:recommendation_detail", args=[recommendation.pk])
    ).content.decode()
    assert "Shown action" in content and "Hidden action" not in content


def test_an_unpublished_action_is_absent_and_404(client, coordinator):
    shown = ActionFactory(title="Public measure")
    hidden = ActionFactory(title="Internal measure")
    publication.publish_action(coordinator, shown, with_figures=False)
    listing = client.get(reverse("public:action_list")).content.decode()
    assert "Public measure" in listing and "Internal measure" not in listing
    assert client.get(reverse("public:action_detail", args=[shown.pk])).status_code == 200
    assert client.get(reverse("public:action_detail", args=[hidden.pk])).status_code == 404


def test_the_action_page_shows_indicators_latest_value_against_target(client, coordinator):
    action = ActionFactory()
    indicator = IndicatorFactory(action=action, name="Officers trained so far", target=500)
    IndicatorValueFactory(indicator=indicator, value=120, source="Internal register Q1")
    publication.publish_action(coordinator, action, with_figures=False)
    response = client.get(reverse("public:action_detail", args=[action.pk]))
    [shown] = response.context["indicators"]
    assert (shown.latest_value, shown.target) == (120, 500)
    assert "Internal register Q1" not in response.content.decode()


def test_training_figures_show_only_when_published_with_them(client, coordinator):
    action = trained_action({"Oriental": 15, "Souss-Massa": 11, "Draa": 4})
    publication.publish_action(coordinator, action, with_figures=False)
    url = reverse("public:action_detail", args=[action.pk])
    assert client.get(url).context["figures"] is None
    publication.publish_action(coordinator, action, with_figures=True)
    response = client.get(url)
    assert response.context["figures"].trained == 30
    content = response.content.decode()
    assert "Officers trained" in content and "hidden: fewer than 11" in content


def test_an_action_with_fewer_than_eleven_officers_shows_no_figure(client, coordinator):
    action = trained_action({"Oriental": 6, "Draa": 4})
    publication.publish_action(coordinator, action, with_figures=True)
    response = client.get(reverse("public:action_detail", args=[action.pk]))
    assert not response.context["figures"].shown
    assert response.context["charts"] == []
    assert "no figure is shown" in response.content.decode()


def test_the_pages_work_in_arabic(client, coordinator):
    recommendation = published(coordinator)
    client.cookies["django_language"] = "ar"
    response = client.get(
        reverse("public:recommendation_detail", args=[recommendation.pk]),
        headers={"accept-language": "ar"},
    )
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()
