"""Asking for a report from the web, and the background job that writes it.

:func:`request_report` records a :class:`~mizan.reports.models.ReportJob` and hands it to
the task worker once the transaction commits; :func:`run_report_job` (the task's body)
writes the file, telling the job's ``progress`` and ``step`` as it goes so that the
job's page can show a progress bar, and always ends the job ``done`` or ``failed``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mizan.audit.history import attribute_change
from mizan.core.errors import MizanError, Refused
from mizan.core.languages import INTERFACE_LANGUAGES
from mizan.recommendations.models import SourceDocument
from mizan.reports.documents import ReportFile
from mizan.reports.enums import JobStatus, ReportFormat, ReportKind
from mizan.reports.models import ReportJob
from mizan.training.models import CurriculumVersion, TrainingSession

logger = logging.getLogger(__name__)

#: Share of the progress bar given to gathering the figures; the rest is writing.
GATHERING = 80


def request_report(
    user: Any,
    *,
    kind: str,
    document: SourceDocument | None = None,
    session: TrainingSession | None = None,
    version: CurriculumVersion | None = None,
    language: str,
    format: str,
) -> ReportJob:
    """Record ``user``'s request for a report and queue the job that writes it."""
    if kind not in ReportKind.values:
        raise MizanError(_("Choose a kind of report."), field="kind")
    if language not in INTERFACE_LANGUAGES:
        raise MizanError(
            _("Choose one of these languages: %(languages)s.")
            % {"languages": ", ".join(INTERFACE_LANGUAGES)},
            field="language",
        )
    if format not in ReportFormat.values:
        raise MizanError(
            _("Choose one of these formats: %(formats)s.")
            % {"formats": ", ".join(ReportFormat.values)},
            field="format",
        )
    if kind == ReportKind.FOLLOW_UP:
        if document is None:
            raise MizanError(_("Choose the document to report on."), field="document")
        if not user.has_perm("reports.write_followup_report"):
            raise Refused(_("Only a coordinator writes the follow-up report to the UN."))
        session = version = None
    elif kind == ReportKind.SESSION:
        if session is None:
            raise MizanError(_("Choose the session to report on."), field="session")
        # The session report hides no small group and lists the evaluation comments:
        # for those who see the session's people, as its download page.
        if not user.has_perm("training.view_roster", session):
            raise Refused(_("Only the session's organisers and trainers may have its report."))
        document = version = None
    else:
        if version is None:
            raise MizanError(_("Choose the curriculum version to report on."), field="version")
        if not user.has_perm("training.view_curriculum", version):
            raise Refused(_("You may not read this curriculum."))
        document = session = None
    with transaction.atomic():
        job = ReportJob(
            kind=kind,
            document=document,
            session=session,
            version=version,
            language=language,
            format=format,
            requested_by=user,
            step=_("Waiting for its turn"),
        )
        attribute_change(job, user=user, reason="Report requested")
        job.save()
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(job_id))
    return job


def _enqueue(job_id: int) -> None:
    from mizan.reports.jobs import write_report  # the task module imports this one

    write_report.enqueue(job_id)


def _tell(job_id: int, progress: int, step: str) -> None:
    # An update, not a save: progress is not audited, and the page polls it.
    ReportJob.objects.filter(pk=job_id).update(progress=max(0, min(100, progress)), step=step[:200])


def _finish(job: ReportJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.finished_at = timezone.now()
    job.save(update_fields=[*fields, "finished_at"])


def write_job_file(job: ReportJob, tell: Callable[[int, str], None]) -> ReportFile:
    """The file the job asks for; ``tell(percent, step)`` reports progress."""
    if job.kind == ReportKind.FOLLOW_UP:
        from mizan.reports.followup import follow_up_report
        from mizan.reports.followup_writers import write_follow_up

        assert job.document is not None

        def gathered(done: int, total: int, step: str) -> None:
            tell(round(GATHERING * done / max(total, 1)), step)

        report = follow_up_report(job.document, language=job.language, progress=gathered)
        tell(GATHERING, _("Writing the file"))
        return write_follow_up(report, job.format)

    from mizan.reports import training_reports

    tell(GATHERING // 2, _("Writing the file"))
    if job.kind == ReportKind.SESSION:
        return training_reports.session_report_file(
            job.session, language=job.language, format=job.format
        )
    return training_reports.version_report_file(
        job.version, language=job.language, format=job.format
    )


def run_report_job(job_id: int) -> ReportJob:
    """Write the report of job ``job_id``: running, then done with its file, or failed
    with a message in the job's language. A job already done is left as it is."""
    job = ReportJob.objects.select_related("document", "session", "version").get(pk=job_id)
    if job.status == JobStatus.DONE:
        return job
    with translation.override(job.language):
        job.status = JobStatus.RUNNING
        job.error = ""
        job.save(update_fields=["status", "error"])
        _tell(job_id, 0, _("Started"))
        try:
            report_file = write_job_file(job, lambda percent, step: _tell(job_id, percent, step))
            _tell(job_id, 95, _("Saving the file"))
            job.file.save(report_file.filename, ContentFile(report_file.content), save=False)
        except MizanError as error:
            _finish(job, status=JobStatus.FAILED, error=str(error.message))
        except Exception:
            # Whatever went wrong, the job must not stay "running" for ever: the page
            # would poll it for ever. The trace goes to the log, a plain message to the user.
            logger.exception("Report job %s failed", job_id)
            _finish(
                job,
                status=JobStatus.FAILED,
                error=_(
                    "The report could not be written. Try again later; if it fails again, "
                    "tell an administrator."
                ),
            )
        else:
            _finish(
                job,
                status=JobStatus.DONE,
                filename=report_file.filename,
                file=job.file.name,
            )
            _tell(job_id, 100, _("Ready"))
    job.refresh_from_db()
    return job
