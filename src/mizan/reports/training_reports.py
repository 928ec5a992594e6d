"""Reports on one training session and on one curriculum version, as PDF, DOCX or XLSX.

Each report is first read into a data object (:func:`session_report`,
:func:`version_report`) made of :class:`Section` s, each with its facts, charts and
tables, in the report's language; the three writers then lay out the same sections, so
a PDF, a Word file and a spreadsheet of one report never disagree.

Both hold aggregates only: no participant's name, e-mail or service number, and no
suggestion's author (authors may be anonymous, or reviewed blind). The session report is
for the session's organisers and trainers, so it hides no small cell and lists the
evaluation comments. The version report circulates more widely (every member may read
a version): its breakdowns hide small cells with :mod:`mizan.reports.suppression`, and
its means hide when computed from fewer than ``SMALL_CELL`` people.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mizan.core.errors import MizanError
from mizan.core.languages import INTERFACE_LANGUAGES, Written, text_direction, written
from mizan.reports import documents
from mizan.reports.charts import Bar, Chart
from mizan.reports.documents import ReportFile
from mizan.reports.enums import ReportFormat
from mizan.reports.suppression import SMALL_CELL, suppress
from mizan.reports.training_figures import hide_small_objectives
from mizan.suggestions.models import Suggestion, SuggestionDecision
from mizan.suggestions.traceability import for_version
from mizan.training import analytics
from mizan.training.enums import (
    AttendanceStatus,
    EnrolmentStatus,
    EvaluationKind,
    SessionStatus,
    Sex,
    TestStage,
)
from mizan.training.models import (
    Attendance,
    Certificate,
    CurriculumVersion,
    Evaluation,
    TestAttempt,
    TrainingSession,
)

SESSION_TEMPLATE = "reports/session_report.html"
VERSION_TEMPLATE = "reports/version_report.html"
#: How much of a suggestion's text a report quotes.
SHORT_TEXT = 300


# --- What a report is made of -------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A value as a page or a Word table shows it: localised text, its direction, and
    whether it is a number (aligned to the end)."""

    text: str
    dir: str
    numeric: bool = False

    def __str__(self) -> str:
        return self.text


def shown(value: Any) -> Cell:
    """``value`` in the active language: numbers and dates localised, ``None`` as a dash,
    typed text in its own direction."""
    default = "rtl" if translation.get_language_bidi() else "ltr"
    if value is None:
        return Cell("—", default, numeric=True)
    if isinstance(value, bool):
        return Cell(_("Yes") if value else _("No"), default)
    if isinstance(value, int | float | Decimal):
        return Cell(number_format(value, use_l10n=True, force_grouping=True), "ltr", numeric=True)
    if isinstance(value, date):
        return Cell(date_format(value, "DATE_FORMAT"), default)
    if isinstance(value, Written):
        return Cell(value.text, value.dir)
    text = written(value, default=default)
    return Cell(text.text, text.dir)


@dataclass(frozen=True)
class Table:
    title: str
    header: Sequence[str]
    #: Raw values (numbers, dates, text): the spreadsheet keeps numbers as numbers.
    rows: Sequence[Sequence[Any]]
    note: str = ""
    empty: str = ""

    def shown_rows(self) -> list[list[Cell]]:
        return [[shown(value) for value in row] for row in self.rows]


@dataclass(frozen=True)
class Fact:
    label: str
    value: Any

    @property
    def shown(self) -> Cell:
        return shown(self.value)


@dataclass(frozen=True)
class Section:
    title: str
    facts: Sequence[Fact] = ()
    charts: Sequence[Chart] = ()
    tables: Sequence[Table] = ()
    note: str = ""


@dataclass(frozen=True)
class Report:
    """What a report says, whatever it is written as."""

    kind: str  # "Report on a training session"
    title: Written
    subtitle: Written
    language: str
    facts: Sequence[Fact]
    sections: Sequence[Section]
    written_on: date
    filename_stem: str
    footer: str = ""

    @property
    def direction(self) -> str:
        return text_direction(self.language)


def _check_language(language: str) -> None:
    if language not in INTERFACE_LANGUAGES:
        raise MizanError(
            _("Choose one of these languages: %(languages)s.")
            % {"languages": ", ".join(INTERFACE_LANGUAGES)},
            field="language",
        )


def _check_format(format: str) -> ReportFormat:
    try:
        return ReportFormat(format)
    except ValueError:
        raise MizanError(
            _("Choose one of these formats: %(formats)s.")
            % {"formats": ", ".join(ReportFormat.values)},
            field="format",
        ) from None


def short_text(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1].rstrip() + "…"


def _mean_label(label: str) -> str:
    return capfirst(label)


# --- Suggestions, without their authors ---------------------------------------------


def _outcome(decision: SuggestionDecision) -> str:
    outcome = str(decision.get_outcome_display())
    if decision.merged_into_id is not None and decision.merged_into is not None:
        return _("%(outcome)s: %(reference)s") % {
            "outcome": outcome,
            "reference": decision.merged_into.reference,
        }
    return outcome


def _suggestion_rows(
    suggestions: Sequence[Suggestion], decisions: Sequence[SuggestionDecision]
) -> list[list[Any]]:
    """Reference, text, category, status and released outcome of each suggestion: never
    who wrote it."""
    released: dict[int, list[SuggestionDecision]] = {}
    for decision in decisions:
        if decision.released_at is not None:
            released.setdefault(decision.suggestion_id, []).append(decision)
    rows = []
    for suggestion in suggestions:
        outcomes = "; ".join(_outcome(d) for d in released.get(suggestion.pk, []))
        rows.append(
            [
                suggestion.reference,
                written(short_text(suggestion.text)),
                str(suggestion.get_category_display()),
                str(suggestion.get_status_display()),
                outcomes or None,
            ]
        )
    return rows


def _suggestion_header() -> list[str]:
    return [
        _("Reference"),
        _("Suggestion"),
        _("Category"),
        _("Status"),
        _("Decision of the committee"),
    ]


# --- The session report -------------------------------------------------------------


@dataclass(frozen=True)
class SlotAttendance:
    day: date
    part: str
    present: int
    late: int
    excused: int
    absent: int
    not_recorded: int
    approved: int

    @property
    def attended(self) -> int:
        return self.present + self.late

    @property
    def rate(self) -> Decimal | None:
        return analytics.share(self.attended, self.approved)


def slot_attendance(session: TrainingSession, approved: int) -> list[SlotAttendance]:
    """The ``approved`` officers present, late, excused, absent or not recorded at each
    half-day: two queries."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Attendance.objects.filter(slot__session=session, enrolment__status=EnrolmentStatus.APPROVED)
        .order_by()
        .values("slot_id", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts.setdefault(row["slot_id"], {})[row["status"]] = row["n"]
    slots = []
    for slot in session.slots.order_by("date", "part"):
        seen = counts.get(slot.pk, {})
        recorded = sum(seen.values())
        slots.append(
            SlotAttendance(
                day=slot.date,
                part=str(slot.get_part_display()),
                present=seen.get(AttendanceStatus.PRESENT, 0),
                late=seen.get(AttendanceStatus.LATE, 0),
                excused=seen.get(AttendanceStatus.EXCUSED, 0),
                absent=seen.get(AttendanceStatus.ABSENT, 0),
                not_recorded=max(0, approved - recorded),
                approved=approved,
            )
        )
    return slots


def post_test_passes(session: TrainingSession) -> tuple[int, int]:
    """(submitted post-tests with a score, those at or above the session's threshold)
    of approved officers: one query."""
    counts = TestAttempt.objects.filter(
        enrolment__session=session,
        enrolment__status=EnrolmentStatus.APPROVED,
        stage=TestStage.POST,
        submitted_at__isnull=False,
        score_percent__isnull=False,
    ).aggregate(
        taken=Count("pk"),
        passed=Count("pk", filter=Q(score_percent__gte=session.min_post_test_percent)),
    )
    return counts["taken"], counts["passed"]


def _participation_section(participation: analytics.Participation, note: str = "") -> Section:
    # Women and men as the breakdown by sex gives them: hidden with its cells.
    by_sex = {row.key: row for row in participation.by_sex}
    women, men = (by_sex[sex].trained if sex in by_sex else 0 for sex in (Sex.FEMALE, Sex.MALE))
    header = [
        pgettext("breakdown table", "Group"),
        _("Officers trained"),
        _("Completed"),
        _("Completion rate (%)"),
    ]
    tables = [
        Table(
            title=str(title),
            header=header,
            rows=[[row.label, row.trained, row.completed, row.completion_rate] for row in rows],
            empty=_("No officer trained yet."),
        )
        for _code, title, rows in participation.breakdowns()
    ]
    return Section(
        title=_("Officers trained"),
        facts=[
            Fact(_("officers trained (attended at least one half-day)"), participation.trained),
            Fact(_("completed the course"), participation.completed),
            Fact(_("completion rate (%)"), participation.completion_rate),
            Fact(_("Women"), women),
            Fact(_("Men"), men),
            Fact(
                _("women among the officers trained (%)"),
                None if women is None else participation.women_share,
            ),
        ],
        tables=tables,
        note=note,
    )


def _learning_section(
    learning: analytics.Learning, facts: Sequence[Fact] = (), note: str = ""
) -> Section:
    chart = Chart(
        title=_("Mean score before and after the course"),
        dimension=_("Test"),
        series=[_("Mean score (%)")],
        bars=[
            Bar(_("Pre-test"), [learning.mean_pre]),
            Bar(_("Post-test"), [learning.mean_post]),
        ],
        unit="%",
        maximum=100,
        decimals=1,
    )
    objectives = Table(
        title=_("Correct answers per learning objective, before and after"),
        header=[
            _("Learning objective"),
            _("Module"),
            _("Correct before (%)"),
            _("Correct after (%)"),
            _("Gain (points)"),
            _("Normalised gain (%)"),
        ],
        rows=[
            [
                written(f"{objective.code} {objective.text}"),
                written(objective.module),
                objective.pre_correct,
                objective.post_correct,
                objective.gain,
                objective.normalised_gain,
            ]
            for objective in learning.objectives
        ],
        empty=_("No marked answers of paired tests yet."),
    )
    return Section(
        title=_("Learning: pre- and post-tests"),
        facts=[
            Fact(_("Officers with both tests"), learning.pairs),
            Fact(_("Mean pre-test score (%)"), learning.mean_pre),
            Fact(_("Mean post-test score (%)"), learning.mean_post),
            Fact(_("Mean gain (points)"), learning.mean_gain),
            Fact(_("Mean normalised gain (%)"), learning.mean_normalised_gain),
            *facts,
        ],
        charts=[chart] if learning.pairs else [],
        tables=[objectives],
        note=note
        or _(
            "Only officers who submitted both tests count. The normalised gain is the share "
            "of the possible gain achieved, (post − pre) / (100 − pre), averaged over "
            "officers; an officer with 100 in the pre-test is left out of it."
        ),
    )


def _reaction_section(
    reaction: analytics.Reaction, comments: Sequence[Sequence[Any]] | None = None
) -> Section:
    final, daily = reaction.final, reaction.daily
    chart = Chart(
        title=_("Mean score of the evaluations, from 1 (poor) to 5 (very good)"),
        dimension=_("Question"),
        series=[_("End-of-course evaluations")],
        bars=[Bar(_mean_label(score.label), [score.mean]) for score in final.scores],
        maximum=5,
        decimals=2,
    )
    means = Table(
        title=_("Mean score of each question"),
        header=[_("Question"), _("End-of-course evaluations"), _("Daily evaluations")],
        rows=[
            [_mean_label(label), final_mean, daily_mean]
            for label, final_mean, daily_mean in reaction.score_rows()
        ],
    )
    tables = [means]
    if comments is not None:
        tables.append(
            Table(
                title=_("Comments"),
                header=[_("Evaluation"), _("Comment")],
                rows=comments,
                note=_("Comments are listed without their authors' names."),
                empty=_("No comment was written."),
            )
        )
    return Section(
        title=_("Reaction: evaluations"),
        facts=[
            Fact(_("Answers to the end-of-course evaluation"), final.responses),
            Fact(_("Answers to the daily evaluations"), daily.responses),
        ],
        charts=[chart] if final.responses and not final.suppressed else [],
        tables=tables,
    )


def _behaviour_section(
    behaviour: analytics.Behaviour, cascades: analytics.CascadeReach, extra: Sequence[Fact] = ()
) -> Section:
    generations = Table(
        title=_("Cascade sessions"),
        header=[_("Generation"), _("Cascade sessions"), _("Women"), _("Men"), _("Reached")],
        rows=[[g.generation, g.cascades, g.women, g.men, g.reached] for g in cascades.generations],
        empty=_("No cascade session reported yet."),
    )
    return Section(
        title=_("Behaviour: follow-up and action plans"),
        facts=[
            Fact(_("Answers to the follow-up survey"), behaviour.follow_ups),
            Fact(_("How often they used what they learned (1 to 5)"), behaviour.used_at_work),
            Fact(_("Kept their action plan (%)"), behaviour.kept_plan_share),
            Fact(_("Partly kept it (%)"), behaviour.kept_plan_partly_share),
            Fact(_("Did not keep it (%)"), behaviour.did_not_keep_plan_share),
            Fact(_("Colleagues briefed"), behaviour.colleagues_briefed),
            Fact(_("Action plans made"), behaviour.action_plans),
            Fact(_("Colleagues they will brief"), behaviour.colleagues_to_brief),
            Fact(_("Officers trained directly"), cascades.direct),
            Fact(_("People reached through cascade sessions"), cascades.cascaded),
            Fact(_("Total reach"), cascades.total),
            *extra,
        ],
        tables=[generations],
    )


def _comments(session: TrainingSession) -> list[list[Any]]:
    """Every evaluation comment, in the order written: the kind of evaluation, never who
    wrote it (an evaluation may be anonymous; even a named one is not shown as such)."""
    comments = []
    evaluations = (
        Evaluation.objects.filter(session=session)
        .exclude(comment="")
        .order_by("kind", "day", "submitted_at", "pk")
        .values_list("kind", "day", "comment")
    )
    for kind, day, comment in evaluations:
        if kind == EvaluationKind.DAILY:
            label = _("Daily evaluation, day %(day)s") % {"day": day}
        else:
            label = _("End-of-course evaluation")
        comments.append([label, written(comment.strip())])
    return comments


def session_report(session: TrainingSession, language: str) -> Report:
    """What the report on ``session`` says, in ``language``."""
    _check_language(language)
    session = (
        TrainingSession.objects.select_related("version__curriculum", "action")
        .prefetch_related("organisers", "trainers")
        .get(pk=session.pk)
    )
    with translation.override(language):
        scope = analytics.one_session(session)
        results = analytics.training_results(scope)
        approved = session.enrolments.filter(status=EnrolmentStatus.APPROVED).count()
        slots = slot_attendance(session, approved)
        taken, passed = post_test_passes(session)
        certificates = Certificate.objects.filter(enrolment__session=session).aggregate(
            issued=Count("pk", filter=Q(revoked_at__isnull=True)),
            revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
        )
        suggestions = list(session.suggestions.order_by("pk"))
        decisions = list(
            SuggestionDecision.objects.filter(suggestion__in=suggestions, released_at__isnull=False)
            .select_related("merged_into")
            .order_by("decided_at", "pk")
        )
        version = session.version
        place = ", ".join(part for part in (session.venue, session.city) if part)

        attendance_chart = Chart(
            title=_("Attendance at each half-day"),
            dimension=_("Half-day"),
            series=[
                str(AttendanceStatus.PRESENT.label),
                str(AttendanceStatus.LATE.label),
                str(AttendanceStatus.EXCUSED.label),
                str(AttendanceStatus.ABSENT.label),
            ],
            bars=[
                Bar(
                    _("%(day)s, %(half_day)s")
                    % {"day": date_format(slot.day, "DATE_FORMAT"), "half_day": slot.part},
                    [slot.present, slot.late, slot.excused, slot.absent],
                )
                for slot in slots
            ],
            maximum=max((slot.approved for slot in slots), default=0) or None,
        )
        attendance = Section(
            title=_("Attendance"),
            facts=[
                Fact(_("Officers enrolled (approved)"), approved),
                Fact(_("Half-day slots"), len(slots)),
                Fact(
                    _("Attendance needed to complete the course (%)"),
                    session.min_attendance_percent,
                ),
            ],
            charts=[attendance_chart] if slots else [],
            tables=[
                Table(
                    title=_("Attendance rate at each half-day"),
                    header=[
                        _("Date"),
                        _("Half-day"),
                        str(AttendanceStatus.PRESENT.label),
                        str(AttendanceStatus.LATE.label),
                        str(AttendanceStatus.EXCUSED.label),
                        str(AttendanceStatus.ABSENT.label),
                        _("Not recorded"),
                        _("Attendance rate (%)"),
                    ],
                    rows=[
                        [
                            slot.day,
                            slot.part,
                            slot.present,
                            slot.late,
                            slot.excused,
                            slot.absent,
                            slot.not_recorded,
                            slot.rate,
                        ]
                        for slot in slots
                    ],
                    note=_(
                        "The attendance rate is the share of the approved officers who were "
                        "present or late."
                    ),
                    empty=_("The session has no half-day slots yet."),
                )
            ],
        )
        sections = [
            attendance,
            _participation_section(results.participation),
            _learning_section(
                results.learning,
                facts=[
                    Fact(_("Post-tests submitted"), taken),
                    Fact(_("Post-test score needed (%)"), session.min_post_test_percent),
                    Fact(_("Pass rate of the post-test (%)"), analytics.share(passed, taken)),
                ],
            ),
            _reaction_section(results.reaction, _comments(session)),
            _behaviour_section(
                results.behaviour,
                results.cascades,
                extra=[
                    Fact(_("Certificates issued"), certificates["issued"]),
                    Fact(_("Certificates revoked"), certificates["revoked"]),
                ],
            ),
            Section(
                title=_("Suggestions made at the session"),
                tables=[
                    Table(
                        title=_("Suggestions made at the session"),
                        header=_suggestion_header(),
                        rows=_suggestion_rows(suggestions, decisions),
                        empty=_("No suggestion was made at this session."),
                    )
                ],
                note=_(
                    "A decision shows once the committee has released it. Authors are never named."
                ),
            ),
        ]
        title_slug = slugify(session.title)[:50].strip("-")
        return Report(
            kind=_("Report on a training session"),
            title=written(session.title),
            subtitle=written(str(version)),
            language=language,
            facts=[
                Fact(_("Curriculum"), written(version.curriculum.title)),
                Fact(_("Version"), version.number),
                Fact(_("First day"), session.starts_on),
                Fact(_("Last day"), session.ends_on),
                Fact(_("Place"), written(place) if place else None),
                Fact(_("Region"), written(session.region) if session.region else None),
                Fact(
                    _("Organising institutions"),
                    written(", ".join(str(i) for i in session.organisers.all()) or "—"),
                ),
                Fact(
                    _("Trainers"),
                    written(", ".join(str(t) for t in session.trainers.all()) or "—"),
                ),
                Fact(_("Status"), str(session.get_status_display())),
            ],
            sections=sections,
            written_on=timezone.localdate(),
            filename_stem="-".join(
                part for part in (f"session-{session.pk}", title_slug, "report") if part
            ),
            footer=_(
                "For the session's organisers and trainers: figures are not hidden for small "
                "groups. No participant is named."
            ),
        )


# --- The version report -------------------------------------------------------------


def _suppressed_participation(
    participation: analytics.Participation,
) -> tuple[analytics.Participation, bool]:
    """``participation`` with each breakdown suppressed as
    :func:`mizan.reports.suppression.suppress` says (complementary cells included), and
    whether anything was hidden."""
    anything = False

    def hide(rows: list[analytics.BreakdownRow]) -> list[analytics.BreakdownRow]:
        nonlocal anything
        verdict = suppress({row.key: row.trained or 0 for row in rows})
        shown_rows = []
        for row in rows:
            if verdict.shows(row.key):
                shown_rows.append(row)
            else:
                anything = anything or bool(row.trained)
                shown_rows.append(
                    replace(
                        row, trained=None, completed=None, share_of_trained=None, suppressed=True
                    )
                )
        return shown_rows

    small_total = participation.trained < SMALL_CELL
    return (
        replace(
            participation,
            completed=None if small_total else participation.completed,
            by_sex=hide(participation.by_sex),
            by_region=hide(participation.by_region),
            by_institution=hide(participation.by_institution),
            by_rank=hide(participation.by_rank),
        ),
        anything or small_total,
    )


@dataclass(frozen=True)
class SessionFigures:
    session: TrainingSession
    trained: int | None
    completion_rate: Decimal | None
    mean_gain: Decimal | None
    hidden: bool = False


def _session_figures(sessions: Sequence[TrainingSession]) -> list[SessionFigures]:
    """Officers trained, completion rate and mean gain of each session (two queries a
    session), the small ones hidden with their complements."""
    raw: dict[int, tuple[int, Decimal | None, analytics.Learning | None]] = {}
    for session in sessions:
        if session.status == SessionStatus.CANCELLED:
            raw[session.pk] = (0, None, None)
            continue
        scope = analytics.one_session(session)
        trained, completed = analytics.completion(scope)
        raw[session.pk] = (
            trained,
            analytics.share(completed, trained),
            analytics.knowledge_gain(scope),
        )
    verdict = suppress({pk: trained for pk, (trained, _rate, _gain) in raw.items()})
    figures = []
    for session in sessions:
        trained, rate, learned = raw[session.pk]
        mean_gain = (
            learned.mean_gain if learned is not None and learned.pairs >= SMALL_CELL else None
        )
        if verdict.shows(session.pk):
            figures.append(SessionFigures(session, trained, rate, mean_gain))
        else:
            figures.append(SessionFigures(session, None, None, None, hidden=True))
    return figures


def version_report(version: CurriculumVersion, language: str) -> Report:
    """What the report on ``version`` says, in ``language``."""
    _check_language(language)
    version = CurriculumVersion.objects.select_related("curriculum", "based_on").get(pk=version.pk)
    with translation.override(language):
        modules = list(version.modules.order_by("order", "id").prefetch_related("objectives"))
        sessions = list(version.sessions.order_by("starts_on", "pk"))
        scope = TrainingSession.objects.filter(version=version).exclude(
            status=SessionStatus.CANCELLED
        )
        raw = analytics.training_results(scope)
        results = analytics.hide_small_cells(raw)
        # ``hide_small_cells`` counts an objective's answers, not the people behind them.
        results = replace(
            results,
            learning=replace(
                results.learning,
                objectives=hide_small_objectives(results.learning.objectives, scope),
            ),
        )
        participation, hidden = _suppressed_participation(raw.participation)
        figures = _session_figures(sessions)
        trails = for_version(version)
        hidden_note = _(
            "This report may be shared widely: no figure computed from fewer than "
            "%(threshold)s people is shown (—), and another cell is hidden with it when "
            "a total would give it away."
        ) % {"threshold": SMALL_CELL}

        module_table = Table(
            title=_("Modules"),
            header=[
                _("Order"),
                _("Module"),
                _("Course day"),
                _("Duration in minutes"),
                _("Learning objectives"),
            ],
            rows=[
                [
                    module.order,
                    written(module.title),
                    module.day,
                    module.duration_minutes,
                    written(
                        "; ".join(
                            f"{objective.code} {objective.text}"
                            for objective in module.objectives.all()
                        )
                    ),
                ]
                for module in modules
            ],
            empty=_("The version has no modules yet."),
        )
        session_chart = Chart(
            title=_("Officers trained in each session"),
            dimension=_("Session"),
            series=[_("Officers trained")],
            bars=[
                Bar(
                    str(written(figure.session.title)),
                    [figure.trained],
                    note=_("hidden: fewer than %(threshold)s people") % {"threshold": SMALL_CELL}
                    if figure.hidden
                    else "",
                )
                for figure in figures
                if figure.session.status != SessionStatus.CANCELLED
            ],
        )
        sessions_table = Table(
            title=_("Sessions that used this version"),
            header=[
                _("Session"),
                _("First day"),
                _("Last day"),
                _("Place"),
                _("Status"),
                _("Officers trained"),
                _("Completion rate (%)"),
                _("Mean gain (points)"),
            ],
            rows=[
                [
                    written(figure.session.title),
                    figure.session.starts_on,
                    figure.session.ends_on,
                    written(
                        ", ".join(p for p in (figure.session.city, figure.session.region) if p)
                    ),
                    str(figure.session.get_status_display()),
                    figure.trained,
                    figure.completion_rate,
                    figure.mean_gain,
                ]
                for figure in figures
            ],
            empty=_("No session has used this version yet."),
        )
        change_rows = []
        for trail in trails:
            references = _suggestion_rows(trail.suggestions, trail.decisions)
            change_rows.append(
                [
                    trail.entry.order,
                    written(trail.entry.text),
                    written(", ".join(module.title for module in trail.entry.modules.all()))
                    if trail.entry.modules.all()
                    else None,
                    written(
                        "\n".join(f"{reference}: {text}" for reference, text, *_rest in references)
                    )
                    if references
                    else None,
                ]
            )
        suggestion_rows = [
            row for trail in trails for row in _suggestion_rows(trail.suggestions, trail.decisions)
        ]
        sections = [
            Section(
                title=_("Modules"),
                facts=[
                    Fact(_("Modules"), len(modules)),
                    Fact(
                        _("Total duration in minutes"),
                        sum(module.duration_minutes for module in modules),
                    ),
                ],
                tables=[module_table],
            ),
            Section(
                title=_("Sessions that used this version"),
                facts=[Fact(_("Sessions"), len(sessions))],
                charts=[session_chart] if session_chart.bars else [],
                tables=[sessions_table],
                note=hidden_note,
            ),
            _participation_section(participation, note=hidden_note if hidden else ""),
            _learning_section(results.learning),
            _reaction_section(results.reaction),
            _behaviour_section(results.behaviour, results.cascades),
            Section(
                title=_("Changes made from suggestions"),
                tables=[
                    Table(
                        title=_("Changes from the version it is based on"),
                        header=[_("Order"), _("Change"), _("Modules changed"), _("Suggestions")],
                        rows=change_rows,
                        empty=_("No change recorded."),
                    ),
                    Table(
                        title=_("Suggestions behind the changes"),
                        header=_suggestion_header(),
                        rows=suggestion_rows,
                        empty=_("No suggestion is linked to these changes."),
                    ),
                ],
                note=_(
                    "A decision shows once the committee has released it. Authors are never named."
                ),
            ),
        ]
        return Report(
            kind=_("Report on a curriculum version"),
            title=written(version.curriculum.title),
            subtitle=written(_("Version %(number)s") % {"number": version.number}),
            language=language,
            facts=[
                Fact(_("Curriculum"), written(version.curriculum.title)),
                Fact(_("Version"), version.number),
                Fact(_("Status"), str(version.get_status_display())),
                Fact(
                    _("Published"),
                    timezone.localtime(version.published_at).date()
                    if version.published_at
                    else None,
                ),
                Fact(
                    _("Frozen"),
                    timezone.localtime(version.frozen_at).date() if version.frozen_at else None,
                ),
                Fact(_("Based on"), version.based_on.number if version.based_on else None),
                Fact(_("What changed"), written(version.changelog) if version.changelog else None),
            ],
            sections=sections,
            written_on=timezone.localdate(),
            filename_stem=(
                f"curriculum-{slugify(version.curriculum.code) or 'version'}"
                f"-v{version.number}-report"
            ),
            footer=hidden_note,
        )


# --- Writing a report ---------------------------------------------------------------


def _pdf(report: Report, template: str) -> bytes:
    return documents.pdf_from_template(template, {"report": report}, report.language)


def _docx(report: Report) -> bytes:
    with translation.override(report.language):
        document = documents.new_docx(report.language)
        documents.docx_paragraph(document, report.kind)
        documents.docx_heading(document, report.title, level=0)
        documents.docx_paragraph(document, report.subtitle)
        for fact in report.facts:
            documents.docx_paragraph(document, f"{fact.label}: {fact.shown}")
        for section in report.sections:
            documents.docx_heading(document, section.title, level=1)
            for fact in section.facts:
                documents.docx_paragraph(document, f"{fact.label}: {fact.shown}")
            for chart in section.charts:
                documents.docx_heading(document, chart.title, level=2)
                documents.docx_table(
                    document,
                    [chart.dimension, *chart.series],
                    [
                        [
                            f"{bar.label} ({bar.note})" if bar.note else bar.label,
                            *values,
                        ]
                        for bar, values, _drawing in chart.rows()
                    ],
                )
            for table in section.tables:
                documents.docx_heading(document, table.title, level=2)
                if table.rows:
                    documents.docx_table(
                        document, table.header, [[c.text for c in r] for r in table.shown_rows()]
                    )
                elif table.empty:
                    documents.docx_paragraph(document, table.empty)
                if table.note:
                    documents.docx_paragraph(document, table.note)
            if section.note:
                documents.docx_paragraph(document, section.note)
        if report.footer:
            documents.docx_paragraph(document, report.footer)
        return documents.docx_bytes(document)


def _plain(value: Any) -> Any:
    """A value for a spreadsheet cell: numbers and dates as they are, text as text."""
    if isinstance(value, Written):
        return value.text
    return value


def _xlsx(report: Report) -> bytes:
    with translation.override(report.language):
        workbook = documents.new_workbook()
        rows: list[list[Any]] = [[report.kind], [report.subtitle.text], []]
        rows += [[fact.label, _plain(fact.value)] for fact in report.facts]
        if report.footer:
            rows += [[], [report.footer]]
        documents.xlsx_sheet(workbook, _("Summary"), [report.title.text], rows)
        for section in report.sections:
            rows = [[fact.label, _plain(fact.value)] for fact in section.facts]
            for table in section.tables:
                rows += [[], [table.title], list(table.header)]
                rows += [[_plain(value) for value in row] for row in table.rows]
                if not table.rows and table.empty:
                    rows.append([table.empty])
                if table.note:
                    rows.append([table.note])
            if section.note:
                rows += [[], [section.note]]
            documents.xlsx_sheet(workbook, section.title, [section.title], rows)
        return documents.workbook_bytes(workbook)


def _write(report: Report, template: str, format: str) -> ReportFile:
    kind = _check_format(format)
    if kind == ReportFormat.PDF:
        content = _pdf(report, template)
    elif kind == ReportFormat.DOCX:
        content = _docx(report)
    else:
        content = _xlsx(report)
    return ReportFile(
        filename=f"{report.filename_stem}-{report.language}.{kind.value}",
        format=kind.value,
        content=content,
    )


def session_report_file(session: Any, *, language: str, format: str) -> ReportFile:
    """The report on ``session`` in ``language``, as ``format`` (pdf, docx, xlsx)."""
    _check_format(format)
    return _write(session_report(session, language), SESSION_TEMPLATE, format)


def version_report_file(version: Any, *, language: str, format: str) -> ReportFile:
    """The report on curriculum ``version`` in ``language``, as ``format``."""
    _check_format(format)
    return _write(version_report(version, language), VERSION_TEMPLATE, format)


__all__ = [
    "Cell",
    "Fact",
    "Report",
    "Section",
    "Table",
    "session_report",
    "session_report_file",
    "version_report",
    "version_report_file",
]
