"""The whole loop through the services: intake, a blind round, reviews, decisions,
release and integration into a new curriculum version."""

from __future__ import annotations

from django.core import mail

from mizan.suggestions.enums import Outcome, RoundStatus, SuggestionStatus
from mizan.suggestions.services import integration
from mizan.training import services as training_services
from tests.suggestions.builders import (
    decide_and_release,
    from_participant,
    from_staff,
    open_round,
    review_everything,
)


def test_a_suggestion_goes_round_the_loop_into_a_new_version(
    case, django_capture_on_commit_callbacks
):
    named = from_participant(case.enrolments[0])
    anonymous = from_participant(case.enrolments[1], "Longer breaks.", anonymous=True)
    staff = from_staff(case.partnership.chair, session=case.session)
    assert anonymous.author_enrolment is None and anonymous.author_institution is None
    review_round = open_round(case, [named, anonymous, staff])
    # The trainer of the session reviews none of its suggestions; the chair not their own.
    reviewers = {
        (a.suggestion_id, a.reviewer.user.username) for a in review_round.assignments.all()
    }
    assert not any(user == "session.trainer" for _s, user in reviewers)
    assert (staff.pk, "chair") not in reviewers
    assert all(
        review_round.assignments.filter(suggestion=s).count() == 2
        for s in (named, anonymous, staff)
    )
    review_everything(review_round)
    with django_capture_on_commit_callbacks(execute=True):
        review_round = decide_and_release(case, review_round)
    assert review_round.status == RoundStatus.RELEASED
    assert all(d.released_at for d in review_round.decisions.all())
    assert {d.outcome for d in review_round.decisions.all()} == {Outcome.ACCEPTED}
    assert mail.outbox, "staff are told the decisions are out"
    version = case.session.version
    draft = training_services.new_version_from(
        version=version, changelog="Case studies from the spring sessions.", by=case.coordinator
    )
    entry = integration.integrate_suggestions(
        version=draft,
        text="A case study of a family stopped at the border.",
        suggestions=[named],
        modules=[draft.modules.first()],
        by=case.coordinator,
    )
    named.refresh_from_db()
    assert named.status == SuggestionStatus.INTEGRATED
    assert list(entry.suggestions.all()) == [named]
