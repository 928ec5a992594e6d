"""The open data files: published records only, suppressed cells empty (CSV) or null
(JSON) with their flag, CSV in UTF-8 with a byte-order mark and safe from formulas."""

from __future__ import annotations

import codecs
import csv
import io
import json

import pytest
from django.urls import reverse

from mizan.reports import publication
from tests.actions.factories import ActionFactory
from tests.factories import RecommendationFactory
from tests.public.builders import trained_action

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def rows(response) -> list[dict[str, str]]:
    content = b"".join(response) if response.streaming else response.content
    assert content.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(content[len(codecs.BOM_UTF8) :].decode("utf-8"))))


def test_the_open_data_page_links_every_file(client):
    content = client.get(reverse("public:open_data")).content.decode()
    for name in (
        "recommendations_csv",
        "recommendations_json",
        "actions_csv",
        "actions_json",
        "figures_csv",
        "figures_json",
    ):
        assert reverse(f"public:open_data_{name}") in content


def test_the_recommendation_files_hold_only_published_ones(client, coordinator):
    shown = RecommendationFactory(text="Ratify the convention.")
    RecommendationFactory(text="Not for the public.")
    publication.publish_recommendations(coordinator, [shown.pk])
    table = rows(client.get(reverse("public:open_data_recommendations_csv")))
    assert [row["id"] for row in table] == [str(shown.pk)]
    assert table[0]["text_en"] == "Ratify the convention."
    data = json.loads(client.get(reverse("public:open_data_recommendations_json")).content)
    assert [item["id"] for item in data["items"]] == [shown.pk]
    assert data["items"][0]["texts"] == {"en": "Ratify the convention."}


def test_the_csv_is_safe_from_formulas(client, coordinator):
    recommendation = RecommendationFactory(text='=HYPERLINK("http://evil")')
    publication.publish_recommendations(coordinator, [recommendation.pk])
    action = ActionFactory(title="@SUM(A1:A2)")
    publication.publish_action(coordinator, action, with_figures=False)
    [row] = rows(client.get(reverse("public:open_data_recommendations_csv")))
    assert row["text_en"].startswith("'=")
    [row] = rows(client.get(reverse("public:open_data_actions_csv")))
    assert row["title"] == "'@SUM(A1:A2)"


def test_the_action_files_hold_only_published_ones(client, coordinator):
    shown = ActionFactory(title="Shown")
    ActionFactory(title="Hidden")
    publication.publish_action(coordinator, shown, with_figures=False)
    assert [r["title"] for r in rows(client.get(reverse("public:open_data_actions_csv")))] == [
        "Shown"
    ]
    data = json.loads(client.get(reverse("public:open_data_actions_json")).content)
    assert [item["title"] for item in data["items"]] == ["Shown"]


def test_suppressed_figures_are_empty_with_their_flag(client, coordinator):
    action = trained_action({"Oriental": 15, "Souss-Massa": 11, "Draa": 4})
    publication.publish_action(coordinator, action, with_figures=True)
    table = rows(client.get(reverse("public:open_data_figures_csv")))
    regions = {row["group"]: row for row in table if row["breakdown"] == "region"}
    assert regions["Draa"]["officers_trained"] == "" and regions["Draa"]["suppressed"] == "true"
    assert regions["Souss-Massa"]["officers_trained"] == ""
    assert regions["Oriental"]["officers_trained"] == "15"
    [total] = [row for row in table if row["breakdown"] == "all"]
    assert total["officers_trained"] == "30" and total["suppressed"] == "false"
    data = json.loads(client.get(reverse("public:open_data_figures_json")).content)
    [figures] = data["items"]
    region = next(b for b in figures["breakdowns"] if b["breakdown"] == "region")
    draa = next(g for g in region["groups"] if g["group"] == "Draa")
    assert draa == {
        "group": "Draa",
        "officers_trained": None,
        "completion_rate": None,
        "suppressed": True,
    }


def test_an_action_with_too_few_officers_has_only_a_suppressed_row(client, coordinator):
    action = trained_action({"Oriental": 10})
    publication.publish_action(coordinator, action, with_figures=True)
    table = rows(client.get(reverse("public:open_data_figures_csv")))
    assert table == [
        {
            "action_id": str(action.pk),
            "action_title": action.title,
            "breakdown": "all",
            "group": "",
            "officers_trained": "",
            "completion_rate": "",
            "suppressed": "true",
        }
    ]


def test_figures_not_published_are_not_in_the_files(client, coordinator):
    action = trained_action({"Oriental": 12})
    publication.publish_action(coordinator, action, with_figures=False)
    assert rows(client.get(reverse("public:open_data_figures_csv"))) == []
