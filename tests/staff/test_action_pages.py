"""The back office's action pages: who may open and use them, and what they show."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mizan.accounts.enums import Role
from mizan.actions.enums import ActionStatus, ProgressReportStatus
from mizan.actions.models import Action, Indicator, IndicatorValue, ProgressReport
from tests.actions.factories import (
    ActionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ProgressReportFactory,
    html_named_pdf,
    pdf_upload,
)
from tests.actions.fixtures import registered_figure
from tests.factories import InstitutionFactory, RecommendationFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def figure():
    with registered_figure() as fake:
        yield fake


@pytest.fixture
def police(db):
    return InstitutionFactory(code="police", kind="law_enforcement")


@pytest.fixture
def action(police):
    return ActionFactory(lead_institution=police, title="Train border police")


@pytest.fixture
def indicator(action):
    return IndicatorFactory(action=action)


@pytest.fixture
def other_focal_point(db):
    return user_with_role(
        Role.FOCAL_POINT, InstitutionFactory(code="justice", kind="ministry"), username="other"
    )


@pytest.fixture
def draft(action, focal_point):
    return ProgressReportFactory(action=action, author=focal_point)


@pytest.fixture
def submitted(action, focal_point):
    return ProgressReportFactory(
        action=action, author=focal_point, status=ProgressReportStatus.SUBMITTED
    )


def login(client, user):
    client.force_login(user)
    return client


def read_pages(action, report):
    return [
        reverse("staff:action_list"),
        reverse("staff:action_detail", args=[action.pk]),
        reverse("staff:action_history", args=[action.pk]),
        reverse("staff:progress_report_detail", args=[report.pk]),
    ]


def change_pages(action, indicator, report):
    return [
        reverse("staff:action_edit", args=[action.pk]),
        reverse("staff:indicator_create", args=[action.pk]),
        reverse("staff:indicator_edit", args=[indicator.pk]),
        reverse("staff:indicator_value_create", args=[indicator.pk]),
        reverse("staff:progress_report_create", args=[action.pk]),
        reverse("staff:progress_report_edit", args=[report.pk]),
    ]


# --- Who may open what -------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, action, draft):
    for url in read_pages(action, draft):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


def test_outsider_gets_403_everywhere(outsider_client, action, indicator, draft):
    urls = read_pages(action, draft) + change_pages(action, indicator, draft)
    for url in [*urls, reverse("staff:action_create")]:
        assert outsider_client.get(url).status_code == 403, url


def test_viewer_reads_but_changes_nothing(viewer_client, action, indicator, draft):
    for url in read_pages(action, draft):
        assert viewer_client.get(url).status_code == 200, url
    for url in [*change_pages(action, indicator, draft), reverse("staff:action_create")]:
        assert viewer_client.get(url).status_code == 403, url


def test_coordinator_opens_every_page(coordinator_client, action, indicator, draft):
    urls = read_pages(action, draft) + change_pages(action, indicator, draft)
    for url in [*urls, reverse("staff:action_create")]:
        assert coordinator_client.get(url).status_code == 200, url


def test_focal_point_of_the_lead_opens_the_change_pages(
    client, focal_point, action, indicator, draft
):
    login(client, focal_point)
    for url in [*change_pages(action, indicator, draft), reverse("staff:action_create")]:
        assert client.get(url).status_code == 200, url


def test_focal_point_of_another_institution_is_refused(
    client, other_focal_point, action, indicator, draft
):
    login(client, other_focal_point)
    for url in change_pages(action, indicator, draft):
        assert client.get(url).status_code == 403, url
    for url in read_pages(action, draft):
        assert client.get(url).status_code == 200, url


def post_urls(action, indicator, report):
    return [
        reverse("staff:action_status", args=[action.pk]),
        reverse("staff:action_evidence", args=[action.pk]),
        reverse("staff:indicator_compute", args=[indicator.pk]),
        reverse("staff:progress_report_submit", args=[report.pk]),
        reverse("staff:progress_report_evidence", args=[report.pk]),
        reverse("staff:progress_report_approve", args=[report.pk]),
        reverse("staff:progress_report_return", args=[report.pk]),
        reverse("staff:progress_report_correct", args=[report.pk]),
    ]


@pytest.mark.parametrize("who", ["viewer", "outsider", "other_focal_point"])
def test_refused_users_cannot_post(client, request, who, action, indicator, draft):
    login(client, request.getfixturevalue(who))
    for url in post_urls(action, indicator, draft):
        assert client.post(url, {"status": "in_progress", "comment": "x"}).status_code == 403, url
    action.refresh_from_db()
    draft.refresh_from_db()
    assert (action.status, draft.status) == (ActionStatus.PLANNED, ProgressReportStatus.DRAFT)


# --- Actions -----------------------------------------------------------------------------


def action_data(lead, **changes):
    return {
        "title": "Awareness campaign on migrants' rights",
        "kind": "awareness",
        "lead_institution": lead.pk,
        "starts_on": "2025-01-01",
        "due_on": "2025-12-31",
        **changes,
    }


def test_focal_point_creates_an_action_led_by_their_institution(client, focal_point, police):
    login(client, focal_point)
    response = client.post(reverse("staff:action_create"), action_data(police))
    action = Action.objects.get()
    assert response["Location"] == reverse("staff:action_detail", args=[action.pk])
    assert (action.lead_institution, action.created_by) == (police, focal_point)
    assert action.history.get().history_user == focal_point


def test_focal_point_cannot_make_another_institution_lead(client, focal_point, police):
    login(client, focal_point)
    justice = InstitutionFactory(code="justice")
    response = client.get(reverse("staff:action_create"))
    assert f'value="{justice.pk}"' not in response.content.decode().split("id_partner")[0]
    response = client.post(reverse("staff:action_create"), action_data(justice))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Action.objects.exists()


def test_recommendation_in_the_address_is_prefilled(coordinator_client, police):
    recommendation = RecommendationFactory(paragraph="37(b)")
    url = reverse("staff:action_create") + f"?recommendation={recommendation.pk}"
    page = coordinator_client.get(url).content.decode()
    assert f'value="{recommendation.pk}"' in page and "checked" in page
    response = coordinator_client.post(
        url, action_data(police, recommendations=[recommendation.pk])
    )
    assert response.status_code == 302
    assert list(Action.objects.get().recommendations.all()) == [recommendation]


def test_recommendations_added_by_reference(coordinator_client, police):
    recommendation = RecommendationFactory(paragraph="37(b)")
    symbol = recommendation.document.symbol
    data = action_data(police, add_recommendations=f"{symbol} ¶37(b)\n")
    coordinator_client.post(reverse("staff:action_create"), data)
    assert list(Action.objects.get().recommendations.all()) == [recommendation]


def test_unknown_reference_is_a_form_error(coordinator_client, police):
    data = action_data(police, add_recommendations="XYZ/1 99")
    response = coordinator_client.post(reverse("staff:action_create"), data)
    assert "No recommendation found for “XYZ/1 99”." in response.content.decode()
    assert not Action.objects.exists()


def test_edit_keeps_unticked_recommendations_out(client, focal_point, action, police):
    kept, dropped = RecommendationFactory(), RecommendationFactory()
    action.recommendations.set([kept, dropped])
    login(client, focal_point)
    response = client.post(
        reverse("staff:action_edit", args=[action.pk]),
        action_data(police, title="Renamed", recommendations=[kept.pk]),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Renamed"
    assert list(action.recommendations.all()) == [kept]


def test_detail_shows_what_the_action_answers(viewer_client, action):
    recommendation = RecommendationFactory(paragraph="12(c)")
    action.recommendations.set([recommendation])
    IndicatorValueFactory(indicator__action=action, value=120)
    page = viewer_client.get(reverse("staff:action_detail", args=[action.pk])).content.decode()
    assert reverse("staff:recommendation_detail", args=[recommendation.pk]) in page
    assert "Officers trained" in page and "120" in page
    assert "Change the status" not in page and "Upload" not in page


def test_cancelling_without_reason_is_refused(coordinator_client, action):
    url = reverse("staff:action_status", args=[action.pk])
    response = coordinator_client.post(url, {"status": "cancelled", "reason": ""}, follow=True)
    assert "Say why the action is cancelled." in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_cancelling_with_a_reason(client, focal_point, action):
    login(client, focal_point)
    url = reverse("staff:action_status", args=[action.pk])
    response = client.post(url, {"status": "cancelled", "reason": "No budget"}, follow=True)
    assert "No budget" in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.CANCELLED
    history = client.get(reverse("staff:action_history", args=[action.pk])).content.decode()
    assert "No budget" in history and "focal" in history


def test_upload_evidence_then_download(coordinator_client, action):
    url = reverse("staff:action_evidence", args=[action.pk])
    coordinator_client.post(url, {"file": pdf_upload("minutes.pdf"), "description": "Minutes"})
    evidence = action.evidence.get()
    page = coordinator_client.get(reverse("staff:action_detail", args=[action.pk]))
    assert reverse("staff:evidence_download", args=[evidence.pk]) in page.content.decode()


def test_html_disguised_as_pdf_is_refused_with_a_message(coordinator_client, action):
    url = reverse("staff:action_evidence", args=[action.pk])
    response = coordinator_client.post(url, {"file": html_named_pdf()}, follow=True)
    assert "not an accepted kind of document" in response.content.decode()
    assert not action.evidence.exists()


def test_remove_evidence(coordinator_client, action):
    coordinator_client.post(
        reverse("staff:action_evidence", args=[action.pk]), {"file": pdf_upload()}
    )
    evidence = action.evidence.get()
    coordinator_client.post(reverse("staff:action_evidence_remove", args=[action.pk, evidence.pk]))
    assert not action.evidence.exists()


# --- List --------------------------------------------------------------------------------


def test_list_filters_and_marks_overdue(viewer_client, police):
    late = ActionFactory(
        title="Late training", lead_institution=police, due_on=datetime.date(2020, 1, 1)
    )
    ActionFactory(title="Future law", kind="legislation", lead_institution=police)
    page = viewer_client.get(reverse("staff:action_list")).content.decode()
    assert "Late training" in page and "Future law" in page and "Overdue" in page
    page = viewer_client.get(reverse("staff:action_list"), {"overdue": "1"}).content.decode()
    assert "Late training" in page and "Future law" not in page
    page = viewer_client.get(reverse("staff:action_list"), {"kind": "legislation"}).content.decode()
    assert "Late training" not in page and "Future law" in page
    page = viewer_client.get(reverse("staff:action_list"), {"q": "law"}).content.decode()
    assert "Future law" in page and "Late training" not in page
    late.status = ActionStatus.COMPLETED
    late.save()
    page = viewer_client.get(reverse("staff:action_list"), {"overdue": "1"}).content.decode()
    assert "Late training" not in page


def test_htmx_request_gets_the_results_only(viewer_client, action):
    response = viewer_client.get(reverse("staff:action_list"), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert 'id="results"' in page and "<html" not in page


def count_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("staff:action_list")).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_rows(viewer_client, police):
    partner = InstitutionFactory(code="ngo")
    ActionFactory(lead_institution=police).partner_institutions.set([partner])
    one = count_list_queries(viewer_client)
    for _ in range(2):
        ActionFactory(lead_institution=InstitutionFactory()).partner_institutions.set([partner])
    assert count_list_queries(viewer_client) == one


# --- Indicators --------------------------------------------------------------------------


def test_add_indicator_and_record_a_value(client, focal_point, action):
    login(client, focal_point)
    client.post(
        reverse("staff:indicator_create", args=[action.pk]),
        {"name": "Officers trained", "unit": "officers", "target": "500", "frequency": "quarterly"},
    )
    indicator = Indicator.objects.get()
    url = reverse("staff:indicator_value_create", args=[indicator.pk])
    data = {"measured_on": "2025-03-31", "value": "120", "source": "Register"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert "already has a value" in response.content.decode()
    assert IndicatorValue.objects.get().recorded_by == focal_point


def test_edit_indicator(coordinator_client, indicator):
    coordinator_client.post(
        reverse("staff:indicator_edit", args=[indicator.pk]),
        {"name": "Officers trained", "unit": "officers", "target": "800", "frequency": "annual"},
    )
    indicator.refresh_from_db()
    assert (indicator.target, indicator.frequency) == (800, "annual")


def test_computed_indicator_is_computed_now(coordinator_client, action, figure):
    coordinator_client.post(
        reverse("staff:indicator_create", args=[action.pk]),
        {"name": "Sessions", "computation": figure.name, "frequency": "monthly"},
    )
    indicator = Indicator.objects.get()
    assert indicator.unit == "sessions"
    page = coordinator_client.get(reverse("staff:action_detail", args=[action.pk]))
    assert "Compute now" in page.content.decode()
    coordinator_client.post(
        reverse("staff:indicator_compute", args=[indicator.pk]), {"as_of": "2025-06-30"}
    )
    value = indicator.values.get()
    assert (value.measured_on, value.value) == (datetime.date(2025, 6, 30), 7)


def test_computed_indicator_refuses_values_by_hand(coordinator_client, action, figure):
    indicator = IndicatorFactory(action=action, computation=figure.name)
    response = coordinator_client.post(
        reverse("staff:indicator_value_create", args=[indicator.pk]),
        {"measured_on": "2025-03-31", "value": "1", "source": "Guess"},
    )
    assert "cannot be entered by hand" in response.content.decode()
    assert not indicator.values.exists()


# --- Progress reports --------------------------------------------------------------------


def test_report_flow_draft_submit_approve(client, focal_point, coordinator, action):
    login(client, focal_point)
    response = client.post(
        reverse("staff:progress_report_create", args=[action.pk]),
        {"period_start": "2025-01-01", "period_end": "2025-03-31", "summary": "Two sessions"},
    )
    report = ProgressReport.objects.get()
    assert response["Location"] == reverse("staff:progress_report_detail", args=[report.pk])
    client.post(reverse("staff:progress_report_submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ProgressReportStatus.SUBMITTED
    login(client, coordinator)
    client.post(reverse("staff:progress_report_approve", args=[report.pk]), {"comment": "Thanks"})
    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == (ProgressReportStatus.APPROVED, coordinator)
    page = client.get(reverse("staff:progress_report_detail", args=[report.pk])).content.decode()
    assert "Review trail" in page and "focal" in page and "coordinator" in page
    assert "Thanks" in page


def test_period_ending_before_it_starts_is_a_form_error(coordinator_client, action):
    response = coordinator_client.post(
        reverse("staff:progress_report_create", args=[action.pk]),
        {"period_start": "2025-03-01", "period_end": "2025-01-31", "summary": "x"},
    )
    assert "The period cannot end before it starts." in response.content.decode()


def test_author_cannot_approve_their_own_report(coordinator_client, coordinator, action):
    report = ProgressReportFactory(
        action=action, author=coordinator, status=ProgressReportStatus.SUBMITTED
    )
    url = reverse("staff:progress_report_approve", args=[report.pk])
    assert coordinator_client.post(url).status_code == 403
    report.refresh_from_db()
    assert report.status == ProgressReportStatus.SUBMITTED


def test_focal_point_cannot_review(client, focal_point, submitted):
    login(client, focal_point)
    url = reverse("staff:progress_report_approve", args=[submitted.pk])
    assert client.post(url).status_code == 403


def test_return_needs_a_comment(coordinator_client, submitted):
    url = reverse("staff:progress_report_return", args=[submitted.pk])
    response = coordinator_client.post(url, {"comment": ""}, follow=True)
    assert "Say what should change" in response.content.decode()
    coordinator_client.post(url, {"comment": "Add the figures"})
    submitted.refresh_from_db()
    assert (submitted.status, submitted.review_comment) == (
        ProgressReportStatus.RETURNED,
        "Add the figures",
    )


def test_approved_report_cannot_be_edited_but_can_be_corrected(client, focal_point, action):
    report = ProgressReportFactory(
        action=action, author=focal_point, status=ProgressReportStatus.APPROVED
    )
    login(client, focal_point)
    assert client.get(reverse("staff:progress_report_edit", args=[report.pk])).status_code == 403
    response = client.post(reverse("staff:progress_report_correct", args=[report.pk]))
    correction = ProgressReport.objects.get(corrects=report)
    assert response["Location"] == reverse("staff:progress_report_detail", args=[correction.pk])
    assert correction.status == ProgressReportStatus.DRAFT


def test_evidence_on_a_draft_report(client, focal_point, draft):
    login(client, focal_point)
    client.post(reverse("staff:progress_report_evidence", args=[draft.pk]), {"file": pdf_upload()})
    assert draft.evidence.count() == 1


def test_history_lists_indicators_and_reports(coordinator_client, coordinator, action):
    coordinator_client.post(
        reverse("staff:indicator_create", args=[action.pk]),
        {"name": "Officers trained", "unit": "officers", "frequency": "quarterly"},
    )
    page = coordinator_client.get(reverse("staff:action_history", args=[action.pk]))
    content = page.content.decode()
    assert "Indicator" in content and "Officers trained" in content and "coordinator" in content


def test_list_takes_a_nul_character_in_its_filters(viewer_client):
    """PostgreSQL refuses NUL in a query parameter; the page drops it rather than fail."""
    response = viewer_client.get(reverse("staff:action_list"), {"q": "a\x00b", "lead": "\x00"})
    assert response.status_code == 200


# --- Correcting and removing indicator values -------------------------------------------


@pytest.fixture
def value(indicator):
    return IndicatorValueFactory(indicator=indicator, value=120, source="Register")


def correction(**changes):
    return {"value": "125", "source": "Register, page 4", "reason": "Typo", **changes}


@pytest.mark.parametrize("who", ["coordinator", "focal_point"])
def test_allowed_users_correct_a_value(client, request, who, value):
    user = request.getfixturevalue(who)
    login(client, user)
    url = reverse("staff:indicator_value_correct", args=[value.pk])
    page = client.get(url).content.decode()
    assert 'value="Register"' in page and "Reason for the correction" in page
    response = client.post(url, correction())
    assert response.status_code == 302
    assert response["Location"].endswith("#indicators")
    value.refresh_from_db()
    assert (value.value, value.source) == (125, "Register, page 4")
    row = value.history.first()
    assert (row.history_change_reason, row.history_user) == ("Typo", user)


@pytest.mark.parametrize("who", ["coordinator", "focal_point"])
def test_allowed_users_remove_a_value(client, request, who, action, value):
    user = request.getfixturevalue(who)
    login(client, user)
    response = client.post(
        reverse("staff:indicator_value_remove", args=[value.pk]), {"reason": "Recorded twice"}
    )
    assert response.status_code == 302
    assert not IndicatorValue.objects.exists()
    row = IndicatorValue.history.get(history_type="-")
    assert (row.history_change_reason, row.history_user) == ("Recorded twice", user)
    page = client.get(reverse("staff:action_history", args=[action.pk])).content.decode()
    assert "Recorded twice" in page


@pytest.mark.parametrize("who", ["viewer", "outsider", "other_focal_point"])
def test_refused_users_neither_correct_nor_remove(client, request, who, value):
    login(client, request.getfixturevalue(who))
    correct = reverse("staff:indicator_value_correct", args=[value.pk])
    assert client.get(correct).status_code == 403
    assert client.post(correct, correction()).status_code == 403
    remove = reverse("staff:indicator_value_remove", args=[value.pk])
    assert client.post(remove, {"reason": "No"}).status_code == 403
    value.refresh_from_db()
    assert value.value == 120
    assert value.history.count() == 1


def test_correction_without_a_reason_is_a_form_error(coordinator_client, value):
    response = coordinator_client.post(
        reverse("staff:indicator_value_correct", args=[value.pk]), correction(reason="")
    )
    assert response.status_code == 200
    assert "Say why the value is corrected." in response.content.decode()
    value.refresh_from_db()
    assert value.value == 120


def test_removal_without_a_reason_keeps_the_value(coordinator_client, action, value):
    response = coordinator_client.post(
        reverse("staff:indicator_value_remove", args=[value.pk]), {"reason": " "}, follow=True
    )
    assert "Say why the value is removed." in response.content.decode()
    assert IndicatorValue.objects.filter(pk=value.pk).exists()


def test_detail_offers_correct_and_remove_to_those_who_may(
    client, coordinator, viewer, action, value
):
    detail = reverse("staff:action_detail", args=[action.pk])
    page = login(client, coordinator).get(detail).content.decode()
    assert reverse("staff:indicator_value_correct", args=[value.pk]) in page
    assert reverse("staff:indicator_value_remove", args=[value.pk]) in page
    assert f'<label for="remove-reason-{value.pk}"' in page
    page = login(client, viewer).get(detail).content.decode()
    assert reverse("staff:indicator_value_correct", args=[value.pk]) not in page
    assert reverse("staff:indicator_value_remove", args=[value.pk]) not in page


def test_computed_values_are_removed_not_corrected(coordinator_client, action, figure):
    indicator = IndicatorFactory(action=action, computation=figure.name)
    computed = IndicatorValueFactory(indicator=indicator, value=7, source="computed")
    page = coordinator_client.get(reverse("staff:action_detail", args=[action.pk]))
    assert reverse("staff:indicator_value_correct", args=[computed.pk]) not in page.content.decode()
    assert reverse("staff:indicator_value_remove", args=[computed.pk]) in page.content.decode()
    url = reverse("staff:indicator_value_correct", args=[computed.pk])
    response = coordinator_client.get(url, follow=True)
    assert "compute its value again" in response.content.decode()
    response = coordinator_client.post(url, correction())
    assert "compute its value again" in response.content.decode()
    computed.refresh_from_db()
    assert computed.value == 7
