"""Publication: what coordinators put on the public portal, and what the portal, its open
data files and its API may then read.

Publishing is a date on the record (``published_at``), set and cleared by the services
below, each in one transaction with its history row, so the audit trail says who put a
record on the portal and who took it off. Every public page, file and endpoint starts
from :func:`published_recommendations` or :func:`published_actions`, so they cannot
disagree about what is public.

Training figures of a published action are shown only if the coordinator asked for them
too (``training_figures_published``), and only as :func:`public_training_figures`
gives them: aggregates with every figure computed from fewer than
:data:`~mizan.reports.suppression.SMALL_CELL` people hidden, complementary cells hidden
too so that none can be recovered by subtraction, and nothing at all when the action's
sessions trained fewer than that many officers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mizan.actions.enums import ActionKind
from mizan.actions.models import Action, Indicator, IndicatorValue
from mizan.audit.history import attribute_change
from mizan.core.errors import Refused
from mizan.recommendations.enums import ImplementationStatus
from mizan.recommendations.models import Recommendation
from mizan.reports import publication_rules
from mizan.reports.suppression import SMALL_CELL, suppress, suppress_table
from mizan.training import analytics


def _check(user: Any) -> None:
    if not user.has_perm(publication_rules.PUBLISH):
        raise Refused(_("Only a coordinator may publish records or withdraw them."))


# --- Publishing and withdrawing ------------------------------------------------------


@transaction.atomic
def publish_recommendations(user: Any, ids: Iterable[int]) -> list[Recommendation]:
    """Put the recommendations ``ids`` on the portal; returns those that were not there
    yet. One already published keeps its date of publication."""
    _check(user)
    now = timezone.now()
    changed = []
    for recommendation in Recommendation.objects.select_for_update().filter(
        pk__in=list(ids), published_at__isnull=True
    ):
        recommendation.published_at = now
        attribute_change(recommendation, user=user, reason=_("Published on the public portal"))
        recommendation.save(update_fields=["published_at", "updated_at"])
        changed.append(recommendation)
    return changed


@transaction.atomic
def withdraw_recommendations(user: Any, ids: Iterable[int]) -> list[Recommendation]:
    """Take the recommendations ``ids`` off the portal; returns those that were on it."""
    _check(user)
    changed = []
    for recommendation in Recommendation.objects.select_for_update().filter(
        pk__in=list(ids), published_at__isnull=False
    ):
        recommendation.published_at = None
        attribute_change(recommendation, user=user, reason=_("Withdrawn from the public portal"))
        recommendation.save(update_fields=["published_at", "updated_at"])
        changed.append(recommendation)
    return changed


@transaction.atomic
def publish_action(user: Any, action: Action, *, with_figures: bool) -> Action:
    """Put ``action`` on the portal, with the aggregated figures of its training sessions
    if ``with_figures`` (a training action only). Publishing again only changes whether
    the figures are shown; the date of publication stays the first one."""
    _check(user)
    action = Action.objects.select_for_update().get(pk=action.pk)
    figures = with_figures and action.kind == ActionKind.TRAINING
    if action.published_at is not None and action.training_figures_published == figures:
        return action
    if action.published_at is None:
        action.published_at = timezone.now()
    action.training_figures_published = figures
    reason = (
        _("Published on the public portal, with its training figures")
        if figures
        else _("Published on the public portal")
    )
    attribute_change(action, user=user, reason=reason)
    action.save(update_fields=["published_at", "training_figures_published", "updated_at"])
    return action


@transaction.atomic
def withdraw_action(user: Any, action: Action) -> Action:
    """Take ``action`` (and its training figures) off the portal."""
    _check(user)
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.published_at is None and not action.training_figures_published:
        return action
    action.published_at = None
    action.training_figures_published = False
    attribute_change(action, user=user, reason=_("Withdrawn from the public portal"))
    action.save(update_fields=["published_at", "training_figures_published", "updated_at"])
    return action


# --- What the public may read ---------------------------------------------------------


def published_recommendations() -> QuerySet[Recommendation]:
    """Published recommendations with what a public list shows, in a fixed number of
    queries: their document and mechanism, texts, and the published actions answering
    them."""
    return (
        Recommendation.objects.filter(published_at__isnull=False)
        .select_related("document__mechanism")
        .prefetch_related(
            "texts",
            Prefetch(
                "actions",
                queryset=Action.objects.filter(published_at__isnull=False).order_by("id"),
                to_attr="published_actions",
            ),
        )
        .order_by("document__mechanism__code", "document__symbol", "id")
    )


@dataclass(frozen=True)
class RecommendationQuery:
    """The filters of the public list, the open data and the API; a value that names
    nothing matches nothing rather than failing."""

    document: int | None = None
    mechanism: str = ""
    status: str = ""
    nhri_status: str = ""

    @classmethod
    def from_params(cls, params: Any) -> RecommendationQuery:
        raw = (params.get("document") or "").strip()
        return cls(
            document=int(raw) if raw.isdigit() and len(raw) < 12 else (-1 if raw else None),
            mechanism=(params.get("mechanism") or "").strip()[:30],
            status=(params.get("status") or "").strip()[:30],
            nhri_status=(params.get("nhri_status") or "").strip()[:30],
        )

    def apply(self, queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
        if self.document is not None:
            queryset = queryset.filter(document_id=self.document)
        if self.mechanism:
            queryset = queryset.filter(document__mechanism__code=self.mechanism)
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.nhri_status:
            queryset = queryset.filter(nhri_status=self.nhri_status)
        return queryset

    @property
    def is_filtered(self) -> bool:
        return bool(self.document is not None or self.mechanism or self.status or self.nhri_status)


STATUS_CHOICES = ImplementationStatus.choices


def published_actions() -> QuerySet[Action]:
    """Published actions with their institutions, the published recommendations they
    answer, and their indicators with their values."""
    return (
        Action.objects.filter(published_at__isnull=False)
        .select_related("lead_institution")
        .prefetch_related(
            "partner_institutions",
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.filter(published_at__isnull=False)
                .select_related("document")
                .order_by("document__symbol", "id"),
                to_attr="published_recommendations",
            ),
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("id").prefetch_related(
                    Prefetch(
                        "values", queryset=IndicatorValue.objects.order_by("-measured_on", "-id")
                    )
                ),
            ),
        )
        .order_by("due_on", "id")
    )


@dataclass(frozen=True)
class PublicIndicator:
    """What the portal tells of an indicator: never who recorded a value, nor its source."""

    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    latest_value: Decimal | None
    measured_on: Any

    @property
    def progress(self) -> Decimal | None:
        """The latest value as a share of the target, in %, when both are known."""
        if self.latest_value is None or not self.target:
            return None
        return (self.latest_value * 100 / self.target).quantize(Decimal("0.1"))


def public_indicators(action: Action) -> list[PublicIndicator]:
    """The indicators of an action from :func:`published_actions` (prefetched)."""
    indicators = []
    for indicator in action.indicators.all():
        values = list(indicator.values.all())
        latest = max(values, key=lambda v: (v.measured_on, v.id)) if values else None
        indicators.append(
            PublicIndicator(
                name=indicator.name,
                unit=indicator.unit,
                baseline=indicator.baseline,
                target=indicator.target,
                latest_value=latest.value if latest else None,
                measured_on=latest.measured_on if latest else None,
            )
        )
    return indicators


# --- Training figures, suppressed ------------------------------------------------------


@dataclass(frozen=True)
class PublicGroup:
    """One group of a breakdown; ``trained`` and the rate are ``None`` when hidden."""

    key: str
    label: str
    trained: int | None
    completion_rate: Decimal | None
    suppressed: bool


@dataclass(frozen=True)
class PublicBreakdown:
    code: str
    title: str
    groups: list[PublicGroup]

    @property
    def hidden_groups(self) -> int:
        return sum(1 for group in self.groups if group.suppressed)


@dataclass(frozen=True)
class PublicScore:
    label: str
    mean: Decimal | None


@dataclass(frozen=True)
class PublicFigures:
    """The training figures of one action as the public may read them. When fewer than
    ``SMALL_CELL`` officers were trained, ``shown`` is false and every figure is ``None``
    (the number of officers too)."""

    shown: bool
    sessions: int = 0
    trained: int | None = None
    completed: int | None = None
    completion_rate: Decimal | None = None
    breakdowns: list[PublicBreakdown] = field(default_factory=list)
    mean_pre: Decimal | None = None
    mean_post: Decimal | None = None
    mean_gain: Decimal | None = None
    mean_normalised_gain: Decimal | None = None
    learning_suppressed: bool = True
    reaction: list[PublicScore] = field(default_factory=list)
    reaction_suppressed: bool = True


def _public_breakdown(
    code: str, title: Any, rows: list[analytics.BreakdownRow], threshold: int
) -> PublicBreakdown:
    """The groups' officers trained, small ones hidden with their complements; a group's
    completion rate is hidden too when those who completed, or those who did not, are
    too few (with complements across the groups, as a two-way table), since the rate
    next to the number trained gives both counts."""
    counts = {row.key: row.trained or 0 for row in rows}
    hidden = suppress(counts, threshold=threshold)
    outcomes = suppress_table(
        {
            (row.key, outcome): count
            for row in rows
            for outcome, count in (
                ("completed", row.completed or 0),
                ("not_completed", (row.trained or 0) - (row.completed or 0)),
            )
        },
        threshold=threshold,
    )
    groups = []
    for row in rows:
        if hidden.shows(row.key):
            rate_shown = outcomes.shows((row.key, "completed")) and outcomes.shows(
                (row.key, "not_completed")
            )
            groups.append(
                PublicGroup(
                    row.key,
                    row.label,
                    row.trained,
                    row.completion_rate if rate_shown else None,
                    suppressed=False,
                )
            )
        else:
            groups.append(PublicGroup(row.key, row.label, None, None, suppressed=True))
    return PublicBreakdown(code=code, title=str(title), groups=groups)


def public_training_figures(action: Action, *, threshold: int = SMALL_CELL) -> PublicFigures:
    """The aggregated figures of the action's sessions (not cancelled) for the public:
    officers trained and completed (the completion hidden when those who completed, or
    those who did not, are too few), breakdowns by sex, region, institution and rank,
    mean knowledge gain of the paired tests and the means of the end-of-course
    evaluations. Five queries at most."""
    sessions = analytics.sessions_of_action(action)
    trained = analytics.participation(sessions)
    if trained.trained < threshold:
        return PublicFigures(shown=False)
    learned = analytics.knowledge_gain(sessions)
    learning_shown = learned.pairs >= threshold
    final = analytics.reaction(sessions).final
    reaction_shown = final.responses >= threshold
    # Those who completed and those who did not are a breakdown of the officers trained.
    completed = trained.completed or 0
    outcome = suppress(
        {"completed": completed, "not_completed": trained.trained - completed},
        threshold=threshold,
    )
    completion_shown = outcome.shows("completed") and outcome.shows("not_completed")
    return PublicFigures(
        shown=True,
        sessions=sessions.count(),
        trained=trained.trained,
        completed=trained.completed if completion_shown else None,
        completion_rate=trained.completion_rate if completion_shown else None,
        breakdowns=[
            _public_breakdown(code, title, rows, threshold)
            for code, title, rows in trained.breakdowns()
        ],
        mean_pre=learned.mean_pre if learning_shown else None,
        mean_post=learned.mean_post if learning_shown else None,
        mean_gain=learned.mean_gain if learning_shown else None,
        mean_normalised_gain=learned.mean_normalised_gain if learning_shown else None,
        learning_suppressed=not learning_shown,
        reaction=[
            PublicScore(score.label, score.mean if reaction_shown else None)
            for score in final.scores
        ],
        reaction_suppressed=not reaction_shown,
    )


def figures_of(action: Action) -> PublicFigures | None:
    """The public figures of a published action, or ``None`` when the coordinator did
    not publish them (or it is not a training action)."""
    if (
        action.published_at is None
        or not action.training_figures_published
        or action.kind != ActionKind.TRAINING
    ):
        return None
    return public_training_figures(action)


# --- Records as the open data and the API give them ----------------------------------


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _decimal(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def recommendation_record(recommendation: Recommendation) -> dict[str, Any]:
    """A published recommendation (from :func:`published_recommendations`) as plain
    data: its text in every language and in the active one, both assessments (the
    statuses, not the rationales, which are working notes) and the published actions
    answering it."""
    document = recommendation.document
    texts = {text.language: text.text for text in recommendation.texts.all()}
    shown = recommendation.text_in()
    return {
        "id": recommendation.pk,
        "mechanism": document.mechanism.code,
        "mechanism_name": document.mechanism.name,
        "document": document.symbol,
        "document_id": document.pk,
        "document_date": _iso(document.date),
        "state_under_review": document.state_under_review,
        "paragraph": recommendation.paragraph,
        "recommending_state": recommendation.recommending_state,
        "position": recommendation.position,
        "status": recommendation.status,
        "status_label": str(recommendation.get_status_display()),
        "nhri_status": recommendation.nhri_status,
        "nhri_status_label": str(recommendation.get_nhri_status_display())
        if recommendation.nhri_status
        else "",
        "text": shown.text if shown else "",
        "text_language": shown.language if shown else "",
        "texts": texts,
        "actions": [action.pk for action in getattr(recommendation, "published_actions", [])],
        "published_at": _iso(recommendation.published_at),
    }


def action_record(action: Action) -> dict[str, Any]:
    """A published action (from :func:`published_actions`) as plain data: no description,
    no reason for cancelling, no evidence, nobody's name."""
    return {
        "id": action.pk,
        "title": action.title,
        "kind": action.kind,
        "kind_label": str(action.get_kind_display()),
        "status": action.status,
        "status_label": str(action.get_status_display()),
        "lead_institution": action.lead_institution.name,
        "partner_institutions": [
            institution.name for institution in action.partner_institutions.all()
        ],
        "starts_on": _iso(action.starts_on),
        "due_on": _iso(action.due_on),
        "recommendations": [
            recommendation.pk for recommendation in getattr(action, "published_recommendations", [])
        ],
        "indicators": [
            {
                "name": indicator.name,
                "unit": indicator.unit,
                "baseline": _decimal(indicator.baseline),
                "target": _decimal(indicator.target),
                "latest_value": _decimal(indicator.latest_value),
                "measured_on": _iso(indicator.measured_on),
            }
            for indicator in public_indicators(action)
        ],
        "training_figures_published": action.training_figures_published,
        "published_at": _iso(action.published_at),
    }


def figures_record(action: Action, figures: PublicFigures) -> dict[str, Any]:
    """An action's public training figures as plain data; a hidden figure is ``None``
    and its ``suppressed`` flag is true."""
    return {
        "action_id": action.pk,
        "action_title": action.title,
        "suppressed": not figures.shown,
        "sessions": figures.sessions if figures.shown else None,
        "officers_trained": figures.trained,
        "officers_completed": figures.completed,
        "completion_rate": _decimal(figures.completion_rate),
        "mean_pre_test": _decimal(figures.mean_pre),
        "mean_post_test": _decimal(figures.mean_post),
        "mean_knowledge_gain": _decimal(figures.mean_gain),
        "mean_normalised_gain": _decimal(figures.mean_normalised_gain),
        "knowledge_gain_suppressed": figures.learning_suppressed,
        "reaction": [
            {"question": score.label, "mean": _decimal(score.mean)} for score in figures.reaction
        ],
        "reaction_suppressed": figures.reaction_suppressed,
        "breakdowns": [
            {
                "breakdown": breakdown.code,
                "title": breakdown.title,
                "groups": [
                    {
                        "group": group.label,
                        "officers_trained": group.trained,
                        "completion_rate": _decimal(group.completion_rate),
                        "suppressed": group.suppressed,
                    }
                    for group in breakdown.groups
                ],
            }
            for breakdown in figures.breakdowns
        ],
    }


def published_figures() -> list[tuple[Action, PublicFigures]]:
    """Every published action whose training figures are published, with them."""
    actions = Action.objects.filter(
        published_at__isnull=False,
        training_figures_published=True,
        kind=ActionKind.TRAINING,
    ).order_by("due_on", "id")
    return [(action, public_training_figures(action)) for action in actions]


def figure_rows(action: Action, figures: PublicFigures) -> list[dict[str, Any]]:
    """The figures as flat rows for a CSV: one for all the officers, one per group."""
    rows = [
        {
            "action_id": action.pk,
            "action_title": action.title,
            "breakdown": "all",
            "group": "",
            "officers_trained": figures.trained,
            "completion_rate": _decimal(figures.completion_rate),
            "suppressed": not figures.shown,
        }
    ]
    for breakdown in figures.breakdowns:
        for group in breakdown.groups:
            rows.append(
                {
                    "action_id": action.pk,
                    "action_title": action.title,
                    "breakdown": breakdown.code,
                    "group": group.label,
                    "officers_trained": group.trained,
                    "completion_rate": _decimal(group.completion_rate),
                    "suppressed": group.suppressed,
                }
            )
    return rows
