"""The admin never changes a progress report, not even by reverting it to an earlier
version from its history."""

from __future__ import annotations

from datetime import date

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from mizan.actions import services
from mizan.actions.enums import ProgressReportStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


def test_approved_report_cannot_be_reverted_from_its_history(
    superuser_client, action, coordinator, focal_point
):
    report = services.draft_progress_report(
        action=action,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
        summary="Two sessions held.",
        by=focal_point,
    )
    draft_version = report.history.earliest("history_date")
    services.submit_progress_report(report=report, by=focal_point)
    services.approve_progress_report(report=report, by=coordinator)
    url = reverse(
        "admin:actions_progressreport_simple_history",
        args=[report.pk, draft_version.history_id],
    )
    # Every field of the draft, as the revert form would post them.
    fields = model_to_dict(draft_version.instance)
    response = superuser_client.post(url, {k: v for k, v in fields.items() if v is not None})
    report.refresh_from_db()
    assert response.status_code == 403
    assert report.status == ProgressReportStatus.APPROVED
