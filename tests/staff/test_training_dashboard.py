"""The training dashboard page: who may open it, what it shows (figures, never names),
filters and breakdowns from the form, small cells hidden from readers outside the
sessions, the CSV, a fixed number of queries, and Arabic right to left."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mizan.actions.models import Indicator, IndicatorValue
from tests.factories import UserFactory
from tests.training.analytics_builders import attend, enrol, session_of, two_session_action
from tests.training.builders import make_participant, make_trainer, organiser, outsider

pytestmark = pytest.mark.django_db

NAMES = ("Amina", "Badr", "Chakib", "Dounia", "Fatima")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case():
    return two_session_action()


def page(client, user, query: str = "", name: str = "training_dashboard"):
    if user is not None:
        client.force_login(user)
    return client.get(reverse(f"staff:{name}") + query)


def test_an_organiser_sees_the_figures_without_names(client, case):
    response = page(client, organiser())
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert (dashboard.sessions, dashboard.total.trained) == (2, 5)
    content = response.content.decode()
    assert "Training dashboard" in content
    assert not any(name in content for name in NAMES)
    assert "participations" in content


def test_someone_without_membership_is_refused(client, case):
    stranger = UserFactory(username="stranger")
    assert page(client, stranger).status_code == 403
    assert page(client, None, name="training_dashboard_csv").status_code == 403


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(client, case):
    response = page(client, None)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_form_filters_and_breaks_down(client, case):
    query = f"?starts_from=2026-01-01&sessions={case.first.pk}&breakdown=region"
    response = page(client, organiser(), query)
    dashboard = response.context["dashboard"]
    assert (dashboard.sessions, dashboard.dimension) == (1, "region")
    assert {group.label for group in dashboard.groups} == {"Oriental", "Souss-Massa"}
    assert 'id="breakdown"' in response.content.decode()


def test_session_numbers_that_are_not_numbers_are_refused(client, case):
    response = page(client, organiser(), "?sessions=twelve")
    assert response.context["form"].errors["sessions"]
    assert response.context["dashboard"].sessions == 2  # nothing filtered


def test_a_reader_outside_the_sessions_sees_small_cells_hidden(client, case):
    response = page(client, outsider(), "?breakdown=rank")
    dashboard = response.context["dashboard"]
    assert dashboard.small_cells_hidden
    assert all(group.trained is None for group in dashboard.groups)
    assert "hidden: fewer than 11 people" in response.content.decode()


def test_the_csv_holds_the_breakdown_and_the_whole(client, case):
    response = page(client, organiser(), "?breakdown=sex", name="training_dashboard_csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith('"Group","Enrolled (participations)","Trained (participations)"')
    assert lines[1].startswith('"Female","4","3"')
    assert lines[-1].startswith('"All officers","6","5"')


def test_the_indicators_of_training_actions_show_with_their_latest_value(client, case):
    case.action.kind = "training"
    case.action.save()
    indicator = Indicator.objects.create(
        action=case.action, name="Officers trained", unit="officers", target=200
    )
    IndicatorValue.objects.create(
        indicator=indicator, measured_on=datetime.date(2026, 1, 1), value=40, source="roster"
    )
    IndicatorValue.objects.create(
        indicator=indicator, measured_on=datetime.date(2026, 6, 1), value=100, source="roster"
    )
    response = page(client, organiser())
    (shown,) = response.context["dashboard"].indicators
    assert (shown.value, shown.progress) == (100, 50)


def test_item_analysis_shows_to_those_who_read_the_question_bank(client, case):
    response = page(client, make_trainer())
    assert response.context["dashboard"].items is not None
    assert "Item analysis of the test questions" in response.content.decode()


def test_the_page_reads_a_fixed_number_of_queries(client, case):
    reader = organiser()
    page(client, reader, "?breakdown=institution")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert page(client, None, "?breakdown=institution").status_code == 200
        return len(captured)

    before = queries()
    for n in range(3):
        more = session_of(case.action, case.version, starts_on=datetime.date(2026, 7, 1 + n))
        attend(enrol(more, make_participant(name_latin=f"More {n}")), "present")
    page(client, None, "?breakdown=institution")  # computes the new sessions
    assert queries() == before


def test_the_page_renders_in_arabic_right_to_left(client, case):
    client.force_login(organiser())
    response = client.get(
        reverse("staff:training_dashboard") + "?breakdown=sex", HTTP_ACCEPT_LANGUAGE="ar"
    )
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.text
