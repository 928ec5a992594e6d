"""Builders of the suggestion tests: a joint committee of the NHRI and the police, a
completed session with participants and a trainer, suggestions from each kind of author,
and a review round. Made through the services, as users would.

Test modules of other packages (staff pages, the API, the participant's phone) use them
too, so they are functions rather than fixtures of this package's conftest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mizan.accounts.enums import Role
from mizan.institutions.models import Institution
from mizan.partnerships import services as partnership_services
from mizan.partnerships.models import CommitteeMember, JointCommittee, Meeting
from mizan.suggestions.enums import AuthorKind, Category, Subject
from mizan.suggestions.models import ReviewRound, Suggestion
from mizan.suggestions.services import decisions, intake, rounds
from mizan.training.enums import SessionStatus
from mizan.training.models import Enrolment, TrainingSession
from tests.factories import InstitutionFactory, user_with_role
from tests.partnerships.factories import Partnership, build_partnership
from tests.training.builders import enrol_people, make_session


@dataclass
class ReviewCase:
    """Who is who:

    - ``partnership.chair`` (NHRI, chair), ``partnership.secretary`` (police, secretary),
      ``partnership.member`` (border police unit) and ``reviewer`` (NHRI) sit on the
      committee;
    - ``trainer`` trained the session and sits on the committee too (a conflict for every
      suggestion of that session);
    - ``enrolments`` are three officers of the police directorate;
    - ``outsider`` is a viewer of an unrelated ministry.
    """

    partnership: Partnership
    coordinator: Any
    committee: JointCommittee
    session: TrainingSession
    trainer: Any
    reviewer: Any
    outsider: Any
    enrolments: list[Enrolment]
    seats: dict[str, CommitteeMember] = field(default_factory=dict)

    @property
    def meeting(self) -> Meeting:
        return self.partnership.meeting


def build_review_case(*, nhri: Institution, coordinator: Any) -> ReviewCase:
    partnership = build_partnership(nhri=nhri, by=coordinator)
    police = partnership.police
    trainer = user_with_role(Role.TRAINER, police, username="session.trainer")
    reviewer = user_with_role(Role.COMMITTEE_MEMBER, nhri, username="reviewer")
    committee = partnership.committee
    seats = {
        "chair": partnership.chair_seat,
        "secretary": partnership.secretary_seat,
        "member": partnership.member_seat,
        "trainer": partnership_services.add_committee_member(
            committee=committee, user=trainer, institution=police, by=coordinator
        ),
        "reviewer": partnership_services.add_committee_member(
            committee=committee, user=reviewer, institution=nhri, by=coordinator
        ),
    }
    session = make_session(
        by=coordinator,
        organisers=[police, nhri],
        trainers=[trainer],
        status=SessionStatus.RUNNING,
    )
    enrolments = enrol_people(session, 3, by=coordinator)
    outsider = user_with_role(
        Role.VIEWER, InstitutionFactory(code="health", kind="ministry"), username="outsider"
    )
    return ReviewCase(
        partnership=partnership,
        coordinator=coordinator,
        committee=committee,
        session=session,
        trainer=trainer,
        reviewer=reviewer,
        outsider=outsider,
        enrolments=enrolments,
        seats=seats,
    )


def from_participant(
    enrolment: Enrolment,
    text: str = "Add a case study on a family stopped at the border.",
    *,
    anonymous: bool = False,
    subject: str = Subject.CURRICULUM,
    category: str = Category.CONTENT,
    language: str = "en",
    **kwargs: Any,
) -> Suggestion:
    return intake.make_suggestion(
        text=text,
        subject=subject,
        category=category,
        language=language,
        by=None,
        enrolment=enrolment,
        anonymous=anonymous,
        **kwargs,
    )


def from_staff(
    user: Any,
    text: str = "Give the participants the guide in Arabic a week before.",
    *,
    author_kind: str = AuthorKind.STAFF,
    session: TrainingSession | None = None,
    subject: str = Subject.LOGISTICS,
    category: str = Category.ORGANISATION,
    language: str = "en",
    **kwargs: Any,
) -> Suggestion:
    return intake.make_suggestion(
        text=text,
        subject=subject,
        category=category,
        language=language,
        by=user,
        author_kind=author_kind,
        session=session,
        **kwargs,
    )


def open_round(
    case: ReviewCase, suggestions: list[Suggestion], *, blind: bool = True, per: int = 2
) -> ReviewRound:
    """A round of the case's committee with the default rubric, the suggestions added,
    reviewers assigned and reviewing open."""
    review_round = rounds.create_round(
        committee=case.committee,
        title="Suggestions of the spring sessions",
        blind=blind,
        reviewers_per_suggestion=per,
        curriculum=case.session.version.curriculum,
        by=case.coordinator,
    )
    rounds.add_suggestions(review_round=review_round, suggestions=suggestions, by=case.coordinator)
    rounds.assign_reviewers(review_round=review_round, by=case.coordinator)
    return rounds.open_round(review_round=review_round, by=case.coordinator)


def review_everything(review_round: ReviewRound, score: int = 4) -> None:
    """Every reviewer scores every assignment ``score`` on each criterion."""
    criteria = list(review_round.criteria.all())
    for assignment in review_round.assignments.select_related("reviewer__user"):
        rounds.submit_review(
            assignment=assignment,
            scores={c.pk: score for c in criteria},
            comment="Useful.",
            by=assignment.reviewer.user,
        )


def decide_and_release(
    case: ReviewCase, review_round: ReviewRound, outcome: str = "accepted"
) -> ReviewRound:
    if review_round.status == "reviewing":
        review_round = rounds.close_round(review_round=review_round, by=case.coordinator)
    decisions.record_decisions(
        review_round=review_round,
        suggestions=list(review_round.suggestions.all()),
        outcome=outcome,
        rationale="The committee agreed.",
        meeting=case.meeting,
        by=case.coordinator,
    )
    decisions.release_decisions(review_round=review_round, by=case.coordinator)
    review_round.refresh_from_db()
    return review_round
