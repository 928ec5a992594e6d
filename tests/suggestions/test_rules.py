"""Who may see a suggestion's author and history, review, decide and read rounds and
decisions, and the selectors that pages, exports and the API start from.

Blind review is a security property: while a suggestion is in a blind round, no member of
that round's committee may learn who wrote it, whatever else they are (organiser of the
source session, coordinator)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from mizan.accounts.enums import Role
from mizan.partnerships import services as partnership_services
from mizan.suggestions.enums import Outcome
from mizan.suggestions.queries import (
    assignments_of,
    blind_for,
    decisions_visible_to,
    rounds_visible_to,
    suggestions_of_enrolment,
    suggestions_visible_to,
)
from mizan.suggestions.services import rounds
from mizan.suggestions.services.decisions import record_decisions, release_decisions
from mizan.suggestions.services.intake import author_name
from tests.factories import user_with_role
from tests.suggestions.builders import (
    decide_and_release,
    from_participant,
    from_staff,
    open_round,
)

AUTHOR_PERMS = ("suggestions.view_author", "suggestions.view_history")


@pytest.fixture
def officer(case):
    """A named police officer's suggestion from the session."""
    return from_participant(case.enrolments[0], "A case study at the border.")


@pytest.fixture
def police_focal(case):
    """A focal point of the police directorate, which organised the session; not on the
    committee."""
    return user_with_role(Role.FOCAL_POINT, case.partnership.police, username="police.focal")


def _sees_author(user, suggestion) -> bool:
    seen = {user.has_perm(perm, suggestion) for perm in AUTHOR_PERMS}
    assert len(seen) == 1, "the history names the author: both follow the same rule"
    return seen.pop()


# --- The author of a suggestion ------------------------------------------------------------


def test_before_any_review_the_author_is_seen_by_the_author_coordinators_and_organisers(
    case, police_focal
):
    suggestion = from_staff(case.outsider, session=case.session)
    assert _sees_author(case.outsider, suggestion), "the author"
    assert _sees_author(case.coordinator, suggestion)
    assert _sees_author(police_focal, suggestion), "organiser of the source session"
    assert _sees_author(case.partnership.chair, suggestion), "NHRI staff organised it too"
    assert not _sees_author(case.partnership.member, suggestion), "border police organised nothing"
    assert not _sees_author(case.partnership.stranger, suggestion)
    assert not _sees_author(AnonymousUser(), suggestion)


def test_without_a_source_session_only_the_author_and_coordinators_see_them(case):
    suggestion = from_staff(case.partnership.member)
    assert _sees_author(case.partnership.member, suggestion)
    assert _sees_author(case.coordinator, suggestion)
    assert not _sees_author(case.partnership.chair, suggestion)
    assert not _sees_author(case.outsider, suggestion)


def test_in_a_blind_round_no_committee_member_sees_the_author(case, officer, police_focal):
    """The chair, the secretary and the reviewer organised the session (NHRI and police
    staff): they would see the officer's name, but not while their committee reviews it
    blind. Staff not on the committee still do."""
    named_staff = from_staff(case.outsider, session=case.session)
    open_round(case, [officer, named_staff], blind=True)
    for suggestion in (officer, named_staff):
        for user in (
            case.partnership.chair,
            case.partnership.secretary,
            case.partnership.member,
            case.reviewer,
            case.trainer,
        ):
            assert not _sees_author(user, suggestion), user.username
        assert _sees_author(case.coordinator, suggestion)
        assert _sees_author(police_focal, suggestion)
    assert _sees_author(case.outsider, named_staff), "the author still sees their own"


def test_a_coordinator_who_sits_on_the_committee_does_not_see_the_author_either(case, officer):
    partnership_services.add_committee_member(
        committee=case.committee,
        user=case.coordinator,
        institution=case.partnership.nhri,
        by=case.coordinator,
    )
    assert _sees_author(case.coordinator, officer)
    open_round(case, [officer], blind=True)
    assert not _sees_author(case.coordinator, officer)
    assert officer in blind_for(case.coordinator)


def test_a_committee_member_who_wrote_it_still_sees_their_own(case):
    suggestion = from_staff(case.partnership.chair)
    open_round(case, [suggestion], blind=True)
    assert _sees_author(case.partnership.chair, suggestion)
    assert not _sees_author(case.partnership.secretary, suggestion)


def test_a_round_that_is_not_blind_shows_the_author_to_those_who_may_see_them(case, officer):
    open_round(case, [officer], blind=False)
    assert _sees_author(case.partnership.chair, officer)
    assert _sees_author(case.partnership.secretary, officer)
    assert _sees_author(case.reviewer, officer)
    assert not _sees_author(case.partnership.member, officer), "not an organiser"
    assert officer not in blind_for(case.partnership.chair)


def test_a_blind_round_stays_blind_after_its_decisions_are_released(case, officer):
    review_round = open_round(case, [officer], blind=True)
    decide_and_release(case, review_round)
    assert not _sees_author(case.partnership.chair, officer)
    assert officer in blind_for(case.partnership.chair)


def test_an_anonymous_suggestion_has_no_author_even_for_those_who_may_see_authors(case):
    suggestion = from_participant(case.enrolments[1], anonymous=True)
    assert _sees_author(case.coordinator, suggestion), "allowed to look…"
    assert author_name(suggestion) == "", "…but there is nothing to see"
    assert suggestion.author_enrolment is None and suggestion.author_user is None
    assert not _sees_author(case.outsider, suggestion)


# --- Rounds, reviews, decisions -------------------------------------------------------------


def test_the_chair_the_secretary_and_coordinators_run_a_round(case, officer):
    review_round = open_round(case, [officer])
    for perm in ("suggestions.change_reviewround", "suggestions.decide"):
        assert case.partnership.chair.has_perm(perm, review_round)
        assert case.partnership.secretary.has_perm(perm, review_round)
        assert case.coordinator.has_perm(perm, review_round)
        assert not case.partnership.member.has_perm(perm, review_round)
        assert not case.reviewer.has_perm(perm, review_round)
        assert not case.outsider.has_perm(perm, review_round)
    assert case.partnership.chair.has_perm("suggestions.add_reviewround", case.committee)
    assert not case.reviewer.has_perm("suggestions.add_reviewround", case.committee)


def test_a_former_chair_no_longer_decides(case, officer):
    review_round = open_round(case, [officer])
    seat = case.partnership.chair_seat
    seat.until = datetime.date.today() - datetime.timedelta(days=1)
    seat.save()
    assert not case.partnership.chair.has_perm("suggestions.decide", review_round)


def test_a_round_is_read_by_its_committee_and_coordinators_not_by_other_party_staff(case, officer):
    """Other staff of a party do not read the round: its decisions are unpublished until
    released, and they may have written its suggestions."""
    review_round = open_round(case, [officer])
    police_viewer = user_with_role(Role.VIEWER, case.partnership.police, username="police.viewer")
    for user in (case.reviewer, case.partnership.member, case.coordinator):
        assert user.has_perm("suggestions.view_reviewround", review_round), user.username
        assert review_round in rounds_visible_to(user)
    for user in (police_viewer, case.outsider, case.partnership.stranger, AnonymousUser()):
        assert not user.has_perm("suggestions.view_reviewround", review_round)
        assert review_round not in rounds_visible_to(user)


def test_only_the_assigned_reviewer_reviews_and_only_while_the_round_is_open(case, officer):
    review_round = open_round(case, [officer])
    assignment = review_round.assignments.select_related("reviewer__user").first()
    reviewer = assignment.reviewer.user
    others = case.committee.members.exclude(user=reviewer).select_related("user")
    assert reviewer.has_perm("suggestions.review", assignment)
    for seat in others:
        assert not seat.user.has_perm("suggestions.review", assignment), seat.user.username
    assert not case.coordinator.has_perm("suggestions.review", assignment)
    assert list(assignments_of(reviewer).filter(round=review_round)) == [assignment]
    assert not assignments_of(case.outsider).exists()
    rounds.close_round(review_round=review_round, by=case.coordinator)
    assignment.refresh_from_db()
    assert not reviewer.has_perm("suggestions.review", assignment)
    assert reviewer.has_perm("suggestions.view_review", assignment), "their own, still"
    assert case.partnership.secretary.has_perm("suggestions.view_review", assignment)
    plain = [s.user for s in others if s.user.username in ("member", "reviewer")]
    assert all(not user.has_perm("suggestions.view_review", assignment) for user in plain)


def test_a_round_being_prepared_is_not_reviewed_yet(case, officer):
    review_round = rounds.create_round(committee=case.committee, title="Soon", by=case.coordinator)
    rounds.add_suggestions(review_round=review_round, suggestions=[officer], by=case.coordinator)
    rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    assignment = review_round.assignments.select_related("reviewer__user").first()
    assert not assignment.reviewer.user.has_perm("suggestions.review", assignment)


def test_unreleased_decisions_are_read_by_the_committee_only_released_by_everyone(case, officer):
    review_round = rounds.close_round(review_round=open_round(case, [officer]), by=case.coordinator)
    [decision] = record_decisions(
        review_round=review_round,
        suggestions=[officer],
        outcome=Outcome.ACCEPTED,
        rationale="Agreed.",
        by=case.coordinator,
    )
    assert decision in decisions_visible_to(case.partnership.member)
    assert decision in decisions_visible_to(case.coordinator)
    assert decision not in decisions_visible_to(case.outsider)
    assert decision not in decisions_visible_to(AnonymousUser())
    release_decisions(review_round=review_round, by=case.coordinator)
    assert decision in decisions_visible_to(case.outsider)
    assert decision not in decisions_visible_to(AnonymousUser())


# --- Suggestions ----------------------------------------------------------------------------


def test_every_member_reads_suggestions_and_makes_them(case, officer):
    for user in (case.outsider, case.partnership.member, case.coordinator):
        assert user.has_perm("suggestions.view_suggestion")
        assert user.has_perm("suggestions.add_suggestion")
        assert officer in suggestions_visible_to(user)
    assert not AnonymousUser().has_perm("suggestions.view_suggestion")
    assert not suggestions_visible_to(AnonymousUser()).exists()


def test_coordinators_and_trainers_integrate(case):
    assert case.coordinator.has_perm("suggestions.integrate_suggestion")
    assert case.trainer.has_perm("suggestions.integrate_suggestion")
    assert not case.partnership.chair.has_perm("suggestions.integrate_suggestion")
    assert not case.outsider.has_perm("suggestions.integrate_suggestion")


def test_blind_for_lists_what_a_member_reviews_blind(case, officer):
    outside_round = from_staff(case.outsider)
    open_round(case, [officer], blind=True)
    assert list(blind_for(case.reviewer)) == [officer]
    assert list(blind_for(case.trainer)) == [officer], "the whole committee, assigned or not"
    assert not blind_for(case.coordinator).exists()
    assert not blind_for(case.outsider).exists()
    assert not blind_for(AnonymousUser()).exists()
    assert outside_round not in blind_for(case.reviewer)


def test_a_participant_page_lists_their_named_suggestions_only(case, officer):
    anonymous = from_participant(case.enrolments[0], "Longer breaks.", anonymous=True)
    other = from_participant(case.enrolments[1])
    mine = suggestions_of_enrolment(case.enrolments[0])
    assert list(mine) == [officer]
    assert anonymous not in mine and other not in mine
