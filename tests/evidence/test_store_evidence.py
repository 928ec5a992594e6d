"""Storing evidence: accepted for what the bytes are, never for the file's name, and
only up to the size limit."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from mizan.core.errors import MizanError
from mizan.evidence.models import EvidenceFile
from mizan.evidence.services import store_evidence
from tests.actions.factories import MINIMAL_PDF, html_named_pdf, pdf_upload

pytestmark = pytest.mark.django_db


def test_a_real_pdf_is_accepted(coordinator):
    evidence = store_evidence(upload=pdf_upload("minutes.pdf"), by=coordinator, description=" x ")
    assert (evidence.name, evidence.content_type, evidence.size, evidence.description) == (
        "minutes.pdf",
        "application/pdf",
        len(MINIMAL_PDF),
        "x",
    )
    assert evidence.uploaded_by == coordinator
    with evidence.file.open("rb") as stored:
        assert stored.read() == MINIMAL_PDF


def test_html_named_report_pdf_is_refused_with_a_clear_error():
    with pytest.raises(MizanError) as refused:
        store_evidence(upload=html_named_pdf())
    message = str(refused.value.message)
    assert refused.value.field == "file"
    assert "not an accepted kind of document" in message
    assert "text/html" in message
    assert not EvidenceFile.objects.exists()


@override_settings(MIZAN_EVIDENCE_MAX_BYTES=100)
def test_a_file_over_the_limit_is_refused():
    with pytest.raises(MizanError) as refused:
        store_evidence(upload=pdf_upload(content=MINIMAL_PDF + b" " * 200))
    assert "largest accepted is 100" in str(refused.value.message)
    assert not EvidenceFile.objects.exists()


@override_settings(MIZAN_EVIDENCE_MAX_BYTES=100)
def test_a_stream_that_hides_its_size_is_still_cut_at_the_limit():
    class Upload:
        name = "big.pdf"
        size = None

        def __init__(self) -> None:
            self._data = io.BytesIO(MINIMAL_PDF + b" " * 200)

        def read(self, n: int = -1) -> bytes:
            return self._data.read(n)

    with pytest.raises(MizanError, match="larger than"):
        store_evidence(upload=Upload())


def test_an_empty_file_is_refused():
    with pytest.raises(MizanError, match="empty"):
        store_evidence(upload=SimpleUploadedFile("empty.pdf", b""))


def test_the_same_bytes_are_stored_once():
    first = store_evidence(upload=pdf_upload("a.pdf"))
    second = store_evidence(upload=pdf_upload("b.pdf"))
    assert first.pk != second.pk
    assert first.file.name == second.file.name


def test_a_path_in_the_name_is_dropped():
    evidence = store_evidence(upload=pdf_upload("..\\..\\etc/passwd.pdf"))
    assert evidence.name == "passwd.pdf"
    assert evidence.sha256 in evidence.file.name
