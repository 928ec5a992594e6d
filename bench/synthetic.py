"""Synthetic but realistic-looking data for the benchmarks: vocabularies in English, French
and Arabic, a CSV file of recommendations that uses them, and search queries.

Everything is drawn from a seeded random generator, so two runs with the same seed and row
count produce the same files and queries.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path


def _table(text: str) -> list[tuple[str, ...]]:
    """Rows of ``a | b | c`` lines (kept as text so the word lists stay readable)."""
    return [tuple(cell.strip() for cell in line.split("|")) for line in text.strip().splitlines()]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines()]


#: (code, English, French, Arabic) labels of the synthetic vocabularies.
THEMES = _table(
    """
A12 | Acceptance of international norms | Acceptation des normes internationales | قبول المعايير الدولية
A41 | Constitutional and legislative framework | Cadre constitutionnel et législatif | الإطار الدستوري والتشريعي
A5 | Human rights education and training | Éducation et formation aux droits de l'homme | التثقيف والتدريب في مجال حقوق الإنسان
A62 | Statistics and indicators | Statistiques et indicateurs | الإحصاءات والمؤشرات
B31 | Equality and non-discrimination | Égalité et non-discrimination | المساواة وعدم التمييز
B51 | Right to an effective remedy | Droit à un recours effectif | الحق في الانتصاف الفعال
D25 | Prohibition of torture | Interdiction de la torture | حظر التعذيب
D26 | Conditions of detention | Conditions de détention | ظروف الاحتجاز
D27 | Prohibition of slavery and trafficking | Interdiction de l'esclavage et de la traite | حظر الرق والاتجار بالأشخاص
D43 | Freedom of expression | Liberté d'expression | حرية التعبير
D51 | Administration of justice | Administration de la justice | إقامة العدل
E1 | Economic, social and cultural rights | Droits économiques, sociaux et culturels | الحقوق الاقتصادية والاجتماعية والثقافية
E31 | Right to work | Droit au travail | الحق في العمل
E41 | Right to health | Droit à la santé | الحق في الصحة
E51 | Right to education | Droit à l'éducation | الحق في التعليم
F12 | Discrimination against women | Discrimination à l'égard des femmes | التمييز ضد المرأة
F31 | Violence against women | Violence à l'égard des femmes | العنف ضد المرأة
G1 | Members of minorities | Membres de minorités | أفراد الأقليات
G4 | Migrants | Migrants | المهاجرون
H1 | Human rights defenders | Défenseurs des droits de l'homme | المدافعون عن حقوق الإنسان
S16 | Peace, justice and strong institutions | Paix, justice et institutions efficaces | السلام والعدل والمؤسسات القوية
"""  # noqa: E501 (one term a line reads best)
)
SDGS = _table(
    """
1 | No poverty | Pas de pauvreté | القضاء على الفقر
3 | Good health and well-being | Bonne santé et bien-être | الصحة الجيدة والرفاه
4 | Quality education | Éducation de qualité | التعليم الجيد
5 | Gender equality | Égalité entre les sexes | المساواة بين الجنسين
8 | Decent work and economic growth | Travail décent et croissance économique | العمل اللائق ونمو الاقتصاد
10 | Reduced inequalities | Inégalités réduites | الحد من أوجه عدم المساواة
16 | Peace, justice and strong institutions | Paix, justice et institutions efficaces | السلام والعدل والمؤسسات القوية
"""  # noqa: E501 (one term a line reads best)
)
GROUPS = _table(
    """
children | Children | Enfants | الأطفال
women | Women and girls | Femmes et filles | النساء والفتيات
migrants | Migrant workers | Travailleurs migrants | العمال المهاجرون
refugees | Refugees and asylum seekers | Réfugiés et demandeurs d'asile | اللاجئون وطالبو اللجوء
disabilities | Persons with disabilities | Personnes handicapées | الأشخاص ذوو الإعاقة
detainees | Persons deprived of liberty | Personnes privées de liberté | الأشخاص المحرومون من حريتهم
trafficking | Victims of trafficking | Victimes de la traite | ضحايا الاتجار بالبشر
journalists | Journalists | Journalistes | الصحفيون
"""
)
VOCABULARIES = {"themes": THEMES, "sdg": SDGS, "groups": GROUPS}

MECHANISMS = ["UPR", "UPR", "UPR", "CMW", "CAT", "CCPR", "CESCR", "CEDAW", "CRC", "CERD", "CRPD"]
STATES = _lines(
    """
Argentina
Brazil
Canada
Chile
Egypt
France
Germany
Ghana
India
Indonesia
Japan
Jordan
Kenya
Mexico
Norway
Portugal
Senegal
Spain
Tunisia
Uruguay
"""
)
#: How states' responses are written in real files (the importer normalises them).
POSITIONS = [
    "Supported",
    "supported",
    "Noted",
    "noted",
    "Acceptée",
    "Notée",
    "partially supported",
    "Accepted",
    "",
]

#: Word lists a recommendation is assembled from, per language.
WORDS = {
    "en": {
        "verbs": _lines(
            """
Ensure
Strengthen
Adopt measures to guarantee
Continue its efforts to promote
Establish
Review
Take all necessary steps to improve
Allocate sufficient resources to
Intensify
Develop a national plan for
"""
        ),
        "objects": _lines(
            """
access to justice for
the training of border officials on the rights of
legal aid for
independent monitoring of places of detention holding
birth registration of
protection against discrimination of
alternatives to detention for
access to health care for
the prosecution of those who exploit
safe housing for
inclusive education for
complaint mechanisms available to
"""
        ),
        "groups": _lines(
            """
migrant workers
children
women
persons with disabilities
asylum seekers
domestic workers
victims of trafficking
minorities
older persons
journalists
human rights defenders
detainees
"""
        ),
        "closers": _lines(
            """
in line with the Convention
in accordance with its international obligations
including through adequate funding
and report on progress in its next periodic report
with the participation of civil society
in all regions of the country
without delay
in law and in practice
"""
        ),
        "region": "in the region of",
    },
    "fr": {
        "verbs": _lines(
            """
Veiller à garantir
Renforcer
Adopter des mesures pour assurer
Poursuivre ses efforts pour promouvoir
Mettre en place
Réviser
Prendre toutes les mesures nécessaires pour améliorer
Allouer des ressources suffisantes à
Intensifier
Élaborer un plan national pour
"""
        ),
        "objects": _lines(
            """
l'accès à la justice des
la formation des agents aux frontières sur les droits des
l'aide juridictionnelle pour les
le contrôle indépendant des lieux de détention accueillant des
l'enregistrement des naissances des
la protection contre la discrimination des
les alternatives à la détention pour les
l'accès aux soins de santé des
la poursuite de ceux qui exploitent les
un logement sûr pour les
l'éducation inclusive des
les mécanismes de plainte ouverts aux
"""
        ),
        "groups": _lines(
            """
travailleurs migrants
enfants
femmes
personnes handicapées
demandeurs d'asile
travailleurs domestiques
victimes de la traite
minorités
personnes âgées
journalistes
défenseurs des droits de l'homme
détenus
"""
        ),
        "closers": _lines(
            """
conformément à la Convention
conformément à ses obligations internationales
notamment par un financement adéquat
et rendre compte des progrès dans son prochain rapport périodique
avec la participation de la société civile
dans toutes les régions du pays
sans délai
en droit et en pratique
"""
        ),
        "region": "dans la région de",
    },
    "ar": {
        "verbs": _lines(
            """
ضمان
تعزيز
اعتماد تدابير لكفالة
مواصلة جهودها لتعزيز
إنشاء
مراجعة
اتخاذ جميع الخطوات اللازمة لتحسين
تخصيص موارد كافية من أجل
تكثيف
وضع خطة وطنية من أجل
"""
        ),
        "objects": _lines(
            """
وصول إلى العدالة لفائدة
تدريب موظفي الحدود على حقوق
المساعدة القانونية لفائدة
الرصد المستقل لأماكن احتجاز
تسجيل ولادات
حماية من التمييز لفائدة
بدائل الاحتجاز لفائدة
الحصول على الرعاية الصحية لفائدة
ملاحقة من يستغلون
سكن آمن لفائدة
التعليم الشامل لفائدة
آليات الشكوى المتاحة لفائدة
"""
        ),
        "groups": _lines(
            """
العمال المهاجرين
الأطفال
النساء
الأشخاص ذوي الإعاقة
ملتمسي اللجوء
العمال المنزليين
ضحايا الاتجار بالبشر
الأقليات
كبار السن
الصحفيين
المدافعين عن حقوق الإنسان
المحتجزين
"""
        ),
        "closers": _lines(
            """
وفقا للاتفاقية
وفقا لالتزاماتها الدولية
بما في ذلك من خلال تمويل كاف
وتقديم تقرير عن التقدم المحرز في تقريرها الدوري المقبل
بمشاركة المجتمع المدني
في جميع مناطق البلد
دون تأخير
في القانون والممارسة
"""
        ),
        "region": "في منطقة",
    },
}
#: Syllables of the rare place names: a search for one matches a few hundred rows at most.
SYLLABLES = ["ta", "mou", "zri", "ka", "bel", "ou", "fa", "dra", "sen", "li", "ham", "ne", "ra"]
SYLLABLES += ["tiz", "gou", "mel", "sa", "bou"]
LANGUAGES = ["en"] * 5 + ["fr"] * 3 + ["ar"] * 2
HEADER = ["external_id", "document", "mechanism", "state_under_review", "document_date", "cycle"]
HEADER += ["paragraph", "language", "text", "recommending_state", "position"]
HEADER += ["tags:themes", "tags:sdg", "tags:groups"]


def regions(rng: random.Random, count: int = 400) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        names.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))).capitalize())
    return sorted(names)


def vocabulary_csv(terms: list[tuple[str, str, str, str]]) -> bytes:
    lines = ["code,label,parent,label_fr,label_ar"]
    for code, en, fr, ar in terms:
        lines.append(",".join(f'"{v}"' for v in (code, en, "", fr, ar)))
    return ("\n".join(lines) + "\n").encode()


def _tags(
    rng: random.Random, terms: list[tuple[str, str, str, str]], language: str, most: int
) -> str:
    """Between 0 and ``most`` terms, by code mostly, sometimes by a label in any language."""
    chosen = rng.sample(terms, rng.randint(0, most))
    values = []
    for code, en, fr, ar in chosen:
        if rng.random() < 0.7:
            values.append(code)
        else:
            values.append({"en": en, "fr": fr, "ar": ar}[language])
    return ";".join(values)


def recommendation_rows(rows: int, seed: int = 2026) -> Iterator[list[str]]:
    rng = random.Random(seed)
    places = regions(rng)
    made = 0
    document_number = 0
    while made < rows:
        document_number += 1
        mechanism = rng.choice(MECHANISMS)
        state = rng.choice(STATES)
        code = state[:3].upper()
        year = rng.randint(2008, 2025)
        if mechanism == "UPR":
            symbol = f"A/HRC/{document_number // 40 + 7}/{document_number}"
        else:
            symbol = f"{mechanism}/C/{code}/CO/{document_number}"
        cycle = str(rng.randint(1, 4))
        for index in range(min(rng.randint(60, 260), rows - made)):
            language = rng.choice(LANGUAGES)
            words = WORDS[language]
            text = (
                " ".join(
                    [
                        rng.choice(words["verbs"]),
                        rng.choice(words["objects"]),
                        rng.choice(words["groups"]),
                        words["region"],
                        rng.choice(places),
                        rng.choice(words["closers"]),
                    ]
                )
                + "."
            )
            if mechanism == "UPR":
                paragraph = f"{rng.randint(100, 160)}.{index + 1}"
                recommending_state = rng.choice(STATES)
                text = f"{text} ({recommending_state})"
                position = rng.choice(POSITIONS)
            else:
                paragraph = f"{index // 6 + 7}({'abcdef'[index % 6]})"
                recommending_state = ""
                position = ""
            made += 1
            yield [
                f"BENCH-{made}" if made % 2 else "",
                symbol,
                mechanism,
                state,
                f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                cycle,
                paragraph,
                language,
                text,
                recommending_state,
                position,
                _tags(rng, THEMES, language, 2),
                _tags(rng, SDGS, language, 1),
                _tags(rng, GROUPS, language, 1),
            ]


def write_recommendations(path: Path, rows: int, seed: int = 2026) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(recommendation_rows(rows, seed))


def search_queries(count: int = 200, seed: int = 7) -> list[str]:
    """Queries a coordinator might type: common words in the three languages, rare place
    names, two-word phrases, word prefixes and document symbols."""
    rng = random.Random(seed)
    places = regions(random.Random(2026))
    common = [
        "migrant",
        "detention",
        "trafficking",
        "children",
        "justice",
        "discrimination",
        "training",
        "disabilities",
        "journalists",
        "Convention",
        "enfants",
        "détention",
        "migrants",
        "formation",
        "handicapées",
        "traite",
        "المهاجرين",
        "الأطفال",
        "الاحتجاز",
        "التمييز",
        "النساء",
        "الصحفيين",
    ]
    pairs = [
        "migrant workers",
        "legal aid",
        "border officials",
        "health care",
        "birth registration",
        "travailleurs migrants",
        "aide juridictionnelle",
        "soins de santé",
        "العمال المهاجرين",
        "ضحايا الاتجار",
    ]
    prefixes = ["detent", "traffick", "discrimin", "migra", "journal", "handicap"]
    queries: list[str] = []
    while len(queries) < count:
        kind = rng.random()
        if kind < 0.3:
            queries.append(rng.choice(common))
        elif kind < 0.6:
            queries.append(rng.choice(places))
        elif kind < 0.8:
            queries.append(rng.choice(pairs))
        elif kind < 0.9:
            queries.append(f"{rng.choice(pairs)} {rng.choice(places)}")
        elif kind < 0.95:
            queries.append(rng.choice(prefixes))
        else:
            queries.append(f"A/HRC/{rng.randint(8, 40)}/{rng.randint(1, 1500)}")
    return queries
