"""No new endpoint answers 500 to bad input: malformed JSON, bodies of the wrong shape,
values of the wrong type, unknown ids and nonsense query parameters get a 4xx in the
API's error shape (or, for a number given as text, are taken)."""

from __future__ import annotations

from datetime import date

import pytest

from mizan.actions import services as actions
from mizan.recommendations.models import Recommendation
from tests.actions.factories import ActionFactory
from tests.factories import RecommendationFactory, UserFactory
from tests.partnerships.factories import build_partnership

pytestmark = pytest.mark.django_db

V1 = "/api/v1"

#: Values of every wrong kind, tried in every field a body may name.
WRONG_VALUES = [
    None,
    {},
    {"id": 1},
    [],
    [None],
    ["x"],
    "x" * 5000,
    2**70,
    -1,
    1.5,
    True,
    "2025-13-45",
]
FIELDS = [
    "title",
    "description",
    "kind",
    "status",
    "reason",
    "lead_institution",
    "partner_institutions",
    "recommendations",
    "starts_on",
    "due_on",
    "name",
    "unit",
    "baseline",
    "target",
    "frequency",
    "computation",
    "measured_on",
    "value",
    "source",
    "as_of",
    "period_start",
    "period_end",
    "summary",
    "comment",
    "parties",
    "signed_on",
    "ends_on",
    "scope",
    "agreement",
    "text",
    "party",
    "actions",
    "committee",
    "user",
    "institution",
    "role",
    "since",
    "until",
    "starts_at",
    "place",
    "agenda",
    "attendees",
    "other_attendees",
    "minutes",
    "meeting",
    "tasks",
    "decision",
    "owner",
    "outcome",
    "done_on",
    "code",
    "names",
    "acronym",
    "parent",
    "voice",
    "assessed_on",
    "rationale",
    "evidence",
    "file",
]


@pytest.fixture
def records(nhri, coordinator, focal_point):
    p = build_partnership(nhri=nhri, by=coordinator)
    action = ActionFactory(lead_institution=p.police)
    indicator = actions.add_indicator(action=action, name="Officers", unit="officers")
    report = actions.draft_progress_report(
        action=action,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
        summary="Done",
        by=focal_point,
    )
    recommendation = RecommendationFactory()
    assert isinstance(recommendation, Recommendation)
    return {
        "action": action.pk,
        "indicator": indicator.pk,
        "report": report.pk,
        "agreement": p.agreement.pk,
        "committee": p.committee.pk,
        "seat": p.member_seat.pk,
        "meeting": p.meeting.pk,
        "decision": p.decision.pk,
        "task": p.member_task.pk,
        "institution": p.police.pk,
        "recommendation": recommendation.pk,
    }


def writes(r):
    """(method, path) of every new endpoint that takes a body."""
    return [
        ("post", "/actions/"),
        ("patch", f"/actions/{r['action']}/"),
        ("post", f"/actions/{r['action']}/status/"),
        ("post", f"/actions/{r['action']}/indicators/"),
        ("post", f"/actions/{r['action']}/progress-reports/"),
        ("patch", f"/indicators/{r['indicator']}/"),
        ("post", f"/indicators/{r['indicator']}/values/"),
        ("post", f"/indicators/{r['indicator']}/compute/"),
        ("patch", f"/progress-reports/{r['report']}/"),
        ("post", f"/progress-reports/{r['report']}/return/"),
        ("post", "/agreements/"),
        ("patch", f"/agreements/{r['agreement']}/"),
        ("post", f"/agreements/{r['agreement']}/documents/"),
        ("post", "/commitments/"),
        ("post", "/committees/"),
        ("patch", f"/committees/{r['committee']}/"),
        ("post", "/committee-members/"),
        ("patch", f"/committee-members/{r['seat']}/"),
        ("post", "/meetings/"),
        ("patch", f"/meetings/{r['meeting']}/"),
        ("post", f"/meetings/{r['meeting']}/record/"),
        ("post", f"/meetings/{r['meeting']}/cancel/"),
        ("post", "/decisions/"),
        ("post", "/follow-up-tasks/"),
        ("post", f"/follow-up-tasks/{r['task']}/complete/"),
        ("post", f"/follow-up-tasks/{r['task']}/reopen/"),
        ("post", "/institutions/"),
        ("patch", f"/institutions/{r['institution']}/"),
        ("post", f"/recommendations/{r['recommendation']}/assessments/"),
    ]


def assert_refused_cleanly(response, what):
    assert 400 <= response.status_code < 500, (what, response.status_code, response.content[:300])
    assert set(response.json()) == {"error"}, what


def assert_no_server_error(response, what):
    """DRF takes a number for a text field ("1.5"), so a wrong type is not always refused;
    it is never a 500, and a refusal has the API's error shape."""
    assert response.status_code < 500, (what, response.status_code, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}, what


def test_malformed_and_misshapen_bodies_are_refused(as_user, coordinator, records):
    client = as_user(coordinator)
    for method, path in writes(records):
        for body in ['{"title": ', "[1, 2]", '"text"', "null", "1e999", '{"a": NaN}']:
            response = getattr(client, method)(V1 + path, body, content_type="application/json")
            assert_refused_cleanly(response, (method, path, body))


def test_values_of_the_wrong_type_are_refused(as_user, coordinator, records):
    client = as_user(coordinator)
    for method, path in writes(records):
        for value in WRONG_VALUES:
            body = dict.fromkeys(FIELDS, value)
            response = getattr(client, method)(V1 + path, body, format="json")
            assert_no_server_error(response, (method, path, value))


@pytest.mark.parametrize(
    "path",
    [
        "/actions/999999/",
        "/actions/-1/",
        "/actions/99999999999999999999999/",
        "/indicators/999999/",
        "/progress-reports/999999/",
        "/agreements/999999/",
        "/commitments/999999/",
        "/committees/999999/",
        "/meetings/999999/",
        "/decisions/999999/",
        "/follow-up-tasks/999999/",
        "/institutions/999999/",
    ],
)
def test_unknown_ids_are_404(as_user, coordinator, path):
    response = as_user(coordinator).get(V1 + path)
    assert response.status_code == 404
    assert set(response.json()) == {"error"}


@pytest.mark.parametrize(
    "query",
    [
        "/actions/?overdue=maybe&status=nonsense&lead=zz&page=abc",
        "/actions/?q=" + "x" * 3000,
        "/progress-reports/?action=abc",
        "/progress-reports/?action=99999999999999999999999",
        "/progress-reports/?status=nonsense",
        "/agreements/?page=-1",
        "/commitments/?agreement=abc",
        "/committee-members/?committee=1e5",
        "/meetings/?committee=-1&upcoming=maybe",
        "/decisions/?meeting=99999999999999999999999",
        "/follow-up-tasks/?committee=x&open=2&mine=yes",
        "/institutions/?page=9999",
    ],
)
def test_nonsense_query_parameters_do_not_fail(as_user, coordinator, records, query):
    response = as_user(coordinator).get(V1 + query)
    assert response.status_code < 500, response.content[:300]


def test_an_account_without_membership_is_refused_everywhere(as_user, records):
    client = as_user(UserFactory(username="nobody"))
    for method, path in writes(records):
        response = getattr(client, method)(V1 + path, {}, format="json")
        assert response.status_code == 403, (method, path)


@pytest.mark.parametrize(
    "path", ["/actions/", "/progress-reports/", "/meetings/", "/follow-up-tasks/", "/institutions/"]
)
def test_a_nul_character_in_a_query_parameter_is_refused(as_user, coordinator, path):
    """PostgreSQL cannot hold it: every list refuses it the same way, with a 400."""
    response = as_user(coordinator).get(f"{V1}{path}?q=a%00b")
    assert response.status_code == 400
    assert set(response.json()) == {"error"}
