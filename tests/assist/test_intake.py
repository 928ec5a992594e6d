"""Reading recommendations out of UN documents: layouts, languages, file kinds, and the CSV
that ``mizan import`` takes unchanged."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command

from mizan.assist import intake_readers
from mizan.assist.intake import (
    guess_mechanism,
    parse_text,
    read_document,
    split_states,
    write_csv,
)
from mizan.assist.intake_readers import UnreadableDocument, logical_order
from mizan.recommendations.importers import import_recommendations
from mizan.recommendations.models import Recommendation

DOCUMENTS = Path(__file__).parent / "intake_documents"


def rows_of(name: str) -> dict[str, tuple[str, str]]:
    result = read_document((DOCUMENTS / name).read_bytes())
    return {row.paragraph: (row.text, row.recommending_state) for row in result.rows}


# --- Concluding observations -----------------------------------------------------------------


def test_recommendation_paragraphs_are_split_into_sub_paragraphs():
    rows = rows_of("co_en.txt")
    assert list(rows) == ["13(a)", "13(b)", "13(c)", "14", "15", "16(a)", "16(b)"]


def test_concern_paragraphs_are_skipped_with_a_warning():
    result = read_document((DOCUMENTS / "co_en.txt").read_bytes())
    assert "Paragraph 12 skipped: no recommendation verb." in result.warnings
    assert "12" not in {row.paragraph for row in result.rows}


def test_a_sub_paragraph_continues_across_a_page_break_and_hyphenated_lines():
    text, _state = rows_of("co_en.txt")["13(b)"]
    assert text == (
        "Allocate sufficient resources to the follow-up of complaints lodged by migrant "
        "workers and to labour inspections in private households"
    )


def test_running_heads_and_headings_stay_out_of_the_texts():
    texts = " ".join(text for text, _state in rows_of("co_en.txt").values())
    for furniture in ("GE.26-01234", "CMW/C/XYZ/CO/2", "Birth registration", "Legislation"):
        assert furniture not in texts


def test_a_plain_lead_in_is_dropped_and_a_substantive_one_kept():
    rows = rows_of("co_en.txt")
    assert rows["13(a)"][0].startswith("Adopt a comprehensive migration law")
    assert rows["16(a)"][0] == (
        "In the light of its general comment No. 2 (2013), the Committee calls upon the "
        "State party to: Use detention of migrants only as a measure of last resort"
    )


def test_without_sub_paragraphs_the_text_starts_at_the_recommending_sentence():
    assert rows_of("co_en.txt")["15"][0] == (
        "It recommends that the State party strengthen the monitoring of places of detention."
    )


def test_french_concluding_observations():
    rows = rows_of("co_fr.txt")
    assert list(rows) == ["23(a)", "23(b)", "24"]
    assert rows["24"][0].startswith("Le Comité prie instamment")


def test_arabic_digits_and_letters_give_latin_references():
    result = read_document((DOCUMENTS / "co_ar.txt").read_bytes())
    assert result.language == "ar"
    assert [row.paragraph for row in result.rows] == ["23(a)", "23(b)", "23(c)", "24"]
    assert result.rows[1].text == "ضمان حصول الأطفال المهاجرين على التعليم"


def test_sub_paragraphs_written_on_one_line():
    result = parse_text(
        "41. The Committee recommends that the State party: (a) Repeal the law on vagrancy; "
        "(b) Release the children held in detention; and (c) Report on both in its next "
        "periodic report."
    )
    assert [(row.paragraph, row.text) for row in result.rows] == [
        ("41(a)", "Repeal the law on vagrancy"),
        ("41(b)", "Release the children held in detention"),
        ("41(c)", "Report on both in its next periodic report."),
    ]


def test_requests_as_a_noun_is_not_a_recommendation():
    result = parse_text(
        "7. The Committee is concerned about the number of requests for asylum rejected "
        "without an interview."
    )
    assert result.rows == []


def test_footnotes_of_a_printed_page_leave_no_trace():
    page = [
        "30. The Committee recommends that the State party ratify the Convention on",
        "statelessness4 and adopt a procedure to determine statelessness.",
        "4 Convention relating to the Status of Stateless Persons, 1954.",
    ]
    result = parse_text("\n".join(page))
    assert result.rows[0].text == (
        "The Committee recommends that the State party ratify the Convention on "
        "statelessness and adopt a procedure to determine statelessness."
    )


# --- UPR reports -----------------------------------------------------------------------------


def test_upr_recommendations_keep_their_numbers_and_states():
    rows = rows_of("upr_en.txt")
    assert list(rows) == ["120.1", "120.2", "120.3", "120.4", "120.5"]
    assert rows["120.5"] == (
        "Adopt a national action plan on business and human rights",
        "Côte d’Ivoire",
    )


@pytest.mark.parametrize(
    ("paragraph", "state"),
    [
        ("120.2", "Venezuela (Bolivarian Republic of)"),
        ("120.3", "Iran (Islamic Republic of)"),
    ],
)
def test_state_names_holding_parentheses(paragraph, state):
    text, found = rows_of("upr_en.txt")[paragraph]
    assert found == state
    assert not text.endswith(")")


def test_grouped_recommendations_name_every_state_and_keep_each_part():
    text, states = rows_of("upr_en.txt")["120.1"]
    assert states == "Albania; Chile"
    assert text.endswith("against Torture (Chile)")


def test_an_acronym_in_parentheses_is_not_a_state():
    text, states = rows_of("upr_en.txt")["120.3"]
    assert "(ILO) Forced Labour" in text
    assert states == "Iran (Islamic Republic of)"


@pytest.mark.parametrize(
    ("written", "states"),
    [
        ("Ratify the Covenant (Denmark) (Estonia);", ["Denmark", "Estonia"]),
        ("Adopt the plan (2016–2020) (Kenya);", ["Kenya"]),
        ("Protect defenders, in line with the Paris Principles (Norway).", ["Norway"]),
        (
            "Pursue the reform (Bolivia (Plurinational State of)) ;",
            ["Bolivia (Plurinational State of)"],
        ),
        ("Close the camps", []),
    ],
)
def test_split_states(written, states):
    assert split_states(written)[1] == states


# --- Files -----------------------------------------------------------------------------------


def word_document(numbered: bool) -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "CMW/C/XYZ/CO/2"
    document.add_heading("Detention", level=2)
    if numbered:
        for text in (
            "The Committee is concerned about the detention of children.",
            "The Committee recommends that the State party end the detention of children.",
        ):
            document.add_paragraph(text, style="List Number")
    else:
        document.add_paragraph("8.\tThe Committee is concerned about the detention of children.")
        table = document.add_table(rows=1, cols=1)
        table.cell(
            0, 0
        ).text = "9.\tThe Committee recommends that the State party end the detention of children."
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_automatic_numbers_are_read():
    result = read_document(word_document(numbered=True))
    assert result.source == "docx"
    assert [row.paragraph for row in result.rows] == ["2"]


def test_word_table_cells_are_read():
    result = read_document(word_document(numbered=False))
    assert [row.paragraph for row in result.rows] == ["9"]


def test_pdf_with_running_heads_and_hyphenation():
    from weasyprint import HTML

    html = (
        "<style>@page { @top-left { content: 'CMW/C/XYZ/CO/2' } "
        "@bottom-right { content: counter(page) } } body { hyphens: auto; width: 6cm }</style>"
        "<p>21. The Committee recommends that the State party:</p>"
        "<p>(a) Guarantee unconditional access to interpretation for migrants;</p>"
        "<p>(b) Establish independent monitoring of deportations.</p>"
    )
    result = read_document(HTML(string=html).write_pdf())
    assert result.source == "pdf"
    assert result.symbol == "CMW/C/XYZ/CO/2"
    assert [(row.paragraph, row.text) for row in result.rows] == [
        ("21(a)", "Guarantee unconditional access to interpretation for migrants"),
        ("21(b)", "Establish independent monitoring of deportations."),
    ]


ARABIC_PAGES = (
    # page 1: a concern, then a recommendation whose sub-paragraph (b) runs onto page 2
    "<p>٣٢- تلاحظ اللجنة بقلق أن عدداً كبيراً من العمال المهاجرين لا يحصلون على أجورهم في "
    "مواعيدها، وأن أصحاب العمل يحتفظون بجوازات سفرهم في حالات كثيرة.</p>"
    "<p>٣٣- توصي اللجنة الدولة الطرف بما يلي:</p>"
    "<p class=sub>(أ) سنّ قانون يحظر على أصحاب العمل الاحتفاظ بوثائق هوية العمال "
    "المهاجرين، وفرض عقوبات رادعة على من يخالفه؛</p>"
    "<p class=sub>(ب) إنشاء نظام لحماية الأجور يضمن دفعها شهرياً عن طريق المصارف، "
    "ويتيح لمفتشي العمل التحقق من ذلك بانتظام، ويمكّن العمال من تقديم الشكاوى دون "
    "خوف من الترحيل أو الانتقام، ويكفل لهم مساعدة قانونية مجانية طوال مدة الإجراءات "
    "أمام المحاكم المختصة في جميع أنحاء البلد؛</p>",
    # page 2
    "<p class=sub>(ج) نشر تقارير سنوية عن عمليات التفتيش ونتائجها.</p>"
    "<p>٣٤- وتحث اللجنة الدولة الطرف على التصديق على اتفاقية منظمة العمل الدولية "
    "رقم ١٨٩ (٢٠١١) بشأن العمال المنزليين.</p>",
)
ARABIC_ROWS = [
    (
        "33(a)",
        "سنّ قانون يحظر على أصحاب العمل الاحتفاظ بوثائق هوية العمال المهاجرين، وفرض عقوبات "
        "رادعة على من يخالفه",
    ),
    (
        "33(b)",
        "إنشاء نظام لحماية الأجور يضمن دفعها شهرياً عن طريق المصارف، ويتيح لمفتشي العمل "
        "التحقق من ذلك بانتظام، ويمكّن العمال من تقديم الشكاوى دون خوف من الترحيل أو "
        "الانتقام، ويكفل لهم مساعدة قانونية مجانية طوال مدة الإجراءات أمام المحاكم المختصة "
        "في جميع أنحاء البلد",
    ),
    ("33(c)", "نشر تقارير سنوية عن عمليات التفتيش ونتائجها."),
    (
        "34",
        "وتحث اللجنة الدولة الطرف على التصديق على اتفاقية منظمة العمل الدولية رقم ١٨٩ "
        "(٢٠١١) بشأن العمال المنزليين.",
    ),
]


def arabic_pdf(*pages: str, heads: bool = True) -> bytes:
    """Pages as UN documents print them in Arabic: right to left, justified, running heads."""
    from weasyprint import HTML

    margin_boxes = (
        "@top-left { content: 'CMW/C/XYZ/CO/1' } @bottom-right { content: counter(page) }"
        if heads
        else ""
    )
    html = (
        '<html lang="ar" dir="rtl"><style>@page { size: A5; margin: 2cm 1.5cm; '
        + margin_boxes
        + "} "
        'body { font-family: "Noto Naskh Arabic", serif; font-size: 11pt; '
        "text-align: justify } p.sub { margin-inline-start: 1cm } "
        ".page { break-after: page }</style><body>"
        + "".join(f"<div class=page>{page}</div>" for page in pages)
        + "</body></html>"
    )
    return bytes(HTML(string=html).write_pdf())


def test_arabic_pdf_gives_references_and_texts_in_reading_order():
    result = read_document(arabic_pdf(*ARABIC_PAGES))
    assert result.language == "ar"
    assert [(row.paragraph, row.text) for row in result.rows] == ARABIC_ROWS


def test_arabic_pdf_is_read_in_order_without_poppler_too(monkeypatch):
    monkeypatch.setattr(intake_readers, "PDFTOTEXT", "")
    result = read_document(arabic_pdf(*ARABIC_PAGES))
    assert [(row.paragraph, row.text) for row in result.rows] == ARABIC_ROWS


def scanned_page() -> str:
    from PIL import Image

    picture = io.BytesIO()
    Image.new("L", (300, 400), 235).save(picture, format="PNG")
    encoded = base64.b64encode(picture.getvalue()).decode()
    return f'<img src="data:image/png;base64,{encoded}" style="width: 8cm">'


def test_a_scanned_page_is_reported_and_the_others_still_read():
    result = read_document(arabic_pdf(ARABIC_PAGES[0], scanned_page(), ARABIC_PAGES[1]))
    assert result.warnings[0].startswith("Page 2 of this PDF has no text, only an image")
    assert [row.paragraph for row in result.rows] == ["33(a)", "33(b)", "33(c)", "34"]


def test_a_pdf_of_scans_only_is_refused():
    with pytest.raises(UnreadableDocument, match="holds no text"):
        read_document(arabic_pdf(scanned_page(), scanned_page(), heads=False))


def test_scanned_pages_with_printed_running_heads_are_reported():
    result = read_document(arabic_pdf(scanned_page(), scanned_page()))
    assert result.rows == []
    assert result.warnings[0].startswith("Pages 1, 2 of this PDF have no text, only images")


@pytest.mark.parametrize(
    ("visual", "logical"),
    [
        ("ةمدقم -فلأ", "ألف- مقدمة"),
        ("ضعب ىلع )2013( 2 مقر -4", "4- رقم 2 (2013) على بعض"),
        ("CMW/C/XYZ/CO/2 ةقيثولا", "الوثيقة CMW/C/XYZ/CO/2"),
        ("GE.26-04512 1", "GE.26-04512 1"),
    ],
)
def test_right_to_left_lines_are_put_in_reading_order(visual, logical):
    assert logical_order(visual, rtl=True) == logical


def test_presentation_forms_and_tatweel_are_read_as_letters():
    # "ﻻ" is the lam-alef ligature's shape, "ـ" a tatweel stretching "اللجنة"
    result = parse_text("٧- توصي اللجـــنة الدولة الطرف بأن ﻻ تحتجز الأطفال.")
    assert result.rows[0].text == "توصي اللجنة الدولة الطرف بأن لا تحتجز الأطفال."


def test_text_in_a_legacy_encoding_is_decoded():
    text = "5. Le Comité recommande à l'État partie de réviser la loi sur l'éducation."
    result = read_document(text.encode("cp1252"))
    assert result.rows[0].text.startswith("Le Comité recommande à l'État partie")


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + bytes(200), b"PK\x03\x04" + bytes(200), b"   "],
)
def test_other_files_are_refused_with_a_clear_error(data):
    with pytest.raises(UnreadableDocument):
        read_document(data)


def test_mechanism_is_read_from_the_symbol():
    assert guess_mechanism("CMW/C/MAR/CO/2") == "CMW"
    assert guess_mechanism("E/C.12/MAR/CO/5") == "CESCR"
    assert guess_mechanism("A/HRC/40/6") == "UPR"
    assert guess_mechanism("XYZ-12") == ""


# --- The CSV and the command -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_csv_imports_unchanged():
    result = read_document((DOCUMENTS / "upr_en.txt").read_bytes())
    content = write_csv(
        result.rows, document="A/HRC/99/9", mechanism="UPR", state_under_review="Xanadu"
    )
    summary = import_recommendations(content.encode(), format="csv")
    assert summary.created == 5
    stored = Recommendation.objects.get(paragraph="120.2")
    assert stored.recommending_state == "Venezuela (Bolivarian Republic of)"
    assert (
        stored.texts.get().text
        == "Continue its efforts to guarantee the rights of ethnic minorities"
    )


@pytest.mark.django_db
def test_arabic_and_english_versions_join_the_same_recommendations():
    english = parse_text(
        "23. The Committee recommends that the State party:\n(a) Adopt a law;\n(b) Train judges."
    )
    arabic = read_document((DOCUMENTS / "co_ar.txt").read_bytes())
    for result in (english, arabic):
        import_recommendations(
            write_csv(result.rows, document="CMW/C/XYZ/CO/2", mechanism="CMW").encode(),
            format="csv",
        )
    assert Recommendation.objects.get(paragraph="23(a)").texts.count() == 2


def test_command_writes_the_csv(tmp_path, capsys):
    output = tmp_path / "rows.csv"
    call_command(
        "intake",
        str(DOCUMENTS / "co_fr.txt"),
        "--document",
        "CMW/C/XYZ/CO/2",
        "--output",
        str(output),
    )
    lines = output.read_text(encoding="utf-8").splitlines()
    assert (
        lines[0]
        == "document,mechanism,paragraph,text,language,recommending_state,state_under_review"
    )
    assert lines[1].startswith("CMW/C/XYZ/CO/2,CMW,23(a),Adopter une loi globale")
    assert "3 recommendations found" in capsys.readouterr().err


def test_command_fails_clearly_on_an_unreadable_file(tmp_path):
    picture = tmp_path / "scan.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(CommandError, match="not a document Mizan can read"):
        call_command("intake", str(picture), "--document", "CMW/C/XYZ/CO/2")
