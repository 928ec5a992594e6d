"""A long follow-up report's PDF is laid out in parts, in separate processes, then joined:
the joined PDF reads as one document (pages in order, page numbers that continue,
bookmarks that nest), and it is written even when no process can be started."""

from __future__ import annotations

import io
import re
from itertools import chain
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from mizan.reports import documents, followup_writers
from mizan.reports.followup import follow_up_report
from mizan.reports.followup_writers import follow_up_parts, follow_up_pdf
from tests.reports.followup_builders import FIRST_TEXT, LAW_TITLE, SYMBOL, follow_up_case


def page_texts(content: bytes) -> list[str]:
    return [
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(content)).pages
    ]


def outline(content: bytes) -> list:
    """The bookmarks as nested (title, children) pairs."""
    reader = PdfReader(io.BytesIO(content))

    def tree(items):
        nodes: list = []
        for item in items:
            if isinstance(item, list):
                nodes[-1] = (nodes[-1][0], tree(item))
            else:
                nodes.append((str(item.title), []))
        return nodes

    return tree(reader.outline)


@pytest.fixture
def case():
    return follow_up_case()


@pytest.fixture
def two_parts(monkeypatch):
    """Cut even the three recommendations of the test case into two parts."""
    monkeypatch.setattr(followup_writers, "PARALLEL_FROM", 1)


def written_pdf(document, language: str, processes: int) -> bytes:
    report = follow_up_report(document, language=language)
    with followup_writers.translation.override(language):
        return follow_up_pdf(report, processes=processes)


def report_of(recommendations: int, actions: int) -> SimpleNamespace:
    return SimpleNamespace(recommendations=list(range(recommendations)), actions=[0] * actions)


def test_a_long_report_is_cut_into_balanced_parts_that_keep_every_recommendation_once():
    parts = follow_up_parts(report_of(500, 40), processes=2)

    assert [part["front"] for part in parts] == [True, False]
    assert [part["actions"] for part in parts] == [False, True]
    assert list(chain.from_iterable(part["recommendations"] for part in parts)) == list(range(500))
    # The second part also lays out the 40 actions: it gets fewer recommendations.
    assert 250 < len(parts[0]["recommendations"]) < 350


def test_a_short_report_is_one_part_and_a_long_one_no_more_parts_than_processes():
    (part,) = follow_up_parts(report_of(20, 40), processes=4)
    assert part["front"] and part["actions"] and part["opens_recommendations"]
    assert len(part["recommendations"]) == 20
    parts = follow_up_parts(report_of(100, 200), processes=3)
    assert len(parts) == 3
    assert all(part["recommendations"] for part in parts)  # however heavy the actions
    assert list(chain.from_iterable(part["recommendations"] for part in parts)) == list(range(100))


@pytest.mark.django_db
def test_the_joined_pdf_has_every_page_in_order_numbered_and_bookmarked_as_one(case, two_parts):
    whole = page_texts(written_pdf(case.document, "en", processes=1))
    content = written_pdf(case.document, "en", processes=2)
    joined = page_texts(content)

    text = " ".join(joined)
    for expected in (SYMBOL, FIRST_TEXT, LAW_TITLE, "Officers trained 26"):
        assert expected in text
    # Recommendations in the same order as in one document, then the actions.
    paragraphs = re.findall(r"Paragraph \S+", text)
    assert len(paragraphs) == 3
    assert paragraphs == re.findall(r"Paragraph \S+", " ".join(whole))
    assert text.index(FIRST_TEXT) < text.index(LAW_TITLE)
    # The second part starts on a new page; nothing else changes.
    assert len(whole) <= len(joined) <= len(whole) + 1
    # The cover is not numbered; every other page is, and the numbers continue.
    total = len(joined)
    assert not re.search(r"\d+ / \d+", joined[0])
    for number, page in enumerate(joined[1:], start=2):
        assert page.endswith(f"{number} / {total}")
    # The hidden headings that open the second part do not show...
    assert text.count("Follow-up report on") == 1
    # ...but carry its recommendations under "Recommendations", as in one document.
    ((title, sections),) = outline(content)
    assert title == f"Follow-up report on {SYMBOL}"
    names = [name for name, _children in sections]
    assert names == ["Summary", "Recommendations", "Actions"]
    recommendations = dict(sections)["Recommendations"]
    assert len(recommendations) == 3


@pytest.mark.django_db
def test_arabic_page_numbers_read_from_the_right(case, two_parts):
    pages = page_texts(written_pdf(case.document, "ar", processes=2))

    total = len(pages)
    assert pages[1].endswith(f"{total} / 2")
    assert SYMBOL in " ".join(pages)


@pytest.mark.django_db
def test_the_pdf_is_written_in_one_process_when_none_can_start(case, two_parts, monkeypatch):
    def no_processes(workers):
        raise OSError("no processes here")

    monkeypatch.setattr(documents, "_pdf_pool", no_processes)
    pages = page_texts(written_pdf(case.document, "en", processes=2))

    text = " ".join(pages)
    assert FIRST_TEXT in text and LAW_TITLE in text
    assert pages[-1].endswith(f"{len(pages)} / {len(pages)}")
