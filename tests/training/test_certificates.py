"""Certificates: issued only after a completed session to those who completed the course,
with the holder's names as they were; revoked with a reason; reissued under a new code;
checked by anyone with the code; drawn as a PDF in Arabic (right to left), French or
English; and the two commands."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from mizan.core.errors import MizanError
from mizan.training.certificate_pdf import (
    certificate_context,
    render_certificate,
    verification_url,
)
from mizan.training.models import Certificate
from mizan.training.services import sessions as session_services
from mizan.training.services.certificates import (
    REVOKED,
    UNKNOWN,
    VALID,
    issue_certificate,
    issue_certificates,
    reissue_certificate,
    revoke_certificate,
    verify_certificate,
)
from tests.training.builders import organiser
from tests.training.certificate_builders import (
    attend,
    complete,
    completed_session_with,
    finish,
    running_session,
    samira,
)

pytestmark = pytest.mark.django_db

#: Marks pdftotext puts around right-to-left runs; not part of the text.
BIDI_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


@pytest.fixture
def by(db):
    return organiser()


@pytest.fixture
def enrolment(by):
    """Samira completed the course of a session now completed."""
    session = running_session(by)
    enrolment = complete(samira(session, by))
    finish(session, by)
    enrolment.refresh_from_db()
    return enrolment


@pytest.fixture
def certificate(enrolment, by):
    return issue_certificate(enrolment=enrolment, by=by)


# --- Issuing ------------------------------------------------------------------------------


def test_a_certificate_keeps_the_holder_names_as_they_were(enrolment, by):
    certificate = issue_certificate(enrolment=enrolment, by=by)
    session_services.update_participant(
        participant=enrolment.participant, name_latin="Samira Bennani-Alaoui", by=by
    )

    certificate.refresh_from_db()
    assert certificate.holder_name_latin == "Samira Bennani"
    assert certificate.holder_name_arabic == "سميرة بناني"
    assert certificate.issued_by == by


def test_issuing_is_refused_before_the_session_is_completed(by):
    session = running_session(by)
    enrolment = complete(samira(session, by))

    with pytest.raises(MizanError) as refused:
        issue_certificate(enrolment=enrolment, by=by)

    assert refused.value.code == "not_completed"
    assert not Certificate.objects.exists()


def test_issuing_is_refused_to_who_did_not_complete_and_says_why(by):
    session = running_session(by)
    enrolment = samira(session, by)
    attend(enrolment, 2)
    finish(session, by)

    with pytest.raises(MizanError) as refused:
        issue_certificate(enrolment=enrolment, by=by)

    assert refused.value.code == "not_eligible"
    assert "2 of 6" in str(refused.value.message)
    assert not Certificate.objects.exists()


def test_issuing_twice_returns_the_same_certificate(enrolment, by):
    first = issue_certificate(enrolment=enrolment, by=by)
    second = issue_certificate(enrolment=enrolment, by=by)

    assert first.pk == second.pk and first.code == second.code
    assert Certificate.objects.count() == 1


def test_issuing_writes_an_audit_entry_naming_the_issuer(certificate, by):
    entry = certificate.history.get()

    assert entry.history_type == "+"
    assert entry.history_user == by


def test_issuing_to_a_session_certifies_who_completed_and_lists_the_others(by):
    session, done, not_done = completed_session_with(by, done=2, not_done=1)

    issued, not_eligible = issue_certificates(session=session, by=by)

    assert {c.enrolment_id for c in issued} == {e.pk for e in done}
    assert [c.enrolment.pk for c in not_eligible] == [not_done[0].pk]
    assert not_eligible[0].reasons


def test_issuing_to_a_session_again_issues_nothing_new(by):
    session, _done, _ = completed_session_with(by, done=2, not_done=0)
    issue_certificates(session=session, by=by)

    issued, not_eligible = issue_certificates(session=session, by=by)

    assert issued == [] and not_eligible == []
    assert Certificate.objects.count() == 2


def test_issuing_to_a_session_leaves_a_revoked_certificate_revoked(by):
    session, _done, _ = completed_session_with(by, done=1, not_done=0)
    (first,) = issue_certificates(session=session, by=by).issued
    revoke_certificate(certificate=first, reason="Attendance sheet was forged", by=by)

    assert issue_certificates(session=session, by=by).issued == []
    first.refresh_from_db()
    assert first.is_revoked


def test_issuing_to_a_session_not_completed_is_refused(by):
    session = running_session(by)
    complete(samira(session, by))

    with pytest.raises(MizanError):
        issue_certificates(session=session, by=by)
    assert not Certificate.objects.exists()


# --- Revoking and reissuing ----------------------------------------------------------------


def test_revoking_needs_a_reason(certificate, by):
    with pytest.raises(MizanError) as refused:
        revoke_certificate(certificate=certificate, reason="  ", by=by)

    assert refused.value.field == "reason"
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_revoking_records_who_when_and_why_in_the_audit_trail(certificate, by):
    revoke_certificate(certificate=certificate, reason="Issued to the wrong person", by=by)

    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert certificate.revoked_by == by
    assert certificate.revocation_reason == "Issued to the wrong person"
    latest = certificate.history.order_by("-history_id").first()
    assert latest.history_change_reason == "Issued to the wrong person"
    assert latest.history_user == by


def test_a_revoked_certificate_is_not_revoked_again(certificate, by):
    revoke_certificate(certificate=certificate, reason="Mistake", by=by)

    with pytest.raises(MizanError):
        revoke_certificate(certificate=certificate, reason="Again", by=by)


def test_issuing_is_refused_for_a_revoked_certificate(certificate, enrolment, by):
    revoke_certificate(certificate=certificate, reason="Mistake", by=by)

    with pytest.raises(MizanError) as refused:
        issue_certificate(enrolment=enrolment, by=by)
    assert refused.value.code == "revoked"


def test_reissuing_gives_a_new_code_and_the_names_as_they_are_now(certificate, enrolment, by):
    old_code = certificate.code
    revoke_certificate(certificate=certificate, reason="Name misspelt", by=by)
    session_services.update_participant(
        participant=enrolment.participant, name_latin="Samira Benani", by=by
    )

    reissued = reissue_certificate(certificate=certificate, by=by)

    assert reissued.pk == certificate.pk
    assert reissued.code != old_code
    assert not reissued.is_revoked
    assert reissued.revocation_reason == ""
    assert reissued.holder_name_latin == "Samira Benani"


def test_only_a_revoked_certificate_is_reissued(certificate, by):
    with pytest.raises(MizanError):
        reissue_certificate(certificate=certificate, by=by)


# --- The public check ----------------------------------------------------------------------


def test_a_valid_code_tells_the_holder_course_dates_city_and_issuers(certificate):
    verification = verify_certificate(certificate.code)

    assert verification.status == VALID
    assert verification.holder_name_arabic == "سميرة بناني"
    assert verification.course_titles["en"] == "Rights of persons in migration situations"
    assert verification.city == "Oujda"
    assert str(verification.starts_on) == "2026-03-02"
    assert {i.code for i in verification.institutions} == {"police", "nhri"}


def test_a_code_is_found_as_people_type_it(certificate):
    typed = certificate.code.replace("-", " ").lower()

    assert verify_certificate(typed).status == VALID


def test_an_unknown_code_is_unknown(certificate):
    assert verify_certificate("AAAA-BBBB-CCCC").status == UNKNOWN


def test_a_revoked_code_says_when_and_no_more(certificate, by):
    revoke_certificate(certificate=certificate, reason="Fraud", by=by)

    verification = verify_certificate(certificate.code)

    assert verification.status == REVOKED
    assert verification.revoked_at is not None
    assert verification.holder_name_latin == verification.holder_name_arabic == ""


def test_the_code_replaced_on_reissue_stays_revoked(certificate, by):
    old_code = certificate.code
    revoke_certificate(certificate=certificate, reason="Name misspelt", by=by)
    new = reissue_certificate(certificate=certificate, by=by)

    assert verify_certificate(old_code).status == REVOKED
    assert verify_certificate(new.code).status == VALID


def queries_for(code: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        verify_certificate(code)
    return len(queries)


def test_a_known_and_an_unknown_code_cost_the_same_queries(certificate):
    assert queries_for(certificate.code) == queries_for("AAAA-BBBB-CCCC")


# --- The PDF -------------------------------------------------------------------------------


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return text.translate(BIDI_MARKS)


def test_the_arabic_pdf_is_drawn_and_holds_the_arabic_name_and_the_code(certificate, tmp_path):
    pdf = render_certificate(certificate, "ar")

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert "سميرة بناني" in text
    assert certificate.code in text
    path = tmp_path / "certificate.pdf"
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page-1.png") as page:
        width, height = page.size
        darkest, lightest = page.convert("L").getextrema()
    assert width > height  # A4 landscape
    assert darkest < 100 < lightest  # something is drawn on the page


def test_the_arabic_pdf_is_right_to_left_in_noto_naskh_arabic(certificate, tmp_path):
    assert certificate_context(certificate, "ar")["direction"] == "rtl"
    assert certificate_context(certificate, "fr")["direction"] == "ltr"
    path = tmp_path / "certificate.pdf"
    path.write_bytes(render_certificate(certificate, "ar"))
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, text=True
    ).stdout
    assert "Noto-Naskh-Arabic" in fonts


def test_the_french_pdf_gives_the_course_title_in_french(certificate, tmp_path):
    text = pdf_text(render_certificate(certificate, "fr"), tmp_path)

    assert "Droits des migrants" in text
    assert "Samira Bennani" in text
    assert "19,5" in text  # hours attended, written the French way
    assert verification_url(certificate.code) in text


def test_a_revoked_certificate_is_not_drawn(certificate, by):
    revoke_certificate(certificate=certificate, reason="Fraud", by=by)

    with pytest.raises(MizanError):
        render_certificate(certificate, "en")


def test_a_language_outside_the_interface_is_refused(certificate):
    with pytest.raises(MizanError):
        render_certificate(certificate, "es")


# --- The commands --------------------------------------------------------------------------


def test_the_command_issues_a_session_certificates_and_lists_who_did_not_complete(by):
    session, _done, not_done = completed_session_with(by, done=2, not_done=1)
    out = io.StringIO()

    call_command("issue_certificates", "--session", str(session.pk), stdout=out)

    assert Certificate.objects.count() == 2
    assert "2 certificates issued." in out.getvalue()
    assert not_done[0].participant.pseudonym in out.getvalue()
    assert not_done[0].participant.name_latin not in out.getvalue()


def test_the_command_refuses_an_unknown_session(db):
    with pytest.raises(CommandError):
        call_command("issue_certificates", "--session", "999999", stdout=io.StringIO())


def test_the_pdf_command_writes_the_certificate(certificate, tmp_path):
    output = tmp_path / "out.pdf"

    call_command(
        "certificate_pdf",
        certificate.code.lower(),
        "--language",
        "fr",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )

    assert output.read_bytes().startswith(b"%PDF")


def test_the_pdf_command_refuses_a_revoked_certificate(certificate, by, tmp_path):
    revoke_certificate(certificate=certificate, reason="Fraud", by=by)

    with pytest.raises(CommandError):
        call_command(
            "certificate_pdf",
            certificate.code,
            "--output",
            str(tmp_path / "x.pdf"),
            stdout=io.StringIO(),
        )
    assert not (tmp_path / "x.pdf").exists()


# --- Downloaded through the personal link --------------------------------------------------


def download_url(link, **params) -> str:
    url = reverse("participant:certificate", args=[link.token])
    return f"{url}?{urlencode(params)}" if params else url


@pytest.fixture
def link(enrolment, by):
    return session_services.issue_personal_link(enrolment=enrolment, by=by)


def test_the_participant_downloads_their_certificate_in_the_language_asked(
    client, certificate, link, tmp_path
):
    response = client.get(download_url(link, lang="fr"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "Droits des migrants" in pdf_text(response.content, tmp_path)


def test_a_wrong_token_gets_no_certificate(client, certificate):
    assert client.get(reverse("participant:certificate", args=["x" * 43])).status_code == 404


def test_a_link_without_a_certificate_gets_none(client, link):
    assert client.get(download_url(link)).status_code == 404


def test_a_revoked_certificate_is_not_downloaded(client, certificate, link, by):
    revoke_certificate(certificate=certificate, reason="Fraud", by=by)

    assert client.get(download_url(link)).status_code == 404


def test_a_revoked_link_gets_no_certificate(client, certificate, link, by):
    session_services.revoke_personal_link(link=link, by=by)

    assert client.get(download_url(link)).status_code == 404
