import unicodedata
from io import StringIO

import pytest
from django.core.management import call_command

from mizan.recommendations.models import Term, Vocabulary
from mizan.recommendations.vocabularies import load_shipped_vocabularies

pytestmark = pytest.mark.django_db


def history_rows() -> int:
    return Term.history.count() + Vocabulary.history.count()


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.select_related("parent").get(vocabulary__code=vocabulary, code=code)


def test_loading_creates_the_shipped_vocabularies_with_their_term_counts():
    counts = load_shipped_vocabularies()
    assert counts == {
        "uhri-themes": 107,
        "affected-persons": 36,
        "sdg": 186,
        "gcm": 23,
        "border-guidelines": 10,
    }
    for code, count in counts.items():
        assert Term.objects.filter(vocabulary__code=code).count() == count


def test_second_load_changes_nothing_and_writes_no_history():
    load_shipped_vocabularies()
    before = history_rows()
    labels_before = dict(Term.objects.values_list("id", "labels"))

    load_shipped_vocabularies()

    assert history_rows() == before
    assert dict(Term.objects.values_list("id", "labels")) == labels_before


def test_terms_get_history_rows_attributed_to_the_loader(coordinator):
    load_shipped_vocabularies(by=coordinator)
    target = term("sdg", "16.2")
    record = target.history.get()
    assert record.history_type == "+"
    assert record.history_user == coordinator


def test_sdg_targets_hang_under_their_goal_in_four_languages():
    load_shipped_vocabularies()
    goal = term("sdg", "16")
    target = term("sdg", "16.2")
    assert goal.parent is None
    assert goal.labels["en"] == "Peace, justice and strong institutions"
    assert target.parent == goal
    assert set(target.labels) == {"en", "fr", "es", "ar"}
    assert target.labels["en"].startswith("End abuse, exploitation, trafficking")
    assert Term.objects.filter(vocabulary__code="sdg", parent=None).count() == 17


def test_labels_are_composed_unicode_without_tatweel():
    load_shipped_vocabularies()
    for labels in Term.objects.values_list("labels", flat=True):
        for label in labels.values():
            assert unicodedata.is_normalized("NFC", label)
            assert "\u0640" not in label
            assert label == " ".join(label.split())


def test_gcm_objectives_are_in_english_and_the_source_note_says_so():
    load_shipped_vocabularies()
    objective = term("gcm", "11")
    assert objective.labels == {
        "en": "Manage borders in an integrated, secure and coordinated manner"
    }
    assert "English only" in Vocabulary.objects.get(code="gcm").source_note


def test_uhri_themes_are_grouped_by_letter():
    load_shipped_vocabularies()
    groups = Term.objects.filter(vocabulary__code="uhri-themes", parent=None)
    assert sorted(groups.values_list("code", flat=True)) == list("ABDEFGHS")
    training = term("uhri-themes", "A53")
    assert training.parent.code == "A"
    assert set(training.parent.labels) == {"ar", "fr", "en"}
    assert term("uhri-themes", "S16").parent.code == "S"


def test_affected_persons_have_slug_codes_and_three_languages():
    load_shipped_vocabularies()
    police = term("affected-persons", "law-enforcement-police-officials")
    assert police.labels["en"] == "Law enforcement / police officials"
    for labels in Term.objects.filter(vocabulary__code="affected-persons").values_list(
        "labels", flat=True
    ):
        assert {"en", "fr", "ar"} <= set(labels)
    assert term("affected-persons", "lgbti-persons").labels["en"].endswith("(LGBTI)")


def test_every_vocabulary_has_names_description_and_source():
    load_shipped_vocabularies()
    for vocabulary in Vocabulary.objects.all():
        assert set(vocabulary.names) == {"ar", "fr", "en"}
        assert vocabulary.description
        assert "Source:" in vocabulary.source_note


def test_reload_keeps_site_terms_and_extra_languages_but_restores_shipped_labels():
    load_shipped_vocabularies()
    sdg = Vocabulary.objects.get(code="sdg")
    own = Term.objects.create(vocabulary=sdg, code="local-1", labels={"en": "Local term"})
    goal = term("sdg", "5")
    goal.labels = {**goal.labels, "en": "Edited", "ru": "Гендерное равенство"}
    goal.save()

    load_shipped_vocabularies()

    goal.refresh_from_db()
    assert goal.labels["en"] == "Gender equality"
    assert goal.labels["ru"] == "Гендерное равенство"
    assert Term.objects.filter(pk=own.pk).exists()


def test_reload_keeps_the_sites_display_settings():
    load_shipped_vocabularies()
    Vocabulary.objects.filter(code="gcm").update(is_facet=False, position=1)
    load_shipped_vocabularies()
    gcm = Vocabulary.objects.get(code="gcm")
    assert (gcm.is_facet, gcm.position) == (False, 1)


def test_command_reports_each_vocabulary():
    out = StringIO()
    call_command("load_vocabularies", stdout=out)
    assert "sdg: 186 terms." in out.getvalue()
    assert Vocabulary.objects.count() == 5
