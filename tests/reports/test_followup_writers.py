"""The follow-up report as PDF, DOCX and XLSX: Arabic laid out right to left and shaped,
figures and texts present, no formula, no participant's name."""

from __future__ import annotations

import io
import subprocess
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from mizan.reports.followup import follow_up_report
from mizan.reports.followup_writers import write_follow_up
from mizan.training.models import Participant
from tests.reports.followup_builders import (
    EVIDENCE_TITLE,
    FIRST_TEXT,
    FORMULA_TEXT,
    LAW_TITLE,
    NHRI_COMMENT,
    STATE_COMMENT,
    SYMBOL,
    follow_up_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return follow_up_case()


def written(case, language, format):
    return write_follow_up(follow_up_report(case.document, language=language), format)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def xlsx_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


def render_first_page(content: bytes, tmp_path) -> Image.Image:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    return Image.open(png).convert("L")


def ink_columns(image: Image.Image, top: int, bottom: int) -> list[int]:
    """The x of every column with a dark pixel between rows ``top`` and ``bottom``."""
    width = image.size[0]
    pixels = image.load()
    return [x for x in range(width) if any(pixels[x, y] < 128 for y in range(top, bottom))]


def first_ink_row(image: Image.Image, below: int = 0) -> int:
    width, height = image.size
    pixels = image.load()
    for y in range(below, height):
        if any(pixels[x, y] < 128 for x in range(width)):
            return y
    raise AssertionError("no ink on the page")


def test_the_english_pdf_holds_the_symbol_texts_assessments_and_figures(case):
    report_file = written(case, "en", "pdf")

    assert report_file.content.startswith(b"%PDF")
    assert report_file.filename == "follow-up-cmw-c-mar-co-2-en.pdf"
    text = " ".join(pdf_text(report_file.content).split())
    assert SYMBOL in text
    for expected in (FIRST_TEXT, STATE_COMMENT, NHRI_COMMENT, LAW_TITLE, EVIDENCE_TITLE):
        assert expected in text
    assert "Officers trained 26" in text
    assert "Share of women 54.8 %" in text  # 17 of 31, all training actions


def test_the_arabic_pdf_is_drawn_right_to_left(case, tmp_path):
    content = written(case, "ar", "pdf").content

    page = render_first_page(content, tmp_path)
    width, height = page.size
    assert height > width  # A4 portrait
    # The first line of ink is the mechanism's name, the next block the title: both
    # start from the right margin in Arabic.
    top = first_ink_row(page)
    columns = ink_columns(page, top, top + 40)
    assert columns, "nothing drawn on the cover"
    assert max(columns) > width * 0.85
    assert min(columns) > width * 0.15  # not a line running from the left margin
    text = pdf_text(content)
    assert SYMBOL in text
    assert "26" in text


def test_the_arabic_docx_paragraphs_are_right_to_left(case):
    content = written(case, "ar", "docx").content

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        body = archive.read("word/document.xml").decode()
    assert "<w:bidi/>" in body
    document = docx.Document(io.BytesIO(content))
    assert any(
        p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None
        for p in document.paragraphs
    )
    text = docx_text(content)
    assert SYMBOL in text
    assert NHRI_COMMENT in text


def test_the_arabic_xlsx_is_right_to_left_and_holds_no_formula(case):
    content = written(case, "ar", "xlsx").content

    workbook = load_workbook(io.BytesIO(content))
    assert len(workbook.worksheets) == 3
    assert all(sheet.sheet_view.rightToLeft for sheet in workbook.worksheets)
    recommendations = workbook.worksheets[1]
    assert recommendations.max_row == 4  # header and three recommendations
    texts = [row[2].value for row in recommendations.iter_rows(min_row=2)]
    assert FORMULA_TEXT not in texts
    assert any(text and text.endswith(FORMULA_TEXT) and not text.startswith("=") for text in texts)
    assert all(
        cell.data_type != "f" for sheet in workbook for row in sheet.iter_rows() for cell in row
    )


@pytest.mark.parametrize("format", ["pdf", "docx", "xlsx"])
def test_no_participant_is_named_in_any_format(case, format):
    readers = {"pdf": pdf_text, "docx": docx_text, "xlsx": xlsx_text}
    names = [
        name
        for pair in Participant.objects.values_list("name_latin", "name_arabic")
        for name in pair
        if name
    ]
    assert names
    for language in ("en", "ar"):
        text = readers[format](written(case, language, format).content)
        assert not [name for name in names if name in text]
        assert "Officer-" not in text
