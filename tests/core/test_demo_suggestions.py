"""The demo's suggestions: from the Oujda session through a blind review round and the
committee's decisions into version 2 of the course, which the Agadir session teaches."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from mizan.accounts.models import User
from mizan.core.demo import load_demo
from mizan.core.demo.course import COURSE_CODE
from mizan.core.demo.suggestions import GROUP_TITLE, ROUND_TITLE, load_suggestions
from mizan.suggestions import traceability
from mizan.suggestions.enums import AuthorKind, Outcome, RoundStatus, SuggestionStatus
from mizan.suggestions.models import (
    Review,
    ReviewRound,
    Suggestion,
    SuggestionDecision,
    SuggestionGroup,
)
from mizan.training.enums import VersionStatus
from mizan.training.models import ChangelogEntry, CurriculumVersion, TrainingSession


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module inside a transaction rolled back at the end,
    so the other tests of this worker never see it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def the_round() -> ReviewRound:
    return ReviewRound.objects.get(title=ROUND_TITLE)


def version_2() -> CurriculumVersion:
    return CurriculumVersion.objects.get(curriculum__code=COURSE_CODE, number=2)


def test_suggestions_from_oujda_participants_in_three_languages(demo):
    oujda = TrainingSession.objects.get(city="Oujda")
    from_participants = Suggestion.objects.filter(session=oujda, author_kind=AuthorKind.PARTICIPANT)
    assert 12 <= from_participants.count() <= 16
    languages = Counter(from_participants.values_list("language", flat=True))
    assert languages["fr"] >= 4 and languages["ar"] >= 4 and languages["en"] >= 1
    subjects = set(from_participants.values_list("subject", flat=True))
    assert {"module", "objective", "logistics", "curriculum"} <= subjects
    assert demo.suggestions == Suggestion.objects.count()


def test_three_anonymous_suggestions_keep_no_author(demo):
    anonymous = Suggestion.objects.filter(anonymous=True)
    assert anonymous.count() == 3
    assert not anonymous.filter(author_enrolment__isnull=False).exists()
    assert not anonymous.filter(author_user__isnull=False).exists()
    assert not anonymous.filter(author_institution__isnull=False).exists()
    named = Suggestion.objects.filter(anonymous=False, author_kind=AuthorKind.PARTICIPANT)
    assert not named.filter(author_enrolment__isnull=True).exists()


def test_the_trainer_and_a_committee_member_made_suggestions_signed_in(demo):
    signed_in = dict(
        Suggestion.objects.filter(author_user__isnull=False).values_list(
            "author_user__username", "author_kind"
        )
    )
    assert signed_in == {
        "trainer": AuthorKind.TRAINER,
        "committee": AuthorKind.COMMITTEE_MEMBER,
    }


def test_tangier_suggestions_wait_outside_any_round(demo):
    tangier = Suggestion.objects.filter(session__city="Tangier")
    assert tangier.count() == 2
    assert not tangier.filter(review_rounds__isnull=False).exists()
    assert set(tangier.values_list("status", flat=True)) == {SuggestionStatus.RECEIVED}


def test_the_round_is_blind_released_and_fully_reviewed(demo):
    review_round = the_round()
    assert review_round.blind
    assert review_round.status == RoundStatus.RELEASED
    assert review_round.committee.name == "Joint committee on human rights training"
    assert review_round.suggestions.count() == 16
    assert review_round.criteria.count() == 3
    assignments = review_round.assignments.all()
    assert assignments.count() == 2 * 16
    assert Review.objects.filter(assignment__round=review_round).count() == 2 * 16
    for assignment in assignments.select_related("review", "reviewer__user"):
        assert assignment.review.history.first().history_user == assignment.reviewer.user
    scores = set(
        Review.objects.filter(assignment__round=review_round).values_list(
            "weighted_score", flat=True
        )
    )
    assert len(scores) >= 8  # varied


def test_every_suggestion_of_the_round_is_decided_at_the_past_meeting_and_released(demo):
    review_round = the_round()
    decisions = SuggestionDecision.objects.filter(round=review_round).select_related("meeting")
    assert decisions.count() == review_round.suggestions.count()
    meeting_days = {timezone.localtime(d.meeting.starts_at).date() for d in decisions}
    assert meeting_days == {timezone.localdate() - timedelta(days=49)}
    assert not decisions.filter(released_at__isnull=True).exists()
    assert all(d.rationale for d in decisions)
    outcomes = Counter(decisions.values_list("outcome", flat=True))
    assert 6 <= outcomes[Outcome.ACCEPTED] <= 10
    assert outcomes[Outcome.REJECTED] >= 2 and outcomes[Outcome.DEFERRED] >= 2
    assert outcomes[Outcome.MERGED] == 1
    merged = decisions.get(outcome=Outcome.MERGED)
    assert merged.merged_into.author_kind == AuthorKind.TRAINER


def test_the_near_identical_pair_is_grouped_and_decided_together(demo):
    group = SuggestionGroup.objects.get(round=the_round(), title=GROUP_TITLE)
    members = list(group.suggestions.all())
    assert len(members) == 2
    assert {s.language for s in members} == {"fr"}
    outcomes = {s.decisions.get().outcome for s in members}
    rationales = {s.decisions.get().rationale for s in members}
    assert outcomes == {Outcome.ACCEPTED} and len(rationales) == 1
    reviewers = [set(s.assignments.values_list("reviewer", flat=True)) for s in members]
    assert reviewers[0] == reviewers[1]


def test_the_story_is_dated_in_order(demo):
    oujda = TrainingSession.objects.get(city="Oujda")
    review_round = the_round()
    first_review = Review.objects.filter(assignment__round=review_round).order_by("submitted_at")[0]
    decision = SuggestionDecision.objects.filter(round=review_round).first()
    assert decision is not None
    for suggestion in review_round.suggestions.all():
        assert suggestion.submitted_at.date() >= oujda.ends_on
        assert suggestion.submitted_at < review_round.created_at
    assert review_round.created_at < first_review.submitted_at < decision.meeting.starts_at
    assert decision.meeting.starts_at < decision.released_at < timezone.now()


def test_version_2_integrates_accepted_suggestions_only(demo):
    version = version_2()
    assert version.status == VersionStatus.PUBLISHED
    assert version.based_on.number == 1
    entries = ChangelogEntry.objects.filter(version=version)
    assert 3 <= entries.count() <= 4
    linked = Suggestion.objects.filter(changelog_entries__version=version).distinct()
    assert linked.count() >= 4
    for suggestion in linked:
        assert suggestion.decisions.get().outcome == Outcome.ACCEPTED
        assert suggestion.status == SuggestionStatus.INTEGRATED
    for entry in entries:
        assert entry.modules.exists() and entry.suggestions.exists()
        assert {m.version_id for m in entry.modules.all()} == {version.pk}


def test_version_2_really_changes_the_modules_it_names(demo):
    version = version_2()
    first = version.based_on
    changed = {m.order for m in version.modules.filter(changelog_entries__isnull=False)}
    before = {m.order: m for m in first.modules.all()}
    for module in version.modules.filter(order__in=changed):
        old = before[module.order]
        assert (module.summary, module.duration_minutes) != (old.summary, old.duration_minutes)


def test_agadir_teaches_version_2_which_is_frozen(demo):
    agadir = TrainingSession.objects.get(city="Agadir")
    assert agadir.version == version_2()
    assert agadir.version.is_frozen
    assert set(
        TrainingSession.objects.filter(city__in=["Oujda", "Tangier"]).values_list(
            "version__number", flat=True
        )
    ) == {1}


def test_oujda_traceability_leads_to_agadir(demo):
    oujda = TrainingSession.objects.get(city="Oujda")
    trail = traceability.for_session(oujda)
    assert len(trail.suggestions) == 15  # the committee member's came from no session
    assert [s.city for s in trail.versions[version_2()]] == ["Agadir"]


def test_loading_the_suggestions_again_adds_nothing(demo):
    users = {u.username: u for u in User.objects.all()}
    counts = (
        Suggestion.objects.count(),
        ReviewRound.objects.count(),
        Review.objects.count(),
        SuggestionDecision.objects.count(),
        ChangelogEntry.objects.count(),
        Suggestion.history.count(),
    )
    assert load_suggestions(users) == counts[0]
    load_demo()
    assert (
        Suggestion.objects.count(),
        ReviewRound.objects.count(),
        Review.objects.count(),
        SuggestionDecision.objects.count(),
        ChangelogEntry.objects.count(),
        Suggestion.history.count(),
    ) == counts
