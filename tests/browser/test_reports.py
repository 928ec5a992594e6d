"""Figures and reports in the browser, in Arabic (right to left) and French, on the demo:
the recommendations and training dashboards with a filter (and, for training, a
breakdown), the follow-up report to the UN asked for from the reports hub and followed on
its job page until its file is downloaded, and a session's report downloaded by its
organiser. Every page on the way is checked with axe-core.

Tasks run at once in tests (``ImmediateBackend``): the job is written while the form is
posted, so its page opens on the finished job. The progress bar and its polling are
checked on a job recorded as waiting, written by the test while the page polls it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from mizan.core.demo.content import CMW_SYMBOL
from mizan.core.demo.sessions import SESSIONS
from mizan.recommendations.models import Recommendation, SourceDocument
from mizan.reports.enums import JobStatus, ReportFormat, ReportKind
from mizan.reports.models import ReportJob
from mizan.reports.services import run_report_job
from mizan.training.models import TrainingSession
from tests.browser.conftest import assert_accessible, expect_language

#: Writing a PDF of the whole CMW document takes a while on a busy machine.
WRITING = 90_000


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> None:
    """Report files are written under the test's own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


def expect_page(page: Page, language: str) -> None:
    """The page is in ``language``, has one main heading and no serious accessibility
    problem."""
    expect_language(page, language)
    expect(page.locator("main h1")).to_have_count(1)
    assert_accessible(page)


def numbers(cells: Locator) -> list[int]:
    """The whole numbers the cells show (the charts write digits in every language)."""
    return [int(re.sub(r"\D", "", text) or 0) for text in cells.all_inner_texts()]


def chart_values(page: Page, identifier: str) -> list[int]:
    return numbers(page.locator(f"#{identifier} tbody td.num"))


def expect_pdf(path: str | Path | None) -> None:
    assert path is not None
    content = Path(path).read_bytes()
    assert content.startswith(b"%PDF-"), content[:20]
    assert len(content) > 1000


# --- 1. The recommendations dashboard --------------------------------------------------------


def test_coordinator_filters_the_recommendations_dashboard(
    page, live_server, log_in, coordinator_account, demo, language
):
    everything = Recommendation.objects.count()
    of_cmw = Recommendation.objects.filter(document__mechanism__code="CMW").count()
    assert 0 < of_cmw < everything

    log_in(coordinator_account)
    page.locator("nav.main-nav a[href$='/staff/reports/']").click()
    expect(page).to_have_url(re.compile(r"/staff/reports/$"))
    page.locator("main a[href$='/staff/dashboards/recommendations/']").click()
    expect(page).to_have_url(re.compile(r"/staff/dashboards/recommendations/$"))
    expect_page(page, language)

    # Every recommendation counts once by the state's assessment; both mechanisms show.
    assert sum(chart_values(page, "chart-state-status")) == everything
    mechanisms = page.locator("#chart-mechanism tbody tr")
    expect(mechanisms).to_have_count(
        Recommendation.objects.values("document__mechanism").distinct().count()
    )
    expect(page.locator("#chart-mechanism a[href$='?mechanism=CMW']")).to_have_count(1)
    # The bars are drawn, hidden from screen readers, which read the table.
    expect(page.locator("#chart-state-status svg.chart-bar[aria-hidden=true]")).not_to_have_count(0)

    # One mechanism: the figures count its recommendations only.
    filters = page.locator("main form[aria-labelledby=filters-heading]")
    filters.locator("#id_mechanism").select_option("CMW")
    filters.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"[?&]mechanism=CMW(&|$)"))
    expect(mechanisms).to_have_count(1)
    expect(mechanisms.locator("td.num")).to_have_text(re.compile(rf"^\D*{of_cmw}\D*$"))
    assert sum(chart_values(page, "chart-state-status")) == of_cmw
    # The document filter now offers the mechanism's documents only.
    expect(filters.locator("#id_mechanism")).to_have_value("CMW")
    documents = SourceDocument.objects.filter(mechanism__code="CMW").count()
    expect(filters.locator("#id_document option")).to_have_count(documents + 1)
    expect_page(page, language)

    # A table's CSV keeps the filter.
    with page.expect_download() as download_info:
        page.locator("#chart-mechanism").locator("xpath=..").locator("a[download]").click()
    download = download_info.value
    assert download.suggested_filename == "recommendations-mechanism.csv"
    lines = Path(download.path()).read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith('"CMW')


# --- 2. The training dashboard ---------------------------------------------------------------


def test_coordinator_breaks_down_the_training_figures(
    page, live_server, log_in, coordinator_account, demo, language
):
    first = TrainingSession.objects.get(title=SESSIONS[0].title)

    log_in(coordinator_account)
    page.locator("nav.main-nav a[href$='/staff/reports/']").click()
    page.locator("main a[href$='/staff/dashboards/training/']").click()
    expect(page).to_have_url(re.compile(r"/staff/dashboards/training/$"))
    expect(page.locator("#breakdown")).to_have_count(0)
    expect_page(page, language)
    trained = page.locator("#participation .summary-grid .figure").nth(1)
    everyone = numbers(trained)[0]
    assert everyone > 0

    # The first session only, by sex.
    filters = page.locator("main form[aria-labelledby=filters-heading]")
    filters.locator("#id_sessions").fill(str(first.pk))
    filters.locator("#id_breakdown").select_option("sex")
    filters.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"[?&]breakdown=sex(&|$)"))
    expect(filters.locator("#id_sessions")).to_have_value(str(first.pk))
    in_first = numbers(trained)[0]
    assert 0 < in_first < everyone
    assert in_first <= SESSIONS[0].participants
    # One row a sex, in the table and in the chart; the coordinator sees every roster,
    # so nothing is hidden and the groups add up to the total.
    groups = page.locator("#breakdown tbody tr")
    expect(groups).to_have_count(2)
    expect(page.locator("#chart-participation tbody tr")).to_have_count(2)
    expect(page.locator("#breakdown td[colspan]")).to_have_count(0)
    assert sum(numbers(groups.locator("td:first-of-type"))) == in_first
    expect_page(page, language)

    # The breakdown downloads as CSV, with the filters.
    with page.expect_download() as download_info:
        page.locator("main .page-head a[href*='/staff/dashboards/training/breakdown.csv']").click()
    download = download_info.value
    assert download.suggested_filename == "training-figures-sex.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert len(text.strip().splitlines()) >= 3  # a header, then at least both groups


# --- 3. The follow-up report, from the hub to its file ---------------------------------------


def test_coordinator_asks_for_the_follow_up_report_and_downloads_it(
    page, live_server, log_in, coordinator_account, demo, language
):
    document = SourceDocument.objects.get(symbol=CMW_SYMBOL)

    log_in(coordinator_account)
    page.locator("nav.main-nav a[href$='/staff/reports/']").click()
    expect(page).to_have_url(re.compile(r"/staff/reports/$"))
    expect(page.locator("main section[aria-labelledby=jobs-heading] table")).to_have_count(0)
    expect_page(page, language)

    page.locator("main a[href$='/staff/reports/follow-up/new/']").click()
    expect(page).to_have_url(re.compile(r"/staff/reports/follow-up/new/$"))
    form = page.locator("main form[method=post]")
    # The report is offered in the interface's language first.
    expect(form.locator("#id_language")).to_have_value(language)
    expect(form.locator("#id_format")).to_have_value(ReportFormat.PDF)
    expect_page(page, language)
    form.locator("#id_document").select_option(str(document.pk))
    form.locator("button[type=submit]").click()

    # The job is written while the form is posted; its page opens on the finished job.
    expect(page).to_have_url(re.compile(r"/staff/reports/jobs/\d+/$"), timeout=WRITING)
    job = ReportJob.objects.get()
    assert (job.kind, job.document_id, job.language, job.format, job.requested_by_id) == (
        ReportKind.FOLLOW_UP,
        document.pk,
        language,
        ReportFormat.PDF,
        coordinator_account.pk,
    )
    assert job.status == JobStatus.DONE, job.error
    expect(page).to_have_url(re.compile(rf"/staff/reports/jobs/{job.pk}/$"))
    status = page.locator("#job-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).not_to_have_attribute("hx-get", re.compile(".*"))  # no more polling
    expect(status.locator("progress")).to_have_attribute("value", "100")
    link = status.locator(f"a[href$='/staff/reports/jobs/{job.pk}/download/']")
    expect(link).to_have_count(1)
    expect(status).to_contain_text(job.filename)
    expect_page(page, language)

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == job.filename
    assert download.suggested_filename.endswith(".pdf")
    expect_pdf(download.path())

    # The hub lists it among the coordinator's reports.
    page.locator("main a[href$='/staff/reports/']").first.click()
    jobs = page.locator("main section[aria-labelledby=jobs-heading] tbody tr")
    expect(jobs).to_have_count(1)
    expect(jobs.locator(f"a[href$='/staff/reports/jobs/{job.pk}/']")).to_have_count(1)
    expect(jobs).to_contain_text(CMW_SYMBOL)
    expect_page(page, language)


def test_the_job_page_shows_progress_then_the_file(
    page, live_server, log_in, coordinator_account, demo, language
):
    """A job still waiting: its page shows a progress bar and asks for its status again
    every two seconds; once the job is written, the status turns into the link."""
    session = TrainingSession.objects.get(title=SESSIONS[0].title)
    job = ReportJob.objects.create(
        kind=ReportKind.SESSION,
        session=session,
        language=language,
        format=ReportFormat.PDF,
        requested_by=coordinator_account,
        step="Waiting for its turn",
    )

    log_in(coordinator_account)
    page.goto(f"{live_server.url}/staff/reports/jobs/{job.pk}/")
    status = page.locator("#job-status")
    expect(status).to_have_attribute("hx-get", re.compile(rf"/staff/reports/jobs/{job.pk}/$"))
    expect(status.locator("#job-progress")).to_have_attribute("value", "0")
    expect(status.locator("a[download]")).to_have_count(0)
    expect_page(page, language)

    run_report_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error

    link = status.locator(f"a[href$='/staff/reports/jobs/{job.pk}/download/']")
    expect(link).to_have_count(1, timeout=15_000)
    expect(status.locator("#job-progress")).to_have_count(0)
    expect(status.locator("progress")).to_have_attribute("value", "100")
    expect(status).not_to_have_attribute("hx-get", re.compile(".*"))
    expect_page(page, language)
    with page.expect_download() as download_info:
        link.click()
    expect_pdf(download_info.value.path())


# --- 4. A session's report, from the session's page ------------------------------------------


def test_organiser_downloads_the_session_report(page, live_server, log_in_as, demo, language):
    session = TrainingSession.objects.get(title=SESSIONS[0].title)

    log_in_as("focal.police")
    page.locator("nav.main-nav a[href$='/staff/sessions/']").click()
    page.locator(f"main a[href$='/staff/sessions/{session.pk}/']").first.click()
    expect(page).to_have_url(re.compile(rf"/staff/sessions/{session.pk}/$"))
    downloads = page.locator("main .report-downloads")
    expect(downloads.locator("a[download]")).to_have_count(3)
    expect_page(page, language)

    with page.expect_download(timeout=WRITING) as download_info:
        downloads.locator(f"a[href$='/staff/sessions/{session.pk}/report.pdf']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    expect_pdf(download.path())
