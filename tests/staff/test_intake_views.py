"""Reading a UN document on the web: upload or paste, correct the preview, import all or
nothing; only coordinators may."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mizan.recommendations.models import Recommendation
from tests.factories import MechanismFactory

pytestmark = pytest.mark.django_db

DOCUMENTS = Path(__file__).parent.parent / "assist" / "intake_documents"
PASTED = (
    "13. The Committee recommends that the State party:\n"
    "(a) Adopt a comprehensive migration law;\n"
    "(b) Train border officials on the rights of migrants.\n"
)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    MechanismFactory(code="CMW")


def paste(client, text=PASTED, document="CMW/C/XYZ/CO/2", **extra):
    return client.post(
        reverse("staff:intake"), {"text": text, "document": document, "language": ""}, **extra
    )


def draft_url(response) -> str:
    assert response.status_code == 302, getattr(response, "context", None)
    return response["Location"]


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_pasted_text_is_previewed_and_nothing_saved(coordinator_client):
    response = coordinator_client.get(draft_url(paste(coordinator_client)))
    assert response.status_code == 200
    assert [row["paragraph"] for row in response.context["rows"]] == ["13(a)", "13(b)"]
    assert response.context["summary"].created == 2
    assert not Recommendation.objects.exists()


def test_uploaded_document_is_read_by_content(coordinator_client):
    upload = SimpleUploadedFile("report.pdf", (DOCUMENTS / "upr_en.txt").read_bytes())
    response = coordinator_client.post(
        reverse("staff:intake"),
        {"file": upload, "document": "A/HRC/99/9", "state_under_review": "Xanadu"},
        follow=True,
    )
    rows = response.context["rows"]
    assert rows[1]["recommending_state"] == "Venezuela (Bolivarian Republic of)"
    assert response.context["draft"]["mechanism"] == "UPR"


def test_a_file_that_is_no_document_is_refused(coordinator_client):
    upload = SimpleUploadedFile("report.pdf", b"\x89PNG\r\n\x1a\n" + bytes(300))
    response = coordinator_client.post(
        reverse("staff:intake"), {"file": upload, "document": "CMW/C/XYZ/CO/2"}
    )
    assert response.status_code == 400
    assert "not a document Mizan can read" in response.content.decode()


def test_corrected_and_dropped_rows_are_imported_as_shown(coordinator_client, coordinator):
    url = draft_url(paste(coordinator_client))
    token = token_of(url)
    coordinator_client.post(
        reverse("staff:intake_row", args=[token, 1]),
        {
            "paragraph": "13(a)",
            "text": "Adopt a migration law this year.",
            "recommending_state": "",
        },
    )
    coordinator_client.post(reverse("staff:intake_row_drop", args=[token, 2]))
    response = coordinator_client.post(reverse("staff:intake_import", args=[token]))
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    assert recommendation.texts.get().text == "Adopt a migration law this year."
    assert recommendation.history.first().history_user == coordinator


def test_row_correction_answers_htmx_with_the_row_alone(coordinator_client):
    token = token_of(draft_url(paste(coordinator_client)))
    response = coordinator_client.post(
        reverse("staff:intake_row", args=[token, 2]),
        {"paragraph": "13(b)", "text": "Train judges.", "recommending_state": ""},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<tr id="row-2"')
    assert "Train judges." in body


def test_an_import_problem_is_shown_on_its_row_and_nothing_is_written(coordinator_client):
    # A UPR report the registry does not hold, without its state under review.
    MechanismFactory(code="UPR")
    upload = SimpleUploadedFile("upr.txt", (DOCUMENTS / "upr_en.txt").read_bytes())
    response = coordinator_client.post(
        reverse("staff:intake"), {"file": upload, "document": "A/HRC/99/9"}
    )
    token = token_of(draft_url(response))
    response = coordinator_client.post(reverse("staff:intake_import", args=[token]))
    assert response.status_code == 400
    assert "give its state under review" in " ".join(response.context["rows"][0]["problems"])
    assert not Recommendation.objects.exists()


def test_the_draft_downloads_as_the_import_csv(coordinator_client):
    token = token_of(draft_url(paste(coordinator_client)))
    response = coordinator_client.get(reverse("staff:intake_csv", args=[token]))
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[1].startswith("CMW/C/XYZ/CO/2,CMW,13(a),Adopt a comprehensive")


def test_another_session_cannot_open_a_draft(coordinator_client, client, admin_user):
    url = draft_url(paste(coordinator_client))
    client.force_login(admin_user)
    assert client.get(url).status_code == 404


def test_preview_in_arabic(coordinator_client):
    url = draft_url(paste(coordinator_client, (DOCUMENTS / "co_ar.txt").read_text()))
    response = coordinator_client.get(url, HTTP_ACCEPT_LANGUAGE="ar")
    assert 'dir="rtl"' in response.content.decode()
    assert response.context["rows"][0]["text"].startswith("اعتماد قانون شامل")


@pytest.mark.parametrize("client_fixture", ["viewer_client", "outsider_client"])
def test_only_coordinators_may_read_documents_in(request, client_fixture, coordinator):
    client = request.getfixturevalue(client_fixture)
    assert client.get(reverse("staff:intake")).status_code == 403
    assert paste(client).status_code == 403
    token = "0" * 32
    for name in ("staff:intake_draft", "staff:intake_csv"):
        assert client.get(reverse(name, args=[token])).status_code == 403
    assert client.post(reverse("staff:intake_import", args=[token])).status_code == 403
    assert client.post(reverse("staff:intake_row_drop", args=[token, 1])).status_code == 403
    assert not Recommendation.objects.exists()


def test_anonymous_is_sent_to_login(client):
    for response in (
        client.get(reverse("staff:intake")),
        client.get(reverse("staff:intake_draft", args=["0" * 32])),
        client.post(reverse("staff:intake_import", args=["0" * 32])),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
