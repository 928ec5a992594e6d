"""The vocabularies Mizan ships with (SDG goals and targets, GCM objectives, UHRI themes and
affected persons, OHCHR's border guidelines), read from ``vocabulary_data/`` and loaded
into Vocabulary and Term.

Loading is idempotent: a second run finds nothing to change and writes no history rows.
Terms a site added itself are never touched, and labels in languages the data does not
ship are kept.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from mizan.audit.history import attribute_change
from mizan.recommendations.models import Term, Vocabulary

DATA_DIR = Path(__file__).resolve().with_name("vocabulary_data")
TERM_CODE_MAX_LENGTH = 40
SDG_LANGUAGES = ("en", "fr", "es", "ar")
TATWEEL = "\u0640"


@dataclass(frozen=True)
class ShippedTerm:
    code: str
    labels: dict[str, str]
    parent: str | None = None


@dataclass(frozen=True)
class ShippedVocabulary:
    code: str
    names: dict[str, str]
    description: str
    source_note: str
    position: int
    terms: list[ShippedTerm] = field(default_factory=list)


def _clean(value: str) -> str:
    """Tidy a label from the source files: composed characters (NFC) so that search and
    comparison work, no Arabic tatweel (a stretching glyph, not a letter), single spaces."""
    value = unicodedata.normalize("NFC", value).replace(TATWEEL, "")
    return " ".join(value.split())


def _rows(filename: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def sdg_vocabulary() -> ShippedVocabulary:
    terms = []
    targets_by_goal: dict[str, list[ShippedTerm]] = {}
    for row in _rows("sdg_targets.csv"):
        targets_by_goal.setdefault(row["goal"], []).append(
            ShippedTerm(
                code=row["target"],
                labels={lang: _clean(row[f"title_{lang}"]) for lang in SDG_LANGUAGES},
                parent=row["goal"],
            )
        )
    for row in _rows("sdg_goals.csv"):
        goal = row["goal"]
        terms.append(
            ShippedTerm(
                code=goal, labels={lang: _clean(row[f"short_{lang}"]) for lang in SDG_LANGUAGES}
            )
        )
        terms.extend(targets_by_goal.get(goal, []))
    return ShippedVocabulary(
        code="sdg",
        names={
            "ar": "أهداف التنمية المستدامة",
            "fr": "Objectifs de développement durable",
            "en": "Sustainable Development Goals",
        },
        description=(
            "The 17 Sustainable Development Goals of the 2030 Agenda, each with its targets "
            "(169 in all), for linking recommendations to the SDGs."
        ),
        source_note=(
            "Source: the official UN wording of the goals and targets (General Assembly "
            "resolution A/RES/70/1) in Arabic, English, French and Spanish, taken from the "
            "GitHub repository open-sdg/sdg-translations (commit 0cda585851a5, 2025-08-19), "
            "MIT licence.\n"
            "Goals carry their short name (e.g. 'Peace, justice and strong institutions'). "
            "The UN publishes no short titles for targets, so each target carries its full "
            "wording."
        ),
        position=30,
        terms=terms,
    )


def gcm_vocabulary() -> ShippedVocabulary:
    terms = [
        ShippedTerm(code=row["objective"], labels={"en": _clean(row["title"])})
        for row in _rows("gcm_objectives.csv")
    ]
    return ShippedVocabulary(
        code="gcm",
        names={
            "ar": "أهداف الاتفاق العالمي من أجل الهجرة",
            "fr": "Objectifs du Pacte mondial sur les migrations",
            "en": "Global Compact for Migration objectives",
        },
        description=(
            "The 23 objectives of the Global Compact for Safe, Orderly and Regular Migration."
        ),
        source_note=(
            "Source: the objective titles of the Global Compact for Safe, Orderly and Regular "
            "Migration (General Assembly resolution A/RES/73/195), from the Markdown "
            "transcription in the Python package iomeval 0.4.1 (Apache-2.0 licence), file "
            "gcms_long.md; objective 20's title was checked against the resolution.\n"
            "Limit: English only. Arabic and French titles are not shipped yet; they can be "
            "added from the official UN versions of A/RES/73/195."
        ),
        position=40,
        terms=terms,
    )


def border_guidelines_vocabulary() -> ShippedVocabulary:
    terms = [
        ShippedTerm(
            code=row["guideline"],
            labels={lang: _clean(row[f"label_{lang}"]) for lang in ("en", "fr", "ar")},
        )
        for row in _rows("border_guidelines.csv")
    ]
    return ShippedVocabulary(
        code="border-guidelines",
        names={
            "ar": "المبادئ التوجيهية بشأن حقوق الإنسان على الحدود الدولية",
            "fr": "Lignes directrices sur les droits de l'homme aux frontières internationales",
            "en": "Guidelines on human rights at international borders",
        },
        description=(
            "The ten guidelines of OHCHR's Recommended Principles and Guidelines on Human "
            "Rights at International Borders (2014), for linking training modules and "
            "recommendations to them."
        ),
        source_note=(
            "Source: OHCHR, Recommended Principles and Guidelines on Human Rights at "
            "International Borders (2014), which has ten guidelines.\n"
            "Limits: the labels are short names of each guideline's subject, written for "
            "Mizan in Arabic, French and English; they are not OHCHR's titles."
        ),
        position=50,
        terms=terms,
    )


#: Headings of the UHRI theme groups, written for Mizan (the source lists only codes).
UHRI_GROUPS: dict[str, dict[str, str]] = {
    "A": {
        "en": "A – Framework and cooperation",
        "fr": "A – Cadre et coopération",
        "ar": "A – الإطار والتعاون",
    },
    "B": {
        "en": "B – Cross-cutting issues",
        "fr": "B – Questions transversales",
        "ar": "B – قضايا شاملة",
    },
    "D": {
        "en": "D – Civil and political rights",
        "fr": "D – Droits civils et politiques",
        "ar": "D – الحقوق المدنية والسياسية",
    },
    "E": {
        "en": "E – Economic, social and cultural rights",
        "fr": "E – Droits économiques, sociaux et culturels",
        "ar": "E – الحقوق الاقتصادية والاجتماعية والثقافية",
    },
    "F": {
        "en": "F – Women, children and persons with disabilities",
        "fr": "F – Femmes, enfants et personnes handicapées",
        "ar": "F – النساء والأطفال والأشخاص ذوو الإعاقة",
    },
    "G": {
        "en": "G – Minorities, migrants, refugees and other groups",
        "fr": "G – Minorités, migrants, réfugiés et autres groupes",
        "ar": "G – الأقليات والمهاجرون واللاجئون وفئات أخرى",
    },
    "H": {
        "en": "H – Human rights defenders, persons living with HIV, rural populations",
        "fr": "H – Défenseurs des droits, personnes vivant avec le VIH, populations rurales",
        "ar": "H – المدافعون عن حقوق الإنسان والمتعايشون مع فيروس نقص المناعة وسكان الأرياف",
    },
    "S": {
        "en": "S – Sustainable Development Goals",
        "fr": "S – Objectifs de développement durable",
        "ar": "S – أهداف التنمية المستدامة",
    },
}


def uhri_themes_vocabulary() -> ShippedVocabulary:
    terms = [ShippedTerm(code=group, labels=dict(labels)) for group, labels in UHRI_GROUPS.items()]
    for row in _rows("uhri_themes_observed.csv"):
        if row["code"] == row["group"]:
            # The generic "S" code is the group itself.
            continue
        if row["group"] not in UHRI_GROUPS:
            raise ValueError(f"UHRI theme {row['code']} is in an unknown group {row['group']}.")
        terms.append(
            ShippedTerm(code=row["code"], labels={"en": _clean(row["name"])}, parent=row["group"])
        )
    return ShippedVocabulary(
        code="uhri-themes",
        names={
            "ar": "مواضيع حقوق الإنسان (الفهرس العالمي لحقوق الإنسان)",
            "fr": "Thèmes des droits de l'homme (Index universel)",
            "en": "Human rights themes (UHRI)",
        },
        description=(
            "Themes of OHCHR's Universal Human Rights Index (UHRI), grouped by their letter, "
            "as OHCHR uses them to classify recommendations."
        ),
        source_note=(
            "Source: the theme codes and names OHCHR printed in its UPR thematic lists of "
            "recommendations for China (2013 and 2018), OHCHR public documents, found in the "
            "GitHub repository frisbiesa/china_upr_v2 (commit 73a29b2b8248).\n"
            "Limits: the list is partial, holding only the codes seen in those two documents; "
            "the full UHRI thematic list is longer. Theme names are in English only. The group "
            "headings (A, B, D, E, F, G, H, S) were written for Mizan; the generic code "
            "'S Sustainable Development Goal implementation' is the S group itself."
        ),
        position=10,
        terms=terms,
    )


#: French and Arabic names of the UHRI affected-persons categories, translated for Mizan.
AFFECTED_PERSONS_TRANSLATIONS: dict[str, dict[str, str]] = {
    "Children": {"fr": "Enfants", "ar": "الأطفال"},
    "Children in street situations": {
        "fr": "Enfants en situation de rue",
        "ar": "الأطفال في وضعية الشارع",
    },
    "Disappeared persons": {"fr": "Personnes disparues", "ar": "الأشخاص المختفون"},
    "Educational staff": {"fr": "Personnel éducatif", "ar": "العاملون في التعليم"},
    "General": {"fr": "Général", "ar": "عام"},
    "Girls": {"fr": "Filles", "ar": "الفتيات"},
    "Human rights defenders": {
        "fr": "Défenseurs des droits de l'homme",
        "ar": "المدافعون عن حقوق الإنسان",
    },
    "Indigenous peoples": {"fr": "Peuples autochtones", "ar": "الشعوب الأصلية"},
    "Internally displaced persons": {
        "fr": "Personnes déplacées dans leur propre pays",
        "ar": "النازحون داخلياً",
    },
    "Judges, lawyers and prosecutors": {
        "fr": "Juges, avocats et procureurs",
        "ar": "القضاة والمحامون وأعضاء النيابة العامة",
    },
    "Law enforcement / police officials": {
        "fr": "Responsables de l'application des lois / police",
        "ar": "الموظفون المكلفون بإنفاذ القانون / الشرطة",
    },
    "Lesbian, gay, bisexual and transgender and intersex persons (LGBTI)": {
        "fr": "Personnes lesbiennes, gays, bisexuelles, transgenres et intersexes (LGBTI)",
        "ar": "المثليات والمثليون ومزدوجو الميل الجنسي ومغايرو الهوية الجنسانية وحاملو صفات"
        " الجنسين",
    },
    "Media": {"fr": "Médias", "ar": "وسائل الإعلام"},
    "Medical staff": {"fr": "Personnel médical", "ar": "العاملون في المجال الطبي"},
    "Mercenaries": {"fr": "Mercenaires", "ar": "المرتزقة"},
    "Migrants": {"fr": "Migrants", "ar": "المهاجرون"},
    "Military staff": {"fr": "Personnel militaire", "ar": "العسكريون"},
    "Minorities / racial, ethnic, linguistic, religious or descent-based groups": {
        "fr": "Minorités / groupes raciaux, ethniques, linguistiques, religieux ou fondés sur"
        " l'ascendance",
        "ar": "الأقليات / الجماعات العرقية أو الإثنية أو اللغوية أو الدينية أو القائمة على النسب",
    },
    "Non-citizens": {"fr": "Non-ressortissants", "ar": "غير المواطنين"},
    "Older persons": {"fr": "Personnes âgées", "ar": "كبار السن"},
    "Persons affected by armed conflict": {
        "fr": "Personnes touchées par un conflit armé",
        "ar": "الأشخاص المتضررون من النزاعات المسلحة",
    },
    "Persons deprived of their liberty": {
        "fr": "Personnes privées de liberté",
        "ar": "الأشخاص المحرومون من حريتهم",
    },
    "Persons living in poverty": {
        "fr": "Personnes vivant dans la pauvreté",
        "ar": "الأشخاص الذين يعيشون في فقر",
    },
    "Persons living in rural areas": {
        "fr": "Personnes vivant en milieu rural",
        "ar": "الأشخاص الذين يعيشون في المناطق الريفية",
    },
    "Persons living with HIV/AIDS": {
        "fr": "Personnes vivant avec le VIH/sida",
        "ar": "الأشخاص المتعايشون مع فيروس نقص المناعة البشرية/الإيدز",
    },
    "Persons with disabilities": {"fr": "Personnes handicapées", "ar": "الأشخاص ذوو الإعاقة"},
    "Prison officials": {"fr": "Personnel pénitentiaire", "ar": "موظفو السجون"},
    "Private security": {"fr": "Sécurité privée", "ar": "الأمن الخاص"},
    "Public officials": {"fr": "Agents publics", "ar": "الموظفون العموميون"},
    "Refugees & asylum seekers": {
        "fr": "Réfugiés et demandeurs d'asile",
        "ar": "اللاجئون وطالبو اللجوء",
    },
    "Rural women": {"fr": "Femmes rurales", "ar": "النساء الريفيات"},
    "Social workers": {"fr": "Travailleurs sociaux", "ar": "العاملون الاجتماعيون"},
    "Stateless persons": {"fr": "Apatrides", "ar": "عديمو الجنسية"},
    "Vulnerable persons/groups": {
        "fr": "Personnes / groupes vulnérables",
        "ar": "الأشخاص / الفئات في وضعية هشاشة",
    },
    "Women": {"fr": "Femmes", "ar": "النساء"},
    "Youth": {"fr": "Jeunes", "ar": "الشباب"},
}

#: Codes for the two category names whose slug would not fit a term code.
AFFECTED_PERSONS_CODES = {
    "Lesbian, gay, bisexual and transgender and intersex persons (LGBTI)": "lgbti-persons",
    "Minorities / racial, ethnic, linguistic, religious or descent-based groups": "minorities",
}


def affected_person_code(name: str) -> str:
    return AFFECTED_PERSONS_CODES.get(name) or slugify(name)


def affected_persons_vocabulary() -> ShippedVocabulary:
    terms = []
    for row in _rows("uhri_affected_persons.csv"):
        name = _clean(row["affected_persons"])
        translations = AFFECTED_PERSONS_TRANSLATIONS.get(name)
        if translations is None:
            raise ValueError(f"No French and Arabic name for the category {name!r}.")
        terms.append(
            ShippedTerm(code=affected_person_code(name), labels={"en": name, **translations})
        )
    return ShippedVocabulary(
        code="affected-persons",
        names={"ar": "الأشخاص المعنيون", "fr": "Personnes concernées", "en": "Affected persons"},
        description=(
            "The groups of people a recommendation concerns, after the 'affected persons' "
            "categories of OHCHR's Universal Human Rights Index."
        ),
        source_note=(
            "Source: the UHRI affected-persons categories as listed in the seed data of the "
            "GitHub repository impactoss/impactoss-server (db/seeds.rb, values only; that "
            "repository says the list comes from the UHRI search page).\n"
            "Limits: the list dates from about 2017 and current UHRI wording may differ "
            "slightly. English names are the source's; French and Arabic names were "
            "translated for Mizan."
        ),
        position=20,
        terms=terms,
    )


def shipped_vocabularies() -> list[ShippedVocabulary]:
    vocabularies = [
        uhri_themes_vocabulary(),
        affected_persons_vocabulary(),
        sdg_vocabulary(),
        gcm_vocabulary(),
        border_guidelines_vocabulary(),
    ]
    for vocabulary in vocabularies:
        codes = [term.code for term in vocabulary.terms]
        if len(set(codes)) != len(codes):
            raise ValueError(f"Duplicate term codes in {vocabulary.code}.")
        for code in codes:
            if not code or len(code) > TERM_CODE_MAX_LENGTH:
                raise ValueError(f"Bad term code {code!r} in {vocabulary.code}.")
    return vocabularies


@transaction.atomic
def load_shipped_vocabularies(*, by: Any = None) -> dict[str, int]:
    """Create or bring up to date the shipped vocabularies; returns code → number of terms."""
    return {shipped.code: _load(shipped, by) for shipped in shipped_vocabularies()}


def _load(shipped: ShippedVocabulary, by: Any) -> int:
    vocabulary = Vocabulary.objects.filter(code=shipped.code).first()
    if vocabulary is None:
        vocabulary = Vocabulary(code=shipped.code, position=shipped.position)
    facts = {
        "names": shipped.names,
        "description": shipped.description,
        "source_note": shipped.source_note,
    }
    if vocabulary.pk is None or any(getattr(vocabulary, k) != v for k, v in facts.items()):
        for name, value in facts.items():
            setattr(vocabulary, name, value)
        attribute_change(vocabulary, user=by)
        vocabulary.save()

    history_user = by if getattr(by, "is_authenticated", False) else None
    existing = {term.code: term for term in Term.objects.filter(vocabulary=vocabulary)}
    ids = {code: term.pk for code, term in existing.items()}
    positions = {term.code: index for index, term in enumerate(shipped.terms)}
    # Parents before their children, so a child can point at its parent's id.
    pending = list(shipped.terms)
    while pending:
        ready = [t for t in pending if t.parent is None or t.parent in ids]
        if not ready:
            raise ValueError(f"Terms of {shipped.code} point at missing parents.")
        pending = [t for t in pending if t not in ready]
        to_create: list[Term] = []
        to_update: list[Term] = []
        for term in ready:
            parent_id = ids[term.parent] if term.parent else None
            current = existing.get(term.code)
            if current is None:
                to_create.append(
                    Term(
                        vocabulary=vocabulary,
                        code=term.code,
                        labels=term.labels,
                        parent_id=parent_id,
                        position=positions[term.code],
                    )
                )
                continue
            labels = {**current.labels, **term.labels}
            if (current.labels, current.parent_id, current.position) != (
                labels,
                parent_id,
                positions[term.code],
            ):
                current.labels = labels
                current.parent_id = parent_id
                current.position = positions[term.code]
                to_update.append(current)
        if to_create:
            created = bulk_create_with_history(to_create, Term, default_user=history_user)
            ids.update({term.code: term.pk for term in created})
        if to_update:
            bulk_update_with_history(
                to_update, Term, ["labels", "parent", "position"], default_user=history_user
            )
    return len(shipped.terms)
