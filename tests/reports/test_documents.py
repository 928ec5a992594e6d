"""The shared writers: DOCX and XLSX read right to left in Arabic; no cell runs a formula."""

import io

import docx
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from mizan.reports import documents
from mizan.reports.charts import Bar, Chart


def test_docx_paragraphs_take_the_direction_of_their_own_text():
    with translation.override("ar"):
        document = documents.new_docx("ar")
        documents.docx_paragraph(document, "تكوين الموظفين")
        documents.docx_paragraph(document, "CMW/C/MAR/CO/2 paragraph 37")
        documents.docx_table(document, ["الجهة", "العدد"], [["Police", 12]])
        content = documents.docx_bytes(document)
    reread = docx.Document(io.BytesIO(content))
    arabic, english = reread.paragraphs[0], reread.paragraphs[1]
    assert arabic.text == "تكوين الموظفين"
    assert arabic._p.pPr.find(docx.oxml.ns.qn("w:bidi")) is not None
    assert english._p.pPr.find(docx.oxml.ns.qn("w:bidi")) is None
    table = reread.tables[0]
    assert table._tbl.tblPr.find(docx.oxml.ns.qn("w:bidiVisual")) is not None
    assert [cell.text for cell in table.rows[1].cells] == ["Police", "12"]


def test_xlsx_sheets_are_right_to_left_in_arabic_and_never_hold_a_formula():
    workbook = documents.new_workbook()
    with translation.override("ar"):
        documents.xlsx_sheet(
            workbook, "التوصيات: [1/2]", ["نص", "عدد"], [['=HYPERLINK("x")', 3], ["+1", 2.5]]
        )
    reread = load_workbook(io.BytesIO(documents.workbook_bytes(workbook)))
    sheet = reread.worksheets[0]
    assert sheet.title == "التوصيات   1 2 "
    assert sheet.sheet_view.rightToLeft
    assert sheet["A2"].value == '\'=HYPERLINK("x")'
    assert sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "'+1"
    assert sheet["B2"].value == 3


def test_a_pdf_is_written_from_a_template_in_its_language():
    chart = Chart(
        title="Agents formés", dimension="Région", series=["Agents"], bars=[Bar("Oriental", [30])]
    )
    pdf = documents.pdf_from_template(
        "reports/_chart.html", {"chart": chart, "rows": chart.rows()}, "fr"
    )
    assert pdf.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Agents formés" in text and "Oriental" in text
