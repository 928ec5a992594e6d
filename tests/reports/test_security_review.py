"""Security and privacy review of the reports: report jobs read only by who asked (or a
coordinator), reports of sessions only for their organisers, file names that cannot break
a header, spreadsheets that cannot run formulas, and dashboards and shared reports that
give no figure about fewer than 11 officers."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from mizan.core.errors import Refused
from mizan.reports import training_figures, training_reports
from mizan.reports.enums import JobStatus, ReportKind
from mizan.reports.models import ReportJob
from mizan.reports.services import request_report
from mizan.training import services as training_services
from mizan.training.enums import TestStage
from mizan.training.models import Curriculum, CurriculumVersion, Question
from tests.actions.factories import ActionFactory
from tests.factories import SourceDocumentFactory
from tests.training.analytics_builders import attend, enrol, session_of, take_test
from tests.training.builders import build_version, make_participant, organiser, outsider

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def finished_job(user, document) -> ReportJob:
    job = ReportJob.objects.create(
        kind=ReportKind.FOLLOW_UP,
        document=document,
        language="en",
        format="xlsx",
        requested_by=user,
        status=JobStatus.DONE,
        filename="report.xlsx",
    )
    job.file.save("report.xlsx", ContentFile(b"secret"), save=True)
    return job


def version_with_sessions(by, sexes: list[str], *, questions: int = 2, title: str = "Session"):
    """A published version whose one session trained officers of ``sexes``, all
    present; with ``questions`` per objective on each form."""
    version = build_version(by, code="review", modules=1, objectives=1, questions=2 * questions)
    training_services.publish_version(version=version, by=by)
    training_services.assemble_parallel_forms(
        version=version, per_objective=questions, seed=1, by=by
    )
    session = session_of(
        ActionFactory(kind="training"),
        version,
        starts_on=datetime.date(2026, 3, 2),
        title=title,
        by=by,
    )
    enrolments = []
    for n, sex in enumerate(sexes):
        person = make_participant(by, name_latin=f"Officer {n}", name_arabic="", sex=sex)
        enrolment = enrol(session, person, by)
        attend(enrolment, "present", "present")
        enrolments.append(enrolment)
    return version, session, enrolments


# --- Report jobs -----------------------------------------------------------------------


def test_another_members_job_and_its_file_are_refused(client, coordinator, viewer):
    job = finished_job(coordinator, SourceDocumentFactory())
    client.force_login(viewer)
    for name in ("staff:report_job", "staff:report_job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code in (403, 404)


def test_a_coordinator_reads_another_persons_job(client, coordinator, viewer):
    job = finished_job(viewer, SourceDocumentFactory())
    client.force_login(coordinator)
    response = client.get(reverse("staff:report_job_download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"secret"
    response.close()


def test_a_focal_point_forging_the_post_gets_no_job(client, focal_point):
    document = SourceDocumentFactory()
    client.force_login(focal_point)
    response = client.post(
        reverse("staff:followup_report_new"),
        {"document": document.pk, "language": "en", "format": "pdf"},
    )
    assert response.status_code == 403
    assert not ReportJob.objects.exists()
    with pytest.raises(Refused):
        request_report(
            focal_point, kind=ReportKind.FOLLOW_UP, document=document, language="en", format="pdf"
        )


def test_a_session_report_job_is_only_for_those_who_see_the_sessions_people(coordinator):
    """The session report hides no small group and lists the comments: the download page
    asks ``training.view_roster``, and so must the job."""
    _version, session, _enrolments = version_with_sessions(coordinator, ["female"] * 3)
    stranger = outsider()
    assert stranger.has_perm("training.view_session", session)
    assert not stranger.has_perm("training.view_roster", session)
    with pytest.raises(Refused):
        request_report(
            stranger, kind=ReportKind.SESSION, session=session, language="en", format="xlsx"
        )
    assert not ReportJob.objects.exists()
    job = request_report(
        organiser(), kind=ReportKind.SESSION, session=session, language="en", format="xlsx"
    )
    assert job.pk


# --- File names and spreadsheets ---------------------------------------------------------


def test_a_file_name_cannot_break_the_content_disposition_header(client, coordinator):
    version, _session, _enrolments = version_with_sessions(coordinator, ["female"] * 3)
    # A code written straight to the table, past the form's check.
    Curriculum.objects.filter(pk=version.curriculum_id).update(code='a"b\r\nX-Evil: 1/../c')
    client.force_login(organiser())
    response = client.get(reverse("staff:version_report", args=[version.pk, "xlsx"]))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert "\n" not in header and "\r" not in header
    assert "X-Evil" not in {name for name, _value in response.items()}
    assert header.startswith("attachment;")
    assert '"b' not in header.split("filename", 1)[1][2:]  # no stray quote ends the name


def test_report_spreadsheets_cannot_run_formulas(coordinator):
    formula = '=HYPERLINK("http://evil.example","click")'
    version, _session, _enrolments = version_with_sessions(
        coordinator, ["female"] * 3, title=formula
    )
    report = training_reports.version_report_file(version, language="en", format="xlsx")
    workbook = load_workbook(io.BytesIO(report.content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.value
                if isinstance(cell.value, str):
                    assert not cell.value.startswith("="), cell.value


# --- Shared reports and dashboards ---------------------------------------------------------


def test_the_version_report_hides_a_small_number_of_women(coordinator):
    """Anyone may read the version report: 3 women among 30 must not show as "Women: 3"."""
    version, _session, _enrolments = version_with_sessions(
        coordinator, ["female"] * 3 + ["male"] * 27
    )
    report = training_reports.version_report(version, "en")
    values = {}
    for section in report.sections:
        values.update({str(fact.label): fact.value for fact in section.facts})
    assert values["Women"] is None
    assert values["Men"] is None  # 30 - 27 would give the women
    assert values["women among the officers trained (%)"] is None


def test_per_objective_figures_count_people_not_answers(coordinator):
    """Two officers answering six questions of an objective give twelve answers: the
    share of right answers is still about two people."""
    version, _session, enrolments = version_with_sessions(
        coordinator, ["female", "male"], questions=6
    )
    questions = list(Question.objects.filter(objective__module__version=version))
    for enrolment in enrolments:
        for stage in (TestStage.PRE, TestStage.POST):
            take_test(enrolment, stage, answers=dict.fromkeys(questions, stage == TestStage.POST))
    dashboard = training_figures.training_dashboard(outsider())
    assert dashboard.objectives, "the detail is computed"
    for objective in dashboard.objectives:
        assert objective.pre_answers >= 11  # the old check would have shown it
        assert objective.pre_correct is None and objective.post_correct is None
    report = training_reports.version_report(CurriculumVersion.objects.get(pk=version.pk), "en")
    learning = next(s for s in report.sections if any("objective" in t.title for t in s.tables))
    rows = next(t for t in learning.tables if "objective" in t.title).rows
    assert all(value is None for row in rows for value in row[2:])


def test_a_reader_outside_the_sessions_sees_no_small_total(coordinator):
    """Filtered to one session of 3 officers, the completion and learning are hidden."""
    _version, session, _enrolments = version_with_sessions(coordinator, ["female"] * 3)
    dashboard = training_figures.training_dashboard(
        outsider(), training_figures.Filters(sessions=(session.pk,)), dimension="rank"
    )
    assert dashboard.small_cells_hidden
    assert dashboard.total.completed is None
    assert all(group.trained is None for group in dashboard.groups)
    assert dashboard.women is None and dashboard.men is None
