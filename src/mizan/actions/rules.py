"""Who may read and change actions, indicators and progress reports.

Every member reads actions (they are the state's accountable work, not personal data).
Coordinators change any action; a focal point changes the actions their institution (or
a unit below it) leads. Progress reports are drafted and submitted by whoever may change
the action, and approved or returned by a coordinator who did not write them. Approved
reports change for no one.
"""

from __future__ import annotations

from typing import Any

import rules

from mizan.accounts.enums import Role
from mizan.accounts.rules import is_coordinator, is_focal_point, is_member
from mizan.actions.enums import ProgressReportStatus
from mizan.institutions.queries import institutions_acted_for


@rules.predicate
def is_focal_point_of_lead(user: Any, action: Any) -> bool:
    if action is None:
        return False
    return action.lead_institution_id in institutions_acted_for(user, Role.FOCAL_POINT)


can_change_action = is_coordinator | is_focal_point_of_lead


@rules.predicate
def is_editable_report(user: Any, report: Any) -> bool:
    return report is not None and report.status in (
        ProgressReportStatus.DRAFT,
        ProgressReportStatus.RETURNED,
    )


@rules.predicate
def is_submitted_report(user: Any, report: Any) -> bool:
    return report is not None and report.status == ProgressReportStatus.SUBMITTED


@rules.predicate
def is_report_author(user: Any, report: Any) -> bool:
    return report is not None and report.author_id == user.pk


@rules.predicate
def may_change_reported_action(user: Any, report: Any) -> bool:
    return report is not None and can_change_action.test(user, report.action)


rules.add_perm("actions.view_action", is_member)
rules.add_perm("actions.add_action", is_coordinator | is_focal_point)
rules.add_perm("actions.change_action", can_change_action)
rules.add_perm("actions.add_indicatorvalue", can_change_action)
rules.add_perm("actions.add_progressreport", can_change_action)
rules.add_perm("actions.view_progressreport", is_member)
rules.add_perm("actions.change_progressreport", is_editable_report & may_change_reported_action)
rules.add_perm(
    "actions.review_progressreport", is_coordinator & is_submitted_report & ~is_report_author
)
