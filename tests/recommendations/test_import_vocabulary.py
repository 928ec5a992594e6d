"""Importing a vocabulary's terms from CSV: hierarchy, labels in three languages, all or none."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mizan.recommendations.importers import ImportProblem, ImportRejected, import_vocabulary
from mizan.recommendations.models import Term, Vocabulary
from tests.factories import TermFactory, VocabularyFactory

pytestmark = pytest.mark.django_db

HIERARCHY = """code,label,parent,label_fr,label_ar
16.2,End abuse and trafficking of children,16,Mettre un terme à la maltraitance,إنهاء إساءة المعاملة
16,"Peace, justice and strong institutions",,"Paix, justice et institutions efficaces",السلام والعدل
10.7,Orderly and safe migration,10,Migration ordonnée et sûre,
10,Reduced inequalities,,Inégalités réduites,الحد من أوجه عدم المساواة
"""


def snapshot() -> dict[str, int]:
    return {
        "vocabularies": Vocabulary.objects.count(),
        "terms": Term.objects.count(),
        "vocabulary history": Vocabulary.history.count(),
        "term history": Term.history.count(),
    }


def rejected(data: str | bytes, code: str = "sdg") -> list[ImportProblem]:
    before = snapshot()
    with pytest.raises(ImportRejected) as caught:
        import_vocabulary(data.encode() if isinstance(data, str) else data, code=code)
    assert snapshot() == before
    return caught.value.problems


def term(code: str) -> Term:
    return Term.objects.select_related("parent").get(code=code)


def test_import_creates_the_vocabulary_and_its_terms_with_three_languages():
    summary = import_vocabulary(HIERARCHY.encode(), code="sdg", name="Sustainable Development")

    vocabulary = Vocabulary.objects.get(code="sdg")
    assert vocabulary.names == {"en": "Sustainable Development"}
    assert (summary.created, summary.updated, summary.unchanged) == (4, 0, 0)
    assert term("16").labels == {
        "en": "Peace, justice and strong institutions",
        "fr": "Paix, justice et institutions efficaces",
        "ar": "السلام والعدل",
    }


def test_an_empty_translation_is_left_out_of_the_labels():
    import_vocabulary(HIERARCHY.encode(), code="sdg")
    assert term("10.7").labels == {
        "en": "Orderly and safe migration",
        "fr": "Migration ordonnée et sûre",
    }


def test_a_parent_may_come_later_in_the_file():
    import_vocabulary(HIERARCHY.encode(), code="sdg")
    assert term("16.2").parent == term("16")
    assert term("10.7").parent == term("10")
    assert term("16").parent is None


def test_positions_follow_the_line_order():
    import_vocabulary(HIERARCHY.encode(), code="sdg")
    codes = Term.objects.filter(vocabulary__code="sdg").order_by("position")
    assert list(codes.values_list("code", flat=True)) == ["16.2", "16", "10.7", "10"]


def test_created_terms_have_history_rows_naming_the_importer(coordinator):
    import_vocabulary(HIERARCHY.encode(), code="sdg", by=coordinator)

    for record in [term("16.2"), Vocabulary.objects.get(code="sdg")]:
        entry = record.history.get()  # type: ignore[attr-defined]
        assert (entry.history_type, entry.history_user, entry.history_change_reason) == (
            "+",
            coordinator,
            "import",
        )
    assert term("16.2").history.get().parent_id == term("16").pk


def test_reimporting_the_same_file_changes_nothing_and_writes_no_history():
    import_vocabulary(HIERARCHY.encode(), code="sdg")
    before = snapshot()

    summary = import_vocabulary(HIERARCHY.encode(), code="sdg")

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 4)
    assert snapshot() == before


def test_a_changed_label_updates_the_term_with_a_history_entry(coordinator):
    import_vocabulary(HIERARCHY.encode(), code="sdg")

    summary = import_vocabulary(
        HIERARCHY.replace("Reduced inequalities", "Reduced inequality").encode(),
        code="sdg",
        by=coordinator,
    )

    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 3)
    assert term("10").labels["en"] == "Reduced inequality"
    latest = term("10").history.first()
    assert (latest.history_type, latest.history_user) == ("~", coordinator)


def test_labels_in_languages_the_file_lacks_are_kept():
    vocabulary = VocabularyFactory(code="groups")
    TermFactory(vocabulary=vocabulary, code="children", labels={"en": "Kids", "es": "Niños"})

    import_vocabulary(b"code,label\nchildren,Children\n", code="groups")

    assert term("children").labels == {"en": "Children", "es": "Niños"}


def test_terms_the_file_does_not_name_are_kept_and_may_be_parents():
    vocabulary = VocabularyFactory(code="groups")
    TermFactory(vocabulary=vocabulary, code="people", labels={"en": "People"})

    import_vocabulary(b"code,label,parent\nchildren,Children,people\n", code="groups")

    assert term("children").parent == term("people")
    assert Term.objects.filter(vocabulary=vocabulary).count() == 2


def test_a_file_without_a_parent_column_keeps_the_hierarchy():
    import_vocabulary(HIERARCHY.encode(), code="sdg")

    import_vocabulary(b"code,label\n16.2,End abuse and trafficking of children\n", code="sdg")

    assert term("16.2").parent == term("16")


def test_labels_are_stored_composed_with_single_spaces():
    decomposed = "Ine\u0301galite\u0301s   re\u0301duites"
    import_vocabulary(f"code,label,label_fr\n10,Inequalities,{decomposed}\n".encode(), code="sdg")
    assert term("10").labels["fr"] == "Inégalités réduites"


def test_a_name_renames_an_existing_vocabulary():
    VocabularyFactory(code="groups", names={"en": "Groups", "fr": "Groupes"})
    import_vocabulary(b"code,label\nchildren,Children\n", code="groups", name="Affected groups")
    assert Vocabulary.objects.get(code="groups").names == {
        "en": "Affected groups",
        "fr": "Groupes",
    }


def test_a_utf8_byte_order_mark_is_accepted():
    import_vocabulary(b"\xef\xbb\xbfcode,label\nchildren,Children\n", code="groups")
    assert term("children").labels == {"en": "Children"}


# --- bad files -------------------------------------------------------------------------------


def test_an_unknown_parent_is_refused():
    assert rejected("code,label,parent\n16.2,Trafficking,16\n") == [
        ImportProblem(
            2, "parent", "Unknown parent 16: it is neither in the file nor in the vocabulary."
        )
    ]


def test_a_duplicate_code_is_refused():
    assert rejected("code,label\n16,Peace\n10,Inequalities\n16,Peace again\n") == [
        ImportProblem(4, "code", "Code 16 is already on line 2.")
    ]


def test_an_empty_label_is_refused():
    assert rejected("code,label\n16,Peace\n10, \n") == [
        ImportProblem(3, "label", "The label is empty.")
    ]


def test_a_missing_column_is_refused():
    assert rejected("code,label_fr\n16,Paix\n") == [
        ImportProblem(1, "label", "The required column label is missing.")
    ]


def test_a_cycle_in_the_hierarchy_is_refused():
    problems = rejected("code,label,parent\na,A,c\nb,B,a\nc,C,b\nd,D,a\n")
    assert [(p.line, p.column) for p in problems] == [(2, "parent"), (3, "parent"), (4, "parent")]
    assert problems[0].reason == "The broader terms loop back to this term: a → c → b → a."


def test_a_term_that_is_its_own_parent_is_refused():
    assert rejected("code,label,parent\na,A,a\n") == [
        ImportProblem(2, "parent", "The broader terms loop back to this term: a → a.")
    ]


def test_a_file_that_is_not_utf8_is_refused():
    problems = rejected("code,label\n10,Inégalités réduites\n".encode("latin-1"))
    assert [(p.line, p.column) for p in problems] == [(2, "")]
    assert "not UTF-8" in problems[0].reason


def test_an_invalid_vocabulary_code_is_refused():
    problems = rejected("code,label\n10,Inequalities\n", code="sdg goals")
    assert problems == [
        ImportProblem(
            None,
            "",
            "The vocabulary code sdg goals may hold only letters, digits, hyphens and underscores.",
        )
    ]


# --- the command line ------------------------------------------------------------------------


def test_cli_imports_a_vocabulary(tmp_path: Path, capsys):
    path = tmp_path / "sdg.csv"
    path.write_text(HIERARCHY, encoding="utf-8")

    call_command("import", "vocabulary", str(path), "--code", "sdg", "--name", "SDG")

    assert "Terms: 4 created, 0 updated, 0 unchanged." in capsys.readouterr().out
    assert Vocabulary.objects.get(code="sdg").names == {"en": "SDG"}


def test_cli_reports_each_bad_line_and_fails(tmp_path: Path, capsys):
    path = tmp_path / "sdg.csv"
    path.write_text("code,label,parent\n16.2,Trafficking,16\n,Nothing\n", encoding="utf-8")

    with pytest.raises(CommandError):
        call_command("import", "vocabulary", str(path), "--code", "sdg")

    err = capsys.readouterr().err
    assert "Line 2, column parent: Unknown parent 16" in err
    assert "Line 3, column code: The code is empty." in err
