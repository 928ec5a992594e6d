"""Security and privacy review of the public portal, its open data and its API: attacks
that try to read what is not published, or a figure about fewer than 11 officers, and
what each must find."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from mizan.reports import publication
from mizan.reports.suppression import SMALL_CELL
from mizan.training.models import TrainingSession
from mizan.training.services import sessions as session_services
from tests.actions.factories import ActionFactory
from tests.factories import InstitutionFactory, RecommendationFactory
from tests.public.builders import trained_action
from tests.training.analytics_builders import attend, enrol, small_version
from tests.training.builders import make_participant, nhri, police

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def completion_action(coordinator, groups: dict[str, tuple[int, int]], title="Completion"):
    """A published training action, figures published, with one session in which
    ``groups[region] = (trained, did_not_complete)``: those who did not complete came to
    one half-day of two (the session asks for all of them and no test)."""
    version = small_version(coordinator, code=f"v{abs(hash(title)) % 10000}")
    action = ActionFactory(title=title, kind="training")
    total = sum(trained for trained, _ in groups.values())
    session = session_services.create_session(
        action=action,
        version=version,
        title=f"{title} session",
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 3, 2),
        city="Oujda",
        region="Oriental",
        organisers=[police(), nhri()],
        capacity=total,
        by=coordinator,
    )
    TrainingSession.objects.filter(pk=session.pk).update(
        min_attendance_percent=100, min_post_test_percent=0
    )
    for region, (trained, failed) in groups.items():
        for n in range(trained):
            person = make_participant(
                coordinator, name_latin=f"{region} {n}", name_arabic="", region=region
            )
            enrolment = enrol(session, person, coordinator)
            if n < failed:
                attend(enrolment, "present", "absent")
            else:
                attend(enrolment, "present", "present")
    return publication.publish_action(coordinator, action, with_figures=True)


def api_figures(client, action):
    return client.get(reverse("api:public-figures-detail", args=[action.pk])).json()


# --- Unpublished records ----------------------------------------------------------------


def test_an_unpublished_record_answers_exactly_like_one_that_does_not_exist(client, coordinator):
    """404 vs 403, or a different message, would tell that the id exists."""
    hidden = RecommendationFactory()
    action = ActionFactory()
    missing = 10**9
    for name, pk in (("recommendation", hidden.pk), ("action", action.pk)):
        there = client.get(reverse(f"api:public-{name}-detail", args=[pk]))
        absent = client.get(reverse(f"api:public-{name}-detail", args=[missing]))
        assert there.status_code == absent.status_code == 404
        assert there.json() == absent.json()
        page = client.get(reverse(f"public:{name}_detail", args=[pk]))
        assert page.status_code == 404
    figures = client.get(reverse("api:public-figures-detail", args=[action.pk]))
    assert figures.status_code == 404


def test_filters_and_counts_only_ever_count_published_records(client, coordinator):
    shown = RecommendationFactory()
    hidden = RecommendationFactory(document=shown.document)
    hidden_doc = RecommendationFactory()
    publication.publish_recommendations(coordinator, [shown.pk])
    url = reverse("api:public-recommendation-list")
    assert client.get(url).json()["count"] == 1
    by_document = client.get(url, {"document": shown.document_id}).json()
    assert [item["id"] for item in by_document["results"]] == [shown.pk]
    # A document with nothing published answers as one that does not exist.
    empty = client.get(url, {"document": hidden_doc.document_id}).json()
    nothing = client.get(url, {"document": 10**9}).json()
    assert empty["count"] == nothing["count"] == 0
    # Ordering and page size cannot be turned into a probe of hidden rows.
    ordered = client.get(url, {"ordering": "-published_at", "page_size": 1000}).json()
    assert [item["id"] for item in ordered["results"]] == [shown.pk]
    page = client.get(reverse("public:recommendation_list")).content.decode()
    assert hidden_doc.document.symbol not in page
    assert hidden.pk not in [item["id"] for item in ordered["results"]]


def test_related_records_list_only_what_is_published(client, coordinator):
    shown, hidden = RecommendationFactory(), RecommendationFactory()
    public_action, private_action = ActionFactory(), ActionFactory()
    public_action.recommendations.add(shown, hidden)
    private_action.recommendations.add(shown)
    publication.publish_recommendations(coordinator, [shown.pk])
    publication.publish_action(coordinator, public_action, with_figures=False)
    action = client.get(reverse("api:public-action-detail", args=[public_action.pk])).json()
    assert action["recommendations"] == [shown.pk]
    recommendation = client.get(reverse("api:public-recommendation-detail", args=[shown.pk])).json()
    assert recommendation["actions"] == [public_action.pk]
    opened = json.loads(client.get(reverse("public:open_data_actions_json")).content)
    assert opened["items"][0]["recommendations"] == [shown.pk]
    page = client.get(reverse("public:action_detail", args=[public_action.pk])).content.decode()
    assert private_action.title not in page


def test_the_public_schema_holds_no_record(client, coordinator):
    secret = RecommendationFactory()
    secret.texts.update(text="Zqunpublishedtextx")
    schema = client.get(reverse("api:public_schema")).content.decode()
    assert "Zqunpublishedtextx" not in schema


def test_credentials_do_not_widen_the_public_api(client, coordinator):
    """A coordinator's session on the public API sees what anyone sees."""
    RecommendationFactory()
    client.force_login(coordinator)
    assert client.get(reverse("api:public-recommendation-list")).json()["count"] == 0


# --- Small cells --------------------------------------------------------------------------


def test_a_completion_rate_never_tells_of_fewer_than_eleven_who_did_not_complete(
    client, coordinator
):
    """Oriental 15 trained of whom 1 did not complete, Souss 20 of whom 0: a rate of 93.3 %
    next to 15 says one officer of the Oriental failed; the overall 34 of 35 says it too."""
    action = completion_action(coordinator, {"Oriental": (15, 1), "Souss": (20, 0)})
    figures = publication.figures_of(action)
    assert figures is not None and figures.shown
    assert figures.trained == 35
    assert figures.completed is None and figures.completion_rate is None
    regions = {group.key: group for group in figures.breakdowns[1].groups}
    assert regions["Oriental"].completion_rate is None
    # Souss's rate with the overall one would give Oriental's by subtraction: hidden too.
    assert regions["Souss"].completion_rate is None
    assert regions["Souss"].trained == 20
    record = api_figures(client, action)
    assert record["officers_completed"] is None and record["completion_rate"] is None
    region_groups = {g["group"]: g for g in record["breakdowns"][1]["groups"]}
    assert region_groups["Oriental"]["completion_rate"] is None
    page = client.get(reverse("public:action_detail", args=[action.pk])).content.decode()
    assert "93.3" not in page and "97.1" not in page


def test_a_completion_rate_stays_when_both_sides_are_large(client, coordinator):
    action = completion_action(coordinator, {"Oriental": (25, 12), "Souss": (0, 0)})
    figures = publication.figures_of(action)
    assert figures.completed == 13
    regions = {group.key: group for group in figures.breakdowns[1].groups}
    assert regions["Oriental"].completion_rate is not None


def test_the_page_the_json_the_csv_and_the_api_hide_the_same_cells(client, coordinator):
    action = trained_action({"Oriental": 30, "Souss": 4, "Draa": 9})
    publication.publish_action(coordinator, action, with_figures=True)
    api = api_figures(client, action)
    opened = json.loads(client.get(reverse("public:open_data_figures_json")).content)["items"][0]
    assert api == opened
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("public:open_data_figures_csv")).content.decode("utf-8-sig")
            )
        )
    )
    by_csv = {(r["breakdown"], r["group"]): r["officers_trained"] for r in rows}
    for breakdown in api["breakdowns"]:
        for group in breakdown["groups"]:
            expected = group["officers_trained"]
            assert by_csv[(breakdown["breakdown"], group["group"])] == (
                "" if expected is None else str(expected)
            )
    regions = {g["group"]: g for g in api["breakdowns"][1]["groups"]}
    # 4 and 9 are small; together 13, so Oriental (30) may stay.
    assert regions["Souss"]["suppressed"] and regions["Draa"]["suppressed"]
    assert regions["Oriental"]["officers_trained"] == 30
    page = client.get(reverse("public:action_detail", args=[action.pk])).content.decode()
    assert ">4<" not in page and ">9<" not in page


def test_a_hidden_group_draws_no_bar(client, coordinator):
    action = trained_action({"Oriental": 30, "Souss": 4, "Draa": 9})
    publication.publish_action(coordinator, action, with_figures=True)
    response = client.get(reverse("public:action_detail", args=[action.pk]))
    for chart in response.context["charts"]:
        for bar, _texts, drawing in chart.rows():
            if bar.note:
                assert all(value is None for value in bar.values)
                assert drawing.count("<rect") == 1  # the background only


def test_chart_labels_are_escaped(client, coordinator):
    """An institution's name is a chart label on the public page."""
    action = trained_action({"Oriental": 30})
    institution = InstitutionFactory(
        code="evil", names=dict.fromkeys(("ar", "fr", "en"), '<script>alert("x")</script>')
    )
    from mizan.training.models import Participant

    Participant.objects.update(institution=institution)
    publication.publish_action(coordinator, action, with_figures=True)
    page = client.get(reverse("public:action_detail", args=[action.pk])).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def test_open_data_csv_cells_cannot_run_formulas(client, coordinator):
    formula = '=HYPERLINK("http://evil.example","click")'
    recommendation = RecommendationFactory()
    recommendation.texts.update(text=formula)
    action = ActionFactory(
        title=formula,
        lead_institution=InstitutionFactory(
            code="formula", names=dict.fromkeys(("ar", "fr", "en"), formula)
        ),
    )
    action.recommendations.add(recommendation)
    publication.publish_recommendations(coordinator, [recommendation.pk])
    publication.publish_action(coordinator, action, with_figures=False)
    for name in ("public:open_data_recommendations_csv", "public:open_data_actions_csv"):
        text = client.get(reverse(name)).content.decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text)):
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row


def test_fewer_than_eleven_officers_publish_nothing(client, coordinator):
    action = trained_action({"Oriental": SMALL_CELL - 1})
    publication.publish_action(coordinator, action, with_figures=True)
    record = api_figures(client, action)
    assert record["suppressed"] and record["officers_trained"] is None
    assert record["sessions"] is None
    assert all(
        group["officers_trained"] is None for b in record["breakdowns"] for group in b["groups"]
    )
