"""Downloading evidence: members only (and for the documents of an agreement or a meeting,
those who see it), as an attachment of the type found in the file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mizan.evidence.services import store_evidence
from mizan.partnerships import services as partnership_services
from tests.actions.factories import MINIMAL_PDF, pdf_upload
from tests.factories import UserFactory
from tests.partnerships.factories import build_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence():
    return store_evidence(upload=pdf_upload("minutes.pdf"))


def test_member_downloads_as_attachment(viewer_client, evidence):
    response = viewer_client.get(reverse("staff:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="minutes.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_account_without_membership_is_refused(outsider_client, evidence):
    response = outsider_client.get(reverse("staff:evidence_download", args=[evidence.pk]))
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(client, evidence):
    response = client.get(reverse("staff:evidence_download", args=[evidence.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_unknown_file_is_404(viewer_client):
    assert viewer_client.get(reverse("staff:evidence_download", args=[999])).status_code == 404


# --- Documents of agreements and meetings are read only by those who see them ----------


@pytest.fixture
def partnership(nhri, coordinator):
    return build_partnership(nhri=nhri, by=coordinator)


def _agreement_document(partnership, coordinator):
    return partnership_services.attach_document(
        record=partnership.agreement, upload=pdf_upload("accord.pdf"), by=coordinator
    )


def _meeting_document(partnership, coordinator):
    return partnership_services.attach_document(
        record=partnership.meeting, upload=pdf_upload("minutes.pdf"), by=coordinator
    )


@pytest.mark.parametrize("attach", [_agreement_document, _meeting_document])
def test_member_of_an_unrelated_institution_cannot_download_a_partnership_document(
    client, partnership, coordinator, attach
):
    document = attach(partnership, coordinator)
    client.force_login(partnership.stranger)
    response = client.get(reverse("staff:evidence_download", args=[document.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("attach", [_agreement_document, _meeting_document])
def test_member_of_a_party_downloads_a_partnership_document(
    client, partnership, coordinator, attach
):
    document = attach(partnership, coordinator)
    client.force_login(partnership.member)
    response = client.get(reverse("staff:evidence_download", args=[document.pk]))
    response.close()
    assert response.status_code == 200


def test_admin_neither_adds_nor_replaces_a_file(client, evidence):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    assert client.get(reverse("admin:evidence_evidencefile_add")).status_code == 403
    response = client.post(
        reverse("admin:evidence_evidencefile_change", args=[evidence.pk]),
        {"name": "renamed.pdf", "description": "x"},
    )
    evidence.refresh_from_db()
    assert response.status_code == 403
    assert evidence.name == "minutes.pdf"
