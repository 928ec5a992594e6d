"""The minutes of a committee meeting as a PDF: what they hold (attendance, agenda, the
meeting's decisions and tasks, the decisions on suggestions with their rationale), in
Arabic right to left or French, drawn on A4 portrait, never naming a suggestion's author;
and who may download them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from mizan.accounts.enums import Role
from mizan.suggestions.enums import Outcome
from mizan.suggestions.minutes_pdf import minutes_context, minutes_pdf
from mizan.suggestions.services import decisions, rounds
from tests.factories import user_with_role
from tests.suggestions.builders import from_participant, from_staff, open_round

pytestmark = pytest.mark.django_db

#: Marks pdftotext puts around right-to-left runs; not part of the text.
BIDI_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
RATIONALE = "Case studies make the rights concrete."


@pytest.fixture
def decided(case):
    """Two suggestions decided at the case's meeting and released: a participant's,
    accepted, and a staff member's, merged into it."""
    author = user_with_role(
        Role.FOCAL_POINT, case.partnership.police, username="karim", display_name="Karim Haddad"
    )
    named = from_participant(case.enrolments[0])
    staff = from_staff(author, "A case study with a family at the border.", session=case.session)
    review_round = open_round(case, [named, staff])
    review_round = rounds.close_round(review_round=review_round, by=case.coordinator)
    decisions.record_decisions(
        review_round=review_round,
        suggestions=[named],
        outcome=Outcome.ACCEPTED,
        rationale=RATIONALE,
        meeting=case.meeting,
        by=case.coordinator,
    )
    decisions.record_decisions(
        review_round=review_round,
        suggestions=[staff],
        outcome=Outcome.MERGED,
        merged_into=named,
        rationale="Says the same.",
        meeting=case.meeting,
        by=case.coordinator,
    )
    decisions.release_decisions(review_round=review_round, by=case.coordinator)
    return named, staff


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's words in reading order, on one line: a table cell's text wraps."""
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return " ".join(text.translate(BIDI_MARKS).split())


def test_the_minutes_hold_the_meeting_and_the_decisions_on_suggestions(case, decided, tmp_path):
    named, staff = decided
    pdf = minutes_pdf(case.meeting, "en")

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert "Minutes of the meeting" in text
    assert "Visits of the first quarter." in text  # agenda
    assert "Visits reviewed." in text  # minutes
    assert "Visit three more stations." in text  # the meeting's decision
    assert "Plan the visits" in text  # its follow-up task
    assert named.reference in text and staff.reference in text
    assert RATIONALE in text
    assert "Merged into another suggestion" in text


def test_the_minutes_never_name_an_author(case, decided, tmp_path):
    text = pdf_text(minutes_pdf(case.meeting, "en"), tmp_path)

    assert case.enrolments[0].participant.name_latin not in text
    assert "Karim Haddad" not in text
    assert "karim" not in text


def test_the_arabic_minutes_are_right_to_left_and_drawn(case, decided, tmp_path):
    assert minutes_context(case.meeting, "ar")["direction"] == "rtl"
    pdf = minutes_pdf(case.meeting, "ar")

    text = pdf_text(pdf, tmp_path)
    assert "جدول الأعمال" in text  # "Agenda", from the template
    assert RATIONALE in text
    path = tmp_path / "minutes.pdf"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    assert "Noto-Naskh-Arabic" in fonts.stdout
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page-1.png") as page:
        width, height = page.size
        darkest, lightest = page.convert("L").getextrema()
    assert height > width  # A4 portrait
    assert darkest < 100 < lightest  # something is drawn on the page


def test_the_french_minutes_are_in_french(case, decided, tmp_path):
    text = pdf_text(minutes_pdf(case.meeting, "fr"), tmp_path)

    assert "Ordre du jour" in text
    assert RATIONALE in text


# --- The download ------------------------------------------------------------------------


def url(meeting, language: str = "ar") -> str:
    return reverse("staff:meeting_minutes_pdf", args=[meeting.pk]) + f"?language={language}"


def test_a_committee_member_downloads_the_minutes(client, case, decided):
    client.force_login(case.reviewer)
    response = client.get(url(case.meeting, "fr"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "-fr.pdf" in response["Content-Disposition"]


def test_an_unknown_language_is_not_found(client, case):
    client.force_login(case.partnership.chair)

    assert client.get(url(case.meeting, "de")).status_code == 404


def test_an_outsider_gets_404(client, case):
    client.force_login(case.outsider)

    assert client.get(url(case.meeting)).status_code == 404


def test_a_visitor_is_sent_to_log_in(client, case):
    response = client.get(url(case.meeting))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_decisions_not_yet_released_are_only_counted(case, tmp_path):
    """The minutes are read by the agreement's parties: an unreleased decision is not
    shown, only counted."""
    named = from_participant(case.enrolments[0])
    review_round = rounds.close_round(review_round=open_round(case, [named]), by=case.coordinator)
    decisions.record_decisions(
        review_round=review_round,
        suggestions=[named],
        outcome=Outcome.REJECTED,
        rationale="Not this year, secret until released.",
        meeting=case.meeting,
        by=case.coordinator,
    )
    text = pdf_text(minutes_pdf(case.meeting, "en"), tmp_path)
    assert "secret until released" not in text
    assert named.reference not in text
    assert "1 decision on a suggestion is not released yet" in text
