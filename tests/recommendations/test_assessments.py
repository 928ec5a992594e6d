"""Two-voice assessments: the service's rules, who may record which voice, the filters and
facets on both voices, and the ``nhri_status`` column of imports and exports."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from mizan.accounts.enums import Role
from mizan.core.errors import MizanError
from mizan.recommendations import services
from mizan.recommendations.exporters import export_recommendations
from mizan.recommendations.importers import ImportRejected, import_recommendations
from mizan.recommendations.models import Assessment, Recommendation, SourceDocument
from mizan.recommendations.queries import (
    NOT_ASSESSED,
    RecommendationFilters,
    recommendation_facets,
)
from tests.factories import InstitutionFactory, RecommendationFactory, user_with_role

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def assess(recommendation, voice="state", status="in_progress", on=None, by=None, **extra):
    return services.record_assessment(
        recommendation=recommendation,
        voice=voice,
        status=status,
        assessed_on=on or timezone.localdate(),
        rationale=extra.pop("rationale", "Training of 300 officers reported in 2024."),
        by=by,
        **extra,
    )


# --- The service ----------------------------------------------------------------------------


def test_state_assessment_sets_the_recommendation_status(coordinator):
    recommendation = RecommendationFactory()
    assess(recommendation, status="partially_implemented", by=coordinator)
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.nhri_status) == ("partially_implemented", "")


def test_nhri_assessment_sets_only_the_nhri_status(coordinator):
    recommendation = RecommendationFactory()
    assess(recommendation, voice="nhri", status="not_implemented", by=coordinator)
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.nhri_status) == (
        "not_started",
        "not_implemented",
    )


def test_an_older_assessment_recorded_later_does_not_overwrite_the_latest(coordinator):
    recommendation = RecommendationFactory()
    assess(recommendation, status="implemented", on=TODAY - DAY, by=coordinator)
    assess(recommendation, status="in_progress", on=TODAY - 30 * DAY, by=coordinator)
    recommendation.refresh_from_db()
    assert recommendation.status == "implemented"
    assert recommendation.assessments.count() == 2


def test_two_assessments_on_one_day_the_later_recorded_wins(coordinator):
    recommendation = RecommendationFactory()
    assess(recommendation, voice="nhri", status="in_progress", on=TODAY, by=coordinator)
    assess(recommendation, voice="nhri", status="implemented", on=TODAY, by=coordinator)
    recommendation.refresh_from_db()
    assert recommendation.nhri_status == "implemented"


def test_a_future_date_is_refused(coordinator):
    recommendation = RecommendationFactory()
    with pytest.raises(MizanError) as error:
        assess(recommendation, on=TODAY + 2 * DAY, by=coordinator)
    assert error.value.field == "assessed_on"
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("rationale", ["", "   \n "])
def test_an_empty_rationale_is_refused(coordinator, rationale):
    with pytest.raises(MizanError) as error:
        assess(RecommendationFactory(), rationale=rationale, by=coordinator)
    assert error.value.field == "rationale"


@pytest.mark.parametrize(
    ("field", "values"), [("status", {"status": "done"}), ("voice", {"voice": "un"})]
)
def test_an_unknown_status_or_voice_is_refused(coordinator, field, values):
    with pytest.raises(MizanError) as error:
        assess(RecommendationFactory(), by=coordinator, **values)
    assert error.value.field == field


def test_the_nhri_voice_is_not_recorded_for_a_state_institution(coordinator):
    police = InstitutionFactory(code="police", kind="law_enforcement")
    with pytest.raises(MizanError) as error:
        assess(RecommendationFactory(), voice="nhri", institution=police, by=coordinator)
    assert error.value.field == "institution"


def test_history_names_who_recorded_the_assessment_and_the_status_change(coordinator):
    recommendation = RecommendationFactory()
    assessment = assess(recommendation, status="implemented", by=coordinator)
    assert assessment.history.first().history_user == coordinator
    latest = recommendation.history.order_by("-history_id").first()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        "implemented",
        coordinator,
        "assessment",
    )


def test_evidence_uploads_are_stored_and_linked(coordinator):
    upload = SimpleUploadedFile("report.txt", b"Training records, 2024.\n")
    assessment = assess(RecommendationFactory(), evidence=[upload], by=coordinator)
    [evidence] = assessment.evidence.all()
    assert (evidence.name, evidence.content_type) == ("report.txt", "text/plain")


def test_a_refused_evidence_file_records_nothing(coordinator, settings):
    settings.MIZAN_EVIDENCE_MAX_BYTES = 10
    recommendation = RecommendationFactory()
    upload = SimpleUploadedFile("big.txt", b"far more than ten bytes of text\n")
    with pytest.raises(MizanError):
        assess(recommendation, status="implemented", evidence=[upload], by=coordinator)
    recommendation.refresh_from_db()
    assert recommendation.status == "not_started"
    assert not Assessment.objects.exists()


# --- Who may record which voice ---------------------------------------------------------------


@pytest.fixture
def assigned(focal_point):
    """A recommendation assigned to the focal point's institution (the police)."""
    recommendation = RecommendationFactory()
    police = focal_point.memberships.get().institution
    services.assign_recommendation(recommendation=recommendation, institution=police)
    return recommendation


def test_focal_point_of_an_assigned_institution_speaks_for_the_state_only(focal_point, assigned):
    assert focal_point.has_perm("recommendations.assess_as_state", assigned)
    assert not focal_point.has_perm("recommendations.assess_as_nhri", assigned)


def test_focal_point_of_a_unit_does_not_speak_for_its_directorate(assigned):
    police = assigned.assignments.get().institution
    unit = InstitutionFactory(code="border-unit", kind="law_enforcement", parent=police)
    unit_focal_point = user_with_role(Role.FOCAL_POINT, unit)
    # A directorate's focal point acts for its units, not the other way round.
    assert not unit_focal_point.has_perm("recommendations.assess_as_state", assigned)


def test_focal_point_of_an_unassigned_institution_may_not_assess(focal_point):
    assert not focal_point.has_perm("recommendations.assess_as_state", RecommendationFactory())


def test_viewer_may_assess_neither_voice(viewer, assigned):
    assert not viewer.has_perm("recommendations.assess_as_state", assigned)
    assert not viewer.has_perm("recommendations.assess_as_nhri", assigned)


def test_nhri_coordinator_may_assess_both_voices(coordinator, assigned):
    assert coordinator.has_perm("recommendations.assess_as_state", assigned)
    assert coordinator.has_perm("recommendations.assess_as_nhri", assigned)


def test_coordinator_of_a_ministry_may_not_speak_for_the_nhri(assigned):
    ministry = InstitutionFactory(code="justice", kind="ministry")
    ministry_coordinator = user_with_role(Role.COORDINATOR, ministry)
    assert ministry_coordinator.has_perm("recommendations.assess_as_state", assigned)
    assert not ministry_coordinator.has_perm("recommendations.assess_as_nhri", assigned)


# --- Filters and facets -------------------------------------------------------------------------


@pytest.fixture
def three_voices():
    """One where both voices agree, one where they differ, one the NHRI has not assessed."""
    agree = RecommendationFactory()
    Recommendation.objects.filter(pk=agree.pk).update(
        status="implemented", nhri_status="implemented"
    )
    differ = RecommendationFactory()
    Recommendation.objects.filter(pk=differ.pk).update(
        status="implemented", nhri_status="in_progress"
    )
    unassessed = RecommendationFactory()
    Recommendation.objects.filter(pk=unassessed.pk).update(status="in_progress")
    return agree, differ, unassessed


def filtered(**params) -> set[Recommendation]:
    return set(RecommendationFilters.from_query(params).apply(Recommendation.objects.all()))


def test_disagree_filter_keeps_only_differing_voices(three_voices):
    _agree, differ, _unassessed = three_voices
    assert filtered(disagree="1") == {differ}


def test_nhri_status_filter_and_not_assessed(three_voices):
    agree, differ, unassessed = three_voices
    assert filtered(nhri_status="implemented") == {agree}
    assert filtered(nhri_status=NOT_ASSESSED) == {unassessed}
    assert filtered(nhri_status=[NOT_ASSESSED, "in_progress"]) == {differ, unassessed}


def facet_counts(**params) -> dict[str, dict[str, int]]:
    filters = RecommendationFilters.from_query(params)
    facets = recommendation_facets(Recommendation.objects.all(), filters, [], {}, {})
    return {facet.key: {v.value: v.count for v in facet.values} for facet in facets}


def test_facets_count_both_voices_and_the_disagreements(three_voices):
    counts = facet_counts()
    assert counts["status"] == {"implemented": 2, "in_progress": 1}
    assert counts["nhri_status"] == {"implemented": 1, "in_progress": 1, NOT_ASSESSED: 1}
    assert counts["disagree"] == {"1": 1}


def test_facets_apply_the_other_filters(three_voices):
    counts = facet_counts(status="implemented")
    assert counts["nhri_status"] == {"implemented": 1, "in_progress": 1}
    assert counts["disagree"] == {"1": 1}
    counts = facet_counts(disagree="1")
    assert counts["status"] == {"implemented": 1}


def test_facet_queries_do_not_grow_with_rows(django_assert_max_num_queries, three_voices):
    # Seven simple facets and the disagreement count, one query each.
    with django_assert_max_num_queries(8):
        facet_counts()


# --- Imports and exports --------------------------------------------------------------------------


def csv_file(*rows: str) -> bytes:
    header = "document,mechanism,paragraph,language,text,status,nhri_status\n"
    return (header + "".join(row + "\n" for row in rows)).encode()


def test_import_reads_nhri_status_in_any_interface_language():
    import_recommendations(
        csv_file(
            "CMW/C/MAR/CO/2,CMW,12,en,Train police.,in_progress,Partiellement mise en œuvre",
            "CMW/C/MAR/CO/2,CMW,13,en,Ratify.,,",
        ),
        format="csv",
    )
    statuses = dict(Recommendation.objects.values_list("paragraph", "nhri_status"))
    assert statuses == {"12": "partially_implemented", "13": ""}


def test_import_refuses_an_unknown_nhri_status():
    with pytest.raises(ImportRejected) as rejected:
        import_recommendations(
            csv_file("CMW/C/MAR/CO/2,CMW,12,en,Train police.,,half done"), format="csv"
        )
    [problem] = rejected.value.problems
    assert (problem.line, problem.column) == (2, "nhri_status")


def test_import_updates_the_nhri_status_without_recording_an_assessment():
    recommendation = RecommendationFactory(document__symbol="CMW/C/MAR/CO/2", paragraph="12")
    import_recommendations(
        csv_file("CMW/C/MAR/CO/2,CMW,12,en,Train police.,,implemented"), format="csv"
    )
    recommendation.refresh_from_db()
    assert recommendation.nhri_status == "implemented"
    assert not Assessment.objects.exists()


def test_lines_of_one_recommendation_may_not_contradict_its_nhri_status():
    with pytest.raises(ImportRejected) as rejected:
        import_recommendations(
            csv_file(
                "CMW/C/MAR/CO/2,CMW,12,en,Train police.,,implemented",
                "CMW/C/MAR/CO/2,CMW,12,fr,Former la police.,,in_progress",
            ),
            format="csv",
        )
    assert [p.column for p in rejected.value.problems] == ["nhri_status"]


@pytest.mark.parametrize("format", ["csv", "xlsx", "json"])
def test_an_export_reimports_both_voices(coordinator, format):
    first = RecommendationFactory(paragraph="1")
    assess(first, status="implemented", by=coordinator)
    assess(first, voice="nhri", status="partially_implemented", by=coordinator)
    RecommendationFactory(document=first.document, paragraph="2")
    before = sorted(Recommendation.objects.values_list("paragraph", "status", "nhri_status"))
    output = io.BytesIO()
    export_recommendations(Recommendation.objects.all(), format=format, output=output)
    Recommendation.objects.all().delete()
    SourceDocument.objects.all().delete()

    import_recommendations(output.getvalue(), format=format)

    assert (
        sorted(Recommendation.objects.values_list("paragraph", "status", "nhri_status")) == before
    )


def test_export_command_filters_disagreements(three_voices):
    _agree, differ, _unassessed = three_voices
    out = io.StringIO()
    call_command("export", "recommendations", "--format", "json", "--disagree", stdout=out)
    assert [row["paragraph"] for row in json.loads(out.getvalue())] == [differ.paragraph]
