"""Field accuracy of document intake (``mizan intake``): documents are rebuilt, parsed back,
and each recommendation's paragraph, text and recommending state compared with what was
written into them.

* UPR working-group reports rebuilt from OHCHR's matrix for China
  (``../shared/data/dev/ohchr_upr_matrix_china_2013_2018.csv``, skipped when absent): the
  report's layout (interactive dialogue, then the ``186.28 … (Mongolia);`` list), as DOCX,
  wrapped plain text with page heads and feet, and PDF (WeasyPrint; running symbol,
  ``GE.`` number and page number on each page, words hyphenated at line ends).
* Concluding observations in the treaty-body format, generated from our own sentences in
  English, French and Arabic: concern and recommendation paragraphs, sub-paragraphs that
  run across pages, lettered and numbered headings and unnumbered ones, lead-ins,
  footnotes, Word's automatic numbering (English DOCX). Arabic PDFs are justified, right
  to left, in the reports' Noto Naskh Arabic font, with tanwin accents, footnotes and
  paragraphs running across pages; numbered in European digits ("pdf") or Arabic-Indic
  ones ("pdf ٠-٩").

PDFs are read by poppler's ``pdftotext`` where it is installed, else by pypdf;
``--pdf-reader pypdf`` measures the fallback.

A field is exact when it equals the truth after collapsing white space. A recommendation
the parser misses counts its three fields wrong; one it invents counts three more.

    .venv/bin/python bench/intake_accuracy.py [--seed 7] [--documents 4] [--pdf-reader pypdf]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tempfile
import textwrap
import time
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from training import configure_django

ROOT = Path(__file__).resolve().parent.parent
MATRIX = ROOT.parent / "shared" / "data" / "dev" / "ohchr_upr_matrix_china_2013_2018.csv"


@dataclass
class Truth:
    paragraph: str
    text: str
    state: str = ""


@dataclass
class Paragraph:
    """A piece of a document: kind is heading, para (number, lead, subs), upr, other."""

    kind: str
    number: str = ""
    text: str = ""
    subs: tuple[str, ...] = ()
    footnote: str = ""


@dataclass
class Document:
    name: str
    symbol: str
    language: str
    pieces: list[Paragraph]
    truth: list[Truth]


def norm(value: str) -> str:
    return " ".join(value.split())


# --- UPR reports from the matrix -----------------------------------------------------------

#: The matrix's own state column is wrong for these (empty where the state's name holds
#: parentheses, "ILO" taken from the text): the state the report names.
STATE_CORRECTIONS = {
    ("A/HRC/25/5", "186.198"): "Bolivia (Plurinational S tate of)",
    ("A/HRC/25/5", "186.41"): "Iran (Islamic Republic of)",
    ("A/HRC/25/5", "186.174"): "Iran (Islamic Republic of)",
    ("A/HRC/25/5", "186.92"): "Bolivia (Plurinational State of)",
    ("A/HRC/25/5", "186.223"): "Venezuela (Bolivarian Republic of)",
    ("A/HRC/40/6", "28.19"): "United Kingdom of Great Britain and Northern Ireland",
}
DIALOGUE = (
    "{state} welcomed the delegation and took note of the measures taken since the "
    "previous review, in particular in the field of poverty reduction.",
    "{state} commended the adoption of the national human rights action plan and asked "
    "about the steps planned for its evaluation.",
    "{state} noted the cooperation with the treaty bodies and encouraged further "
    "engagement with civil society.",
)


def with_adjacent_states(text: str, names: list[str]) -> list[str]:
    """The matrix's column leaves out all but the last of several states written side by
    side, "… (Denmark) (Estonia);": put them back, in the text's order."""
    import re

    found: list[str] = []
    for name in names:
        at = text.find(f"({name})")
        before: list[str] = []
        while at > 0:
            match = re.search(r"\(([^()]+)\)\s*$", text[:at])
            if not match or not match.group(1).strip()[:1].isupper():
                break
            before.insert(0, match.group(1).strip())
            at = match.start()
        found += [*before, name]
    return list(dict.fromkeys(found))


def upr_documents() -> list[Document]:
    if not MATRIX.exists():
        print(f"skipped the UPR reports: {MATRIX} is not here (it is not in CI)")
        return []
    by_symbol: dict[str, list[dict[str, str]]] = defaultdict(list)
    with MATRIX.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_symbol[row["wg_report_symbol"]].append(row)
    documents = []
    for symbol, rows in sorted(by_symbol.items()):
        rows.sort(key=lambda r: tuple(int(p) for p in r["paragraph"].split(".")))
        major = rows[0]["paragraph"].split(".")[0]
        states = sorted({s for r in rows for s in r["recommending_states_in_text"].split("; ")})
        pieces = [
            Paragraph("other", text="Report of the Working Group on the Universal Periodic Review"),
            Paragraph("other", text="China"),
            Paragraph("heading", text="I. Summary of the proceedings of the review process"),
        ]
        for number, state in enumerate([s for s in states if s][:12], 1):
            pieces.append(Paragraph("para", str(number), DIALOGUE[number % 3].format(state=state)))
        pieces.append(Paragraph("heading", text="II. Conclusions and/or recommendations"))
        pieces.append(
            Paragraph(
                "para",
                major,
                "The following recommendations will be examined by China, which will "
                "provide responses in due time:",
            )
        )
        truth = []
        for row in rows:
            text = row["recommendation_text"]
            pieces.append(Paragraph("upr", row["paragraph"], text))
            corrected = STATE_CORRECTIONS.get((symbol, row["paragraph"]))
            names = [corrected] if corrected else row["recommending_states_in_text"].split("; ")
            names = list(dict.fromkeys(n.strip() for n in names if n.strip()))
            names = with_adjacent_states(text, names)
            expected = norm(text).rstrip(" ;.")
            if len(names) == 1:
                suffix = f"({names[0]})"
                assert expected.endswith(suffix), (symbol, row["paragraph"])
                expected = expected[: -len(suffix)].rstrip(" ;,")
            truth.append(Truth(row["paragraph"], expected, "; ".join(names)))
        pieces.append(
            Paragraph(
                "para",
                str(int(major) + 1),
                "All conclusions and/or recommendations contained in the present report "
                "reflect the position of the submitting State(s) and/or the State under "
                "review.",
            )
        )
        documents.append(Document(f"UPR {symbol}", symbol, "en", pieces, truth))
    return documents


# --- Concluding observations written here --------------------------------------------------

OBJECTS: dict[str, list[Any]] = {
    "en": [
        "migrant domestic workers",
        "children in an irregular situation",
        "victims of trafficking in persons",
        "women migrant workers",
        "asylum seekers held at the border",
        "persons deprived of their liberty",
        "seasonal agricultural workers",
        "families of disappeared migrants",
        "migrant workers with disabilities",
        "unaccompanied migrant children",
    ],
    "fr": [
        ("les travailleurs domestiques migrants", "des travailleurs domestiques migrants"),
        ("les enfants en situation irrégulière", "des enfants en situation irrégulière"),
        ("les victimes de la traite des personnes", "des victimes de la traite des personnes"),
        ("les travailleuses migrantes", "des travailleuses migrantes"),
        (
            "les demandeurs d'asile retenus à la frontière",
            "des demandeurs d'asile retenus à la frontière",
        ),
        ("les personnes privées de liberté", "des personnes privées de liberté"),
        ("les travailleurs agricoles saisonniers", "des travailleurs agricoles saisonniers"),
        ("les familles des migrants disparus", "des familles des migrants disparus"),
        ("les travailleurs migrants handicapés", "des travailleurs migrants handicapés"),
        ("les enfants migrants non accompagnés", "des enfants migrants non accompagnés"),
    ],
    "ar": [
        "العمال المنزليين المهاجرين",
        "الأطفال في وضع غير نظامي",
        "ضحايا الاتجار بالأشخاص",
        "العاملات المهاجرات",
        "ملتمسي اللجوء المحتجزين على الحدود",
        "الأشخاص المحرومين من حريتهم",
        "العمال الزراعيين الموسميين",
        "أسر المهاجرين المفقودين",
        "العمال المهاجرين ذوي الإعاقة",
        "الأطفال المهاجرين غير المصحوبين",
    ],
}
ACTIONS = {
    "en": [
        "Adopt a comprehensive law that protects {o} against all forms of exploitation",
        "Ensure that {o} have effective access to justice and to independent complaint mechanisms",
        "Provide regular training on the rights of {o} to judges, prosecutors and police officers",
        "Collect data disaggregated by sex, age and nationality on the situation of {o}",
        "Allocate sufficient human, technical and financial resources to the services for {o}",
        "Establish an independent mechanism to monitor the treatment of {o} and publish its "
        "findings",
        "Guarantee that {o} can obtain identity documents free of charge",
        "Conduct awareness-raising campaigns on the rights of {o}, in cooperation with "
        "non-governmental organizations",
        "Review its legislation so that the follow-up of complaints lodged by {o} is "
        "independent and well-resourced",
    ],
    "fr": [
        "Adopter une loi globale qui protège {o} contre toutes les formes d'exploitation",
        "Veiller à ce que {o} aient effectivement accès à la justice et à des mécanismes de "
        "plainte indépendants",
        "Dispenser aux juges, aux procureurs et aux policiers une formation régulière sur les "
        "droits {d}",
        "Recueillir des données ventilées par sexe, âge et nationalité sur la situation {d}",
        "Allouer des ressources humaines, techniques et financières suffisantes aux services "
        "destinés à {o}",
        "Créer un mécanisme indépendant chargé de surveiller la situation {d} et rendre "
        "publiques ses conclusions",
        "Garantir que {o} puissent obtenir gratuitement des documents d'identité",
        "Mener des campagnes de sensibilisation aux droits {d}, en coopération avec les "
        "organisations non gouvernementales",
    ],
    "ar": [
        "اعتماد قانون شامل يحمي {o} من جميع أشكال الاستغلال",
        "ضمان حصول {o} فعلياً على العدالة وعلى آليات مستقلة لتقديم الشكاوى",
        "توفير تدريب منتظم للقضاة والمدعين العامين وأفراد الشرطة بشأن حقوق {o}",
        "جمع بيانات مصنفة حسب الجنس والعمر والجنسية عن حالة {o}",
        "تخصيص موارد بشرية وتقنية ومالية كافية للخدمات المقدمة إلى {o}",
        "إنشاء آلية مستقلة لرصد معاملة {o} ونشر استنتاجاتها",
        "ضمان تمكين {o} من الحصول على وثائق الهوية مجاناً",
        "تنظيم حملات توعية بحقوق {o} بالتعاون مع المنظمات غير الحكومية",
    ],
}
CONCERNS = {
    "en": [
        "The Committee is concerned that {o} continue to face obstacles in gaining access "
        "to health care and education.",
        "The Committee is concerned about the backlog of requests for residence permits "
        "lodged by {o} and about the lack of information on their outcome.",
        "While noting the adoption of a national strategy, the Committee regrets that {o} "
        "remain exposed to arbitrary detention.",
    ],
    "fr": [
        "Le Comité est préoccupé par le fait que {o} continuent de se heurter à des "
        "obstacles dans l'accès aux soins de santé et à l'éducation.",
        "Le Comité est préoccupé par le nombre de demandes de titres de séjour en souffrance "
        "et par le manque d'informations sur la situation {d}.",
        "Tout en prenant note de l'adoption d'une stratégie nationale, le Comité regrette "
        "que {o} restent exposés à la détention arbitraire.",
    ],
    "ar": [
        "ويساور اللجنة القلق لأن {o} لا يزالون يواجهون عقبات في الحصول على الرعاية الصحية "
        "والتعليم.",
        "وتعرب اللجنة عن قلقها إزاء تراكم طلبات تصاريح الإقامة المقدمة من {o} وإزاء نقص "
        "المعلومات عن نتائجها.",
        "وإذ تحيط اللجنة علماً باعتماد استراتيجية وطنية، فإنها تأسف لأن {o} لا يزالون "
        "معرضين للاحتجاز التعسفي.",
    ],
}
LEADS = {
    "en": (
        [
            "The Committee recommends that the State party:",
            "The Committee urges the State party to:",
        ],
        [
            "In the light of its general comment No. 2 (2013), the Committee recommends that "
            "the State party:",
            "Recalling its previous concluding observations, the Committee calls upon the "
            "State party to take the following measures:",
        ],
    ),
    "fr": (
        ["Le Comité recommande à l'État partie :", "Le Comité prie instamment l'État partie :"],
        [
            "À la lumière de son observation générale no 2 (2013), le Comité recommande à "
            "l'État partie :",
            "Rappelant ses précédentes observations finales, le Comité engage l'État partie "
            "à prendre les mesures suivantes :",
        ],
    ),
    "ar": (
        ["توصي اللجنة الدولة الطرف بما يلي:", "تحث اللجنة الدولة الطرف على ما يلي:"],
        [
            "في ضوء تعليقها العام رقم 2 (2013)، توصي اللجنة الدولة الطرف بما يلي:",
            "وإذ تشير اللجنة إلى ملاحظاتها الختامية السابقة، فإنها تدعو الدولة الطرف إلى "
            "اتخاذ التدابير التالية:",
        ],
    ),
}
SINGLE = {
    "en": (
        "The Committee recommends that the State party {a}.",
        "The Committee notes the "
        "efforts made by the State party. It recommends that the State party {a}.",
    ),
    "fr": (
        "Le Comité recommande à l'État partie de {a}.",
        "Le Comité prend note des efforts déployés par l'État partie. Il lui recommande de {a}.",
    ),
    "ar": (
        "توصي اللجنة الدولة الطرف ب{a}.",
        "وتحيط اللجنة علماً بالجهود التي تبذلها الدولة الطرف. وتوصي اللجنة الدولة الطرف ب{a}.",
    ),
}
SEPARATORS = {"en": (";", "; and"), "fr": (";", ";"), "ar": ("؛", "؛")}
HEADINGS = {
    "en": [
        "Legislation and policies",
        "Birth registration and nationality",
        "Detention and expulsion",
        "Labour rights",
        "Data collection",
    ],
    "fr": [
        "Législation et politiques",
        "Enregistrement des naissances et nationalité",
        "Détention et expulsion",
        "Droits au travail",
        "Collecte de données",
    ],
    "ar": [
        "التشريعات والسياسات",
        "تسجيل المواليد والجنسية",
        "الاحتجاز والطرد",
        "حقوق العمل",
        "جمع البيانات",
    ],
}
TITLES = {
    "en": (
        "Concluding observations on the second periodic report of Xanadu",
        [
            "A. Introduction",
            "B. Positive aspects",
            "C. Principal subjects of concern and recommendations",
        ],
        "1. General measures of implementation (arts. 73 and 84)",
        "The Committee considered the second periodic report of the State party at its "
        "meetings held in Geneva and adopted the present concluding observations.",
        "See the Committee's general comment No. {n}.",
    ),
    "fr": (
        "Observations finales concernant le deuxième rapport périodique de Xanadu",
        [
            "A. Introduction",
            "B. Aspects positifs",
            "C. Principaux sujets de préoccupation et recommandations",
        ],
        "1. Mesures d'application générales (art. 73 et 84)",
        "Le Comité a examiné le deuxième rapport périodique de l'État partie à ses séances "
        "tenues à Genève et a adopté les présentes observations finales.",
        "Voir l'observation générale no {n} du Comité.",
    ),
    "ar": (
        "الملاحظات الختامية بشأن التقرير الدوري الثاني لزانادو",
        ["ألف- مقدمة", "باء- الجوانب الإيجابية", "جيم- دواعي القلق الرئيسية والتوصيات"],
        "1- تدابير التنفيذ العامة (المادتان 73 و84)",
        "نظرت اللجنة في التقرير الدوري الثاني للدولة الطرف في جلساتها المعقودة في جنيف "
        "واعتمدت هذه الملاحظات الختامية.",
        "انظر تعليق اللجنة العام رقم {n}.",
    ),
}


def _lower_first(value: str) -> str:
    return value[:1].lower() + value[1:]


def _fr_elide(value: str) -> str:
    import re

    return re.sub(r"\bde ([aeiouéèàâ])", r"d'\1", value)


def treaty_document(language: str, seed: int, index: int) -> Document:
    rng = random.Random(seed * 100 + index)
    symbol = f"CMW/C/XX{chr(65 + index)}/CO/2"
    title, sections, numbered_heading, intro, footnote_text = TITLES[language]
    pieces = [Paragraph("other", text=title), Paragraph("heading", text=sections[0])]
    pieces.append(Paragraph("para", "1", intro))
    pieces.append(Paragraph("heading", text=sections[1]))
    pieces.append(Paragraph("para", "2", intro))
    pieces.append(Paragraph("heading", text=sections[2]))
    pieces.append(Paragraph("heading", text=numbered_heading))
    truth: list[Truth] = []
    number = 3
    footnotes = 0

    def obj() -> tuple[str, str]:
        item: str | tuple[str, str] = rng.choice(OBJECTS[language])
        return item if isinstance(item, tuple) else (item, item)

    def action(o: tuple[str, str]) -> str:
        return rng.choice(ACTIONS[language]).format(o=o[0], d=o[1])

    for _topic in range(rng.randint(9, 13)):
        if rng.random() < 0.6:
            pieces.append(Paragraph("heading", text=rng.choice(HEADINGS[language])))
        o = obj()
        # a concern paragraph, sometimes with a footnote
        concern = rng.choice(CONCERNS[language]).format(o=o[0], d=o[1])
        footnote = ""
        if rng.random() < 0.4:
            footnotes += 1
            footnote = footnote_text.format(n=footnotes)
        pieces.append(Paragraph("para", str(number), concern, footnote=footnote))
        number += 1
        style = rng.random()
        if style < 0.65:
            boilerplate = rng.random() < 0.6
            lead = rng.choice(LEADS[language][0 if boilerplate else 1])
            count = rng.randint(2, 6)
            bodies: list[str] = []
            seen = set()
            while len(bodies) < count:
                body = action(obj() if rng.random() < 0.3 else o)
                if body not in seen:
                    seen.add(body)
                    bodies.append(body)
            subs = []
            semicolon, last_join = SEPARATORS[language]
            for position, body in enumerate(bodies):
                if position == len(bodies) - 1:
                    written = body + "."
                    expected = body + "."
                elif position == len(bodies) - 2:
                    written = body + last_join
                    expected = body
                else:
                    written = body + semicolon
                    expected = body
                subs.append(written)
                letter = chr(ord("a") + position)
                text = expected if boilerplate else f"{lead} {expected}"
                truth.append(Truth(f"{number}({letter})", text))
            fn = ""
            if rng.random() < 0.3:
                footnotes += 1
                fn = footnote_text.format(n=footnotes)
            pieces.append(Paragraph("para", str(number), lead, tuple(subs), footnote=fn))
        else:
            two_sentences = style > 0.85
            body = action(o)
            verb = body if language == "ar" else _lower_first(body)
            text = SINGLE[language][1 if two_sentences else 0].format(a=verb)
            if language == "fr":
                text = _fr_elide(text)
            pieces.append(Paragraph("para", str(number), text))
            expected = text.split(". ", 1)[1] if two_sentences else text
            truth.append(Truth(str(number), expected))
        number += 1
    return Document(f"CO {language} #{index}", symbol, language, pieces, truth)


# --- Writing the documents -----------------------------------------------------------------

ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _number_label(piece: Paragraph, language: str, arabic_digits: bool) -> str:
    if piece.kind == "upr":
        return piece.number
    if language == "ar":
        number = piece.number.translate(ARABIC_DIGITS) if arabic_digits else piece.number
        return f"{number}-"
    return f"{piece.number}."


def _sub_label(position: int, language: str) -> str:
    if language == "ar":
        return "(" + "أبجدهوزحطيكلمنسعفصقرشت"[position] + ")"
    return f"({chr(ord('a') + position)})"


def write_docx(document: Document, *, auto_numbers: bool) -> bytes:
    import docx

    word = docx.Document()
    section = word.sections[0]
    section.header.paragraphs[0].text = document.symbol
    section.footer.paragraphs[0].text = "GE.26-04512"
    for piece in document.pieces:
        if piece.kind == "heading":
            word.add_heading(piece.text, level=2)
        elif piece.kind == "other":
            word.add_paragraph(piece.text)
        elif piece.kind == "para" and auto_numbers:
            word.add_paragraph(piece.text, style="List Number")
        else:
            label = _number_label(piece, document.language, arabic_digits=False)
            word.add_paragraph(f"{label}\t{piece.text}")
        for position, sub in enumerate(piece.subs):
            word.add_paragraph(f"{_sub_label(position, document.language)}\t{sub}")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def write_text(document: Document, *, width: int = 78, page_lines: int = 46) -> bytes:
    lines: list[str] = []
    for piece in document.pieces:
        text = piece.text
        if piece.kind in ("para", "upr"):
            label = _number_label(piece, document.language, arabic_digits=True)
            lines += textwrap.wrap(f"{label} {text}", width)
        else:
            lines += textwrap.wrap(text, width)
        for position, sub in enumerate(piece.subs):
            lines += textwrap.wrap(
                f"{_sub_label(position, document.language)} {sub}",
                width,
                subsequent_indent="    ",
            )
        lines.append("")
    pages = []
    for number, start in enumerate(range(0, len(lines), page_lines), 1):
        body = lines[start : start + page_lines]
        pages.append("\n".join([document.symbol, "", *body, "", f"GE.26-04512    {number}"]))
    return "\f".join(pages).encode()


def write_pdf(document: Document, *, arabic_digits: bool = False) -> bytes:
    from weasyprint import HTML

    direction = "rtl" if document.language == "ar" else "ltr"
    # the Arabic fonts the reports use (fonts-noto-core)
    fonts = (
        '"Noto Naskh Arabic", "Noto Sans", serif'
        if document.language == "ar"
        else '"DejaVu Serif", serif'
    )
    parts = []
    for piece in document.pieces:
        fn = f'<span class="fn">{escape(piece.footnote)}</span>' if piece.footnote else ""
        if piece.kind == "heading":
            parts.append(f"<h2>{escape(piece.text)}</h2>")
        elif piece.kind == "other":
            parts.append(f"<p class=title>{escape(piece.text)}</p>")
        else:
            label = _number_label(piece, document.language, arabic_digits=arabic_digits)
            text = escape(piece.text)
            if fn:
                # the footnote marker goes after the paragraph's last word
                body = text.rstrip(".: ")
                text = body + fn + text[len(body) :]
            parts.append(f"<p><span class=num>{label}</span> {text}</p>")
        for position, sub in enumerate(piece.subs):
            parts.append(
                f"<p class=sub>{_sub_label(position, document.language)} {escape(sub)}</p>"
            )
    html = f"""<!doctype html><html lang="{document.language}" dir="{direction}"><head>
<style>
@page {{ size: A4; margin: 2.2cm 2.4cm 2.6cm;
  @top-left {{ content: "{document.symbol}"; font-size: 9pt }}
  @bottom-left {{ content: "GE.26-04512"; font-size: 8pt }}
  @bottom-right {{ content: counter(page); font-size: 9pt }} }}
body {{ font-family: {fonts}; font-size: 10.5pt; text-align: justify;
  hyphens: auto; width: 12cm; margin-inline-start: 2cm }}
h2 {{ font-size: 11pt; font-weight: bold; }}
p.sub {{ margin-inline-start: 1cm }}
.fn {{ float: footnote; font-size: 8pt }}
</style></head><body>{"".join(parts)}</body></html>"""
    return bytes(HTML(string=html).write_pdf())


# --- Scoring -------------------------------------------------------------------------------


def difference(found: str, wanted: str) -> str:
    """Where two texts part: 30 characters either side."""
    found, wanted = norm(found), norm(wanted)
    at = next(
        (i for i, (a, b) in enumerate(zip(found, wanted, strict=False)) if a != b),
        min(len(found), len(wanted)),
    )
    start = max(0, at - 30)
    return f"…{found[start : at + 30]!r} ≠ …{wanted[start : at + 30]!r}"


def score(document: Document, rows: list) -> tuple[int, int, list[str]]:
    """(exact fields, fields, examples of errors)"""
    found = {row.paragraph: row for row in rows}
    wanted = {t.paragraph for t in document.truth}
    exact = 0
    errors: list[str] = []
    for truth in document.truth:
        row = found.get(truth.paragraph)
        if row is None:
            errors.append(f"missing {truth.paragraph}")
            continue
        exact += 1
        if norm(row.text) == norm(truth.text):
            exact += 1
        else:
            errors.append(f"text {truth.paragraph}: {difference(row.text, truth.text)}")
        if norm(row.recommending_state) == norm(truth.state):
            exact += 1
        else:
            errors.append(f"state {truth.paragraph}: {row.recommending_state!r} ≠ {truth.state!r}")
    extra = [row.paragraph for row in rows if row.paragraph not in wanted]
    errors += [f"extra {paragraph}" for paragraph in extra]
    return exact, 3 * (len(document.truth) + len(extra)), errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--documents", type=int, default=4, help="concluding observations per language"
    )
    parser.add_argument("--show", type=int, default=3, help="errors shown per document type")
    parser.add_argument(
        "--pdf-reader",
        choices=("pdftotext", "pypdf"),
        default="pdftotext",
        help="pypdf: read PDFs as where poppler is not installed",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        configure_django(Path(temporary) / "bench.sqlite3", Path(temporary))
        from mizan.assist import intake_readers
        from mizan.assist.intake import read_document

        if options.pdf_reader == "pypdf":
            intake_readers.PDFTOTEXT = ""

        documents = upr_documents()
        for language in ("en", "fr", "ar"):
            documents += [
                treaty_document(language, options.seed, index) for index in range(options.documents)
            ]
        totals: dict[str, list] = defaultdict(lambda: [0, 0, 0, 0.0, []])
        for document in documents:
            layout = "UPR" if document.name.startswith("UPR") else f"CO {document.language}"
            formats = {
                "docx": lambda d=document: write_docx(
                    d, auto_numbers=d.language == "en" and not d.name.startswith("UPR")
                ),
                "text": lambda d=document: write_text(d),
            }
            formats["pdf"] = lambda d=document: write_pdf(d)
            if document.language == "ar":
                formats["pdf ٠-٩"] = lambda d=document: write_pdf(d, arabic_digits=True)
            for kind, write in formats.items():
                data = write()
                started = time.perf_counter()
                result = read_document(data)
                elapsed = time.perf_counter() - started
                exact, fields, errors = score(document, result.rows)
                total = totals[f"{layout:6} {kind}"]
                total[0] += exact
                total[1] += fields
                total[2] += len(document.truth)
                total[3] += elapsed
                total[4] += errors
        print(f"{'document type':14} {'recs':>6} {'fields':>7} {'exact':>7}  {'parse s':>7}")
        all_exact = all_fields = 0
        for name, (exact, fields, recs, elapsed, errors) in sorted(totals.items()):
            all_exact += exact
            all_fields += fields
            print(f"{name:14} {recs:6} {fields:7} {exact / fields:7.2%}  {elapsed:7.2f}")
            for error in errors[: options.show]:
                print(f"    {error}")
        print(f"{'all':14} {'':6} {all_fields:7} {all_exact / all_fields:7.2%}")


if __name__ == "__main__":
    main()
