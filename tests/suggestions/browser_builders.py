"""Builders of the browser tests of the suggestions loop: the review case of
``tests.suggestions.builders`` in the test's language, with a participant whose names
are easy to look for on a page, their personal link, a staff author from outside the
committee, and the loop's suggestions, made through the services as users would.

Every account has the browser tests' password (see ``tests.factories.UserFactory``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mizan.accounts.enums import Role
from mizan.accounts.models import User
from mizan.suggestions.enums import Category, Subject
from mizan.suggestions.models import Suggestion
from mizan.training.models import Enrolment, Module, PersonalLink, TrainingSession
from mizan.training.services import sessions as session_services
from tests.factories import user_with_role
from tests.suggestions.builders import ReviewCase, build_review_case, from_participant, from_staff
from tests.training.builders import make_participant

#: The participant whose name must never reach a reviewer. Invented person.
PARTICIPANT_LATIN = "Nadia Ghazali"
PARTICIPANT_ARABIC = "نادية الغزالي"
#: The staff author (a focal point of the police directorate, not on the committee).
STAFF_AUTHOR = "Hicham Alaoui"
#: Every name a blind reviewer must not read.
AUTHOR_NAMES = (PARTICIPANT_LATIN, PARTICIPANT_ARABIC, STAFF_AUTHOR)

NAMED_TEXT = "Add a case study on a family stopped at the border, with a child travelling alone."
ANONYMOUS_TEXT = "The breaks are too short to call home; give us twenty minutes."
STAFF_TEXT = "Give the participants the guide in Arabic a week before the session."


@dataclass
class LoopCase:
    """The review case (see ``ReviewCase``), plus ``enrolment`` of the named participant
    with their personal ``link``, the session's first ``module``, and ``staff_author``."""

    case: ReviewCase
    enrolment: Enrolment
    link: PersonalLink
    module: Module
    staff_author: User

    @property
    def session(self) -> TrainingSession:
        return self.case.session


def build_loop_case(*, nhri: Any, coordinator: Any, language: str) -> LoopCase:
    """The review case, its session held in ``language`` (the participant's pages open
    in it) and every account reading the interface in ``language``."""
    case = build_review_case(nhri=nhri, coordinator=coordinator)
    TrainingSession.objects.filter(pk=case.session.pk).update(language=language)
    case.session.refresh_from_db()
    participant = make_participant(
        coordinator,
        name_latin=PARTICIPANT_LATIN,
        name_arabic=PARTICIPANT_ARABIC,
        institution=case.partnership.police,
    )
    enrolment = session_services.enrol(
        session=case.session, participant=participant, by=coordinator
    )
    link = session_services.issue_personal_link(enrolment=enrolment, by=coordinator)
    staff_author = user_with_role(
        Role.FOCAL_POINT,
        case.partnership.police,
        username="focal.author",
        display_name=STAFF_AUTHOR,
    )
    User.objects.update(preferred_language=language)
    module = case.session.version.modules.order_by("order", "pk").first()
    assert module is not None
    return LoopCase(
        case=case, enrolment=enrolment, link=link, module=module, staff_author=staff_author
    )


def named_suggestion(loop: LoopCase) -> Suggestion:
    return from_participant(loop.enrolment, NAMED_TEXT, subject=Subject.MODULE, module=loop.module)


def anonymous_suggestion(loop: LoopCase) -> Suggestion:
    return from_participant(
        loop.enrolment, ANONYMOUS_TEXT, anonymous=True, category=Category.ORGANISATION
    )


def staff_suggestion(loop: LoopCase) -> Suggestion:
    return from_staff(loop.staff_author, STAFF_TEXT, session=loop.session)


def loop_suggestions(loop: LoopCase) -> list[Suggestion]:
    """The named, the anonymous and the staff suggestion, in that order."""
    return [named_suggestion(loop), anonymous_suggestion(loop), staff_suggestion(loop)]
