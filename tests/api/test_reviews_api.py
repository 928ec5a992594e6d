"""The API's review rounds, assignments and reviews, and the committee's decisions: who
may read a round (others get 404), who may prepare, open, close, decide and release it
(a plain member gets 403), reviewers scoring their own assignments only, and the
structured refusals of the services."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mizan.suggestions.enums import Outcome, RoundStatus, SuggestionStatus
from mizan.suggestions.models import Review, ReviewRound, SuggestionDecision, SuggestionGroup
from mizan.suggestions.services import decisions, rounds
from tests.api.assertions import assert_error_shape
from tests.factories import UserFactory
from tests.suggestions.builders import (
    ReviewCase,
    build_review_case,
    from_participant,
    from_staff,
    open_round,
    review_everything,
)

pytestmark = pytest.mark.django_db

ROUNDS = "/api/v1/review-rounds/"
ASSIGNMENTS = "/api/v1/review-assignments/"


@pytest.fixture
def case(nhri, coordinator) -> ReviewCase:
    return build_review_case(nhri=nhri, coordinator=coordinator)


@pytest.fixture
def suggestions(case):
    return [
        from_participant(case.enrolments[0]),
        from_participant(case.enrolments[1], "Longer breaks between modules."),
        from_staff(case.coordinator),
    ]


@pytest.fixture
def preparing(case, suggestions) -> ReviewRound:
    review_round = rounds.create_round(
        committee=case.committee,
        title="Spring sessions",
        curriculum=case.session.version.curriculum,
        by=case.coordinator,
    )
    rounds.add_suggestions(review_round=review_round, suggestions=suggestions, by=case.coordinator)
    return review_round


@pytest.fixture
def reviewing(case, suggestions) -> ReviewRound:
    return open_round(case, suggestions)


def url(review_round: ReviewRound, action: str = "") -> str:
    return f"{ROUNDS}{review_round.pk}/{action + '/' if action else ''}"


# --- Reading rounds ------------------------------------------------------------------------


def test_the_committee_reads_its_round(as_user, case, preparing, suggestions):
    response = as_user(case.partnership.member).get(url(preparing))

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Spring sessions"
    assert body["status"] == "preparing"
    assert body["blind"] is True
    assert sorted(body["suggestions"]) == sorted(s.pk for s in suggestions)
    assert [c["names"]["en"] for c in body["criteria"]] == [
        "Relevance",
        "Feasibility",
        "Human rights impact",
    ]


def test_a_member_outside_the_agreement_does_not_find_the_round(as_user, case, preparing):
    client = as_user(case.outsider)

    assert client.get(ROUNDS).json()["results"] == []
    assert_error_shape(client.get(url(preparing)), 404)
    assert_error_shape(client.get(url(preparing, "dashboard")), 404)
    assert_error_shape(client.post(url(preparing, "assign")), 404)
    assert_error_shape(client.patch(url(preparing), {"title": "Mine"}, format="json"), 404)


def test_anonymous_callers_must_authenticate(api, preparing):
    assert_error_shape(api.get(ROUNDS), 401)
    assert_error_shape(api.get(url(preparing)), 401)
    assert_error_shape(api.post(url(preparing, "open")), 401)
    assert_error_shape(api.get(ASSIGNMENTS), 401)


def test_an_account_without_membership_is_refused(as_user, preparing):
    nobody = as_user(UserFactory(username="nobody"))

    assert_error_shape(nobody.get(ROUNDS), 403)
    assert_error_shape(nobody.get(url(preparing)), 403)


def test_the_round_list_filters_by_status(as_user, case, preparing):
    client = as_user(case.partnership.chair)

    preparing_ids = [r["id"] for r in client.get(ROUNDS, {"status": "preparing"}).json()["results"]]
    closed = client.get(ROUNDS, {"status": "closed"}).json()["results"]

    assert preparing_ids == [preparing.pk]
    assert closed == []
    assert_error_shape(client.get(ROUNDS, {"status": "asleep"}), 400)


def test_the_round_list_takes_as_many_queries_for_three_rounds_as_for_one(as_user, case, preparing):
    client = as_user(case.partnership.chair)
    client.get(ROUNDS)  # the user's roles are read once, then kept on the user
    with CaptureQueriesContext(connection) as one:
        client.get(ROUNDS)
    for n in range(2):
        rounds.create_round(committee=case.committee, title=f"Round {n}", by=case.coordinator)
    with CaptureQueriesContext(connection) as three:
        response = client.get(ROUNDS)
    assert response.json()["count"] == 3
    assert len(three) == len(one)


# --- Creating and preparing a round ------------------------------------------------------------


def test_the_chair_starts_a_round_with_the_default_rubric(as_user, case):
    response = as_user(case.partnership.chair).post(
        ROUNDS,
        {"committee": case.committee.pk, "title": "Autumn", "reviewers_per_suggestion": 3},
        format="json",
    )

    assert response.status_code == 201, response.content
    review_round = ReviewRound.objects.get(pk=response.json()["id"])
    assert review_round.reviewers_per_suggestion == 3
    assert review_round.blind is True
    assert review_round.criteria.count() == 3
    assert review_round.history.first().history_user == case.partnership.chair


def test_a_round_can_start_with_its_own_rubric(as_user, case):
    response = as_user(case.partnership.secretary).post(
        ROUNDS,
        {
            "committee": case.committee.pk,
            "title": "Autumn",
            "blind": False,
            "criteria": [{"names": {"fr": "Clarté"}, "weight": 4}],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert [(c["name"], c["weight"]) for c in response.json()["criteria"]] == [("Clarté", 4)]
    assert response.json()["blind"] is False


def test_a_plain_member_may_not_start_a_round(as_user, case):
    response = as_user(case.partnership.member).post(
        ROUNDS, {"committee": case.committee.pk, "title": "Mine"}, format="json"
    )

    assert_error_shape(response, 403)
    assert not ReviewRound.objects.exists()


def test_a_round_needs_a_title(as_user, case):
    error = assert_error_shape(
        as_user(case.partnership.chair).post(
            ROUNDS, {"committee": case.committee.pk, "title": "  "}, format="json"
        ),
        400,
    )

    assert "title" in error["fields"]


def test_the_rubric_is_replaced_while_preparing(as_user, case, preparing):
    response = as_user(case.partnership.chair).patch(
        url(preparing),
        {
            "review_until": "2026-06-30",
            "criteria": [
                {"names": {"en": "Relevance"}, "weight": 5},
                {"names": {"en": "Cost"}, "weight": 1},
            ],
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert [c["name"] for c in response.json()["criteria"]] == ["Relevance", "Cost"]
    preparing.refresh_from_db()
    assert str(preparing.review_until) == "2026-06-30"


def test_the_rubric_is_fixed_once_reviewing(as_user, case, reviewing):
    response = as_user(case.partnership.chair).patch(
        url(reviewing), {"criteria": [{"names": {"en": "Cost"}, "weight": 1}]}, format="json"
    )

    assert assert_error_shape(response, 400)["code"] == "wrong_status"
    assert reviewing.criteria.count() == 3


def test_a_bad_weight_changes_nothing(as_user, case, preparing):
    response = as_user(case.partnership.chair).patch(
        url(preparing),
        {"title": "Renamed", "criteria": [{"names": {"en": "Cost"}, "weight": 11}]},
        format="json",
    )

    assert "criteria" in assert_error_shape(response, 400)["fields"]
    preparing.refresh_from_db()
    assert preparing.title == "Spring sessions"


@pytest.mark.parametrize(
    ("action", "method", "body"),
    [
        ("", "patch", {"title": "Mine"}),
        ("add-suggestions", "post", {"suggestions": []}),
        ("assign", "post", None),
        ("open", "post", None),
        ("close", "post", None),
        ("groups", "post", {"suggestions": []}),
        ("decide", "post", {"suggestions": [], "outcome": "accepted", "rationale": "x"}),
        ("release", "post", None),
    ],
)
def test_a_plain_member_may_not_keep_the_round(as_user, case, preparing, action, method, body):
    client = as_user(case.partnership.member)

    response = getattr(client, method)(url(preparing, action), body, format="json")

    assert_error_shape(response, 403)


def test_the_chair_adds_suggestions(as_user, case, preparing):
    extra = from_participant(case.enrolments[2], "A map of the border posts.")

    response = as_user(case.partnership.chair).post(
        url(preparing, "add-suggestions"), {"suggestions": [extra.pk]}, format="json"
    )

    assert response.json() == {"added": 1}
    extra.refresh_from_db()
    assert extra.status == SuggestionStatus.IN_REVIEW


def test_an_unknown_suggestion_is_refused(as_user, case, preparing):
    response = as_user(case.partnership.chair).post(
        url(preparing, "add-suggestions"), {"suggestions": [999999]}, format="json"
    )

    assert "suggestions" in assert_error_shape(response, 400)["fields"]


def test_assigning_reports_what_was_created_and_the_load(as_user, case, preparing):
    response = as_user(case.partnership.chair).post(url(preparing, "assign"))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] == preparing.assignments.count() == 6
    assert body["short"] == []
    load = {row["user"]: row["assignments"] for row in body["load"]}
    assert set(load) == {"chair", "secretary", "member", "session.trainer", "reviewer"}
    assert load["session.trainer"] <= 1  # the session's suggestions are not theirs
    assert sum(load.values()) == 6


def test_opening_a_round_without_reviewers_is_refused(as_user, case, preparing):
    error = assert_error_shape(as_user(case.partnership.chair).post(url(preparing, "open")), 400)

    assert error["code"] == "no_assignments"


def test_the_chair_opens_and_closes_the_review(as_user, case, preparing):
    client = as_user(case.partnership.chair)
    client.post(url(preparing, "assign"))

    opened = client.post(url(preparing, "open"))
    closed = client.post(url(preparing, "close"))

    assert opened.json()["status"] == "reviewing"
    assert closed.json()["status"] == "closed"
    assert_error_shape(client.post(url(preparing, "close")), 400)


def test_near_identical_suggestions_are_grouped(as_user, case, preparing, suggestions):
    response = as_user(case.partnership.chair).post(
        url(preparing, "groups"),
        {"suggestions": [suggestions[0].pk, suggestions[1].pk], "title": "Case studies"},
        format="json",
    )

    assert response.status_code == 201, response.content
    group = SuggestionGroup.objects.get()
    assert sorted(response.json()["suggestions"]) == [suggestions[0].pk, suggestions[1].pk]
    assert group.title == "Case studies"


def test_a_group_needs_two_suggestions(as_user, case, preparing, suggestions):
    response = as_user(case.partnership.chair).post(
        url(preparing, "groups"), {"suggestions": [suggestions[0].pk]}, format="json"
    )

    assert "suggestions" in assert_error_shape(response, 400)["fields"]


# --- The dashboard -------------------------------------------------------------------------


def test_the_dashboard_shows_progress_and_scores(as_user, case, reviewing, suggestions):
    review_everything(reviewing, score=4)

    response = as_user(case.partnership.member).get(url(reviewing, "dashboard"))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["done"] == body["assigned"] == 6
    assert body["percent"] == 100
    line = next(s for s in body["suggestions"] if s["suggestion"] == suggestions[0].pk)
    assert (line["done"], line["mean"], line["low"], line["high"]) == (2, "4.00", "4.00", "4.00")
    assert line["wide_spread"] is False
    assert {c["mean"] for c in body["criteria"]} == {"4.00"}
    assert all(r["done"] == r["assigned"] for r in body["reviewers"])


# --- Assignments and reviews ------------------------------------------------------------------


def own(review_round: ReviewRound, user):
    return review_round.assignments.filter(reviewer__user=user).order_by("id")


def scores_for(review_round: ReviewRound, value: int = 5) -> dict[str, int]:
    return {str(c.pk): value for c in review_round.criteria.all()}


def test_a_reviewer_lists_only_their_own_assignments(as_user, case, reviewing):
    response = as_user(case.reviewer).get(ASSIGNMENTS)

    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == set(own(reviewing, case.reviewer).values_list("pk", flat=True))
    assert ids


def test_a_blind_reviewers_assignment_list_takes_as_many_queries_for_two_as_for_one(
    as_user, case, suggestions
):
    review_round = open_round(case, suggestions, per=5)
    client = as_user(case.reviewer)
    # Not the coordinator's: the reviewer belongs to the same unit.
    assert own(review_round, case.reviewer).count() == 2
    client.get(ASSIGNMENTS)  # the user's roles are read once, then kept on the user
    with CaptureQueriesContext(connection) as one:
        response = client.get(ASSIGNMENTS, {"page_size": 1})
    assert len(response.json()["results"]) == 1
    with CaptureQueriesContext(connection) as two:
        response = client.get(ASSIGNMENTS)
    assert len(response.json()["results"]) == 2
    assert len(two) == len(one)


def test_a_reviewer_scores_their_assignment(as_user, case, reviewing):
    assignment = own(reviewing, case.reviewer).first()

    response = as_user(case.reviewer).post(
        f"{ASSIGNMENTS}{assignment.pk}/review/",
        {"scores": scores_for(reviewing), "comment": "Clear and needed."},
        format="json",
    )

    assert response.status_code == 200, response.content
    review = response.json()["review"]
    assert review["weighted_score"] == "5.00"
    assert review["comment"] == "Clear and needed."
    assert Review.objects.get(assignment=assignment).history.first().history_user == case.reviewer


def test_a_reviewer_may_not_touch_another_reviewers_assignment(as_user, case, reviewing):
    theirs = reviewing.assignments.exclude(reviewer__user=case.reviewer).first()
    client = as_user(case.reviewer)

    assert_error_shape(client.get(f"{ASSIGNMENTS}{theirs.pk}/"), 403)
    assert_error_shape(
        client.post(
            f"{ASSIGNMENTS}{theirs.pk}/review/", {"scores": scores_for(reviewing)}, format="json"
        ),
        403,
    )
    assert not Review.objects.exists()


def test_a_member_outside_the_agreement_does_not_find_an_assignment(as_user, case, reviewing):
    assignment = reviewing.assignments.first()

    assert_error_shape(as_user(case.outsider).get(f"{ASSIGNMENTS}{assignment.pk}/"), 404)


def test_the_chair_reads_any_assignment_of_the_round(as_user, case, reviewing):
    theirs = reviewing.assignments.exclude(reviewer__user=case.partnership.chair).first()

    assert as_user(case.partnership.chair).get(f"{ASSIGNMENTS}{theirs.pk}/").status_code == 200


@pytest.mark.parametrize("value", [0, 6])
def test_a_score_off_the_scale_is_refused(as_user, case, reviewing, value):
    assignment = own(reviewing, case.reviewer).first()

    response = as_user(case.reviewer).post(
        f"{ASSIGNMENTS}{assignment.pk}/review/",
        {"scores": scores_for(reviewing, value)},
        format="json",
    )

    error = assert_error_shape(response, 400)
    assert next(iter(error["fields"])).startswith("criterion_")
    assert not Review.objects.exists()


def test_scores_must_name_criteria(as_user, case, reviewing):
    assignment = own(reviewing, case.reviewer).first()

    response = as_user(case.reviewer).post(
        f"{ASSIGNMENTS}{assignment.pk}/review/", {"scores": {"relevance": 5}}, format="json"
    )

    assert "scores" in assert_error_shape(response, 400)["fields"]


def test_no_review_once_the_round_is_closed(as_user, case, reviewing):
    assignment = own(reviewing, case.reviewer).first()
    rounds.close_round(review_round=reviewing, by=case.coordinator)

    response = as_user(case.reviewer).post(
        f"{ASSIGNMENTS}{assignment.pk}/review/", {"scores": scores_for(reviewing)}, format="json"
    )

    assert_error_shape(response, 403)


# --- Decisions and their release ----------------------------------------------------------------


@pytest.fixture
def closed(case, reviewing) -> ReviewRound:
    review_everything(reviewing)
    return rounds.close_round(review_round=reviewing, by=case.coordinator)


def decide(client, review_round, suggestions, **changes):
    body = {
        "suggestions": [s.pk for s in suggestions],
        "outcome": "accepted",
        "rationale": "The committee agreed.",
        **changes,
    }
    return client.post(url(review_round, "decide"), body, format="json")


def test_the_chair_records_decisions_in_bulk(as_user, case, closed, suggestions):
    response = decide(
        as_user(case.partnership.chair), closed, suggestions[:2], meeting=case.meeting.pk
    )

    assert response.status_code == 200, response.content
    assert [d["outcome"] for d in response.json()] == ["accepted", "accepted"]
    recorded = SuggestionDecision.objects.filter(round=closed)
    assert recorded.count() == 2
    assert all(d.meeting == case.meeting and d.released_at is None for d in recorded)


def test_a_bad_outcome_is_refused(as_user, case, closed, suggestions):
    response = decide(as_user(case.partnership.chair), closed, suggestions[:1], outcome="maybe")

    assert "outcome" in assert_error_shape(response, 400)["fields"]
    assert not SuggestionDecision.objects.exists()


def test_a_decision_needs_its_rationale(as_user, case, closed, suggestions):
    response = decide(as_user(case.partnership.chair), closed, suggestions[:1], rationale=" ")

    assert assert_error_shape(response, 400)["fields"] == {
        "rationale": ["Give the reason for the decision."]
    }


def test_merging_needs_the_suggestion_merged_into(as_user, case, closed, suggestions):
    response = decide(as_user(case.partnership.chair), closed, suggestions[:1], outcome="merged")

    assert "merged_into" in assert_error_shape(response, 400)["fields"]
    assert not SuggestionDecision.objects.exists()


def test_a_suggestion_is_merged_into_another(as_user, case, closed, suggestions):
    response = decide(
        as_user(case.partnership.chair),
        closed,
        suggestions[:1],
        outcome="merged",
        merged_into=suggestions[1].pk,
    )

    assert response.status_code == 200, response.content
    assert SuggestionDecision.objects.get().merged_into == suggestions[1]


def test_releasing_with_undecided_suggestions_is_refused(as_user, case, closed, suggestions):
    decide(as_user(case.partnership.chair), closed, suggestions[:1])

    error = assert_error_shape(as_user(case.partnership.chair).post(url(closed, "release")), 400)

    assert error["code"] == "undecided"
    assert suggestions[1].reference in error["message"]
    assert not SuggestionDecision.objects.filter(released_at__isnull=False).exists()


def test_the_chair_releases_the_decisions(
    as_user, case, closed, suggestions, django_capture_on_commit_callbacks
):
    client = as_user(case.partnership.chair)
    decide(client, closed, suggestions)

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url(closed, "release"))

    assert response.json() == {"released": 3}
    closed.refresh_from_db()
    assert closed.status == RoundStatus.RELEASED
    assert set(closed.decisions.values_list("outcome", flat=True)) == {Outcome.ACCEPTED}


def test_deciding_before_the_review_opens_is_refused(as_user, case, preparing, suggestions):
    error = assert_error_shape(decide(as_user(case.partnership.chair), preparing, suggestions), 400)

    assert error["code"] == "wrong_status"


def test_decisions_are_final_once_released(as_user, case, closed, suggestions):
    decisions.record_decisions(
        review_round=closed,
        suggestions=suggestions,
        outcome="deferred",
        rationale="Next year.",
        by=case.coordinator,
    )
    decisions.release_decisions(review_round=closed, by=case.coordinator)

    error = assert_error_shape(decide(as_user(case.partnership.chair), closed, suggestions), 400)

    assert error["code"] == "released"


# --- Input beyond the database's range ----------------------------------------------------------

HUGE = "9" * 30


@pytest.mark.parametrize(
    "path",
    ["review-rounds", "review-assignments", "suggestions", "changelog-entries"],
)
def test_ids_beyond_the_database_range_are_not_found(as_user, case, path):
    assert_error_shape(as_user(case.coordinator).get(f"/api/v1/{path}/{HUGE}/"), 404)


def test_a_suggestion_id_beyond_the_database_range_is_refused(as_user, case, preparing):
    response = as_user(case.partnership.chair).post(
        url(preparing, "add-suggestions"), {"suggestions": [int(HUGE)]}, format="json"
    )

    assert "suggestions" in assert_error_shape(response, 400)["fields"]


def test_a_criterion_id_beyond_the_database_range_is_refused(as_user, case, reviewing):
    assignment = own(reviewing, case.reviewer).first()

    response = as_user(case.reviewer).post(
        f"{ASSIGNMENTS}{assignment.pk}/review/", {"scores": {HUGE: 5}}, format="json"
    )

    assert "scores" in assert_error_shape(response, 400)["fields"]
