"""Making a suggestion: from a participant's personal link (possibly anonymously), or
from a trainer, a committee member or staff, signed in."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from mizan.audit.history import acting_user, attribute_change
from mizan.core.errors import MizanError, Refused
from mizan.evidence.models import EvidenceFile
from mizan.evidence.services import store_evidence
from mizan.suggestions.attachments import cleaned_attachment
from mizan.suggestions.enums import AuthorKind, Category, Subject
from mizan.suggestions.models import Suggestion
from mizan.training.enums import EnrolmentStatus, SessionStatus
from mizan.training.models import (
    Curriculum,
    Enrolment,
    LearningObjective,
    Module,
    TrainingSession,
)

MAX_TEXT = 5000
MAX_ATTACHMENTS = 5


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise MizanError(_("Write your suggestion."), field="text", code="required")
    if len(text) > MAX_TEXT:
        raise MizanError(
            _("A suggestion is at most %(limit)s characters long.") % {"limit": MAX_TEXT},
            field="text",
        )
    return text


def _resolve_subject(
    subject: str,
    curriculum: Curriculum | None,
    module: Module | None,
    objective: LearningObjective | None,
    session: TrainingSession | None,
) -> tuple[Curriculum | None, Module | None, LearningObjective | None]:
    if subject not in Subject.values:
        raise MizanError(_("Choose what the suggestion is about."), field="subject")
    if subject == Subject.OBJECTIVE:
        if objective is None:
            raise MizanError(_("Choose the learning objective."), field="objective")
        module = objective.module
    elif subject == Subject.MODULE:
        if module is None:
            raise MizanError(_("Choose the module."), field="module")
        objective = None
    else:
        module = objective = None
    if module is not None:
        module_curriculum = module.version.curriculum
        if curriculum is not None and curriculum.pk != module_curriculum.pk:
            raise MizanError(_("The module is not part of that curriculum."), field="module")
        if session is not None and module.version_id != session.version_id:
            raise MizanError(
                _("The module is not part of the curriculum version the session used."),
                field="module",
            )
        curriculum = module_curriculum
    if curriculum is None and session is not None:
        curriculum = session.version.curriculum
    return curriculum, module, objective


def _author_institution(user: Any) -> Any:
    membership = user.memberships.order_by("id").select_related("institution").first()
    return membership.institution if membership else None


@transaction.atomic
def make_suggestion(
    *,
    text: str,
    subject: str,
    category: str,
    language: str,
    by: Any,
    author_kind: str = AuthorKind.STAFF,
    curriculum: Curriculum | None = None,
    module: Module | None = None,
    objective: LearningObjective | None = None,
    session: TrainingSession | None = None,
    enrolment: Enrolment | None = None,
    anonymous: bool = False,
    uploads: Iterable[Any] = (),
    attachments: Iterable[EvidenceFile] = (),
) -> Suggestion:
    """Record a suggestion. A participant makes one through their enrolment (``by`` is
    then the anonymous visitor of their personal link): its session is the source, and
    with ``anonymous`` nothing that identifies them is kept. Anyone else signed in makes
    one as themselves; only participants may stay anonymous."""
    text = _clean_text(text)
    if category not in Category.values:
        raise MizanError(_("Choose a category."), field="category")
    if language not in dict(settings.LANGUAGES):
        raise MizanError(_("Choose the language the suggestion is written in."), field="language")
    if author_kind not in AuthorKind.values:
        raise MizanError(_("Say who is making the suggestion."), field="author_kind")
    if enrolment is not None:
        if enrolment.status != EnrolmentStatus.APPROVED:
            raise Refused(_("Only participants of the session can make suggestions here."))
        author_kind = AuthorKind.PARTICIPANT
        session = enrolment.session
        if session.status not in (SessionStatus.RUNNING, SessionStatus.COMPLETED):
            raise MizanError(_("Suggestions open once the course has started."), code="not_started")
    elif author_kind == AuthorKind.PARTICIPANT:
        raise MizanError(
            _("Participants make suggestions through their personal link."),
            field="author_kind",
        )
    elif anonymous:
        raise MizanError(_("Only participants may stay anonymous."), field="anonymous")
    elif not getattr(by, "is_authenticated", False):
        raise Refused(_("Sign in to make a suggestion."))
    curriculum, module, objective = _resolve_subject(
        subject, curriculum, module, objective, session
    )
    suggestion = Suggestion(
        subject=subject,
        curriculum=curriculum,
        module=module,
        objective=objective,
        category=category,
        text=text,
        language=language,
        session=session,
        author_kind=author_kind,
        anonymous=anonymous,
    )
    if not anonymous:
        if enrolment is not None:
            suggestion.author_enrolment = enrolment
            suggestion.author_institution = enrolment.participant.institution
        else:
            suggestion.author_user = by
            suggestion.author_institution = _author_institution(by)
            suggestion.recorded_by = acting_user(by)
    attribute_change(suggestion, user=None if anonymous else by)
    suggestion.save()
    files = list(attachments)
    uploads = list(uploads)
    if len(files) + len(uploads) > MAX_ATTACHMENTS:
        raise MizanError(
            _("Attach at most %(limit)s files.") % {"limit": MAX_ATTACHMENTS},
            field="attachments",
        )
    for number, upload in enumerate(uploads, start=len(files) + 1):
        clean = cleaned_attachment(upload, number)
        files.append(store_evidence(upload=clean, by=None if anonymous else by))
    if files:
        suggestion.attachments.add(*files)
    return suggestion


def author_name(suggestion: Suggestion) -> str:
    """The author as a reader who may see them should read it (callers check
    ``suggestions.view_author`` first); empty for an anonymous suggestion."""
    if suggestion.anonymous:
        return ""
    if suggestion.author_enrolment_id is not None:
        participant = suggestion.author_enrolment.participant  # type: ignore[union-attr]
        return participant.name_latin or participant.name_arabic
    return str(suggestion.author_user) if suggestion.author_user_id else ""
