"""The follow-up report written as a file: PDF (from ``reports/followup.html``), DOCX or
XLSX, each in the report's language and right to left in Arabic.

The three formats say the same things; the spreadsheet gives one row per recommendation
and per action so that a reader can filter and count. Dates are written as the language
writes them (the PDF and DOCX) or as dates (the spreadsheet).

A report of 500 recommendations is a PDF of about 100 pages, and WeasyPrint needs about
0.1 s of one core a page: the PDF is cut into parts (:func:`follow_up_parts`) laid out
at the same time, one per core, and joined (:func:`mizan.reports.documents.pdf_from_parts`).
In it an action is described once, under "Actions", and recommendations refer to it by
number: the same title repeated under each of the ~1,000 links was a fifth of the work.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial
from itertools import pairwise
from typing import Any

from django.utils import formats, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mizan.core.errors import MizanError
from mizan.reports.documents import (
    ReportFile,
    docx_bytes,
    docx_heading,
    docx_paragraph,
    docx_table,
    new_docx,
    new_workbook,
    pdf_from_parts,
    pdf_processes,
    workbook_bytes,
    xlsx_sheet,
)
from mizan.reports.enums import ReportFormat
from mizan.reports.followup import (
    ActionEntry,
    AssessmentEntry,
    FollowUpReport,
    RecommendationEntry,
    TrainingFigures,
)
from mizan.reports.suppression import SMALL_CELL

TEMPLATE = "reports/followup.html"


def follow_up_filename(report: FollowUpReport, format: str) -> str:
    symbol = slugify(report.document.symbol.replace("/", "-")) or "document"
    return f"follow-up-{symbol}-{report.language}.{format}"


def write_follow_up(
    report: FollowUpReport, format: str, *, processes: int | None = None
) -> ReportFile:
    """``report`` as a file in ``format`` (pdf, docx or xlsx); a PDF laid out in up to
    ``processes`` processes (default: one per core)."""
    writers: dict[str, Callable[[FollowUpReport], bytes]] = {
        ReportFormat.PDF: partial(follow_up_pdf, processes=processes),
        ReportFormat.DOCX: follow_up_docx,
        ReportFormat.XLSX: follow_up_xlsx,
    }
    if format not in writers:
        raise MizanError(
            _("Choose one of these formats: %(formats)s.")
            % {"formats": ", ".join(ReportFormat.values)},
            field="format",
        )
    with translation.override(report.language):
        content = writers[ReportFormat(format)](report)
    return ReportFile(filename=follow_up_filename(report, format), format=format, content=content)


# --- Shared wording ----------------------------------------------------------------------


def _day(value: date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _number(value: Any, decimals: int = 0) -> str:
    if value is None:
        return "—"
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{_number(value, 1)} %"


def _hidden_note() -> str:
    return _("“—”: not shown, because fewer than %(number)s people are behind the figure.") % {
        "number": SMALL_CELL
    }


def _assessment_line(assessment: AssessmentEntry) -> str:
    if assessment.assessed_on:
        return _("%(status)s (assessed on %(date)s)") % {
            "status": assessment.status_label,
            "date": _day(assessment.assessed_on),
        }
    return assessment.status_label


def _training_rows(figures: TrainingFigures) -> list[tuple[str, str]]:
    """(label, value) of the training figures, as every format lists them."""
    return [
        (_("Sessions held or planned"), _number(figures.sessions)),
        (_("Officers trained"), _number(figures.trained)),
        (_("Women"), _number(figures.women)),
        (_("Men"), _number(figures.men)),
        (_("Share of women"), _percent(figures.women_share)),
        (_("Officers who completed the training"), _number(figures.completed)),
        (_("Completion rate"), _percent(figures.completion_rate)),
        (_("Participants with both a pre-test and a post-test"), _number(figures.pairs)),
        (_("Mean pre-test score"), _percent(figures.mean_pre)),
        (_("Mean post-test score"), _percent(figures.mean_post)),
        (_("Mean knowledge gain (points)"), _number(figures.mean_gain, 1)),
    ]


def _action_heading(action: ActionEntry) -> str:
    return _("Action %(number)s: %(title)s") % {"number": action.number, "title": action.title}


# --- PDF ---------------------------------------------------------------------------------


#: Below this many recommendations the PDF is laid out in one process: starting others
#: would cost more than it saves (a report of 100 recommendations takes about 2 s).
PARALLEL_FROM = 100
#: The layout cost of the cover and summary, and of one action, in recommendations.
FRONT_WEIGHT = 20
ACTION_WEIGHT = 4


def follow_up_parts(report: FollowUpReport, processes: int) -> list[dict[str, Any]]:
    """The report cut into at most ``processes`` parts of about the same layout work:
    the first holds the cover and the summary, the last the actions, and the
    recommendations are shared out between them (each part gets at least one)."""
    recommendations: list[RecommendationEntry] = list(report.recommendations)
    count = len(recommendations)
    processes = min(processes, count) if count >= PARALLEL_FROM else 1
    weight = FRONT_WEIGHT + count + ACTION_WEIGHT * len(report.actions)
    share = weight / max(processes, 1)
    cuts = [0]
    for index in range(1, processes):
        cut = round(share * index - FRONT_WEIGHT)
        cuts.append(min(max(cut, cuts[-1] + 1), count - (processes - index)))
    cuts.append(count)
    return [
        {
            "front": index == 0,
            "opens_recommendations": index == 0,
            "recommendations": recommendations[start:end],
            "actions": index == processes - 1 or processes < 2,
        }
        for index, (start, end) in enumerate(pairwise(cuts))
    ]


def follow_up_pdf(report: FollowUpReport, *, processes: int | None = None) -> bytes:
    """The PDF, laid out in as many processes as there are cores (``processes`` to
    choose) once the report is long enough to gain from it."""
    context = {
        "report": report,
        "document": report.document,
        "summary": report.summary,
        "training_rows": _training_rows(report.summary.training) if report.summary.training else [],
        "action_sections": [
            (action, _training_rows(action.training) if action.training else [])
            for action in report.actions
        ],
        "hidden_note": _hidden_note(),
        "small_cell": SMALL_CELL,
    }
    parts = follow_up_parts(report, pdf_processes() if processes is None else processes)
    return pdf_from_parts(TEMPLATE, context, parts, report.language)


# --- DOCX --------------------------------------------------------------------------------


def follow_up_docx(report: FollowUpReport) -> bytes:
    document = new_docx(report.language)
    source = report.document
    docx_heading(document, report.title, level=0)
    docx_table(
        document,
        [_("Document"), ""],
        [
            [_("Symbol"), source.symbol],
            [_("Mechanism"), report.mechanism_name],
            [_("Title"), source.title],
            [_("State under review"), source.state_under_review],
            [_("Date of the document"), _day(source.date)],
            [_("Report written on"), _day(report.written_on)],
        ],
    )
    summary = report.summary
    docx_heading(document, _("Summary"), level=1)
    docx_paragraph(
        document,
        _("%(recommendations)s recommendations; %(actions)s actions answer them.")
        % {"recommendations": summary.recommendations, "actions": summary.actions},
    )
    docx_table(
        document,
        [_("Implementation status"), _("State's assessment"), _("NHRI's assessment")],
        [
            [label, state, nhri]
            for (_value, label, state), (_v, _l, nhri) in zip(
                summary.by_state, summary.by_nhri, strict=False
            )
        ]
        + [[summary.by_nhri[-1][1], "", summary.by_nhri[-1][2]]],
    )
    docx_table(
        document,
        [_("Status of the actions"), _("Actions")],
        [[label, count] for _value, label, count in summary.actions_by_status],
    )
    if summary.training is not None:
        docx_heading(document, _("Training"), level=2)
        docx_table(document, [_("Figure"), _("Value")], _training_rows(summary.training))
        docx_paragraph(document, _hidden_note())

    docx_heading(document, _("Recommendations"), level=1)
    for entry in report.recommendations:
        heading = _("Paragraph %(paragraph)s") % {"paragraph": entry.paragraph}
        if entry.recommending_state.text:
            heading = _("Paragraph %(paragraph)s (%(state)s)") % {
                "paragraph": entry.paragraph,
                "state": entry.recommending_state,
            }
        docx_heading(document, heading, level=2)
        docx_paragraph(document, entry.text)
        if entry.text_note:
            docx_paragraph(document, entry.text_note)
        # Paragraphs, not tables: a table per recommendation makes a long report slow
        # to write and to open.
        for label, assessment in (
            (_("State's assessment: %(assessment)s"), entry.state),
            (_("NHRI's assessment: %(assessment)s"), entry.nhri),
        ):
            docx_paragraph(
                document, label % {"assessment": _assessment_line(assessment)}, bold=True
            )
            if assessment.comment.text:
                docx_paragraph(document, assessment.comment)
        evidence = [item.title for item in (*entry.state.evidence, *entry.nhri.evidence)]
        if evidence:
            docx_paragraph(
                document, _("Evidence: %(files)s") % {"files": "; ".join(map(str, evidence))}
            )
        if entry.institutions:
            docx_paragraph(
                document,
                _("Responsible institutions: %(names)s")
                % {"names": "; ".join(f"{name} ({role})" for name, role in entry.institutions)},
            )
        if entry.actions:
            docx_paragraph(
                document,
                _("Actions taken: %(actions)s")
                % {
                    "actions": "; ".join(
                        f"{_action_heading(action)} ({action.status_label})"
                        for action in entry.actions
                    )
                },
            )
        else:
            docx_paragraph(document, _("No action recorded yet."))

    docx_heading(document, _("Actions"), level=1)
    for action in report.actions:
        docx_heading(document, _action_heading(action), level=2)
        rows: list[list[Any]] = [
            [_("Kind"), action.kind_label],
            [_("Status"), action.status_label],
            [_("Lead institution"), action.lead_institution],
            [_("Start date"), _day(action.starts_on)],
            [_("Due date"), _day(action.due_on)],
            [_("Recommendations answered"), ", ".join(action.paragraphs)],
        ]
        docx_table(document, [_("Action"), ""], rows)
        if action.description.text:
            docx_paragraph(document, action.description)
        if action.progress_text is not None and action.progress_period is not None:
            docx_paragraph(
                document,
                _("Last approved progress report, %(start)s to %(end)s:")
                % {
                    "start": _day(action.progress_period[0]),
                    "end": _day(action.progress_period[1]),
                },
                bold=True,
            )
            docx_paragraph(document, action.progress_text)
        if action.indicators:
            docx_table(
                document,
                [_("Indicator"), _("Baseline"), _("Latest value"), _("Target")],
                [
                    [
                        f"{indicator.name} ({indicator.unit})",
                        _number(indicator.baseline, 2),
                        _number(indicator.latest, 2)
                        + (f" ({_day(indicator.measured_on)})" if indicator.measured_on else ""),
                        _number(indicator.target, 2),
                    ]
                    for indicator in action.indicators
                ],
            )
        if action.evidence:
            docx_paragraph(
                document,
                _("Evidence: %(files)s")
                % {"files": "; ".join(str(item.title) for item in action.evidence)},
            )
        if action.training is not None:
            docx_table(document, [_("Figure"), _("Value")], _training_rows(action.training))
    return docx_bytes(document)


# --- XLSX --------------------------------------------------------------------------------


def _value(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def follow_up_xlsx(report: FollowUpReport) -> bytes:
    workbook = new_workbook()
    source, summary = report.document, report.summary
    rows: list[list[Any]] = [
        [_("Symbol"), source.symbol],
        [_("Mechanism"), report.mechanism_name],
        [_("Title"), source.title],
        [_("State under review"), source.state_under_review],
        [_("Date of the document"), source.date],
        [_("Report written on"), report.written_on],
        [_("Recommendations"), summary.recommendations],
        [_("Actions"), summary.actions],
    ]
    rows += [
        [_("State's assessment: %(status)s") % {"status": label}, count]
        for _value_, label, count in summary.by_state
    ]
    rows += [
        [_("NHRI's assessment: %(status)s") % {"status": label}, count]
        for _value_, label, count in summary.by_nhri
    ]
    rows += [
        [_("Actions: %(status)s") % {"status": label}, count]
        for _value_, label, count in summary.actions_by_status
    ]
    if summary.training is not None:
        rows += [[label, value] for label, value in _training_rows(summary.training)]
        rows.append([_hidden_note(), ""])
    xlsx_sheet(workbook, _("Summary"), [_("Figure"), _("Value")], rows)

    xlsx_sheet(
        workbook,
        _("Recommendations"),
        [
            _("Paragraph"),
            _("Recommending state"),
            _("Text"),
            _("Language of the text"),
            _("State's assessment"),
            _("Assessed on"),
            _("Comment"),
            _("NHRI's assessment"),
            _("Assessed on"),
            _("Comment"),
            _("Responsible institutions"),
            _("Actions"),
            _("Evidence"),
        ],
        (
            [
                entry.paragraph,
                str(entry.recommending_state),
                str(entry.text),
                entry.text_language,
                entry.state.status_label,
                entry.state.assessed_on,
                str(entry.state.comment),
                entry.nhri.status_label,
                entry.nhri.assessed_on,
                str(entry.nhri.comment),
                "; ".join(f"{name} ({role})" for name, role in entry.institutions),
                "; ".join(_action_heading(action) for action in entry.actions),
                "; ".join(
                    str(item.title) for item in (*entry.state.evidence, *entry.nhri.evidence)
                ),
            ]
            for entry in report.recommendations
        ),
    )

    def training(action: ActionEntry) -> list[Any]:
        figures = action.training
        if figures is None:
            return [None] * 9
        return [
            figures.sessions,
            figures.trained,
            figures.women,
            figures.men,
            _value(figures.women_share),
            figures.completed,
            _value(figures.mean_pre),
            _value(figures.mean_post),
            _value(figures.mean_gain),
        ]

    xlsx_sheet(
        workbook,
        _("Actions"),
        [
            _("Number"),
            _("Title"),
            _("Kind"),
            _("Status"),
            _("Lead institution"),
            _("Start date"),
            _("Due date"),
            _("Recommendations answered"),
            _("Last approved progress report"),
            _("Indicators"),
            _("Evidence"),
            _("Sessions"),
            _("Officers trained"),
            _("Women"),
            _("Men"),
            _("Share of women (%)"),
            _("Officers who completed the training"),
            _("Mean pre-test score (%)"),
            _("Mean post-test score (%)"),
            _("Mean knowledge gain (points)"),
        ],
        (
            [
                action.number,
                str(action.title),
                action.kind_label,
                action.status_label,
                str(action.lead_institution),
                action.starts_on,
                action.due_on,
                ", ".join(action.paragraphs),
                str(action.progress_text or ""),
                "; ".join(
                    f"{indicator.name}: {_number(indicator.latest, 2)}"
                    f" / {_number(indicator.target, 2)}"
                    for indicator in action.indicators
                ),
                "; ".join(str(item.title) for item in action.evidence),
                *training(action),
            ]
            for action in report.actions
        ),
    )
    return workbook_bytes(workbook)
