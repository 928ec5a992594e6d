"""The two voices on the recommendation pages: who sees which form, who may post it, what
the detail, list, history and dashboard pages show."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mizan.accounts.enums import Role
from mizan.recommendations import services
from mizan.recommendations.models import Assessment, Recommendation
from tests.factories import InstitutionFactory, RecommendationFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def recommendation(focal_point):
    """Assigned to the focal point's institution (the police)."""
    recommendation = RecommendationFactory(text="Train border police on migrants' rights")
    police = focal_point.memberships.get().institution
    services.assign_recommendation(recommendation=recommendation, institution=police)
    return recommendation


def detail(recommendation) -> str:
    return reverse("staff:recommendation_detail", args=[recommendation.pk])


def assess_url(recommendation, voice: str) -> str:
    return reverse("staff:assessment_create", args=[recommendation.pk, voice])


def form_data(voice: str, **changes) -> dict:
    data = {
        "status": "in_progress",
        "assessed_on": timezone.localdate().isoformat(),
        "rationale": "Two training sessions held; curriculum adopted.",
        **changes,
    }
    return {f"{voice}-{key}": value for key, value in data.items()}


def record(recommendation, voice, status, by, on=None, rationale="Reported."):
    return services.record_assessment(
        recommendation=recommendation,
        voice=voice,
        status=status,
        assessed_on=on or timezone.localdate(),
        rationale=rationale,
        by=by,
    )


# --- Who sees which form, who may post it ---------------------------------------------------


def test_nhri_coordinator_sees_both_forms(coordinator_client, recommendation):
    content = coordinator_client.get(detail(recommendation)).content.decode()
    assert assess_url(recommendation, "state") in content
    assert assess_url(recommendation, "nhri") in content


def test_focal_point_of_an_assigned_institution_sees_the_state_form_only(
    client, focal_point, recommendation
):
    client.force_login(focal_point)
    content = client.get(detail(recommendation)).content.decode()
    assert assess_url(recommendation, "state") in content
    assert assess_url(recommendation, "nhri") not in content


def test_viewer_sees_no_form(viewer_client, recommendation):
    content = viewer_client.get(detail(recommendation)).content.decode()
    assert "/assessments/" not in content


def test_focal_point_records_the_states_assessment_with_evidence(
    client, focal_point, recommendation
):
    client.force_login(focal_point)
    upload = SimpleUploadedFile("attendance.txt", b"Attendance list, 42 officers.\n")
    police = focal_point.memberships.get().institution
    data = form_data("state", institution=police.pk, evidence=upload)
    response = client.post(assess_url(recommendation, "state"), data)
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.voice, assessment.institution, assessment.recorded_by) == (
        "state",
        police,
        focal_point,
    )
    page = client.get(detail(recommendation)).content.decode()
    evidence = assessment.evidence.get()
    assert reverse("staff:evidence_download", args=[evidence.pk]) in page
    assert "Two training sessions held" in page


def test_focal_point_may_not_post_the_nhri_voice(client, focal_point, recommendation):
    client.force_login(focal_point)
    response = client.post(assess_url(recommendation, "nhri"), form_data("nhri"))
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_focal_point_of_an_unassigned_institution_gets_403(client, recommendation):
    ministry = InstitutionFactory(code="labour", kind="ministry")
    client.force_login(user_with_role(Role.FOCAL_POINT, ministry))
    response = client.post(assess_url(recommendation, "state"), form_data("state"))
    assert response.status_code == 403


@pytest.mark.parametrize("voice", ["state", "nhri"])
def test_viewer_gets_403_for_either_voice(viewer_client, recommendation, voice):
    response = viewer_client.post(assess_url(recommendation, voice), form_data(voice))
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_nhri_coordinator_records_the_nhris_assessment(coordinator_client, recommendation):
    data = form_data("nhri", status="not_implemented")
    response = coordinator_client.post(assess_url(recommendation, "nhri"), data)
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.nhri_status == "not_implemented"


def test_unknown_voice_is_not_found(coordinator_client, recommendation):
    response = coordinator_client.post(assess_url(recommendation, "un"), form_data("un"))
    assert response.status_code == 404


def test_a_future_date_comes_back_as_a_field_error(coordinator_client, recommendation):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = form_data("state", assessed_on=tomorrow.isoformat())
    response = coordinator_client.post(assess_url(recommendation, "state"), data)
    assert response.status_code == 400
    form = next(v["form"] for v in response.context["voices"] if v["voice"] == "state")
    assert form.errors["assessed_on"] == ["An assessment cannot be dated in the future."]
    assert not Assessment.objects.exists()


# --- What the pages show -------------------------------------------------------------------------


def test_detail_shows_disagreement_and_earlier_assessments(
    coordinator_client, coordinator, recommendation
):
    earlier = timezone.localdate() - datetime.timedelta(days=90)
    record(recommendation, "state", "in_progress", coordinator, on=earlier, rationale="Begun.")
    record(recommendation, "state", "implemented", coordinator, rationale="All trained.")
    record(recommendation, "nhri", "partially_implemented", coordinator, rationale="Half only.")
    response = coordinator_client.get(detail(recommendation))
    assert response.context["disagree"] is True
    state = next(v for v in response.context["voices"] if v["voice"] == "state")
    assert state["latest"].rationale == "All trained."
    assert [a.rationale for a in state["earlier"]] == ["Begun."]
    assert "The state and the NHRI disagree" in response.content.decode()


def test_detail_says_when_the_nhri_has_not_assessed(viewer_client, recommendation):
    response = viewer_client.get(detail(recommendation))
    assert response.context["disagree"] is False
    assert "Not assessed yet" in response.content.decode()


def test_history_includes_assessments(coordinator_client, coordinator, recommendation):
    record(recommendation, "nhri", "implemented", coordinator, rationale="Verified on site.")
    response = coordinator_client.get(
        reverse("staff:recommendation_history", args=[recommendation.pk])
    )
    labels = [entry.label for entry in response.context["entries"]]
    assert "Assessment" in labels
    assert "Verified on site." in response.content.decode()


def test_list_filters_and_facets_on_both_voices(coordinator_client):
    agree = RecommendationFactory()
    differ = RecommendationFactory()
    RecommendationFactory()
    Recommendation.objects.filter(pk=agree.pk).update(
        status="implemented", nhri_status="implemented"
    )
    Recommendation.objects.filter(pk=differ.pk).update(
        status="implemented", nhri_status="in_progress"
    )
    url = reverse("staff:recommendation_list")
    response = coordinator_client.get(url, {"disagree": "1"})
    assert list(response.context["rows"]) == [differ]
    facets = {f.key: f for f in response.context["facets"]}
    assert [(v.count, v.selected) for v in facets["disagree"].values] == [(1, True)]
    response = coordinator_client.get(url, {"nhri_status": "not_assessed"})
    assert len(response.context["rows"]) == 1
    content = response.content.decode()
    assert "NHRI: not assessed yet" in content
    assert "NHRI&#x27;s assessment" in content


def test_export_takes_the_disagree_filter(coordinator_client):
    differ = RecommendationFactory(paragraph="77")
    RecommendationFactory(paragraph="78")
    Recommendation.objects.filter(pk=differ.pk).update(nhri_status="implemented")
    response = coordinator_client.get(reverse("staff:export"), {"disagree": "1", "format": "json"})
    body = b"".join(response.streaming_content).decode()
    assert '"paragraph": "77"' in body
    assert '"paragraph": "78"' not in body


def test_dashboard_counts_both_voices_and_disagreements(viewer_client):
    differ = RecommendationFactory()
    RecommendationFactory()
    Recommendation.objects.filter(pk=differ.pk).update(nhri_status="implemented")
    response = viewer_client.get(reverse("staff:dashboard"))
    assert response.context["disagree"] == 1
    assert response.context["not_assessed"] == 1
    rows = {value: (state, nhri) for value, _label, state, nhri in response.context["by_status"]}
    assert rows["not_started"] == (2, 0)
    assert rows["implemented"] == (0, 1)
