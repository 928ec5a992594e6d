"""Asking for a report from the web: the job goes from waiting to done with its file, or
ends failed with a message; never left running."""

from __future__ import annotations

import pytest

from mizan.core.errors import MizanError, Refused
from mizan.reports.enums import JobStatus, ReportKind
from mizan.reports.models import ReportJob
from mizan.reports.services import request_report, run_report_job
from tests.factories import RecommendationFactory, SourceDocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def document():
    document = SourceDocumentFactory(symbol="CAT/C/MAR/CO/5")
    RecommendationFactory(document=document, paragraph="12", text="Investigate all allegations.")
    return document


def ask(user, document, format="xlsx", language="en"):
    return request_report(
        user, kind=ReportKind.FOLLOW_UP, document=document, language=language, format=format
    )


def test_a_job_is_queued_until_the_transaction_commits(coordinator, document):
    job = ask(coordinator, document)

    assert job.status == JobStatus.QUEUED
    assert job.requested_by == coordinator


def test_the_job_goes_to_done_with_progress_100_and_a_file(
    coordinator, document, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = ask(coordinator, document, format="pdf", language="ar")

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.progress == 100
    assert job.finished_at is not None
    assert job.filename == "follow-up-cat-c-mar-co-5-ar.pdf"
    with job.file.open("rb") as stored:
        assert stored.read(4) == b"%PDF"
    statuses = [record.status for record in job.history.order_by("history_id")]
    assert statuses == [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE]


def test_a_job_that_breaks_ends_failed_with_a_message(coordinator, document, monkeypatch):
    job = ask(coordinator, document)

    def broken(report, format):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("mizan.reports.followup_writers.write_follow_up", broken)
    run_report_job(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "could not be written" in job.error
    assert "disk on fire" not in job.error
    assert not job.file


def test_a_refused_report_ends_failed_with_its_own_message(coordinator, document, monkeypatch):
    job = ask(coordinator, document, language="fr")

    def refused(report, format):
        raise MizanError("Le rapport est trop long.")

    monkeypatch.setattr("mizan.reports.followup_writers.write_follow_up", refused)
    run_report_job(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "Le rapport est trop long."


def test_a_focal_point_may_not_ask_for_the_follow_up_report(focal_point, document):
    with pytest.raises(Refused):
        ask(focal_point, document)
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize(
    ("language", "format", "field"),
    [("de", "pdf", "language"), ("en", "odt", "format")],
)
def test_a_language_or_format_not_offered_is_refused(
    coordinator, document, language, format, field
):
    with pytest.raises(MizanError) as refused:
        ask(coordinator, document, format=format, language=language)
    assert refused.value.field == field
