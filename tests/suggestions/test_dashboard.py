"""The round's dashboard figures: progress per reviewer and per suggestion, weighted
means, spread and standard deviation for known scores, the mean per criterion, in a fixed
number of queries; and the summary of an assignment run as a reader may see it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mizan.suggestions.dashboard import assignment_report, round_dashboard
from mizan.suggestions.models import ReviewRound
from mizan.suggestions.services import rounds
from tests.suggestions.builders import from_participant, from_staff, open_round

pytestmark = pytest.mark.django_db


def score(assignment, values: tuple[int, int, int], comment: str = "") -> None:
    """Score the default rubric (relevance ×3, feasibility ×2, human rights impact ×3)."""
    criteria = list(assignment.round.criteria.order_by("order"))
    rounds.submit_review(
        assignment=assignment,
        scores={c.pk: v for c, v in zip(criteria, values, strict=True)},
        comment=comment,
        by=assignment.reviewer.user,
    )


@pytest.fixture
def scored_round(case) -> ReviewRound:
    """Two suggestions with two reviews each: (5,5,5) and (1,2,3) on the first, whose
    weighted scores are 5.00 and 2.00; (4,4,4) and (4,3,4) on the second: 4.00 and 3.75."""
    first = from_participant(case.enrolments[0], "Add a case study on families at the border.")
    second = from_participant(case.enrolments[1], "Longer breaks between the modules.")
    review_round = open_round(case, [first, second])
    a, b = review_round.assignments.filter(suggestion=first).order_by("id")
    c, d = review_round.assignments.filter(suggestion=second).order_by("id")
    score(a, (5, 5, 5))
    score(b, (1, 2, 3))
    score(c, (4, 4, 4))
    score(d, (4, 3, 4))
    return ReviewRound.objects.select_related("committee").get(pk=review_round.pk)


def test_a_suggestion_s_weighted_mean_range_and_deviation(scored_round):
    first, second = round_dashboard(scored_round).suggestions
    assert [review.weighted_score for review in first.reviews] == [Decimal("5.00"), Decimal("2.00")]
    assert first.mean == Decimal("3.50")
    assert (first.low, first.high) == (Decimal("2.00"), Decimal("5.00"))
    assert first.deviation == Decimal("1.50")
    assert second.mean == Decimal("3.88")  # 3.875, rounded half up
    assert second.deviation == Decimal("0.13")


def test_a_spread_of_two_points_is_marked(scored_round):
    board = round_dashboard(scored_round)
    assert [line.wide_spread for line in board.suggestions] == [True, False]
    assert board.wide_spreads == 1


def test_the_mean_of_each_criterion(scored_round):
    board = round_dashboard(scored_round)
    means = {line.criterion.names["en"]: (line.mean, line.count) for line in board.criteria}
    assert means == {
        "Relevance": (Decimal("3.50"), 4),
        "Feasibility": (Decimal("3.50"), 4),
        "Human rights impact": (Decimal("4.00"), 4),
    }


def test_progress_per_reviewer_counts_assigned_and_done(case):
    suggestion = from_participant(case.enrolments[0])
    review_round = open_round(case, [suggestion])
    first = review_round.assignments.order_by("id").first()
    score(first, (3, 3, 3))
    board = round_dashboard(review_round)
    by_name = {line.member.user.username: line for line in board.reviewers}
    done = by_name[first.reviewer.user.username]
    assert (done.assigned, done.done, done.percent) == (1, 1, 100)
    # The session's trainer has a conflict: listed, with nothing to do.
    trainer = by_name["session.trainer"]
    assert (trainer.assigned, trainer.done, trainer.percent) == (0, 0, 0)
    assert (board.assigned, board.done, board.percent) == (2, 1, 50)


def test_no_review_yet_gives_no_figures(case):
    review_round = open_round(case, [from_participant(case.enrolments[0])])
    [line] = round_dashboard(review_round).suggestions
    assert (line.assigned, line.done) == (2, 0)
    assert line.mean is line.low is line.deviation is None
    assert not line.wide_spread


def test_groups_list_their_suggestions(case):
    first = from_participant(case.enrolments[0])
    second = from_participant(case.enrolments[1])
    review_round = open_round(case, [first, second])
    group = rounds.group_suggestions(
        review_round=review_round,
        suggestions=[first, second],
        title="Families",
        by=case.coordinator,
    )
    [line] = round_dashboard(review_round).groups
    assert line.group == group
    assert [s.pk for s in line.suggestions] == [first.pk, second.pk]


def test_the_dashboard_takes_as_many_queries_for_three_suggestions_as_for_one(
    case, django_assert_max_num_queries
):
    one = open_round(case, [from_participant(case.enrolments[0])])
    one = ReviewRound.objects.select_related("committee").get(pk=one.pk)
    score(one.assignments.first(), (4, 4, 4))
    with django_assert_max_num_queries(6) as captured:
        round_dashboard(one).suggestions[0].mean  # noqa: B018
    queries = len(captured.captured_queries)
    three = rounds.create_round(committee=case.committee, title="Three", by=case.coordinator)
    suggestions = [from_participant(e, f"Idea {n}") for n, e in enumerate(case.enrolments)]
    rounds.add_suggestions(review_round=three, suggestions=suggestions, by=case.coordinator)
    rounds.assign_reviewers(review_round=three, by=case.coordinator)
    rounds.open_round(review_round=three, by=case.coordinator)
    for assignment in three.assignments.all():
        score(assignment, (2, 3, 4))
    three = ReviewRound.objects.select_related("committee").get(pk=three.pk)
    with django_assert_max_num_queries(queries):
        board = round_dashboard(three)
        assert [line.mean for line in board.suggestions] == [Decimal("3.00")] * 3


# --- The summary of an assignment run -------------------------------------------------------


def short_round(case, *, blind: bool):
    """A suggestion of the committee's secretary (police) from the case's session, wanting
    four reviewers: the secretary wrote it, the trainer trained the session and is police
    too; only three members may review it."""
    staff = from_staff(case.partnership.secretary, session=case.session)
    review_round = rounds.create_round(
        committee=case.committee,
        title="Short",
        blind=blind,
        reviewers_per_suggestion=4,
        by=case.coordinator,
    )
    rounds.add_suggestions(review_round=review_round, suggestions=[staff], by=case.coordinator)
    summary = rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    return review_round, summary


def test_the_report_says_why_a_suggestion_is_short_of_reviewers(case):
    review_round, summary = short_round(case, blind=False)
    report = assignment_report(review_round, summary, case.coordinator)
    assert report.created == 3
    [line] = report.short
    assert line.missing == 1
    reasons = {member.user.username: reasons for member, reasons in line.conflicts}
    assert reasons == {
        "secretary": ["wrote the suggestion", "belongs to the author's unit"],
        "session.trainer": ["trained the session it came from", "belongs to the author's unit"],
    }
    assert line.hidden == 0
    assert sorted(count for _member, count in report.load) == [0, 0, 1, 1, 1]


def test_in_a_blind_round_the_report_does_not_point_at_the_author(case):
    review_round, summary = short_round(case, blind=True)
    report = assignment_report(review_round, summary, case.partnership.chair)
    [line] = report.short
    told = {member.user.username: reasons for member, reasons in line.conflicts}
    assert told == {"session.trainer": ["trained the session it came from"]}
    assert line.hidden == 1
