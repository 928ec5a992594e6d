"""The follow-up report to the UN on one document: for each recommendation its text, the
state's and the NHRI's latest assessments, the institutions responsible and the actions
taken, with their progress, indicators, evidence and, for training actions, what the
training achieved; and a summary with charts.

The report is read side only and published (it goes to a treaty body or the Human Rights
Council), so its training figures are aggregates with small cells hidden
(:mod:`mizan.reports.suppression`) and it never names a participant. It is built in a
fixed number of queries plus a fixed number per training action, whatever the number of
recommendations: an action answering many recommendations is computed once and shared.

:func:`follow_up_report` builds it in one language; ``mizan.reports.followup_writers``
writes it as PDF, DOCX or XLSX.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mizan.actions.enums import ActionKind, ActionStatus, ProgressReportStatus
from mizan.actions.models import Action, Indicator, IndicatorValue, ProgressReport
from mizan.core.errors import MizanError
from mizan.core.languages import INTERFACE_LANGUAGES, Written, written
from mizan.recommendations.enums import AssessmentVoice, AssignmentRole, ImplementationStatus
from mizan.recommendations.models import Assessment, Assignment, Recommendation, SourceDocument
from mizan.reports.charts import Bar, Chart
from mizan.reports.suppression import SMALL_CELL, suppress
from mizan.training import analytics
from mizan.training.enums import SessionStatus, Sex
from mizan.training.models import TrainingSession

#: ``progress(done, total, step)``: told as the report is built, for a progress bar.
Progress = Callable[[int, int, str], None]

LANGUAGE_NAMES = {
    "ar": "العربية",
    "fr": "Français",
    "en": "English",
    "es": "Español",
    "ru": "Русский",
    "zh": "中文",
}


@dataclass(frozen=True)
class Evidence:
    """A piece of evidence as the report names it: its description and its file's name,
    never its content."""

    title: Written
    filename: Written


@dataclass(frozen=True)
class AssessmentEntry:
    """The latest assessment of one voice; ``assessed_on`` is ``None`` when the status
    was never recorded as a dated assessment (a recommendation just imported)."""

    voice: str
    status: str
    status_label: str
    assessed_on: date | None
    comment: Written
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def assessed(self) -> bool:
        return bool(self.status)


@dataclass(frozen=True)
class IndicatorEntry:
    name: Written
    unit: Written
    baseline: Decimal | None
    target: Decimal | None
    latest: Decimal | None
    measured_on: date | None


@dataclass(frozen=True)
class TrainingFigures:
    """What the sessions of a training action (or of all of them) achieved, with every
    figure computed from fewer than :data:`SMALL_CELL` people hidden (``None``)."""

    sessions: int
    trained: int | None
    women: int | None
    men: int | None
    women_share: Decimal | None
    completed: int | None
    completion_rate: Decimal | None
    pairs: int | None
    mean_pre: Decimal | None
    mean_post: Decimal | None
    mean_gain: Decimal | None
    #: Some figure is hidden because too few people are behind it.
    small_cells_hidden: bool


@dataclass(frozen=True)
class ActionEntry:
    number: int
    pk: int
    title: Written
    description: Written
    kind: str
    kind_label: str
    status: str
    status_label: str
    lead_institution: Written
    starts_on: date | None
    due_on: date | None
    #: The last approved progress report: its period and what was done.
    progress_period: tuple[date, date] | None
    progress_text: Written | None
    indicators: list[IndicatorEntry]
    evidence: list[Evidence]
    training: TrainingFigures | None
    paragraphs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RecommendationEntry:
    pk: int
    paragraph: str
    recommending_state: Written
    position: str
    text: Written
    text_language: str
    #: Said under the text when it is a translation, or not in the report's language.
    text_note: str
    state: AssessmentEntry
    nhri: AssessmentEntry
    institutions: list[tuple[Written, str]]
    actions: list[ActionEntry]


@dataclass(frozen=True)
class Summary:
    recommendations: int
    by_state: list[tuple[str, str, int]]
    by_nhri: list[tuple[str, str, int]]
    actions: int
    actions_by_status: list[tuple[str, str, int]]
    training: TrainingFigures | None
    charts: list[Chart]


@dataclass(frozen=True)
class FollowUpReport:
    document: SourceDocument
    mechanism_name: str
    language: str
    written_on: date
    summary: Summary
    recommendations: list[RecommendationEntry]
    actions: list[ActionEntry]

    @property
    def title(self) -> str:
        with translation.override(self.language):
            return _("Follow-up report on %(symbol)s") % {"symbol": self.document.symbol}


# --- Training figures ------------------------------------------------------------------


def training_figures(sessions: Any) -> TrainingFigures:
    """Officers trained (by sex), completion and knowledge gain of ``sessions``, small
    cells hidden: four queries."""
    session_count = sessions.count()
    by_sex = analytics.officers_trained_by_sex(sessions)
    trained, completed = analytics.completion(sessions)
    gain = analytics.knowledge_gain(sessions)
    women, men = by_sex.get(Sex.FEMALE, 0), by_sex.get(Sex.MALE, 0)
    sexes = suppress({Sex.FEMALE: women, Sex.MALE: men})
    done = suppress({"completed": completed, "not_completed": trained - completed})
    trained_shown = not sexes.total_hidden
    gain_shown = gain.pairs >= SMALL_CELL
    hidden = (
        bool(sexes.hidden)
        or sexes.total_hidden
        or not done.shows("completed")
        or (0 < gain.pairs < SMALL_CELL)
    )
    return TrainingFigures(
        sessions=session_count,
        trained=trained if trained_shown else None,
        women=women if sexes.shows(Sex.FEMALE) else None,
        men=men if sexes.shows(Sex.MALE) else None,
        women_share=analytics.share(women, trained) if sexes.shows(Sex.FEMALE) else None,
        completed=completed if done.shows("completed") else None,
        completion_rate=analytics.share(completed, trained) if done.shows("completed") else None,
        pairs=gain.pairs if gain_shown else None,
        mean_pre=gain.mean_pre if gain_shown else None,
        mean_post=gain.mean_post if gain_shown else None,
        mean_gain=gain.mean_gain if gain_shown else None,
        small_cells_hidden=hidden,
    )


# --- Reading the document ----------------------------------------------------------------


def _evidence(file: Any) -> Evidence:
    return Evidence(title=written(file.description or file.name), filename=written(file.name))


def _latest_assessments(
    recommendations: Sequence[Recommendation],
) -> dict[tuple[int, str], AssessmentEntry]:
    """The latest assessment of each recommendation by each voice, with its evidence:
    two queries."""
    ids = [recommendation.pk for recommendation in recommendations]
    latest: dict[tuple[int, str], Assessment] = {}
    for assessment in Assessment.objects.filter(recommendation_id__in=ids).order_by(
        "recommendation_id", "voice", "-assessed_on", "-id"
    ):
        latest.setdefault((assessment.recommendation_id, assessment.voice), assessment)
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    through = Assessment.evidence.through
    for row in (
        through.objects.filter(assessment_id__in=[a.pk for a in latest.values()])
        .select_related("evidencefile")
        .order_by("evidencefile__name", "pk")
    ):
        evidence[row.assessment_id].append(_evidence(row.evidencefile))
    return {
        key: AssessmentEntry(
            voice=assessment.voice,
            status=assessment.status,
            status_label=str(ImplementationStatus(assessment.status).label),
            assessed_on=assessment.assessed_on,
            comment=written(assessment.rationale),
            evidence=evidence.get(assessment.pk, []),
        )
        for key, assessment in latest.items()
    }


def _assessment(
    recommendation: Recommendation,
    voice: str,
    latest: dict[tuple[int, str], AssessmentEntry],
) -> AssessmentEntry:
    found = latest.get((recommendation.pk, voice))
    if found is not None:
        return found
    # No dated assessment: the status copied on the recommendation (an import's), if any.
    status = recommendation.status if voice == AssessmentVoice.STATE else recommendation.nhri_status
    return AssessmentEntry(
        voice=voice,
        status=status,
        status_label=str(ImplementationStatus(status).label) if status else _("Not assessed yet"),
        assessed_on=None,
        comment=written(""),
    )


def _actions(
    document: SourceDocument, progress: Progress, steps: int
) -> tuple[dict[int, list[ActionEntry]], list[ActionEntry]]:
    """The actions answering the document's recommendations, each built once, and which
    recommendation each answers: six queries, and four per training action."""
    links = list(
        Action.recommendations.through.objects.filter(recommendation__document=document)
        .order_by("recommendation_id", "action_id")
        .values_list("recommendation_id", "action_id")
    )
    action_ids = sorted({action_id for _recommendation, action_id in links})
    actions = list(
        Action.objects.filter(pk__in=action_ids)
        .select_related("lead_institution")
        .order_by("due_on", "id")
    )
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for action_file in (
        Action.evidence.through.objects.filter(action_id__in=action_ids)
        .select_related("evidencefile")
        .order_by("evidencefile__name", "pk")
    ):
        evidence[action_file.action_id].append(_evidence(action_file.evidencefile))
    last_report: dict[int, ProgressReport] = {}
    for approved in ProgressReport.objects.filter(
        action_id__in=action_ids, status=ProgressReportStatus.APPROVED
    ).order_by("action_id", "-period_end", "-id"):
        last_report.setdefault(approved.action_id, approved)
    for report_file in (
        ProgressReport.evidence.through.objects.filter(
            progressreport_id__in=[report.pk for report in last_report.values()]
        )
        .select_related("evidencefile", "progressreport")
        .order_by("evidencefile__name", "pk")
    ):
        evidence[report_file.progressreport.action_id].append(_evidence(report_file.evidencefile))
    latest_values = IndicatorValue.objects.filter(indicator=OuterRef("pk")).order_by(
        "-measured_on", "-id"
    )
    indicators: dict[int, list[IndicatorEntry]] = defaultdict(list)
    for indicator in (
        Indicator.objects.filter(action_id__in=action_ids)
        .annotate(
            latest=Subquery(latest_values.values("value")[:1]),
            measured_on=Subquery(latest_values.values("measured_on")[:1]),
        )
        .order_by("action_id", "id")
    ):
        indicators[indicator.action_id].append(
            IndicatorEntry(
                name=written(indicator.name),
                unit=written(indicator.unit),
                baseline=indicator.baseline,
                target=indicator.target,
                latest=indicator.latest,
                measured_on=indicator.measured_on,
            )
        )

    done = 1
    entries: dict[int, ActionEntry] = {}
    for number, action in enumerate(actions, start=1):
        training = None
        if action.kind == ActionKind.TRAINING:
            progress(done, steps, _("Training figures of “%(action)s”") % {"action": action.title})
            training = training_figures(analytics.sessions_of_action(action))
            done += 1
        report = last_report.get(action.pk)
        entries[action.pk] = ActionEntry(
            number=number,
            pk=action.pk,
            title=written(action.title),
            description=written(action.description),
            kind=action.kind,
            kind_label=str(ActionKind(action.kind).label),
            status=action.status,
            status_label=str(ActionStatus(action.status).label),
            lead_institution=written(action.lead_institution.name),
            starts_on=action.starts_on,
            due_on=action.due_on,
            progress_period=(report.period_start, report.period_end) if report else None,
            progress_text=written(report.summary) if report else None,
            indicators=indicators.get(action.pk, []),
            evidence=evidence.get(action.pk, []),
            training=training,
        )
    by_recommendation: dict[int, list[ActionEntry]] = defaultdict(list)
    for recommendation_id, action_id in links:
        by_recommendation[recommendation_id].append(entries[action_id])
    for answered in by_recommendation.values():
        answered.sort(key=lambda entry: entry.number)
    return by_recommendation, [entries[action.pk] for action in actions]


def _text(recommendation: Recommendation, language: str) -> tuple[Written, str, str]:
    """The text in the report's language if there is one, with a note when it is a
    translation or in another language."""
    text = recommendation.text_in(language)
    if text is None:
        return written(""), "", _("No text recorded.")
    original = next((t for t in recommendation.texts.all() if t.is_original), None)
    note = ""
    if text.language != language:
        note = _("No text in the language of this report: the text in %(language)s.") % {
            "language": LANGUAGE_NAMES.get(text.language, text.language)
        }
    elif not text.is_original and original is not None:
        note = _("Translation; the original text is in %(language)s.") % {
            "language": LANGUAGE_NAMES.get(original.language, original.language)
        }
    return written(text.text), text.language, note


def _counts(
    values: Sequence[str], choices: Sequence[tuple[str, Any]]
) -> list[tuple[str, str, int]]:
    counted: dict[str, int] = defaultdict(int)
    for value in values:
        counted[value] += 1
    return [(value, str(label), counted.get(value, 0)) for value, label in choices]


def _charts(summary_counts: dict[str, Any], actions: list[ActionEntry]) -> list[Chart]:
    unit = _("Recommendations")
    charts = [
        Chart(
            title=_("Recommendations by the state's assessment"),
            dimension=_("Implementation status"),
            series=[unit],
            bars=[Bar(label, [count]) for _value, label, count in summary_counts["by_state"]],
            identifier="chart-state",
        ),
        Chart(
            title=_("Recommendations by the NHRI's independent assessment"),
            dimension=_("Implementation status"),
            series=[unit],
            bars=[Bar(label, [count]) for _value, label, count in summary_counts["by_nhri"]],
            identifier="chart-nhri",
        ),
        Chart(
            title=_("Actions by status"),
            dimension=_("Status"),
            series=[_("Actions")],
            bars=[
                Bar(label, [count]) for _value, label, count in summary_counts["actions_by_status"]
            ],
            identifier="chart-actions",
        ),
    ]
    training: TrainingFigures | None = summary_counts["training"]
    hidden_note = _("fewer than %(number)s people") % {"number": SMALL_CELL}
    caption = _("Figures computed from fewer than %(number)s people are not shown.") % {
        "number": SMALL_CELL
    }
    if training is not None:
        charts.append(
            Chart(
                title=_("Officers trained, by sex"),
                dimension=_("Sex"),
                series=[_("Officers trained")],
                bars=[
                    Bar(
                        str(Sex.FEMALE.label),
                        [training.women],
                        note="" if training.women is not None else hidden_note,
                    ),
                    Bar(
                        str(Sex.MALE.label),
                        [training.men],
                        note="" if training.men is not None else hidden_note,
                    ),
                ],
                caption=caption,
                identifier="chart-sex",
            )
        )
        trained_by_action = [entry for entry in actions if entry.training is not None]
        if trained_by_action:
            charts.append(
                Chart(
                    title=_("Officers trained, by training action"),
                    dimension=_("Action"),
                    series=[_("Officers trained")],
                    bars=[
                        Bar(
                            str(entry.title),
                            [entry.training.trained if entry.training else None],
                            note=(
                                hidden_note
                                if entry.training and entry.training.trained is None
                                else ""
                            ),
                        )
                        for entry in trained_by_action
                    ],
                    caption=caption,
                    identifier="chart-training-actions",
                )
            )
    return charts


def follow_up_report(
    document: SourceDocument, *, language: str, progress: Progress | None = None
) -> FollowUpReport:
    """The follow-up report on ``document`` in ``language`` (an interface language)."""
    if language not in INTERFACE_LANGUAGES:
        raise MizanError(
            _("Choose one of these languages: %(languages)s.")
            % {"languages": ", ".join(INTERFACE_LANGUAGES)},
            field="language",
        )
    tell: Progress = progress or (lambda done, total, step: None)
    with translation.override(language):
        document = SourceDocument.objects.select_related("mechanism").get(pk=document.pk)
        training_actions = (
            Action.objects.filter(recommendations__document=document, kind=ActionKind.TRAINING)
            .distinct()
            .count()
        )
        # One step to read, one per training action, one for the summary.
        steps = training_actions + 2
        tell(0, steps, _("Reading the recommendations"))
        recommendations = list(
            Recommendation.objects.filter(document=document)
            .prefetch_related("texts")
            .order_by("id")
        )
        latest = _latest_assessments(recommendations)
        institutions: dict[int, list[tuple[Written, str]]] = defaultdict(list)
        for assignment in (
            Assignment.objects.filter(recommendation__document=document)
            .select_related("institution")
            .order_by("recommendation_id", "id")
        ):
            institutions[assignment.recommendation_id].append(
                (written(assignment.institution.name), assignment.role)
            )
        for names in institutions.values():
            names.sort(key=lambda pair: pair[1] != AssignmentRole.LEAD)
        by_recommendation, actions = _actions(document, tell, steps)

        tell(steps - 1, steps, _("Summing up"))
        entries = []
        for recommendation in recommendations:
            text, text_language, note = _text(recommendation, language)
            answered = by_recommendation.get(recommendation.pk, [])
            for action in answered:
                action.paragraphs.append(recommendation.paragraph)
            entries.append(
                RecommendationEntry(
                    pk=recommendation.pk,
                    paragraph=recommendation.paragraph,
                    recommending_state=written(recommendation.recommending_state),
                    position=recommendation.get_position_display()
                    if recommendation.position
                    else "",
                    text=text,
                    text_language=text_language,
                    text_note=note,
                    state=_assessment(recommendation, AssessmentVoice.STATE, latest),
                    nhri=_assessment(recommendation, AssessmentVoice.NHRI, latest),
                    institutions=[
                        (name, str(AssignmentRole(role).label))
                        for name, role in institutions.get(recommendation.pk, [])
                    ],
                    actions=answered,
                )
            )
        training_ids = [entry.pk for entry in actions if entry.kind == ActionKind.TRAINING]
        overall = (
            training_figures(
                TrainingSession.objects.filter(action_id__in=training_ids).exclude(
                    status=SessionStatus.CANCELLED
                )
            )
            if training_ids
            else None
        )
        counts: dict[str, Any] = {
            "by_state": _counts(
                [entry.state.status for entry in entries], ImplementationStatus.choices
            ),
            "by_nhri": [
                *_counts([entry.nhri.status for entry in entries], ImplementationStatus.choices),
                ("", _("Not assessed yet"), sum(1 for entry in entries if not entry.nhri.status)),
            ],
            "actions_by_status": _counts([entry.status for entry in actions], ActionStatus.choices),
            "training": overall,
        }
        summary = Summary(
            recommendations=len(entries),
            by_state=counts["by_state"],
            by_nhri=counts["by_nhri"],
            actions=len(actions),
            actions_by_status=counts["actions_by_status"],
            training=overall,
            charts=_charts(counts, actions),
        )
        tell(steps, steps, _("The report is ready to be written"))
        return FollowUpReport(
            document=document,
            mechanism_name=document.mechanism.name,
            language=language,
            written_on=timezone.localdate(),
            summary=summary,
            recommendations=entries,
            actions=actions,
        )
