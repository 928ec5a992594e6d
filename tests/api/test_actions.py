"""/api/v1/actions/, /indicators/ and /progress-reports/: who may read and change what,
and the errors they answer."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mizan.accounts.enums import Role
from mizan.actions.enums import ActionStatus, ProgressReportStatus
from mizan.actions.models import Action, IndicatorValue, ProgressReport
from tests.actions.factories import (
    ActionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ProgressReportFactory,
)
from tests.actions.fixtures import registered_figure
from tests.api.assertions import assert_error_shape
from tests.factories import InstitutionFactory, RecommendationFactory, user_with_role

pytestmark = pytest.mark.django_db

ACTIONS = "/api/v1/actions/"
INDICATORS = "/api/v1/indicators/"
REPORTS = "/api/v1/progress-reports/"


@pytest.fixture
def police(db):
    return InstitutionFactory(code="police", kind="law_enforcement")


@pytest.fixture
def action(police):
    return ActionFactory(lead_institution=police, title="Train border police")


@pytest.fixture
def other_focal_point(db):
    return user_with_role(
        Role.FOCAL_POINT, InstitutionFactory(code="justice", kind="ministry"), username="other"
    )


@pytest.fixture
def figure():
    with registered_figure() as fake:
        yield fake


# --- Actions -----------------------------------------------------------------------------


def test_anonymous_gets_401(api, action):
    assert_error_shape(api.get(ACTIONS), 401)


def test_outsider_gets_403(as_user, outsider, action):
    client = as_user(outsider)
    assert_error_shape(client.get(ACTIONS), 403)
    assert_error_shape(client.get(f"{ACTIONS}{action.pk}/"), 403)


def test_viewer_reads_actions(as_user, viewer, action):
    recommendation = RecommendationFactory()
    action.recommendations.set([recommendation])
    body = as_user(viewer).get(f"{ACTIONS}{action.pk}/").json()
    assert (body["title"], body["lead_institution"], body["recommendations"]) == (
        "Train border police",
        "police",
        [recommendation.pk],
    )
    assert body["is_overdue"] is False


def test_list_filters_like_the_page(as_user, viewer, police):
    ActionFactory(title="Old", lead_institution=police, due_on="2020-01-01")
    ActionFactory(title="New law", kind="legislation", lead_institution=police)
    client = as_user(viewer)

    def titles(**params):
        return [a["title"] for a in client.get(ACTIONS, params).json()["results"]]

    assert titles(overdue="true") == ["Old"]
    assert titles(kind="legislation") == ["New law"]
    assert titles(q="law") == ["New law"]
    assert titles(lead="justice") == []


def count_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ACTIONS).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_rows(as_user, viewer, police):
    client = as_user(viewer)
    partner = InstitutionFactory(code="ngo")
    ActionFactory(lead_institution=police).recommendations.set([RecommendationFactory()])
    count_list_queries(client)  # the forced user caches its roles on the first request
    one = count_list_queries(client)
    for _ in range(2):
        created = ActionFactory(lead_institution=police)
        created.recommendations.set([RecommendationFactory()])
        created.partner_institutions.set([partner])
    assert count_list_queries(client) == one


def test_coordinator_creates_an_action(as_user, coordinator, police):
    recommendation = RecommendationFactory()
    response = as_user(coordinator).post(
        ACTIONS,
        {
            "title": "Law on asylum",
            "kind": "legislation",
            "lead_institution": "police",
            "partner_institutions": ["nhri"],
            "recommendations": [recommendation.pk],
            "due_on": "2026-06-30",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["partner_institutions"], body["created_by"]) == (
        "planned",
        ["nhri"],
        "coordinator",
    )
    assert {row.history_user for row in Action.objects.get().history.all()} == {coordinator}


def test_focal_point_creates_for_their_institution_only(as_user, focal_point, police):
    client = as_user(focal_point)
    data = {"title": "Training", "kind": "training", "lead_institution": "police"}
    assert client.post(ACTIONS, data, format="json").status_code == 201
    InstitutionFactory(code="justice")
    error = assert_error_shape(
        client.post(ACTIONS, {**data, "lead_institution": "justice"}, format="json"), 400
    )
    assert "lead_institution" in error["fields"]
    assert Action.objects.count() == 1


def test_viewer_cannot_create(as_user, viewer, police):
    data = {"title": "Training", "kind": "training", "lead_institution": "police"}
    assert_error_shape(as_user(viewer).post(ACTIONS, data, format="json"), 403)


def test_service_refusal_is_a_structured_400(as_user, coordinator, police):
    data = {
        "title": "Training",
        "kind": "training",
        "lead_institution": "police",
        "starts_on": "2025-06-01",
        "due_on": "2025-01-01",
    }
    error = assert_error_shape(as_user(coordinator).post(ACTIONS, data, format="json"), 400)
    assert "due_on" in error["fields"]


def test_focal_point_of_the_lead_changes_the_action(as_user, focal_point, action):
    response = as_user(focal_point).patch(
        f"{ACTIONS}{action.pk}/", {"title": "Renamed"}, format="json"
    )
    assert response.status_code == 200, response.content
    action.refresh_from_db()
    assert action.title == "Renamed"
    assert action.history.first().history_user == focal_point


@pytest.mark.parametrize("who", ["other_focal_point", "viewer"])
def test_others_cannot_change_the_action(as_user, request, who, action):
    client = as_user(request.getfixturevalue(who))
    assert_error_shape(client.patch(f"{ACTIONS}{action.pk}/", {"title": "X"}, format="json"), 403)
    assert_error_shape(
        client.post(f"{ACTIONS}{action.pk}/status/", {"status": "in_progress"}, format="json"),
        403,
    )
    action.refresh_from_db()
    assert (action.title, action.status) == ("Train border police", ActionStatus.PLANNED)


def test_status_change_and_its_refusals(as_user, focal_point, action):
    client = as_user(focal_point)
    url = f"{ACTIONS}{action.pk}/status/"
    error = assert_error_shape(client.post(url, {"status": "cancelled"}, format="json"), 400)
    assert "reason" in error["fields"]
    error = assert_error_shape(client.post(url, {"status": "completed"}, format="json"), 400)
    assert error["code"] == "invalid_transition"
    response = client.post(url, {"status": "cancelled", "reason": "No budget"}, format="json")
    assert (response.json()["status"], response.json()["cancellation_reason"]) == (
        "cancelled",
        "No budget",
    )


# --- Indicators --------------------------------------------------------------------------


def test_indicators_of_an_action(as_user, viewer, action):
    IndicatorValueFactory(indicator__action=action, value=120)
    body = as_user(viewer).get(f"{ACTIONS}{action.pk}/indicators/").json()
    assert [(i["name"], i["latest_value"]["value"]) for i in body] == [
        ("Officers trained", "120.00")
    ]


def test_focal_point_adds_an_indicator(as_user, focal_point, action):
    response = as_user(focal_point).post(
        f"{ACTIONS}{action.pk}/indicators/",
        {"name": "Officers trained", "unit": "officers", "target": "500"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["action"] == action.pk


@pytest.mark.parametrize("who", ["other_focal_point", "viewer"])
def test_others_cannot_add_indicators_or_values(as_user, request, who, action):
    client = as_user(request.getfixturevalue(who))
    indicator = IndicatorFactory(action=action)
    assert_error_shape(
        client.post(f"{ACTIONS}{action.pk}/indicators/", {"name": "X", "unit": "y"}), 403
    )
    assert_error_shape(
        client.post(
            f"{INDICATORS}{indicator.pk}/values/",
            {"measured_on": "2025-01-01", "value": "1", "source": "x"},
        ),
        403,
    )
    assert_error_shape(client.patch(f"{INDICATORS}{indicator.pk}/", {"target": "1"}), 403)


def test_values_recorded_once_per_date(as_user, focal_point, action):
    indicator = IndicatorFactory(action=action)
    client = as_user(focal_point)
    url = f"{INDICATORS}{indicator.pk}/values/"
    data = {"measured_on": "2025-03-31", "value": "120", "source": "Register"}
    response = client.post(url, data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["recorded_by"] == "focal"
    error = assert_error_shape(client.post(url, data, format="json"), 400)
    assert "measured_on" in error["fields"]
    assert [v["value"] for v in client.get(url).json()] == ["120.00"]


def test_update_indicator(as_user, coordinator, action):
    indicator = IndicatorFactory(action=action)
    response = as_user(coordinator).patch(
        f"{INDICATORS}{indicator.pk}/", {"target": "800"}, format="json"
    )
    assert response.json()["target"] == "800.00"


def test_unknown_computation_is_refused(as_user, coordinator, action):
    error = assert_error_shape(
        as_user(coordinator).post(
            f"{ACTIONS}{action.pk}/indicators/",
            {"name": "X", "computation": "nothing"},
            format="json",
        ),
        400,
    )
    assert "computation" in error["fields"]


def test_compute_a_computed_indicator(as_user, coordinator, action, figure):
    indicator = IndicatorFactory(action=action, computation=figure.name)
    client = as_user(coordinator)
    response = client.post(
        f"{INDICATORS}{indicator.pk}/compute/", {"as_of": "2025-06-30"}, format="json"
    )
    assert response.json()["value"] == "7.00"
    error = assert_error_shape(
        client.post(
            f"{INDICATORS}{indicator.pk}/values/",
            {"measured_on": "2025-01-01", "value": "1", "source": "x"},
            format="json",
        ),
        400,
    )
    assert error["code"] == "computed_indicator"
    assert IndicatorValue.objects.count() == 1


# --- Correcting and removing values -------------------------------------------------------


def value_url(value):
    return f"{INDICATORS}{value.indicator_id}/values/{value.pk}/"


@pytest.fixture
def value(action):
    return IndicatorValueFactory(indicator__action=action, value=120, source="Register")


@pytest.mark.parametrize("who", ["coordinator", "focal_point"])
def test_allowed_users_correct_a_value(as_user, request, who, value):
    user = request.getfixturevalue(who)
    response = as_user(user).patch(
        value_url(value), {"value": "125", "reason": "Typo in the register"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["value"], response.json()["source"]) == ("125.00", "Register")
    row = value.history.first()
    assert (row.history_type, row.history_change_reason, row.history_user) == (
        "~",
        "Typo in the register",
        user,
    )


@pytest.mark.parametrize("who", ["coordinator", "focal_point"])
def test_allowed_users_remove_a_value(as_user, request, who, value):
    user = request.getfixturevalue(who)
    response = as_user(user).delete(value_url(value), {"reason": "Recorded twice"}, format="json")
    assert response.status_code == 204, response.content
    assert not IndicatorValue.objects.exists()
    row = IndicatorValue.history.get(history_type="-")
    assert (row.history_change_reason, row.history_user) == ("Recorded twice", user)


def test_remove_takes_the_reason_as_a_query_parameter(as_user, coordinator, value):
    response = as_user(coordinator).delete(value_url(value) + "?reason=Wrong%20indicator")
    assert response.status_code == 204, response.content
    row = IndicatorValue.history.get(history_type="-")
    assert row.history_change_reason == "Wrong indicator"


@pytest.mark.parametrize("who", ["viewer", "other_focal_point"])
def test_others_cannot_correct_or_remove(as_user, request, who, value):
    client = as_user(request.getfixturevalue(who))
    assert_error_shape(
        client.patch(value_url(value), {"value": "1", "reason": "x"}, format="json"), 403
    )
    assert_error_shape(client.delete(value_url(value), {"reason": "x"}, format="json"), 403)
    value.refresh_from_db()
    assert value.value == 120


def test_outsider_and_anonymous_cannot_touch_values(api, as_user, outsider, value):
    assert_error_shape(as_user(outsider).delete(value_url(value) + "?reason=x"), 403)
    assert_error_shape(api.delete(value_url(value) + "?reason=x"), 401)
    assert IndicatorValue.objects.filter(pk=value.pk).exists()


def test_reason_is_required(as_user, coordinator, value):
    client = as_user(coordinator)
    error = assert_error_shape(client.patch(value_url(value), {"value": "1"}, format="json"), 400)
    assert "reason" in error["fields"]
    error = assert_error_shape(
        client.patch(value_url(value), {"value": "1", "reason": " "}, format="json"), 400
    )
    assert "reason" in error["fields"]
    error = assert_error_shape(client.delete(value_url(value)), 400)
    assert "reason" in error["fields"]
    assert_error_shape(client.delete(value_url(value), ["Recorded twice"], format="json"), 400)
    value.refresh_from_db()
    assert (value.value, value.history.count()) == (120, 1)


def test_value_of_another_indicator_is_not_found(as_user, coordinator, action, value):
    other = IndicatorFactory(action=action)
    response = as_user(coordinator).delete(f"{INDICATORS}{other.pk}/values/{value.pk}/?reason=x")
    assert_error_shape(response, 404)
    assert IndicatorValue.objects.filter(pk=value.pk).exists()


def test_computed_values_are_not_corrected(as_user, coordinator, action, figure):
    indicator = IndicatorFactory(action=action, computation=figure.name)
    computed = IndicatorValueFactory(indicator=indicator, value=7, source="computed")
    error = assert_error_shape(
        as_user(coordinator).patch(
            value_url(computed), {"value": "8", "reason": "Guess"}, format="json"
        ),
        400,
    )
    assert error["code"] == "computed_indicator"
    computed.refresh_from_db()
    assert computed.value == 7


# --- Progress reports --------------------------------------------------------------------


REPORT = {"period_start": "2025-01-01", "period_end": "2025-03-31", "summary": "Two sessions"}


def test_report_flow(as_user, focal_point, coordinator, action):
    author = as_user(focal_point)
    response = author.post(f"{ACTIONS}{action.pk}/progress-reports/", REPORT, format="json")
    assert response.status_code == 201, response.content
    report_id = response.json()["id"]
    assert author.post(f"{REPORTS}{report_id}/submit/").json()["status"] == "submitted"
    reviewer = as_user(coordinator)
    body = reviewer.post(f"{REPORTS}{report_id}/approve/", {"comment": "Good"}).json()
    assert (body["status"], body["reviewed_by"], body["review_comment"]) == (
        "approved",
        "coordinator",
        "Good",
    )
    assert_error_shape(
        author.patch(f"{REPORTS}{report_id}/", {"summary": "Rewritten"}, format="json"), 403
    )
    correction = author.post(f"{REPORTS}{report_id}/correct/")
    assert correction.status_code == 201
    assert (correction.json()["corrects"], correction.json()["status"]) == (report_id, "draft")
    assert ProgressReport.objects.get(pk=report_id).summary == "Two sessions"


def test_report_period_is_checked(as_user, focal_point, action):
    data = {**REPORT, "period_end": "2024-12-31"}
    error = assert_error_shape(
        as_user(focal_point).post(f"{ACTIONS}{action.pk}/progress-reports/", data, format="json"),
        400,
    )
    assert "period_end" in error["fields"]


def test_author_cannot_approve_own_report(as_user, coordinator, action):
    report = ProgressReportFactory(
        action=action, author=coordinator, status=ProgressReportStatus.SUBMITTED
    )
    assert_error_shape(as_user(coordinator).post(f"{REPORTS}{report.pk}/approve/"), 403)


@pytest.mark.parametrize("who", ["focal_point", "viewer", "outsider"])
def test_only_coordinators_review(as_user, request, who, action):
    report = ProgressReportFactory(action=action, status=ProgressReportStatus.SUBMITTED)
    client = as_user(request.getfixturevalue(who))
    assert_error_shape(client.post(f"{REPORTS}{report.pk}/approve/"), 403)
    assert_error_shape(client.post(f"{REPORTS}{report.pk}/return/", {"comment": "x"}), 403)


def test_return_needs_a_comment(as_user, coordinator, action):
    report = ProgressReportFactory(action=action, status=ProgressReportStatus.SUBMITTED)
    client = as_user(coordinator)
    error = assert_error_shape(client.post(f"{REPORTS}{report.pk}/return/", {}), 400)
    assert "comment" in error["fields"]
    body = client.post(f"{REPORTS}{report.pk}/return/", {"comment": "Add figures"}).json()
    assert body["status"] == "returned"


def test_other_focal_point_cannot_report(as_user, other_focal_point, action):
    client = as_user(other_focal_point)
    assert_error_shape(
        client.post(f"{ACTIONS}{action.pk}/progress-reports/", REPORT, format="json"), 403
    )
    draft = ProgressReportFactory(action=action)
    assert_error_shape(client.post(f"{REPORTS}{draft.pk}/submit/"), 403)


def test_reports_listed_by_action(as_user, viewer, action):
    mine = ProgressReportFactory(action=action)
    ProgressReportFactory()
    client = as_user(viewer)
    body = client.get(REPORTS, {"action": action.pk}).json()
    assert [r["id"] for r in body["results"]] == [mine.pk]
    assert [r["id"] for r in client.get(f"{ACTIONS}{action.pk}/progress-reports/").json()] == [
        mine.pk
    ]
    assert_error_shape(client.get(REPORTS, {"action": "abc"}), 400)
