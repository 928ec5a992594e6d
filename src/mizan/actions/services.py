"""Business operations on actions, their indicators and progress reports. Each validates,
writes in one transaction with its audit entry (django-simple-history, attributed to
``by``) and returns what it changed.

Views, the API, the CLI and tasks all call these functions; nothing else writes these
records. An approved progress report is never changed: a correction is a new report.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mizan.accounts.rules import is_coordinator
from mizan.actions.enums import (
    ACTION_TRANSITIONS,
    ActionKind,
    ActionStatus,
    ProgressReportStatus,
    ReportingFrequency,
)
from mizan.actions.indicators import get_figure
from mizan.actions.models import Action, Indicator, IndicatorValue, ProgressReport
from mizan.audit.history import attribute_change
from mizan.core.errors import MizanError
from mizan.evidence.models import EvidenceFile
from mizan.evidence.services import store_evidence
from mizan.institutions.models import Institution
from mizan.recommendations.models import Recommendation

# --- Actions ---------------------------------------------------------------------------

ACTION_FIELDS = (
    "title",
    "description",
    "kind",
    "lead_institution",
    "partner_institutions",
    "recommendations",
    "starts_on",
    "due_on",
)


def _check_action(action: Action, partners: Iterable[Institution] | None) -> None:
    action.title = (action.title or "").strip()
    if not action.title:
        raise MizanError(_("An action needs a title."), field="title")
    if action.kind not in ActionKind.values:
        raise MizanError(_("Choose the kind of action."), field="kind")
    if action.starts_on and action.due_on and action.due_on < action.starts_on:
        raise MizanError(_("The due date cannot be before the start date."), field="due_on")
    if partners is not None and any(p.pk == action.lead_institution_id for p in partners):
        raise MizanError(
            _("The lead institution cannot also be a partner."), field="partner_institutions"
        )


@transaction.atomic
def create_action(
    *,
    title: str,
    kind: str,
    lead_institution: Institution,
    description: str = "",
    partner_institutions: Iterable[Institution] = (),
    recommendations: Iterable[Recommendation] = (),
    starts_on: date | None = None,
    due_on: date | None = None,
    by: Any = None,
) -> Action:
    """Plan an action (status “planned”) answering ``recommendations``."""
    partners = list(partner_institutions)
    action = Action(
        title=title,
        description=(description or "").strip(),
        kind=kind,
        lead_institution=lead_institution,
        starts_on=starts_on,
        due_on=due_on,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _check_action(action, partners)
    attribute_change(action, user=by)
    action.save()
    if partners:
        attribute_change(action, user=by)
        action.partner_institutions.set(partners)
    recommendations = list(recommendations)
    if recommendations:
        attribute_change(action, user=by)
        action.recommendations.set(recommendations)
    return action


@transaction.atomic
def update_action(*, action: Action, by: Any = None, **changes: Any) -> Action:
    """Change an action's fields (not its status: see :func:`change_action_status`)."""
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise MizanError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    partners = changes.pop("partner_institutions", None)
    recommendations = changes.pop("recommendations", None)
    if partners is not None:
        partners = list(partners)
    for name, value in changes.items():
        setattr(action, name, value)
    if "description" in changes:
        action.description = (action.description or "").strip()
    _check_action(action, partners if partners is not None else None)
    if (
        partners is None
        and action.partner_institutions.filter(pk=action.lead_institution_id).exists()
    ):
        raise MizanError(
            _("The lead institution cannot also be a partner."), field="lead_institution"
        )
    attribute_change(action, user=by)
    action.save()
    if partners is not None and set(partners) != set(action.partner_institutions.all()):
        attribute_change(action, user=by)
        action.partner_institutions.set(partners)
    if recommendations is not None:
        set_action_recommendations(action=action, recommendations=recommendations, by=by)
    return action


@transaction.atomic
def set_action_recommendations(
    *, action: Action, recommendations: Iterable[Recommendation], by: Any = None
) -> Action:
    """The recommendations the action answers, replacing those it answered before."""
    wanted = set(recommendations)
    if wanted != set(action.recommendations.all()):
        attribute_change(action, user=by)
        action.recommendations.set(wanted)
    return action


@transaction.atomic
def link_recommendation(
    *, action: Action, recommendation: Recommendation, by: Any = None
) -> Action:
    """Add one recommendation to those the action answers (again: no change)."""
    if not action.recommendations.filter(pk=recommendation.pk).exists():
        attribute_change(action, user=by)
        action.recommendations.add(recommendation)
    return action


@transaction.atomic
def unlink_recommendation(
    *, action: Action, recommendation: Recommendation, by: Any = None
) -> Action:
    if action.recommendations.filter(pk=recommendation.pk).exists():
        attribute_change(action, user=by)
        action.recommendations.remove(recommendation)
    return action


def allowed_statuses(action: Action) -> list[str]:
    """The statuses ``action`` may move to from its current one, in the enum's order."""
    allowed = ACTION_TRANSITIONS.get(action.status, frozenset())
    return [value for value in ActionStatus.values if value in allowed]


@transaction.atomic
def change_action_status(
    *, action: Action, status: str, reason: str = "", by: Any = None
) -> Action:
    """Move an action along ``ACTION_TRANSITIONS``. Cancelling needs a reason, which is
    kept on the action and in its history."""
    reason = (reason or "").strip()
    if status not in ActionStatus.values:
        raise MizanError(_("Unknown status: %(status)s.") % {"status": status}, field="status")
    if status not in ACTION_TRANSITIONS.get(action.status, frozenset()):
        raise MizanError(
            _("An action that is “%(current)s” cannot become “%(new)s”.")
            % {"current": action.get_status_display(), "new": ActionStatus(status).label},
            field="status",
            code="invalid_transition",
        )
    if status == ActionStatus.CANCELLED:
        if not reason:
            raise MizanError(_("Say why the action is cancelled."), field="reason")
        action.cancellation_reason = reason
    elif action.status == ActionStatus.CANCELLED:
        action.cancellation_reason = ""
    action.status = status
    attribute_change(action, user=by, reason=reason)
    action.save()
    return action


@transaction.atomic
def attach_evidence(
    *, action: Action, upload: Any, description: str = "", by: Any = None
) -> EvidenceFile:
    """Check and store an uploaded file and link it to the action as evidence."""
    evidence = store_evidence(upload=upload, by=by, description=description)
    attribute_change(action, user=by)
    action.evidence.add(evidence)
    return evidence


@transaction.atomic
def detach_evidence(*, action: Action, evidence: EvidenceFile, by: Any = None) -> Action:
    """Unlink a file from the action; the file stays stored (other records may use it)."""
    if action.evidence.filter(pk=evidence.pk).exists():
        attribute_change(action, user=by)
        action.evidence.remove(evidence)
    return action


# --- Indicators ------------------------------------------------------------------------

INDICATOR_FIELDS = ("name", "unit", "baseline", "target", "frequency", "computation")


def _check_indicator(indicator: Indicator) -> None:
    indicator.name = (indicator.name or "").strip()
    indicator.unit = (indicator.unit or "").strip()
    indicator.computation = (indicator.computation or "").strip()
    if not indicator.name:
        raise MizanError(_("An indicator needs a name."), field="name")
    if indicator.computation:
        figure = get_figure(indicator.computation)
        indicator.unit = indicator.unit or str(figure.unit)
    if not indicator.unit:
        raise MizanError(_("Give the unit the indicator counts in."), field="unit")
    if indicator.frequency not in ReportingFrequency.values:
        raise MizanError(_("Choose how often the indicator is reported."), field="frequency")


@transaction.atomic
def add_indicator(
    *,
    action: Action,
    name: str,
    unit: str = "",
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    frequency: str = ReportingFrequency.QUARTERLY,
    computation: str = "",
    by: Any = None,
) -> Indicator:
    """Add an indicator; ``computation`` names a computed figure, or is empty for values
    entered by hand. A computed indicator takes its figure's unit unless given one."""
    indicator = Indicator(
        action=action,
        name=name,
        unit=unit,
        baseline=baseline,
        target=target,
        frequency=frequency,
        computation=computation,
    )
    _check_indicator(indicator)
    attribute_change(indicator, user=by)
    indicator.save()
    return indicator


@transaction.atomic
def update_indicator(*, indicator: Indicator, by: Any = None, **changes: Any) -> Indicator:
    unknown = set(changes) - set(INDICATOR_FIELDS)
    if unknown:
        raise MizanError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in changes.items():
        setattr(indicator, name, value)
    _check_indicator(indicator)
    attribute_change(indicator, user=by)
    indicator.save()
    return indicator


@transaction.atomic
def record_indicator_value(
    *,
    indicator: Indicator,
    measured_on: date,
    value: Decimal,
    source: str,
    by: Any = None,
) -> IndicatorValue:
    """Record the value a person measured on ``measured_on``, with where it comes from.
    Computed indicators take no values by hand; each date has one value."""
    if indicator.is_computed:
        raise MizanError(
            _("This indicator is computed; its values cannot be entered by hand."),
            code="computed_indicator",
        )
    source = (source or "").strip()
    if not source:
        raise MizanError(_("Say where the value comes from."), field="source")
    if measured_on is None:
        raise MizanError(_("Give the date of the value."), field="measured_on")
    if indicator.values.filter(measured_on=measured_on).exists():
        raise MizanError(
            _("This indicator already has a value for %(date)s.") % {"date": measured_on},
            field="measured_on",
        )
    record = IndicatorValue(
        indicator=indicator,
        measured_on=measured_on,
        value=value,
        source=source[:300],
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    attribute_change(record, user=by)
    record.save()
    return record


@transaction.atomic
def correct_indicator_value(
    *,
    value: IndicatorValue,
    new_value: Decimal,
    source: str,
    reason: str,
    by: Any = None,
) -> IndicatorValue:
    """Correct a value entered by hand: its figure and its source, saying why. The reason
    is kept in the history, with who corrected it; the date stays (a value for another
    date is recorded, and the wrong one removed). Computed values are recomputed instead."""
    if value.indicator.is_computed:
        raise MizanError(
            _("This indicator is computed; compute its value again instead of correcting it."),
            code="computed_indicator",
        )
    reason = (reason or "").strip()
    if not reason:
        raise MizanError(_("Say why the value is corrected."), field="reason")
    source = (source or "").strip()
    if not source:
        raise MizanError(_("Say where the value comes from."), field="source")
    if new_value is None:
        raise MizanError(_("Give the corrected value."), field="value")
    if Decimal(new_value) == value.value and source[:300] == value.source:
        raise MizanError(_("The correction changes nothing."), field="value", code="no_change")
    value.value = new_value
    value.source = source[:300]
    attribute_change(value, user=by, reason=reason)
    value.save()
    return value


@transaction.atomic
def remove_indicator_value(*, value: IndicatorValue, reason: str, by: Any = None) -> None:
    """Remove a value recorded by mistake, saying why. The history keeps the value as it
    was, with the reason and who removed it."""
    reason = (reason or "").strip()
    if not reason:
        raise MizanError(_("Say why the value is removed."), field="reason")
    # django-simple-history writes the deletion row from the instance's attributes.
    attribute_change(value, user=by, reason=reason)
    value.delete()


@transaction.atomic
def compute_indicator(*, indicator: Indicator, as_of: date, by: Any = None) -> IndicatorValue:
    """Compute a computed indicator's figure for ``as_of`` and store it as that date's
    value (replacing an earlier computation of the same date)."""
    if not indicator.is_computed:
        raise MizanError(
            _("This indicator's values are entered by hand; it cannot be computed."),
            code="manual_indicator",
        )
    figure = get_figure(indicator.computation)
    value = figure.compute(indicator.action, as_of)
    source = _("computed: %(figure)s") % {"figure": figure.label}
    record = indicator.values.filter(measured_on=as_of).first() or IndicatorValue(
        indicator=indicator, measured_on=as_of
    )
    if record.pk is not None and record.value == value and record.source == source:
        return record
    record.value = value
    record.source = source[:300]
    record.recorded_by = by if getattr(by, "is_authenticated", False) else None
    attribute_change(record, user=by)
    record.save()
    return record


# --- Progress reports ------------------------------------------------------------------

REPORT_FIELDS = ("period_start", "period_end", "summary", "difficulties", "next_steps")
EDITABLE_REPORT_STATUSES = (ProgressReportStatus.DRAFT, ProgressReportStatus.RETURNED)


def _check_report(report: ProgressReport) -> None:
    report.summary = (report.summary or "").strip()
    report.difficulties = (report.difficulties or "").strip()
    report.next_steps = (report.next_steps or "").strip()
    if report.period_start is None:
        raise MizanError(_("Give the first day of the period."), field="period_start")
    if report.period_end is None:
        raise MizanError(_("Give the last day of the period."), field="period_end")
    if report.period_end < report.period_start:
        raise MizanError(
            _("The period cannot end before it starts."), field="period_end", code="invalid_period"
        )
    if not report.summary:
        raise MizanError(_("Say what was done in the period."), field="summary")


def _refuse_locked(report: ProgressReport) -> None:
    if report.is_locked:
        raise MizanError(
            _("An approved report cannot change; write a correction instead."), code="locked"
        )


def _refuse_unless_editable(report: ProgressReport) -> None:
    """Only a draft or a returned report changes (its text or its evidence)."""
    _refuse_locked(report)
    if report.status not in EDITABLE_REPORT_STATUSES:
        raise MizanError(
            _("A submitted report can no longer be changed; wait for its review."),
            code="not_editable",
        )


@transaction.atomic
def draft_progress_report(
    *,
    action: Action,
    period_start: date,
    period_end: date,
    summary: str,
    difficulties: str = "",
    next_steps: str = "",
    by: Any = None,
) -> ProgressReport:
    """Start a report on the action's progress over a period, as a draft of ``by``."""
    report = ProgressReport(
        action=action,
        period_start=period_start,
        period_end=period_end,
        summary=summary,
        difficulties=difficulties,
        next_steps=next_steps,
        author=by if getattr(by, "is_authenticated", False) else None,
    )
    _check_report(report)
    attribute_change(report, user=by)
    report.save()
    return report


@transaction.atomic
def update_progress_report(
    *, report: ProgressReport, by: Any = None, **changes: Any
) -> ProgressReport:
    """Change a draft or returned report."""
    _refuse_unless_editable(report)
    unknown = set(changes) - set(REPORT_FIELDS)
    if unknown:
        raise MizanError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in changes.items():
        setattr(report, name, value)
    _check_report(report)
    attribute_change(report, user=by)
    report.save()
    return report


@transaction.atomic
def submit_progress_report(*, report: ProgressReport, by: Any = None) -> ProgressReport:
    """Send a draft (or a returned report, once changed) to the coordinators for review."""
    _refuse_locked(report)
    if report.status not in EDITABLE_REPORT_STATUSES:
        raise MizanError(_("This report has already been submitted."), code="invalid_transition")
    _check_report(report)
    report.status = ProgressReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    attribute_change(report, user=by, reason=_("Submitted for review"))
    report.save()
    return report


def _check_reviewer(report: ProgressReport, by: Any) -> None:
    _refuse_locked(report)
    if report.status != ProgressReportStatus.SUBMITTED:
        raise MizanError(_("Only a submitted report can be reviewed."), code="invalid_transition")
    if by is None or not is_coordinator.test(by):
        raise MizanError(_("Only a coordinator reviews progress reports."), code="forbidden")
    if report.author_id is not None and report.author_id == by.pk:
        raise MizanError(
            _("A report is reviewed by someone other than its author."), code="four_eyes"
        )


@transaction.atomic
def approve_progress_report(
    *, report: ProgressReport, by: Any, comment: str = ""
) -> ProgressReport:
    """A coordinator who did not write the report approves it; it never changes again."""
    _check_reviewer(report, by)
    comment = (comment or "").strip()
    report.status = ProgressReportStatus.APPROVED
    report.reviewed_by = by
    report.reviewed_at = timezone.now()
    report.review_comment = comment
    attribute_change(report, user=by, reason=comment or _("Approved"))
    report.save()
    return report


@transaction.atomic
def return_progress_report(*, report: ProgressReport, by: Any, comment: str) -> ProgressReport:
    """A coordinator who did not write the report sends it back, saying what to change."""
    _check_reviewer(report, by)
    comment = (comment or "").strip()
    if not comment:
        raise MizanError(_("Say what should change in the report."), field="comment")
    report.status = ProgressReportStatus.RETURNED
    report.reviewed_by = by
    report.reviewed_at = timezone.now()
    report.review_comment = comment
    attribute_change(report, user=by, reason=comment)
    report.save()
    return report


@transaction.atomic
def correct_progress_report(*, report: ProgressReport, by: Any = None) -> ProgressReport:
    """Start a correction of an approved report: a new draft, copied from it, that names
    the report it corrects. The approved report stays as it was."""
    if not report.is_locked:
        raise MizanError(
            _("Only an approved report is corrected; change this one directly."),
            code="not_approved",
        )
    correction = ProgressReport(
        action=report.action,
        period_start=report.period_start,
        period_end=report.period_end,
        summary=report.summary,
        difficulties=report.difficulties,
        next_steps=report.next_steps,
        corrects=report,
        author=by if getattr(by, "is_authenticated", False) else None,
    )
    attribute_change(
        correction,
        user=by,
        reason=_("Correction of the report of %(period)s")
        % {"period": f"{report.period_start} – {report.period_end}"},
    )
    correction.save()
    evidence = list(report.evidence.all())
    if evidence:
        attribute_change(correction, user=by)
        correction.evidence.set(evidence)
    return correction


@transaction.atomic
def attach_report_evidence(
    *, report: ProgressReport, upload: Any, description: str = "", by: Any = None
) -> EvidenceFile:
    """Check and store an uploaded file and link it to a report still being written."""
    _refuse_unless_editable(report)
    evidence = store_evidence(upload=upload, by=by, description=description)
    attribute_change(report, user=by)
    report.evidence.add(evidence)
    return evidence
