"""/api/v1/recommendations/{id}/assessments/: reading both voices, recording one, and the
permission of each voice; nhri_status and disagree on the recommendation list."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mizan.accounts.enums import Role
from mizan.recommendations import services
from mizan.recommendations.models import Assessment, Recommendation
from tests.api.assertions import assert_error_shape
from tests.factories import InstitutionFactory, RecommendationFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def recommendation(focal_point):
    recommendation = RecommendationFactory()
    police = focal_point.memberships.get().institution
    services.assign_recommendation(recommendation=recommendation, institution=police)
    return recommendation


def url(recommendation) -> str:
    return f"/api/v1/recommendations/{recommendation.pk}/assessments/"


def body(voice: str = "state", **changes) -> dict:
    return {
        "voice": voice,
        "status": "partially_implemented",
        "assessed_on": timezone.localdate().isoformat(),
        "rationale": "Curriculum adopted; training not yet begun in two regions.",
        **changes,
    }


def test_viewer_reads_both_voices_latest_first(as_user, viewer, coordinator, recommendation):
    for voice, days_ago in (("state", 10), ("nhri", 1)):
        services.record_assessment(
            recommendation=recommendation,
            voice=voice,
            status="in_progress",
            assessed_on=timezone.localdate() - datetime.timedelta(days=days_ago),
            rationale="Reported.",
            by=coordinator,
        )
    response = as_user(viewer).get(url(recommendation))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["voice"] for r in results] == ["nhri", "state"]
    assert results[0]["recorded_by"] == "coordinator"


def test_outsider_may_not_read_assessments(as_user, outsider, recommendation):
    assert_error_shape(as_user(outsider).get(url(recommendation)), 403)


def test_focal_point_records_the_state_voice(as_user, focal_point, recommendation):
    response = as_user(focal_point).post(
        url(recommendation), body(institution="police"), format="json"
    )
    assert response.status_code == 201, response.content
    assert (response.json()["voice"], response.json()["institution"]) == ("state", "police")
    recommendation.refresh_from_db()
    assert recommendation.status == "partially_implemented"


def test_focal_point_may_not_record_the_nhri_voice(as_user, focal_point, recommendation):
    response = as_user(focal_point).post(url(recommendation), body("nhri"), format="json")
    assert_error_shape(response, 403)
    assert not Assessment.objects.exists()


def test_focal_point_may_not_speak_for_another_institution(as_user, focal_point, recommendation):
    InstitutionFactory(code="justice", kind="ministry")
    response = as_user(focal_point).post(
        url(recommendation), body(institution="justice"), format="json"
    )
    assert assert_error_shape(response, 400)["fields"] == {
        "institution": ["You may not record an assessment for this institution."]
    }


def test_focal_point_of_an_unassigned_institution_is_refused(as_user, recommendation):
    ministry = InstitutionFactory(code="labour", kind="ministry")
    other = user_with_role(Role.FOCAL_POINT, ministry)
    assert_error_shape(as_user(other).post(url(recommendation), body(), format="json"), 403)


@pytest.mark.parametrize("voice", ["state", "nhri"])
def test_viewer_may_record_neither_voice(as_user, viewer, recommendation, voice):
    assert_error_shape(as_user(viewer).post(url(recommendation), body(voice), format="json"), 403)


def test_nhri_coordinator_records_the_nhri_voice_with_evidence(
    as_user, coordinator, recommendation
):
    upload = SimpleUploadedFile("visit-report.txt", b"Visit to the border post, May 2025.\n")
    response = as_user(coordinator).post(
        url(recommendation), {**body("nhri", status="not_implemented"), "evidence": [upload]}
    )
    assert response.status_code == 201, response.content
    assert [e["name"] for e in response.json()["evidence"]] == ["visit-report.txt"]
    recommendation.refresh_from_db()
    assert recommendation.nhri_status == "not_implemented"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rationale": "  "}, "rationale"),
        ({"assessed_on": "2999-01-01"}, "assessed_on"),
        ({"status": "finished"}, "status"),
        ({"voice": "un"}, "voice"),
    ],
)
def test_invalid_assessments_get_structured_errors(
    as_user, coordinator, recommendation, changes, field
):
    response = as_user(coordinator).post(url(recommendation), body(**changes), format="json")
    assert field in assert_error_shape(response, 400)["fields"]
    assert not Assessment.objects.exists()


def test_nhri_status_is_read_only(as_user, coordinator, recommendation):
    response = as_user(coordinator).patch(
        f"/api/v1/recommendations/{recommendation.pk}/",
        {"nhri_status": "implemented"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["nhri_status"] == ""
    recommendation.refresh_from_db()
    assert recommendation.nhri_status == ""


def test_list_filters_on_the_nhri_voice_and_disagreement(as_user, viewer):
    differ = RecommendationFactory()
    unassessed = RecommendationFactory()
    Recommendation.objects.filter(pk=differ.pk).update(nhri_status="implemented")
    client = as_user(viewer)

    def ids(query: str) -> list[int]:
        return [r["id"] for r in client.get(f"/api/v1/recommendations/?{query}").json()["results"]]

    assert ids("disagree=true") == [differ.pk]
    assert ids("nhri_status=not_assessed") == [unassessed.pk]
    assert ids("nhri_status=implemented") == [differ.pk]
