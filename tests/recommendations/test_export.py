"""The export: its columns, one row per text, formula injection, streaming, and the CLI."""

from __future__ import annotations

import csv
import datetime
import importlib.util
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from mizan.core.errors import MizanError
from mizan.recommendations import services
from mizan.recommendations.exporters import (
    BASE_COLUMNS,
    EXPORT_CONTENT_TYPES,
    export_recommendations,
)
from mizan.recommendations.models import Recommendation, SourceDocument
from tests.factories import (
    InstitutionFactory,
    MechanismFactory,
    RecommendationFactory,
    SourceDocumentFactory,
    TaggingFactory,
    TermFactory,
    VocabularyFactory,
)

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://x","y")', "@SUM(1)"]


def export(format: str = "csv", queryset=None) -> bytes:
    output = io.BytesIO()
    queryset = Recommendation.objects.all() if queryset is None else queryset
    export_recommendations(queryset, format=format, output=output)
    return output.getvalue()


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(data: bytes) -> list[dict[str, str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header, *rows = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    return [dict(zip(header, row, strict=True)) for row in rows]


def rows_of(format: str, data: bytes) -> list[dict[str, str]]:
    return {"csv": csv_rows, "xlsx": xlsx_rows, "json": json.loads}[format](data)


@pytest.fixture
def bilingual(coordinator):
    """A recommendation in French (original) and Arabic, with confirmed and suggested tags."""
    document = SourceDocumentFactory(
        symbol="CMW/C/MAR/CO/2", date=datetime.date(2023, 4, 12), cycle="2"
    )
    recommendation = services.create_recommendation(
        document=document,
        paragraph="37(b)",
        texts={
            "fr": "Former les agents aux droits des travailleurs migrants.",
            "ar": "تدريب الموظفين على حقوق العمال المهاجرين",
        },
        original_language="fr",
        external_id="uhri-123",
        position="supported",
        status="in_progress",
        by=coordinator,
    )
    sdg = VocabularyFactory(code="sdg_goals", position=1)
    TaggingFactory(
        recommendation=recommendation, term=TermFactory(vocabulary=sdg, code="10", position=2)
    )
    TaggingFactory(
        recommendation=recommendation, term=TermFactory(vocabulary=sdg, code="8", position=1)
    )
    TaggingFactory(
        recommendation=recommendation,
        term=TermFactory(vocabulary=sdg, code="16"),
        source="model",
        model_name="e5",
        confirmed_at=None,
    )
    VocabularyFactory(code="uhri_themes", position=2)
    return recommendation


def test_columns_are_the_importers_fields_then_one_per_vocabulary(bilingual):
    header = next(csv.reader(io.StringIO(export("csv").decode("utf-8-sig"))))
    # uhri_themes has no suggestion waiting, so no suggested: column.
    assert header == [*BASE_COLUMNS, "tags:sdg_goals", "tags:uhri_themes", "suggested:sdg_goals"]


def test_each_text_is_a_row_with_the_original_first(bilingual):
    rows = csv_rows(export("csv"))
    assert [(row["external_id"], row["language"]) for row in rows] == [
        ("uhri-123", "fr"),
        ("uhri-123", "ar"),
    ]
    assert rows[1]["text"] == "تدريب الموظفين على حقوق العمال المهاجرين"
    assert {row["document"] for row in rows} == {"CMW/C/MAR/CO/2"}


def test_row_holds_the_recommendation_and_its_document(bilingual):
    row = csv_rows(export("csv"))[0]
    assert row == {
        **row,
        "document": "CMW/C/MAR/CO/2",
        "mechanism": "CMW",
        "paragraph": "37(b)",
        "recommending_state": "",
        "position": "supported",
        "status": "in_progress",
        "state_under_review": "Morocco",
        "document_date": "2023-04-12",
        "cycle": "2",
    }


def test_tag_columns_hold_only_confirmed_terms_in_term_order(bilingual):
    row = csv_rows(export("csv"))[0]
    assert row["tags:sdg_goals"] == "8;10"
    assert row["tags:uhri_themes"] == ""


def suggest(recommendation, term, confidence):
    return services.tag_recommendation(
        recommendation=recommendation,
        term=term,
        source="model",
        model_name="tag-model",
        confidence=confidence,
    )


def test_suggested_column_holds_the_waiting_terms_most_confident_first(bilingual):
    themes = VocabularyFactory(code="uhri_themes")
    suggest(bilingual, TermFactory(vocabulary=themes, code="A41", position=1), 0.41)
    suggest(bilingual, TermFactory(vocabulary=themes, code="B32", position=2), 0.93)
    suggest(bilingual, TermFactory(vocabulary=themes, code="D8", position=3), 0.6)
    rows = csv_rows(export("csv"))
    assert {row["suggested:uhri_themes"] for row in rows} == {"B32;D8;A41"}
    # The confirmed tags stay in their own column, the suggestions out of it.
    assert {row["tags:uhri_themes"] for row in rows} == {""}
    assert {row["suggested:sdg_goals"] for row in rows} == {"16"}


def test_no_suggested_column_once_every_suggestion_is_decided(bilingual):
    services.confirm_tagging(tagging=bilingual.taggings.get(term__code="16"), by=None)
    header = next(csv.reader(io.StringIO(export("csv").decode("utf-8-sig"))))
    assert not [column for column in header if column.startswith("suggested:")]


def test_suggested_columns_are_those_of_the_exported_recommendations(bilingual):
    elsewhere = RecommendationFactory(document=SourceDocumentFactory(symbol="CMW/C/DZA/CO/2"))
    suggest(elsewhere, TermFactory(vocabulary=VocabularyFactory(code="groups"), code="g1"), 0.7)
    header = next(
        csv.reader(
            io.StringIO(
                export("csv", Recommendation.objects.filter(pk=bilingual.pk)).decode("utf-8-sig")
            )
        )
    )
    assert [c for c in header if c.startswith("suggested:")] == ["suggested:sdg_goals"]


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_suggested_codes_that_look_like_formulas_are_neutralised(format):
    recommendation = RecommendationFactory()
    suggest(recommendation, TermFactory(vocabulary=VocabularyFactory(code="v"), code="=1+1"), 0.9)
    assert rows_of(format, export(format))[0]["suggested:v"] == "'=1+1"


def test_csv_starts_with_a_byte_order_mark_for_excel(bilingual):
    assert export("csv").startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("format", ["csv", "xlsx", "json"])
def test_every_format_gives_the_same_rows(bilingual, format):
    assert rows_of(format, export(format)) == csv_rows(export("csv"))


def test_json_is_a_list_of_objects(bilingual):
    data = json.loads(export("json"))
    assert isinstance(data, list) and len(data) == 2
    assert data[0]["language"] == "fr"


def test_empty_export_is_valid_in_every_format():
    assert json.loads(export("json")) == []
    assert csv_rows(export("csv")) == []
    assert xlsx_rows(export("xlsx")) == []


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_spreadsheet_cells_that_look_like_formulas_are_neutralised(format):
    for text in FORMULAS:
        RecommendationFactory(text=text)
    RecommendationFactory(paragraph="-1", text="+1 and a tab\tinside")
    rows = rows_of(format, export(format))
    assert sorted(row["text"] for row in rows) == sorted(
        ["'" + text for text in FORMULAS] + ["'+1 and a tab\tinside"]
    )
    assert "'-1" in {row["paragraph"] for row in rows}


def test_xlsx_writes_every_cell_as_a_string_never_a_formula():
    RecommendationFactory(text=FORMULAS[0])
    sheet = openpyxl.load_workbook(io.BytesIO(export("xlsx"))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    assert {cell.data_type for cell in cells} == {"s"}


def test_xlsx_drops_control_characters_that_xml_cannot_hold():
    RecommendationFactory(text="Page\x0cbreak from a PDF")
    assert xlsx_rows(export("xlsx"))[0]["text"] == "Pagebreak from a PDF"


def test_json_keeps_text_exactly():
    for text in FORMULAS:
        RecommendationFactory(text=text)
    assert sorted(row["text"] for row in json.loads(export("json"))) == sorted(FORMULAS)


def test_exports_only_the_given_queryset(bilingual):
    RecommendationFactory(document=SourceDocumentFactory(symbol="CMW/C/DZA/CO/2"))
    rows = csv_rows(export("csv", Recommendation.objects.filter(pk=bilingual.pk)))
    assert {row["document"] for row in rows} == {"CMW/C/MAR/CO/2"}


def test_unknown_format_is_refused():
    with pytest.raises(MizanError):
        export("pdf")


def test_content_types_name_each_format_and_extension():
    assert {fmt: ext for fmt, (_type, ext) in EXPORT_CONTENT_TYPES.items()} == {
        "csv": "csv",
        "xlsx": "xlsx",
        "json": "json",
    }


@pytest.mark.parametrize("count", [1, 3])
def test_query_count_does_not_grow_with_rows(django_assert_num_queries, count):
    for _ in range(count):
        TaggingFactory(recommendation=RecommendationFactory())
    # vocabularies, vocabularies with suggestions waiting, recommendations with
    # documents, texts, confirmed taggings
    with django_assert_num_queries(5):
        export("csv")


@pytest.mark.parametrize("count", [1, 3])
def test_query_count_with_suggestions_does_not_grow_with_rows(django_assert_num_queries, count):
    term = TermFactory()
    for _ in range(count):
        suggest(RecommendationFactory(), term, 0.5)
    # ... and one more for the suggestions
    with django_assert_num_queries(6):
        export("csv")


def test_reads_in_chunks(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr("mizan.recommendations.exporters.CHUNK_SIZE", 2)
    RecommendationFactory.create_batch(5)
    # The vocabularies (all, and those with suggestions waiting), one query for the
    # recommendations read 2 rows at a time, then for each of the 3 chunks its texts and
    # its taggings.
    rows = []
    with django_assert_num_queries(2 + 1 + 3 * 2):
        rows = csv_rows(export("csv"))
    assert len(rows) == 5


# --- The command line -----------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("export", "recommendations", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_command_writes_csv_to_standard_output(bilingual):
    assert csv_rows(run().encode("utf-8")) == csv_rows(export("csv"))


def test_command_writes_json_to_standard_output(bilingual):
    assert json.loads(run("--format", "json")) == json.loads(export("json"))


def test_command_takes_the_format_from_the_file_name(bilingual, tmp_path):
    path = tmp_path / "registry.xlsx"
    run("--output", str(path))
    assert xlsx_rows(path.read_bytes()) == csv_rows(export("csv"))


def test_command_refuses_xlsx_to_standard_output():
    with pytest.raises(CommandError):
        run("--format", "xlsx")


def test_command_filters_like_the_list_page(bilingual):
    other = RecommendationFactory(
        document=SourceDocumentFactory(mechanism=MechanismFactory(code="CAT"))
    )
    services.assign_recommendation(recommendation=other, institution=InstitutionFactory(code="mj"))
    assert {r["paragraph"] for r in csv_rows(run("--mechanism", "CMW").encode())} == {"37(b)"}
    assert {r["paragraph"] for r in csv_rows(run("--institution", "mj").encode())} == {
        other.paragraph
    }
    assert {r["language"] for r in csv_rows(run("--q", "travailleurs").encode())} == {"fr", "ar"}


def test_command_filters_by_tag(bilingual):
    RecommendationFactory()
    tagged = csv_rows(run("--tag", "sdg_goals=10").encode())
    assert {row["external_id"] for row in tagged} == {"uhri-123"}
    # A model's unconfirmed suggestion is not a tag yet.
    assert csv_rows(run("--tag", "sdg_goals=16").encode()) == []


def test_command_refuses_a_malformed_tag_filter():
    with pytest.raises(CommandError):
        run("--tag", "sdg_goals")


# --- Round trip through the importer ----------------------------------------------------

HAS_IMPORTER = importlib.util.find_spec("mizan.recommendations.importers") is not None


def registry_contents() -> list[tuple]:
    """Everything an export carries, keyed so that ids do not matter."""
    return sorted(
        (
            r.external_id or "",
            r.document.symbol,
            r.document.mechanism.code,
            r.document.state_under_review,
            str(r.document.date),
            r.document.cycle,
            r.paragraph,
            r.recommending_state,
            r.position,
            r.status,
            r.nhri_status,
            tuple(sorted((t.language, t.text, t.is_original) for t in r.texts.all())),
            tuple(
                sorted(
                    (t.term.vocabulary.code, t.term.code)
                    for t in r.taggings.all()
                    if t.is_confirmed
                )
            ),
        )
        for r in Recommendation.objects.select_related("document__mechanism").prefetch_related(
            "texts", "taggings__term__vocabulary"
        )
    )


@pytest.mark.skipif(not HAS_IMPORTER, reason="mizan.recommendations.importers is not written yet")
@pytest.mark.parametrize("format", ["csv", "xlsx", "json"])
def test_importing_an_export_into_an_empty_registry_reproduces_it(bilingual, format):
    from mizan.recommendations.importers import import_recommendations

    upr = SourceDocumentFactory(
        symbol="A/HRC/52/15", mechanism=MechanismFactory(code="UPR"), state_under_review="Morocco"
    )
    services.create_recommendation(
        document=upr,
        paragraph="148.12",
        recommending_state="Tunisia",
        texts={"en": "Strengthen the national human rights institution."},
        position="noted",
    )
    RecommendationFactory(text='Ratify the Optional Protocol; and report by 2027, "in full".')
    before = registry_contents()
    data = export(format)
    Recommendation.objects.all().delete()
    SourceDocument.objects.all().delete()

    import_recommendations(data, format=format)

    assert registry_contents() == before


@pytest.mark.skipif(not HAS_IMPORTER, reason="mizan.recommendations.importers is not written yet")
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_round_trip_restores_formula_like_text(format):
    from mizan.recommendations.importers import import_recommendations

    RecommendationFactory(text=FORMULAS[0])
    before = registry_contents()
    data = export(format)
    Recommendation.objects.all().delete()
    SourceDocument.objects.all().delete()

    import_recommendations(data, format=format)

    assert registry_contents() == before
