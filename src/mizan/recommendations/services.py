"""Business operations on the registry. Each validates, writes in one transaction with its
audit entry (django-simple-history, attributed to ``by``) and returns what it changed.

Views, the API, the CLI and tasks all call these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mizan.audit.history import attribute_change
from mizan.core.errors import MizanError
from mizan.core.languages import CONTENT_LANGUAGES
from mizan.evidence.services import store_evidence
from mizan.institutions.enums import InstitutionKind
from mizan.institutions.models import Institution
from mizan.recommendations.enums import (
    AssessmentVoice,
    AssignmentRole,
    ImplementationStatus,
    TaggingSource,
)
from mizan.recommendations.models import (
    Assessment,
    Assignment,
    Mechanism,
    Recommendation,
    RecommendationText,
    SourceDocument,
    Tagging,
    Term,
)

RECOMMENDATION_FIELDS = (
    "document",
    "paragraph",
    "external_id",
    "recommending_state",
    "position",
    "status",
)


def _check_texts(texts: Mapping[str, str], original_language: str | None) -> None:
    if not any((text or "").strip() for text in texts.values()):
        raise MizanError(
            _("A recommendation needs its text in at least one language."), field="texts"
        )
    for language in texts:
        if language not in CONTENT_LANGUAGES:
            raise MizanError(
                _("Unknown language: %(language)s.") % {"language": language}, field="texts"
            )
    if original_language and not (texts.get(original_language) or "").strip():
        raise MizanError(_("The original text is empty."), field="texts")


@transaction.atomic
def create_recommendation(
    *,
    document: SourceDocument,
    paragraph: str,
    texts: Mapping[str, str],
    original_language: str | None = None,
    recommending_state: str = "",
    position: str = "",
    status: str = "",
    external_id: str | None = None,
    by: Any = None,
) -> Recommendation:
    """Register a recommendation with its text in one or more languages."""
    paragraph = paragraph.strip()
    if not paragraph:
        raise MizanError(_("The paragraph reference is required."), field="paragraph")
    _check_texts(texts, original_language)
    if Recommendation.objects.filter(
        document=document, paragraph=paragraph, recommending_state=recommending_state
    ).exists():
        raise MizanError(
            _("Document %(symbol)s already has a recommendation in paragraph %(paragraph)s.")
            % {"symbol": document.symbol, "paragraph": paragraph},
            field="paragraph",
        )
    recommendation = Recommendation(
        document=document,
        paragraph=paragraph,
        recommending_state=recommending_state,
        position=position,
        external_id=external_id or None,
    )
    if status:
        recommendation.status = status
    attribute_change(recommendation, user=by)
    recommendation.save()
    original_language = original_language or next(
        lang for lang, text in texts.items() if (text or "").strip()
    )
    for language, text in texts.items():
        if (text or "").strip():
            _save_text(recommendation, language, text.strip(), language == original_language, by)
    return recommendation


@transaction.atomic
def update_recommendation(
    *,
    recommendation: Recommendation,
    by: Any = None,
    texts: Mapping[str, str] | None = None,
    original_language: str | None = None,
    **changes: Any,
) -> Recommendation:
    """Change fields and texts of a recommendation; an empty text removes that language."""
    unknown = set(changes) - set(RECOMMENDATION_FIELDS)
    if unknown:
        raise MizanError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if "paragraph" in changes and not str(changes["paragraph"]).strip():
        raise MizanError(_("The paragraph reference is required."), field="paragraph")
    for name, value in changes.items():
        setattr(recommendation, name, value)
    if "external_id" in changes and not recommendation.external_id:
        recommendation.external_id = None
    clash = Recommendation.objects.filter(
        document=recommendation.document,
        paragraph=recommendation.paragraph,
        recommending_state=recommendation.recommending_state,
    ).exclude(pk=recommendation.pk)
    if clash.exists():
        raise MizanError(
            _("Document %(symbol)s already has a recommendation in paragraph %(paragraph)s.")
            % {"symbol": recommendation.document.symbol, "paragraph": recommendation.paragraph},
            field="paragraph",
        )
    attribute_change(recommendation, user=by)
    recommendation.save()
    if texts is not None:
        _check_texts(texts, original_language)
        existing = {t.language: t for t in recommendation.texts.all()}
        original_language = original_language or next(
            (t.language for t in existing.values() if t.is_original),
            next(lang for lang, text in texts.items() if (text or "").strip()),
        )
        for language, text in texts.items():
            text = (text or "").strip()
            current = existing.get(language)
            if text:
                is_original = language == original_language
                if current is None or current.text != text or current.is_original != is_original:
                    _save_text(recommendation, language, text, is_original, by, current)
            elif current is not None:
                attribute_change(current, user=by)
                current.delete()
    return recommendation


def _save_text(
    recommendation: Recommendation,
    language: str,
    text: str,
    is_original: bool,
    by: Any,
    current: RecommendationText | None = None,
) -> RecommendationText:
    if is_original:
        recommendation.texts.filter(is_original=True).exclude(language=language).update(
            is_original=False
        )
    record = current or RecommendationText(recommendation=recommendation, language=language)
    record.text = text
    record.is_original = is_original
    attribute_change(record, user=by)
    record.save()
    return record


@transaction.atomic
def delete_recommendation(*, recommendation: Recommendation, by: Any = None) -> None:
    attribute_change(recommendation, user=by)
    for text in recommendation.texts.all():
        attribute_change(text, user=by)
        text.delete()
    recommendation.delete()


@transaction.atomic
def create_document(
    *,
    symbol: str,
    mechanism: Mechanism,
    state_under_review: str,
    title: str = "",
    date: date | None = None,
    cycle: str = "",
    by: Any = None,
) -> SourceDocument:
    symbol = symbol.strip()
    if not symbol:
        raise MizanError(_("The document symbol is required."), field="symbol")
    if SourceDocument.objects.filter(symbol__iexact=symbol).exists():
        raise MizanError(
            _("A document with symbol %(symbol)s already exists.") % {"symbol": symbol},
            field="symbol",
        )
    document = SourceDocument(
        symbol=symbol,
        mechanism=mechanism,
        title=title,
        date=date,
        cycle=cycle,
        state_under_review=state_under_review.strip(),
    )
    attribute_change(document, user=by)
    document.save()
    return document


DOCUMENT_FIELDS = ("symbol", "mechanism", "title", "date", "cycle", "state_under_review")


@transaction.atomic
def update_document(*, document: SourceDocument, by: Any = None, **changes: Any) -> SourceDocument:
    """Change a source document's fields; the symbol stays unique (ignoring case)."""
    unknown = set(changes) - set(DOCUMENT_FIELDS)
    if unknown:
        raise MizanError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if "symbol" in changes:
        symbol = changes["symbol"].strip()
        if not symbol:
            raise MizanError(_("The document symbol is required."), field="symbol")
        clash = SourceDocument.objects.filter(symbol__iexact=symbol).exclude(pk=document.pk)
        if clash.exists():
            raise MizanError(
                _("A document with symbol %(symbol)s already exists.") % {"symbol": symbol},
                field="symbol",
            )
        changes["symbol"] = symbol
    if "state_under_review" in changes:
        changes["state_under_review"] = changes["state_under_review"].strip()
    for name, value in changes.items():
        setattr(document, name, value)
    attribute_change(document, user=by)
    document.save()
    return document


@transaction.atomic
def tag_recommendation(
    *,
    recommendation: Recommendation,
    term: Term,
    by: Any = None,
    source: str = TaggingSource.PERSON,
    model_name: str = "",
    confidence: float | None = None,
) -> Tagging:
    """Put ``term`` on a recommendation. A person's or an import's tag is confirmed at once;
    a model's waits for a person to confirm it."""
    if confidence is not None and not 0 <= confidence <= 1:
        raise MizanError(_("Confidence must be between 0 and 1."), field="confidence")
    if source == TaggingSource.MODEL and not model_name:
        raise MizanError(_("A model's tag must name the model."), field="model_name")
    tagging = Tagging.objects.filter(recommendation=recommendation, term=term).first()
    if tagging is not None:
        if source != TaggingSource.MODEL and not tagging.is_confirmed:
            return confirm_tagging(tagging=tagging, by=by)
        return tagging
    confirmed = source != TaggingSource.MODEL
    tagging = Tagging(
        recommendation=recommendation,
        term=term,
        source=source,
        model_name=model_name,
        confidence=confidence,
        tagged_by=by if source != TaggingSource.MODEL else None,
        confirmed_by=by if confirmed else None,
        confirmed_at=timezone.now() if confirmed else None,
    )
    attribute_change(tagging, user=by)
    tagging.save()
    return tagging


@transaction.atomic
def confirm_tagging(*, tagging: Tagging, by: Any) -> Tagging:
    if tagging.is_confirmed:
        return tagging
    tagging.confirmed_by = by
    tagging.confirmed_at = timezone.now()
    attribute_change(tagging, user=by, reason="confirmed")
    tagging.save()
    return tagging


@transaction.atomic
def remove_tagging(*, tagging: Tagging, by: Any = None) -> None:
    attribute_change(tagging, user=by)
    tagging.delete()


@transaction.atomic
def bulk_tag(
    *, recommendations: Iterable[Recommendation], terms: Iterable[Term], by: Any = None
) -> int:
    """Put every term on every recommendation; returns how many tags were added or confirmed."""
    terms = list(terms)
    if not terms:
        raise MizanError(_("Choose at least one term."), field="terms")
    changed = 0
    for recommendation in recommendations:
        for term in terms:
            existing = Tagging.objects.filter(recommendation=recommendation, term=term).first()
            if existing is not None and existing.is_confirmed:
                continue
            tag_recommendation(recommendation=recommendation, term=term, by=by)
            changed += 1
    return changed


@transaction.atomic
def assign_recommendation(
    *,
    recommendation: Recommendation,
    institution: Institution,
    role: str = AssignmentRole.LEAD,
    due_date: date | None = None,
    by: Any = None,
) -> Assignment:
    """Make ``institution`` responsible for a recommendation (lead or contributing)."""
    if role not in AssignmentRole.values:
        raise MizanError(_("Unknown role: %(role)s.") % {"role": role}, field="role")
    assignment = Assignment.objects.filter(
        recommendation=recommendation, institution=institution
    ).first()
    if assignment is None:
        assignment = Assignment(
            recommendation=recommendation,
            institution=institution,
            assigned_by=by if getattr(by, "pk", None) else None,
        )
    elif assignment.role == role and assignment.due_date == due_date:
        return assignment
    assignment.role = role
    assignment.due_date = due_date
    attribute_change(assignment, user=by)
    assignment.save()
    return assignment


@transaction.atomic
def unassign_recommendation(*, assignment: Assignment, by: Any = None) -> None:
    attribute_change(assignment, user=by)
    assignment.delete()


@transaction.atomic
def bulk_assign(
    *,
    recommendations: Iterable[Recommendation],
    institution: Institution,
    role: str = AssignmentRole.LEAD,
    due_date: date | None = None,
    by: Any = None,
) -> int:
    count = 0
    for recommendation in recommendations:
        assign_recommendation(
            recommendation=recommendation,
            institution=institution,
            role=role,
            due_date=due_date,
            by=by,
        )
        count += 1
    return count


#: The recommendation field that holds each voice's latest assessment.
VOICE_FIELDS = {AssessmentVoice.STATE: "status", AssessmentVoice.NHRI: "nhri_status"}


@transaction.atomic
def record_assessment(
    *,
    recommendation: Recommendation,
    voice: str,
    status: str,
    assessed_on: date | None,
    rationale: str,
    institution: Institution | None = None,
    evidence: Iterable[Any] = (),
    by: Any = None,
) -> Assessment:
    """Record one dated assessment of a recommendation's implementation by ``voice`` (the
    state or the NHRI), with its rationale and evidence files (uploads, each checked by
    :func:`~mizan.evidence.services.store_evidence`).

    The recommendation's ``status`` (state) or ``nhri_status`` (NHRI) then takes the status
    of that voice's latest assessment by date (then by order of recording): an assessment
    dated before the latest one is kept in the timeline without changing the current status.
    """
    if voice not in AssessmentVoice.values:
        raise MizanError(_("Unknown voice: %(voice)s.") % {"voice": voice}, field="voice")
    if status not in ImplementationStatus.values:
        raise MizanError(
            _("Unknown status %(value)s; use one of %(values)s.")
            % {"value": status, "values": ", ".join(ImplementationStatus.values)},
            field="status",
        )
    if assessed_on is None:
        raise MizanError(_("Give the date of the assessment."), field="assessed_on")
    if assessed_on > timezone.localdate():
        raise MizanError(_("An assessment cannot be dated in the future."), field="assessed_on")
    rationale = (rationale or "").strip()
    if not rationale:
        raise MizanError(_("Explain the assessment in a rationale."), field="rationale")
    if institution is not None:
        is_nhri = institution.kind == InstitutionKind.NHRI
        if voice == AssessmentVoice.NHRI and not is_nhri:
            raise MizanError(
                _("The NHRI's assessment is made by a national human rights institution."),
                field="institution",
            )
        if voice == AssessmentVoice.STATE and is_nhri:
            raise MizanError(
                _("The state's assessment is made by a state institution, not the NHRI."),
                field="institution",
            )
    # Lock the recommendation: two assessments recorded at once must not both decide which
    # one is the latest.
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    files = [store_evidence(upload=upload, by=by) for upload in evidence]
    assessment = Assessment(
        recommendation=recommendation,
        voice=voice,
        status=status,
        assessed_on=assessed_on,
        rationale=rationale,
        institution=institution,
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    attribute_change(assessment, user=by)
    assessment.save()
    if files:
        attribute_change(assessment, user=by, reason="evidence")
        assessment.evidence.add(*files)
    latest = (
        Assessment.objects.filter(recommendation=recommendation, voice=voice)
        .order_by("-assessed_on", "-id")
        .values_list("status", flat=True)
        .first()
    )
    field = VOICE_FIELDS[AssessmentVoice(voice)]
    if latest is not None and getattr(recommendation, field) != latest:
        setattr(recommendation, field, latest)
        attribute_change(recommendation, user=by, reason="assessment")
        recommendation.save(update_fields=[field, "updated_at"])
    return assessment
