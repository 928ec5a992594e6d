"""Downloading the reports on a session and on a curriculum version: who may, in which
formats and languages, and the links on the session and version pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.training.builders import make_session, make_trainer, organiser, outsider

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def session():
    return make_session(title="Oujda, first session")


def session_url(session, format: str = "xlsx", query: str = "") -> str:
    return reverse("staff:session_report", args=[session.pk, format]) + query


def version_url(version, format: str = "xlsx", query: str = "") -> str:
    return reverse("staff:version_report", args=[version.pk, format]) + query


def test_an_organiser_downloads_the_session_report(client, session):
    client.force_login(organiser())

    response = client.get(session_url(session, "docx", "?language=fr"))

    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"session-{session.pk}-oujda-first-session-report-fr.docx" in disposition


def test_a_trainer_of_the_session_downloads_its_pdf(client):
    trainer = make_trainer()
    session = make_session(trainers=[trainer])
    client.force_login(trainer)

    response = client.get(session_url(session, "pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_report_is_in_the_pages_language_by_default(client, session):
    client.force_login(organiser())

    response = client.get(session_url(session), headers={"accept-language": "ar"})

    assert response.status_code == 200
    assert "-report-ar.xlsx" in response["Content-Disposition"]


def test_a_member_without_roster_access_gets_403_for_the_session_report(client, session):
    client.force_login(outsider())

    assert client.get(session_url(session)).status_code == 403


def test_a_non_member_gets_403(client, session):
    client.force_login(UserFactory(username="stranger"))

    assert client.get(session_url(session)).status_code == 403
    assert client.get(version_url(session.version)).status_code == 403


def test_a_visitor_is_sent_to_log_in(client, session):
    response = client.get(session_url(session))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_an_unknown_format_is_not_found(client, session):
    client.force_login(organiser())

    assert client.get(session_url(session, "odt")).status_code == 404
    assert client.get(version_url(session.version, "csv")).status_code == 404


def test_an_unknown_language_is_not_found(client, session):
    client.force_login(organiser())

    assert client.get(session_url(session, "pdf", "?language=de")).status_code == 404


def test_an_unknown_session_is_not_found(client, session):
    client.force_login(organiser())

    assert client.get(session_url(session).replace(str(session.pk), "999999")).status_code == 404


def test_any_member_downloads_the_version_report(client, session):
    client.force_login(outsider())

    response = client.get(version_url(session.version, "xlsx", "?language=en"))

    assert response.status_code == 200
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert "curriculum-migration-rights-v1-report-en.xlsx" in response["Content-Disposition"]


def test_the_session_page_links_to_the_report_for_those_who_may_download_it(client, session):
    client.force_login(organiser())
    page = client.get(reverse("staff:session_detail", args=[session.pk])).content.decode()

    assert session_url(session, "pdf") in page
    assert session_url(session, "docx") in page
    assert session_url(session, "xlsx") in page


def test_the_session_page_shows_no_report_link_to_others(client, session):
    client.force_login(outsider())
    page = client.get(reverse("staff:session_detail", args=[session.pk])).content.decode()

    assert session_url(session, "pdf") not in page


def test_the_version_page_links_to_its_report(client, session):
    client.force_login(outsider())
    version = session.version
    page = client.get(reverse("staff:curriculum_version_detail", args=[version.pk]))

    assert version_url(version, "pdf") in page.content.decode()
