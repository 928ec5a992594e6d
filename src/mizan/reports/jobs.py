"""Background jobs of the reports app: writing a report asked for from the web.

(``reports/tasks.py`` holds other tasks; this one is kept apart.)"""

from __future__ import annotations

from django.tasks import task

from mizan.reports.services import run_report_job


@task()
def write_report(job_id: int) -> str:
    """Write the report of job ``job_id``; returns the job's final status."""
    return str(run_report_job(job_id).status)
