"""The training results pages of a session and of an action: who may open them, what
they show (figures, never names), small cells hidden from readers outside the sessions,
item analysis for those who may read the question bank, the period filter and the CSV."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mizan.training.enums import PlanKept
from tests.actions.factories import ActionFactory
from tests.factories import UserFactory
from tests.training.analytics_builders import (
    attend,
    enrol,
    follow_up,
    session_of,
    small_version,
    two_session_action,
)
from tests.training.builders import make_participant, make_trainer, organiser, outsider

pytestmark = pytest.mark.django_db

NAMES = ("Amina", "Badr", "Chakib", "Dounia", "Fatima", "سميرة")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case():
    return two_session_action()


def page(client, user, name: str, pk: int, query: str = ""):
    if user is not None:
        client.force_login(user)
    return client.get(reverse(f"staff:{name}", args=[pk]) + query)


# --- who may open them -------------------------------------------------------------------


def test_an_organiser_sees_the_figures_of_their_session(client, case):
    response = page(client, organiser(), "session_results", case.first.pk)
    assert response.status_code == 200
    results = response.context["results"]
    assert (results.participation.trained, results.participation.completed) == (3, 1)
    assert not response.context["small_cells_hidden"]
    assert "Souss-Massa" in response.content.decode()


def test_a_member_outside_the_session_sees_figures_but_no_names(client, case):
    response = page(client, outsider(), "session_results", case.first.pk)
    assert response.status_code == 200
    content = response.content.decode()
    assert not any(name in content for name in NAMES)
    assert "Officers trained" in content


def test_a_member_outside_the_session_sees_no_cell_of_fewer_than_eleven(client, case):
    response = page(client, outsider(), "session_results", case.first.pk)
    results = response.context["results"]
    assert response.context["small_cells_hidden"]
    assert results.participation.completed is None
    assert all(row.trained is None for row in results.participation.by_rank)
    assert results.learning.mean_gain is None
    assert "hidden: fewer than 11 people" in response.content.decode()


def test_someone_without_membership_is_refused(client, case):
    stranger = UserFactory(username="stranger")
    for name, pk in (
        ("session_results", case.first.pk),
        ("session_results_csv", case.first.pk),
        ("action_training_figures", case.action.pk),
        ("action_training_figures_csv", case.action.pk),
    ):
        assert page(client, stranger, name, pk).status_code == 403


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(client, case):
    response = page(client, None, "action_training_figures", case.action.pk)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_an_unknown_session_is_not_found(client, case):
    assert page(client, outsider(), "session_results", case.second.pk + 100).status_code == 404


# --- item analysis ---------------------------------------------------------------------------


def test_item_analysis_shows_to_those_who_read_the_question_bank(client, case):
    response = page(client, make_trainer(), "session_results", case.first.pk)
    assert response.context["results"].items is not None
    assert "Item analysis of the test questions" in response.content.decode()


def test_item_analysis_is_not_shown_to_a_focal_point(client, case):
    response = page(client, organiser(), "session_results", case.first.pk)
    assert response.context["results"].items is None
    assert "Item analysis" not in response.content.decode()


# --- the action's page -----------------------------------------------------------------------


def test_the_action_page_counts_all_its_sessions(client, case):
    response = page(client, organiser(), "action_training_figures", case.action.pk)
    assert response.status_code == 200
    results = response.context["results"]
    assert (results.sessions, results.participation.trained) == (2, 4)


def test_the_period_filter_keeps_sessions_starting_in_it(client, case):
    response = page(
        client, organiser(), "action_training_figures", case.action.pk, "?starts_from=2026-05-01"
    )
    results = response.context["results"]
    assert (results.sessions, results.participation.trained) == (1, 2)


def test_a_period_ending_before_it_starts_is_refused(client, case):
    response = page(
        client,
        organiser(),
        "action_training_figures",
        case.action.pk,
        "?starts_from=2026-05-01&starts_until=2026-04-01",
    )
    assert response.context["period_form"].errors["starts_until"]


def test_the_action_page_of_a_member_outside_hides_small_cells(client, case):
    response = page(client, outsider(), "action_training_figures", case.action.pk)
    assert response.context["small_cells_hidden"]


# --- CSV -------------------------------------------------------------------------------------


def test_the_breakdowns_download_as_csv(client, case):
    response = page(client, organiser(), "action_training_figures_csv", case.action.pk)
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith('"Breakdown","Group","Officers trained"')
    assert '"region","Oriental","2","1","50.00","50.00"' in lines


def test_a_csv_cell_cannot_run_as_a_formula(client, case):
    case.people["C"].region = "=HYPERLINK(1)"
    case.people["C"].save()
    response = page(client, organiser(), "session_results_csv", case.first.pk)
    assert '"\'=HYPERLINK(1)"' in response.content.decode("utf-8-sig")


def test_the_csv_of_a_member_outside_leaves_small_cells_empty(client, case):
    response = page(client, outsider(), "session_results_csv", case.first.pk)
    assert '"region","Oriental","","","",""' in response.content.decode("utf-8-sig").splitlines()


# --- a fixed number of queries ---------------------------------------------------------------


def action_with_sessions(count: int):
    action = ActionFactory()
    version = small_version(code=f"pages-{count}")
    for n in range(count):
        session = session_of(
            action, version, starts_on=datetime.date(2026, 3, 2) + datetime.timedelta(days=7 * n)
        )
        enrolment = enrol(session, make_participant(name_latin=f"Officer {count}-{n}"))
        attend(enrolment, "present", "present")
        follow_up(enrolment, used_at_work=4, plan_kept=PlanKept.YES, colleagues_briefed=1)
    return action


def queries_of_action_page(client, action) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("staff:action_training_figures", args=[action.pk]))
    assert response.status_code == 200
    return len(captured)


def test_the_action_page_takes_the_same_queries_for_2_and_6_sessions(client):
    client.force_login(make_trainer())
    two = queries_of_action_page(client, action_with_sessions(2))
    six = queries_of_action_page(client, action_with_sessions(6))
    assert two == six
