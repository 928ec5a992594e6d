"""``mizan report``: each format written to a file; clean failures write nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mizan.reports.documents import ReportFile
from tests.factories import RecommendationFactory, SourceDocumentFactory

pytestmark = pytest.mark.django_db

SYMBOL = "CAT/C/MAR/CO/5"


@pytest.fixture
def document():
    document = SourceDocumentFactory(symbol=SYMBOL)
    RecommendationFactory(document=document, paragraph="12", text="Investigate all allegations.")
    return document


def run(*args: str) -> str:
    errors = io.StringIO()
    call_command("report", *args, stdout=io.StringIO(), stderr=errors)
    return errors.getvalue()


@pytest.mark.parametrize(("format", "magic"), [("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK")])
def test_the_follow_up_report_is_written_in_each_format(document, tmp_path, format, magic):
    output = tmp_path / f"report.{format}"

    said = run(
        "followup",
        "--document",
        SYMBOL,
        "--language",
        "ar",
        "--format",
        format,
        "--output",
        str(output),
    )

    assert output.read_bytes().startswith(magic)
    assert str(output) in said


def test_an_unknown_symbol_fails_cleanly_and_writes_nothing(document, tmp_path):
    output = tmp_path / "report.pdf"

    with pytest.raises(CommandError, match="XYZ/1"):
        run(
            "followup",
            "--document",
            "XYZ/1",
            "--language",
            "en",
            "--format",
            "pdf",
            "--output",
            str(output),
        )
    assert not output.exists()


@pytest.mark.parametrize(("language", "format"), [("de", "pdf"), ("en", "odt")])
def test_a_language_or_format_not_offered_fails_cleanly(document, tmp_path, language, format):
    output = tmp_path / "report.out"

    with pytest.raises(CommandError, match="choose one of"):
        run(
            "followup",
            "--document",
            SYMBOL,
            "--language",
            language,
            "--format",
            format,
            "--output",
            str(output),
        )
    assert not output.exists()


def test_a_subcommand_is_required():
    with pytest.raises(CommandError):
        run()


def test_the_session_report_is_handed_to_the_training_reports(tmp_path, monkeypatch):
    from tests.training.builders import make_session

    session = make_session()
    asked = {}

    def session_report_file(session, *, language, format):
        asked.update(session=session, language=language, format=format)
        return ReportFile("session.pdf", format, b"%PDF-fake")

    monkeypatch.setattr("mizan.reports.training_reports.session_report_file", session_report_file)
    output = tmp_path / "session.pdf"

    run(
        "session",
        "--session",
        str(session.pk),
        "--language",
        "fr",
        "--format",
        "pdf",
        "--output",
        str(output),
    )

    assert output.read_bytes() == b"%PDF-fake"
    assert asked == {"session": session, "language": "fr", "format": "pdf"}


def test_an_unknown_version_fails_cleanly(tmp_path):
    with pytest.raises(CommandError, match="999999"):
        run(
            "version",
            "--version",
            "999999",
            "--language",
            "en",
            "--format",
            "xlsx",
            "--output",
            str(tmp_path / "v.xlsx"),
        )
