"""Reports on a training session and on a curriculum version: their figures are those of
``training.analytics``; they name no participant and no suggestion's author; in Arabic
the PDF is drawn right to left, the Word file is ``w:bidi`` and the spreadsheet
right to left, with no formula; the version report lists its changes and the suggestions
behind them, hiding small cells."""

from __future__ import annotations

import datetime
import io
import subprocess
import zipfile
from pathlib import Path
from types import SimpleNamespace

import docx
import pytest
from docx.oxml.ns import qn
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from mizan.core.errors import MizanError
from mizan.reports import training_reports
from mizan.suggestions.services import integration
from mizan.training import analytics
from mizan.training import services as training_services
from mizan.training.enums import EvaluationKind, PlanKept, SessionStatus
from mizan.training.models import Certificate
from mizan.training.services import sessions as session_services
from tests.suggestions.builders import (
    build_review_case,
    decide_and_release,
    from_participant,
    open_round,
)
from tests.training.analytics_builders import evaluate, follow_up, plan, two_session_action
from tests.training.builders import make_session

pytestmark = pytest.mark.django_db

NAMES = ("Amina", "Badr", "Chakib", "Dounia", "Fatima")
COMMENT = "The case studies were the best part."
FORMULA = '=HYPERLINK("http://example.org","x")'
ARABIC_TITLE = "الدورة الأولى بوجدة"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def built():
    """The two-session case of the analytics tests, with evaluations (one comment, one
    comment that looks like a formula), a follow-up answer, an action plan, a
    certificate and a suggestion made at the first session."""
    case = two_session_action()
    first, e = case.first, case.enrolments
    evaluate(first, key="a", overall=5, enrolment=e["A"])
    evaluate(first, key="b", overall=3)
    evaluate(first, kind=EvaluationKind.DAILY, day=1, key="c", overall=4)
    first.evaluations.filter(respondent_key="a").update(comment=COMMENT)
    first.evaluations.filter(respondent_key="b").update(comment=FORMULA)
    follow_up(e["A"], used_at_work=4, plan_kept=PlanKept.YES, colleagues_briefed=6)
    plan(e["A"], 5)
    Certificate.objects.create(enrolment=e["A"], holder_name_latin="Amina")
    for status in (SessionStatus.OPEN, SessionStatus.RUNNING):
        session_services.change_session_status(session=first, status=status, by=None)
    first.refresh_from_db()
    e["B"].refresh_from_db()  # forgets the session it held, still planned
    suggestion = from_participant(e["B"], "Add a role play on the first interview.")
    return SimpleNamespace(case=case, session=first, suggestion=suggestion)


def facts(report) -> dict[str, object]:
    every = {fact.label: fact.value for fact in report.facts}
    for section in report.sections:
        every.update({fact.label: fact.value for fact in section.facts})
    return every


def table(report, title: str):
    return next(t for s in report.sections for t in s.tables if t.title == title)


def pdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for t in document.tables:
        parts += [cell.text for row in t.rows for cell in row.cells]
    return "\n".join(parts)


def xlsx_cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


# --- The session report: its figures ------------------------------------------------


def test_the_session_report_gives_the_figures_of_training_analytics(built):
    results = analytics.training_results(analytics.one_session(built.session))
    report = training_reports.session_report(built.session, "en")
    said = facts(report)

    assert said["officers trained (attended at least one half-day)"] == 3
    assert said["completed the course"] == results.participation.completed == 1
    assert said["Mean pre-test score (%)"] == results.learning.mean_pre
    assert said["Mean post-test score (%)"] == results.learning.mean_post
    assert said["Mean gain (points)"] == results.learning.mean_gain
    assert said["Mean normalised gain (%)"] == results.learning.mean_normalised_gain
    assert said["Answers to the end-of-course evaluation"] == results.reaction.final.responses
    assert said["Answers to the follow-up survey"] == 1
    assert said["Certificates issued"] == 1


def test_the_session_report_counts_attendance_at_each_half_day(built):
    report = training_reports.session_report(built.session, "en")
    rows = table(report, "Attendance rate at each half-day").rows

    assert len(rows) == 6
    # First half-day: A, B, C present, D absent, of 4 approved.
    assert rows[0][2:] == [3, 0, 0, 1, 0, analytics.share(3, 4)]
    # Third half-day: B late; fifth: B absent, C excused.
    assert rows[2][3] == 1
    assert rows[4][4:6] == [1, 2]


def test_the_session_report_gives_the_pass_rate_of_the_post_test(built):
    said = facts(training_reports.session_report(built.session, "en"))

    # Post-tests of A (80), B (50), C (90) against 60: two of three pass.
    assert said["Post-tests submitted"] == 3
    assert said["Pass rate of the post-test (%)"] == analytics.share(2, 3)


def test_the_session_report_lists_comments_and_suggestions_without_names(built):
    report = training_reports.session_report(built.session, "en")
    comments = table(report, "Comments").rows
    suggestions = table(report, "Suggestions made at the session").rows

    assert [str(text) for _label, text in comments] == [COMMENT, FORMULA]
    assert suggestions[0][0] == built.suggestion.reference
    assert str(suggestions[0][1]) == "Add a role play on the first interview."
    everything = repr(report)
    assert not any(name in everything for name in NAMES)


def test_the_session_report_gives_a_released_decision_outcome(nhri, coordinator):
    case = build_review_case(nhri=nhri, coordinator=coordinator)
    suggestion = from_participant(case.enrolments[0])
    decide_and_release(case, open_round(case, [suggestion]))

    rows = table(
        training_reports.session_report(case.session, "en"), "Suggestions made at the session"
    ).rows

    assert rows[0][0] == suggestion.reference
    assert rows[0][4] == "Accepted"
    assert case.enrolments[0].participant.name_latin not in repr(rows)


# --- The session report: the three files ---------------------------------------------


@pytest.mark.parametrize("format", ["pdf", "docx", "xlsx"])
def test_no_participant_is_named_in_any_file(built, format):
    file = training_reports.session_report_file(built.session, language="en", format=format)
    if format == "pdf":
        text = pdf_text(file.content)
        assert "Attendance at each half-day" in text
    elif format == "docx":
        text = docx_text(file.content)
        assert COMMENT in text
    else:
        text = " ".join(str(cell.value) for cell in xlsx_cells(file.content))
        assert COMMENT in text
    assert not any(name in text for name in NAMES)
    assert file.filename == f"session-{built.session.pk}-session-report-en.{format}"


def ink_columns(png: Path, band: tuple[float, float]) -> tuple[int, int, int]:
    """(leftmost, rightmost, width) of the dark pixels of the first line of ink."""
    with Image.open(png) as page:
        grey = page.convert("L")
        width, height = grey.size
        pixels = grey.load()
        dark_rows = [
            y
            for y in range(int(height * band[0]), int(height * band[1]))
            if any(pixels[x, y] < 128 for x in range(width))
        ]
        first = dark_rows[0]
        line = []
        for y in dark_rows:
            if y - first > 40:
                break
            if line and y - line[-1] > 2:
                break
            line.append(y)
        xs = [x for y in line for x in range(width) if pixels[x, y] < 128]
    return min(xs), max(xs), width


def render_first_page(pdf: bytes, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / name)],
        check=True,
    )
    return next(tmp_path.glob(f"{name}-*1.png"))


def test_the_arabic_pdf_is_drawn_right_to_left(built, tmp_path):
    built.session.title = ARABIC_TITLE
    built.session.save(update_fields=["title"])

    file = training_reports.session_report_file(built.session, language="ar", format="pdf")

    assert ARABIC_TITLE in pdf_text(file.content)
    png = render_first_page(file.content, tmp_path, "ar")
    with Image.open(png) as page:
        width, height = page.size
        darkest, lightest = page.convert("L").getextrema()
    assert height > width  # A4 portrait
    assert darkest < 100 < lightest  # ink on the page
    left, right, width = ink_columns(png, (0.0, 0.2))
    assert left > width * 0.45  # the title sits toward the right
    assert right > width * 0.8


def test_the_english_pdf_title_sits_toward_the_left(built, tmp_path):
    file = training_reports.session_report_file(built.session, language="en", format="pdf")
    left, right, width = ink_columns(render_first_page(file.content, tmp_path, "en"), (0, 0.2))
    assert left < width * 0.2
    assert right < width * 0.6


def test_the_arabic_word_file_reads_right_to_left(built):
    file = training_reports.session_report_file(built.session, language="ar", format="docx")
    document = docx.Document(io.BytesIO(file.content))
    normal = document.styles["Normal"].element
    assert normal.pPr.find(qn("w:bidi")) is not None
    assert any(t._tbl.tblPr.find(qn("w:bidiVisual")) is not None for t in document.tables)


def test_the_arabic_spreadsheet_is_right_to_left_and_runs_no_formula(built):
    file = training_reports.session_report_file(built.session, language="ar", format="xlsx")
    workbook = load_workbook(io.BytesIO(file.content))

    assert all(sheet.sheet_view.rightToLeft for sheet in workbook.worksheets)
    cells = xlsx_cells(file.content)
    assert not any(cell.data_type == "f" for cell in cells)
    assert any(cell.value == "'" + FORMULA for cell in cells)
    with zipfile.ZipFile(io.BytesIO(file.content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)


def test_an_unknown_format_or_language_is_refused(built):
    with pytest.raises(MizanError):
        training_reports.session_report_file(built.session, language="en", format="odt")
    with pytest.raises(MizanError):
        training_reports.session_report_file(built.session, language="de", format="pdf")


# --- The version report ---------------------------------------------------------------


@pytest.fixture
def integrated(nhri, coordinator):
    """A participant's suggestion, accepted and released, integrated into version 2 by a
    changelog entry; a later session used version 2."""
    case = build_review_case(nhri=nhri, coordinator=coordinator)
    suggestion = from_participant(case.enrolments[0], "A case study of a family at the border.")
    decide_and_release(case, open_round(case, [suggestion]))
    draft = training_services.new_version_from(
        version=case.session.version, changelog="Case studies.", by=coordinator
    )
    module = draft.modules.order_by("order").first()
    entry = integration.integrate_suggestions(
        version=draft,
        text="New case study: a family stopped at the border.",
        suggestions=[suggestion],
        modules=[module],
        by=coordinator,
    )
    training_services.publish_version(version=draft, by=coordinator)
    later = make_session(
        by=coordinator,
        version=draft,
        title="Tangier, autumn session",
        starts_on=datetime.date(2026, 10, 5),
        organisers=[case.partnership.police, case.partnership.nhri],
    )
    draft.refresh_from_db()
    return SimpleNamespace(
        case=case, suggestion=suggestion, version=draft, module=module, entry=entry, later=later
    )


def test_the_version_report_lists_its_changes_and_the_suggestions_behind_them(integrated):
    t = integrated
    report = training_reports.version_report(t.version, "en")

    changes = table(report, "Changes from the version it is based on").rows
    assert str(changes[0][1]) == "New case study: a family stopped at the border."
    assert t.module.title in str(changes[0][2])
    assert t.suggestion.reference in str(changes[0][3])
    behind = table(report, "Suggestions behind the changes").rows
    assert behind[0][0] == t.suggestion.reference
    assert behind[0][4] == "Accepted"
    sessions = table(report, "Sessions that used this version").rows
    assert [str(row[0]) for row in sessions] == ["Tangier, autumn session"]


def test_the_version_report_names_no_author_in_its_files(integrated):
    name = integrated.case.enrolments[0].participant.name_latin
    for format in ("pdf", "docx", "xlsx"):
        file = training_reports.version_report_file(
            integrated.version, language="en", format=format
        )
        if format == "pdf":
            text = pdf_text(file.content)
            assert integrated.suggestion.reference in text
        elif format == "docx":
            text = docx_text(file.content)
        else:
            text = " ".join(str(cell.value) for cell in xlsx_cells(file.content))
        assert name not in text
        assert "New case study" in text
        assert file.filename.endswith(f"-v2-report-en.{format}")


def test_the_version_report_hides_small_cells(built):
    version = built.case.version
    report = training_reports.version_report(version, "en")
    said = facts(report)

    # Four officers over two sessions: too few to show who completed, or any mean.
    assert said["officers trained (attended at least one half-day)"] == 4
    assert said["completed the course"] is None
    assert said["Mean gain (points)"] is None
    by_sex = table(report, "By sex").rows
    assert all(row[1] is None for row in by_sex)
    sessions = table(report, "Sessions that used this version").rows
    assert all(row[5] is None for row in sessions)
    comments = [t for s in report.sections for t in s.tables if t.title == "Comments"]
    assert comments == []  # comments stay with the organisers


def test_the_arabic_version_report_is_drawn(integrated, tmp_path):
    file = training_reports.version_report_file(integrated.version, language="ar", format="pdf")
    png = render_first_page(file.content, tmp_path, "version")
    with Image.open(png) as page:
        darkest, lightest = page.convert("L").getextrema()
    assert darkest < 100 < lightest
