"""Background jobs of the reports: computing the training figures again."""

from __future__ import annotations

from django.tasks import task

from mizan.reports.rollup import refresh_stale


@task()
def refresh_figures(everything: bool = False) -> int:
    """Compute again the stale training figures (every session's with ``everything``),
    so that the dashboard's first reader after a bulk load does not wait. Returns how
    many sessions were computed."""
    return refresh_stale(everything=everything)
