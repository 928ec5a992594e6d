"""Reviews: only the assigned reviewer scores, on every criterion of the rubric from 1 to
5, while the round is open; the weighted score is what the committee ranks by."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mizan.core.errors import MizanError, Refused
from mizan.suggestions.models import Review, Score
from mizan.suggestions.services import rounds
from tests.suggestions.builders import from_participant, open_round


@pytest.fixture
def assignment(case):
    review_round = open_round(case, [from_participant(case.enrolments[0])])
    return review_round.assignments.select_related("reviewer__user", "round").first()


def _criteria(assignment):
    """Relevance (weight 3), feasibility (2), human rights impact (3)."""
    return list(assignment.round.criteria.all())


def _submit(assignment, values, comment="", by=None):
    relevance, feasibility, impact = _criteria(assignment)
    return rounds.submit_review(
        assignment=assignment,
        scores={relevance.pk: values[0], feasibility.pk: values[1], impact.pk: values[2]},
        comment=comment,
        by=by or assignment.reviewer.user,
    )


def test_the_assigned_reviewer_scores_and_comments(assignment):
    review = _submit(assignment, (5, 2, 4), comment="  Good, but costly.  ")
    review.refresh_from_db()
    assert review.comment == "Good, but costly."
    # (3×5 + 2×2 + 3×4) / 8 = 31/8 = 3.875, rounded half up.
    assert review.weighted_score == Decimal("3.88")
    assert sorted(review.scores.values_list("criterion__weight", "value")) == [
        (2, 2),
        (3, 4),
        (3, 5),
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [((1, 1, 1), "1.00"), ((5, 5, 5), "5.00"), ((1, 5, 1), "2.00"), ((4, 1, 2), "2.50")],
)
def test_the_weighted_score_follows_the_weights(assignment, values, expected):
    assert _submit(assignment, values).weighted_score == Decimal(expected)


def test_weighted_score_of_a_custom_rubric():
    class Criterion:
        def __init__(self, weight: int) -> None:
            self.weight = weight

    heavy, light = Criterion(10), Criterion(1)
    # (10×2 + 1×5) / 11 = 2.2727…
    assert rounds.weighted_score({heavy: 2, light: 5}) == Decimal("2.27")
    assert rounds.weighted_score({}) == Decimal("0")


@pytest.mark.parametrize("who", ["trainer", "secretary", "coordinator", "outsider"])
def test_someone_not_assigned_is_refused(case, assignment, who):
    intruder = {
        "trainer": case.trainer,
        "secretary": case.partnership.secretary,
        "coordinator": case.coordinator,
        "outsider": case.outsider,
    }[who]
    with pytest.raises(Refused) as refused:
        _submit(assignment, (3, 3, 3), by=intruder)
    assert "not assigned to you" in str(refused.value.message)
    assert not Review.objects.exists()


def test_another_reviewer_of_the_same_suggestion_cannot_fill_in_this_review(case, assignment):
    other = assignment.round.assignments.exclude(pk=assignment.pk).get(
        suggestion=assignment.suggestion
    )
    with pytest.raises(Refused):
        _submit(assignment, (3, 3, 3), by=other.reviewer.user)
    assert not Review.objects.exists()


@pytest.mark.parametrize("bad", [0, 6, None, "", "four"])
def test_every_criterion_needs_a_score_from_1_to_5(assignment, bad):
    _relevance, feasibility, _impact = _criteria(assignment)
    with pytest.raises(MizanError) as refused:
        _submit(assignment, (4, bad, 4))
    assert refused.value.field == f"criterion_{feasibility.pk}"
    assert "Feasibility" in str(refused.value.message)
    assert "from 1 to 5" in str(refused.value.message)
    assert not Review.objects.exists()


def test_a_criterion_left_out_is_refused(assignment):
    relevance, _feasibility, impact = _criteria(assignment)
    with pytest.raises(MizanError):
        rounds.submit_review(
            assignment=assignment,
            scores={relevance.pk: 4, impact.pk: 4},
            comment="",
            by=assignment.reviewer.user,
        )
    assert not Review.objects.exists()


def test_a_criterion_of_another_round_is_refused(case, assignment):
    other = rounds.create_round(committee=case.committee, title="Other", by=case.coordinator)
    foreign = other.criteria.first()
    scores = {c.pk: 4 for c in _criteria(assignment)} | {foreign.pk: 1}
    with pytest.raises(MizanError) as refused:
        rounds.submit_review(
            assignment=assignment, scores=scores, comment="", by=assignment.reviewer.user
        )
    assert refused.value.field == "scores"
    assert not Review.objects.exists()


def test_submitting_again_replaces_the_review(case, assignment):
    first = _submit(assignment, (5, 5, 5), comment="Excellent.")
    second = _submit(assignment, (2, 3, 2), comment="On reflection, too costly.")
    assert second.pk == first.pk
    review = Review.objects.get()
    assert review.comment == "On reflection, too costly."
    assert review.weighted_score == Decimal("2.25")
    assert sorted(review.scores.values_list("value", flat=True)) == [2, 2, 3]
    assert Score.objects.count() == 3
    user = assignment.reviewer.user
    assert [row.history_type for row in review.history.order_by("history_id")] == ["+", "~"]
    assert {row.history_user for row in review.history.all()} == {user}
    assert {row.history_user for row in Score.history.all()} == {user}


def test_a_closed_round_takes_no_more_reviews(case, assignment):
    _submit(assignment, (4, 4, 4), comment="Fine.")
    rounds.close_round(review_round=assignment.round, by=case.coordinator)
    with pytest.raises(MizanError) as refused:
        _submit(assignment, (1, 1, 1), comment="Changed my mind.")
    assert refused.value.code == "wrong_status"
    review = Review.objects.get()
    assert (review.comment, review.weighted_score) == ("Fine.", Decimal("4.00"))


def test_a_round_being_prepared_takes_no_reviews(case):
    review_round = rounds.create_round(
        committee=case.committee, title="Not yet", by=case.coordinator
    )
    rounds.add_suggestions(
        review_round=review_round,
        suggestions=[from_participant(case.enrolments[0])],
        by=case.coordinator,
    )
    rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    assignment = review_round.assignments.first()
    with pytest.raises(MizanError) as refused:
        _submit(assignment, (3, 3, 3))
    assert refused.value.code == "wrong_status"
    assert not Review.objects.exists()
