"""Who may ask for reports and read them.

Any member reads the reports hub and writes the reports of what they may already read.
The follow-up report to the UN speaks for the NHRI, so only a coordinator (or an
administrator) writes it; a focal point, who speaks for the state's institution, may
not. A report asked for from the web is kept for the person who asked, and any
coordinator may read it too.
"""

from __future__ import annotations

from typing import Any

import rules

from mizan.accounts.rules import is_coordinator, is_member


@rules.predicate
def asked_for_report(user: Any, job: Any) -> bool:
    """The person who asked for the report job."""
    if job is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(job.requested_by_id == user.pk)


can_view_reports = is_member
can_write_followup_report = is_coordinator
can_view_report_job = is_member & (asked_for_report | is_coordinator)

rules.add_perm("reports.view_reports", can_view_reports)
rules.add_perm("reports.write_followup_report", can_write_followup_report)
rules.add_perm("reports.view_reportjob", can_view_report_job)
