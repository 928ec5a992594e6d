"""The reports hub, the follow-up report form and a report job's page and file: who may
see what."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from mizan.accounts.enums import Role
from mizan.reports.enums import JobStatus, ReportKind
from mizan.reports.models import ReportJob
from tests.factories import (
    RecommendationFactory,
    SourceDocumentFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def document():
    document = SourceDocumentFactory(symbol="CAT/C/MAR/CO/5")
    RecommendationFactory(document=document, paragraph="12", text="Investigate all allegations.")
    return document


def job_of(user, document, status=JobStatus.QUEUED, **fields):
    job = ReportJob.objects.create(
        kind=ReportKind.FOLLOW_UP,
        document=document,
        language="en",
        format="xlsx",
        requested_by=user,
        status=status,
        **fields,
    )
    if status == JobStatus.DONE:
        job.file.save("report.xlsx", ContentFile(b"PK-xlsx-bytes"), save=False)
        job.filename = "follow-up-cat-c-mar-co-5-en.xlsx"
        job.save()
    return job


# --- The hub ------------------------------------------------------------------------------


def test_a_member_sees_the_hub_with_their_recent_jobs(client, viewer, coordinator, document):
    mine = job_of(viewer, document)
    theirs = job_of(coordinator, document)
    client.force_login(viewer)

    response = client.get(reverse("staff:reports"))

    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("staff:report_job", args=[mine.pk]) in content
    assert reverse("staff:report_job", args=[theirs.pk]) not in content
    # A viewer is not offered the follow-up report.
    assert reverse("staff:followup_report_new") not in content


def test_the_hub_links_to_the_dashboards_and_the_form_for_a_coordinator(coordinator_client):
    content = coordinator_client.get(reverse("staff:reports")).content.decode()

    assert reverse("staff:followup_report_new") in content
    assert reverse("staff:recommendation_dashboard") in content
    assert reverse("staff:training_dashboard") in content


def test_someone_with_no_membership_is_refused_the_hub(outsider_client):
    assert outsider_client.get(reverse("staff:reports")).status_code == 403


# --- Asking for the follow-up report ------------------------------------------------------


def test_a_coordinator_asks_for_the_report_and_follows_it_to_its_file(
    coordinator_client, document, django_capture_on_commit_callbacks
):
    url = reverse("staff:followup_report_new")
    assert coordinator_client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            url, {"document": document.pk, "language": "fr", "format": "docx"}
        )

    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:report_job", args=[job.pk])
    page = coordinator_client.get(response["Location"]).content.decode()
    assert reverse("staff:report_job_download", args=[job.pk]) in page
    download = coordinator_client.get(reverse("staff:report_job_download", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert "follow-up-cat-c-mar-co-5-fr.docx" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"PK")
    download.close()


def test_a_focal_point_may_not_ask_for_the_follow_up_report(client, focal_point, document):
    client.force_login(focal_point)
    url = reverse("staff:followup_report_new")

    assert client.get(url).status_code == 403
    response = client.post(url, {"document": document.pk, "language": "en", "format": "pdf"})
    assert response.status_code == 403
    assert not ReportJob.objects.exists()


def test_the_form_refuses_a_language_not_offered(coordinator_client, document):
    response = coordinator_client.post(
        reverse("staff:followup_report_new"),
        {"document": document.pk, "language": "de", "format": "pdf"},
    )

    assert response.status_code == 200
    assert not ReportJob.objects.exists()


# --- A job's page and its file --------------------------------------------------------------


def test_a_waiting_job_shows_a_progress_bar_that_polls(coordinator_client, coordinator, document):
    job = job_of(coordinator, document, status=JobStatus.RUNNING, progress=40, step="Summing up")

    response = coordinator_client.get(reverse("staff:report_job", args=[job.pk]))

    content = response.content.decode()
    assert '<progress id="job-progress" max="100" value="40">' in content.replace(
        ' aria-label="Progress of the report"', ""
    )
    assert 'hx-trigger="every 2s"' in content
    assert "Summing up" in content


def test_htmx_gets_only_the_status_block(coordinator_client, coordinator, document):
    job = job_of(coordinator, document)

    response = coordinator_client.get(
        reverse("staff:report_job", args=[job.pk]), headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert content.lstrip().startswith('<div id="job-status"')
    assert "<h1>" not in content


def test_a_finished_job_stops_polling(coordinator_client, coordinator, document):
    job = job_of(coordinator, document, status=JobStatus.DONE, progress=100)

    content = coordinator_client.get(reverse("staff:report_job", args=[job.pk])).content.decode()

    assert "hx-trigger" not in content
    assert reverse("staff:report_job_download", args=[job.pk]) in content


def test_a_failed_job_shows_its_error(coordinator_client, coordinator, document):
    job = job_of(coordinator, document, status=JobStatus.FAILED, error="The report was too long.")

    content = coordinator_client.get(reverse("staff:report_job", args=[job.pk])).content.decode()

    assert "The report was too long." in content
    assert reverse("staff:report_job_download", args=[job.pk]) not in content


def test_another_member_may_not_see_or_download_someones_job(client, viewer, document):
    focal = user_with_role(Role.FOCAL_POINT, username="other-focal")
    job = job_of(focal, document, status=JobStatus.DONE)
    client.force_login(viewer)

    assert client.get(reverse("staff:report_job", args=[job.pk])).status_code == 403
    assert client.get(reverse("staff:report_job_download", args=[job.pk])).status_code == 403


def test_a_coordinator_may_read_anyones_job(coordinator_client, viewer, document):
    job = job_of(viewer, document, status=JobStatus.DONE)

    assert coordinator_client.get(reverse("staff:report_job", args=[job.pk])).status_code == 200
    download = coordinator_client.get(reverse("staff:report_job_download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"PK-xlsx-bytes"
    download.close()


def test_someone_with_no_membership_is_refused_a_job(outsider_client, coordinator, document):
    job = job_of(coordinator, document, status=JobStatus.DONE)

    assert outsider_client.get(reverse("staff:report_job", args=[job.pk])).status_code == 403
    download = outsider_client.get(reverse("staff:report_job_download", args=[job.pk]))
    assert download.status_code == 403


def test_a_job_not_done_has_no_file_to_download(coordinator_client, coordinator, document):
    job = job_of(coordinator, document, status=JobStatus.RUNNING)

    response = coordinator_client.get(reverse("staff:report_job_download", args=[job.pk]))

    assert response.status_code == 404


def test_an_unknown_job_is_not_found(coordinator_client):
    assert coordinator_client.get(reverse("staff:report_job", args=[999999])).status_code == 404
