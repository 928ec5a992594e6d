"""Downloading evidence: members only, as an attachment of the type found in the file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mizan.evidence.services import store_evidence
from tests.actions.factories import MINIMAL_PDF, pdf_upload

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
