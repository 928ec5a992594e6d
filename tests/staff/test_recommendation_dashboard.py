"""The recommendations dashboard page: who may open it, what it shows, the filters, the
CSV downloads (formula-safe), Arabic right to left, and a fixed number of queries."""

from __future__ import annotations

import codecs
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mizan.recommendations.models import Assignment
from tests.actions.factories import ActionFactory
from tests.factories import (
    InstitutionFactory,
    MechanismFactory,
    RecommendationFactory,
    SourceDocumentFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("staff:recommendation_dashboard")
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def registry(db):
    """Two CMW recommendations, one UPR recommendation assigned to the police, and an
    overdue action answering the UPR one."""
    cmw = SourceDocumentFactory(symbol="CMW/C/MAR/CO/2", mechanism=MechanismFactory(code="CMW"))
    upr = SourceDocumentFactory(symbol="A/HRC/52/7", mechanism=MechanismFactory(code="UPR"))
    RecommendationFactory(document=cmw)
    RecommendationFactory(document=cmw)
    answered = RecommendationFactory(document=upr)
    police = InstitutionFactory(code="police", kind="law_enforcement")
    Assignment.objects.create(recommendation=answered, institution=police)
    action = ActionFactory(title="Train the border police", due_on=TODAY - 5 * DAY)
    action.recommendations.add(answered)
    return answered


def csv_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(codecs.BOM_UTF8)
    return content[len(codecs.BOM_UTF8) :].decode("utf-8")


# --- who may open it -------------------------------------------------------------------------


def test_a_member_sees_the_figures(viewer_client, registry):
    response = viewer_client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert response.context["figures"].statuses.total == 3
    for title in (
        "By the state&#x27;s assessment",
        "By the NHRI&#x27;s assessment",
        "By mechanism",
        "By document",
        "By Sustainable Development Goal",
        "By responsible institution",
        "Implementation over time",
        "Actions past their due date",
    ):
        assert title in content


def test_someone_without_membership_is_refused(outsider_client, registry):
    assert outsider_client.get(URL).status_code == 403


def test_someone_logged_out_is_sent_to_log_in(client, registry):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_front_page_links_to_the_figures(viewer_client, registry):
    response = viewer_client.get(reverse("staff:dashboard"))
    assert f'href="{URL}"' in response.content.decode()
    assert "All figures on recommendations" in response.content.decode()


# --- what it shows -------------------------------------------------------------------------


def test_rows_link_to_the_recommendation_list_filtered_that_way(viewer_client, registry):
    content = viewer_client.get(URL).content.decode()
    assert f'href="{reverse("staff:recommendation_list")}?mechanism=UPR"' in content
    assert f'href="{reverse("staff:recommendation_list")}?institution=police"' in content


def test_overdue_actions_link_to_their_page(viewer_client, registry):
    ActionFactory(title="Finished", due_on=TODAY - 9 * DAY, status="completed")
    content = viewer_client.get(URL).content.decode()
    action = registry.actions.get()
    assert reverse("staff:action_detail", args=[action.pk]) in content
    assert "Train the border police" in content
    assert "Finished" not in content


def test_the_filters_change_the_figures(viewer_client, registry):
    response = viewer_client.get(URL, {"mechanism": "CMW"})
    figures = response.context["figures"]
    assert figures.statuses.total == 2
    assert figures.overdue.actions.count == 0


def test_the_voice_select_switches_the_over_time_chart(viewer_client, registry):
    response = viewer_client.get(URL, {"voice": "nhri"})
    assert response.context["figures"].timeline.voice == "nhri"
    assert "by the NHRI&#x27;s assessment" in response.content.decode()


def test_a_filter_value_not_offered_is_an_error_not_a_crash(viewer_client, registry):
    response = viewer_client.get(URL, {"mechanism": "nonsense"})
    assert response.status_code == 200
    assert response.context["figures"].statuses.total == 3
    assert response.context["form"].errors["mechanism"]


def test_the_filter_form_has_a_label_for_every_field(viewer_client, registry):
    content = viewer_client.get(URL).content.decode()
    for name in ("mechanism", "document", "institution", "date_from", "date_until", "voice"):
        assert f'for="id_{name}"' in content


# --- downloads -----------------------------------------------------------------------------


def test_a_table_downloads_as_csv_with_formulas_neutralised(viewer_client, db):
    RecommendationFactory(document=SourceDocumentFactory(symbol='=HYPERLINK("x")'))
    response = viewer_client.get(URL, {"download": "document"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = csv_text(response).splitlines()
    assert lines[0] == '"Document","Recommendations"'
    assert lines[1] == '"\'=HYPERLINK(""x"")","1"'


def test_the_download_follows_the_filters(viewer_client, registry):
    response = viewer_client.get(URL, {"download": "mechanism", "mechanism": "UPR"})
    assert csv_text(response).splitlines()[1:] == ['"UPR · Committee UPR","1"']


def test_overdue_actions_download_in_full(viewer_client, db):
    for days in range(1, 13):
        ActionFactory(title=f"=cmd{days}", due_on=TODAY - days * DAY)
    response = viewer_client.get(URL, {"download": "overdue_actions"})
    lines = csv_text(response).splitlines()
    assert len(lines) == 1 + 12
    assert lines[1].startswith('"\'=cmd12"')


def test_an_unknown_table_is_not_found(viewer_client, registry):
    assert viewer_client.get(URL, {"download": "salaries"}).status_code == 404


def test_someone_without_membership_cannot_download(outsider_client, registry):
    assert outsider_client.get(URL, {"download": "document"}).status_code == 403


# --- languages and queries -----------------------------------------------------------------


def test_the_page_is_in_arabic_right_to_left(viewer_client, registry):
    response = viewer_client.get(URL, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_the_page_costs_the_same_queries_at_one_and_at_three_recommendations(
    viewer_client, db, django_assert_max_num_queries
):
    police = InstitutionFactory(code="police", kind="law_enforcement")

    def add_one() -> None:
        recommendation = RecommendationFactory()
        Assignment.objects.create(recommendation=recommendation, institution=police)
        ActionFactory(due_on=TODAY - DAY).recommendations.add(recommendation)

    add_one()
    with django_assert_max_num_queries(40) as one:
        viewer_client.get(URL)
    add_one()
    add_one()
    with django_assert_max_num_queries(len(one.captured_queries)):
        viewer_client.get(URL)
