"""The services of actions, indicators and progress reports: what they allow, what they
refuse, and the audit trail they leave."""

from __future__ import annotations

import datetime
from decimal import Decimal
from itertools import product

import pytest

from mizan.actions import services
from mizan.actions.enums import ACTION_TRANSITIONS, ActionStatus, ProgressReportStatus
from mizan.actions.models import Action, IndicatorValue, ProgressReport
from mizan.core.errors import MizanError
from tests.actions.factories import (
    ActionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ProgressReportFactory,
    html_named_pdf,
    pdf_upload,
)
from tests.factories import InstitutionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 30)


# --- Actions ---------------------------------------------------------------------------


def test_create_action_is_planned_and_attributed(police, focal_point):
    recommendation = RecommendationFactory()
    partner = InstitutionFactory(code="justice")
    action = services.create_action(
        title=" Train border police ",
        kind="training",
        lead_institution=police,
        partner_institutions=[partner],
        recommendations=[recommendation],
        by=focal_point,
    )
    assert (action.title, action.status, action.created_by) == (
        "Train border police",
        ActionStatus.PLANNED,
        focal_point,
    )
    assert list(action.recommendations.all()) == [recommendation]
    assert list(action.partner_institutions.all()) == [partner]
    assert {row.history_user for row in action.history.all()} == {focal_point}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"kind": "picnic"}, "kind"),
        ({"starts_on": DAY, "due_on": DAY - datetime.timedelta(days=1)}, "due_on"),
    ],
)
def test_create_action_refuses_invalid_input(police, changes, field):
    data = {"title": "Train", "kind": "training", "lead_institution": police, **changes}
    with pytest.raises(MizanError) as refused:
        services.create_action(**data)
    assert refused.value.field == field
    assert not Action.objects.exists()


def test_lead_cannot_also_be_partner(police):
    with pytest.raises(MizanError) as refused:
        services.create_action(
            title="Train", kind="training", lead_institution=police, partner_institutions=[police]
        )
    assert refused.value.field == "partner_institutions"


def test_update_action_changes_fields_with_history(action, coordinator):
    services.update_action(action=action, title="Train judges", due_on=DAY, by=coordinator)
    action.refresh_from_db()
    assert (action.title, action.due_on) == ("Train judges", DAY)
    latest = action.history.first()
    assert latest.history_user == coordinator
    assert latest.title == "Train judges"


def test_update_action_refuses_status_and_unknown_fields(action):
    with pytest.raises(MizanError):
        services.update_action(action=action, status=ActionStatus.COMPLETED)
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_link_and_replace_recommendations(action, coordinator):
    first, second = RecommendationFactory(), RecommendationFactory()
    services.link_recommendation(action=action, recommendation=first, by=coordinator)
    services.link_recommendation(action=action, recommendation=first, by=coordinator)
    assert list(action.recommendations.all()) == [first]
    services.set_action_recommendations(action=action, recommendations=[second], by=coordinator)
    assert list(action.recommendations.all()) == [second]
    assert action.history.filter(history_user=coordinator).count() >= 2


ALLOWED = sorted((a, b) for a, targets in ACTION_TRANSITIONS.items() for b in targets)
REFUSED = [
    (a, b) for a, b in product(ActionStatus.values, repeat=2) if b not in ACTION_TRANSITIONS[a]
]


@pytest.mark.parametrize(("current", "new"), ALLOWED)
def test_allowed_status_transitions(current, new, coordinator):
    action = ActionFactory(status=current)
    services.change_action_status(action=action, status=new, reason="Budget cut", by=coordinator)
    action.refresh_from_db()
    assert action.status == new


@pytest.mark.parametrize(("current", "new"), REFUSED)
def test_refused_status_transitions(current, new):
    action = ActionFactory(status=current)
    with pytest.raises(MizanError) as refused:
        services.change_action_status(action=action, status=new, reason="Because")
    assert refused.value.field == "status"
    action.refresh_from_db()
    assert action.status == current


def test_cancelling_needs_a_reason(action):
    with pytest.raises(MizanError) as refused:
        services.change_action_status(action=action, status=ActionStatus.CANCELLED, reason=" ")
    assert refused.value.field == "reason"


def test_cancel_reason_is_kept_and_in_history(action, coordinator):
    services.change_action_status(
        action=action, status=ActionStatus.CANCELLED, reason="No budget", by=coordinator
    )
    action.refresh_from_db()
    assert action.cancellation_reason == "No budget"
    latest = action.history.first()
    assert (latest.history_change_reason, latest.history_user) == ("No budget", coordinator)


def test_reopening_a_cancelled_action_clears_the_reason_only_on_the_action(action):
    services.change_action_status(action=action, status=ActionStatus.CANCELLED, reason="No budget")
    services.change_action_status(action=action, status=ActionStatus.PLANNED)
    action.refresh_from_db()
    assert action.cancellation_reason == ""
    assert action.history.filter(cancellation_reason="No budget").exists()


def test_a_reason_is_not_repeated_on_later_changes(action, coordinator):
    services.change_action_status(
        action=action, status=ActionStatus.CANCELLED, reason="No budget", by=coordinator
    )
    services.update_action(action=action, title="Renamed", by=coordinator)
    assert action.history.first().history_change_reason in (None, "")


def test_attach_evidence_stores_and_links_a_pdf(action, coordinator):
    evidence = services.attach_evidence(
        action=action, upload=pdf_upload(), description="Attendance", by=coordinator
    )
    assert evidence.content_type == "application/pdf"
    assert list(action.evidence.all()) == [evidence]
    assert action.history.first().history_user == coordinator


def test_attach_evidence_refuses_html_named_pdf(action):
    with pytest.raises(MizanError) as refused:
        services.attach_evidence(action=action, upload=html_named_pdf())
    assert "text/html" in str(refused.value.message)
    assert not action.evidence.exists()


def test_detach_evidence_unlinks(action):
    evidence = services.attach_evidence(action=action, upload=pdf_upload())
    services.detach_evidence(action=action, evidence=evidence)
    assert not action.evidence.exists()


# --- Indicators ------------------------------------------------------------------------


def test_add_manual_indicator(action, focal_point):
    indicator = services.add_indicator(
        action=action, name="Officers trained", unit="officers", target=500, by=focal_point
    )
    assert not indicator.is_computed
    assert indicator.history.first().history_user == focal_point


def test_indicator_needs_a_unit_unless_computed(action, figure):
    with pytest.raises(MizanError) as refused:
        services.add_indicator(action=action, name="Officers trained")
    assert refused.value.field == "unit"
    computed = services.add_indicator(action=action, name="Sessions", computation=figure.name)
    assert computed.unit == "sessions"


def test_indicator_computation_must_name_a_registered_figure(action):
    with pytest.raises(MizanError) as refused:
        services.add_indicator(action=action, name="X", unit="%", computation="no_such_figure")
    assert refused.value.field == "computation"


def test_update_indicator(action, coordinator):
    indicator = IndicatorFactory(action=action)
    services.update_indicator(indicator=indicator, target=Decimal(800), by=coordinator)
    indicator.refresh_from_db()
    assert indicator.target == 800


def test_record_value(action, focal_point):
    indicator = IndicatorFactory(action=action)
    value = services.record_indicator_value(
        indicator=indicator, measured_on=DAY, value=Decimal(42), source="Register", by=focal_point
    )
    assert (value.value, value.recorded_by) == (42, focal_point)


def test_record_value_needs_a_source(action):
    indicator = IndicatorFactory(action=action)
    with pytest.raises(MizanError) as refused:
        services.record_indicator_value(
            indicator=indicator, measured_on=DAY, value=Decimal(1), source=" "
        )
    assert refused.value.field == "source"


def test_one_value_per_date(action):
    value = IndicatorValueFactory(indicator__action=action, measured_on=DAY)
    with pytest.raises(MizanError) as refused:
        services.record_indicator_value(
            indicator=value.indicator, measured_on=DAY, value=Decimal(1), source="Again"
        )
    assert refused.value.field == "measured_on"


def test_computed_indicator_takes_no_value_by_hand(action, figure):
    indicator = IndicatorFactory(action=action, computation=figure.name)
    with pytest.raises(MizanError):
        services.record_indicator_value(
            indicator=indicator, measured_on=DAY, value=Decimal(1), source="Guess"
        )
    assert not IndicatorValue.objects.exists()


def test_compute_indicator_stores_the_figure_with_its_source(action, figure, coordinator):
    indicator = IndicatorFactory(action=action, computation=figure.name)
    value = services.compute_indicator(indicator=indicator, as_of=DAY, by=coordinator)
    assert (value.measured_on, value.value, value.source) == (
        DAY,
        Decimal("7.00"),
        "computed: Sessions held",
    )
    assert value.history.first().history_user == coordinator


def test_computing_again_replaces_the_value_of_that_date(action, figure):
    indicator = IndicatorFactory(action=action, computation=figure.name)
    services.compute_indicator(indicator=indicator, as_of=DAY)
    figure.result = Decimal(9)
    services.compute_indicator(indicator=indicator, as_of=DAY)
    assert list(indicator.values.values_list("value", flat=True)) == [Decimal("9.00")]


def test_manual_indicator_is_not_computed(action):
    with pytest.raises(MizanError):
        services.compute_indicator(indicator=IndicatorFactory(action=action), as_of=DAY)


# --- Progress reports ------------------------------------------------------------------


def draft(action, author, **changes):
    data = {
        "period_start": datetime.date(2025, 1, 1),
        "period_end": datetime.date(2025, 3, 31),
        "summary": "Two sessions held.",
        **changes,
    }
    return services.draft_progress_report(action=action, by=author, **data)


def submitted(action, author):
    return services.submit_progress_report(report=draft(action, author), by=author)


def test_draft_report_belongs_to_its_author(action, focal_point):
    report = draft(action, focal_point)
    assert (report.status, report.author) == (ProgressReportStatus.DRAFT, focal_point)


def test_report_period_cannot_end_before_it_starts(action, focal_point):
    with pytest.raises(MizanError) as refused:
        draft(action, focal_point, period_end=datetime.date(2024, 12, 31))
    assert refused.value.field == "period_end"
    report = draft(action, focal_point)
    with pytest.raises(MizanError):
        services.update_progress_report(report=report, period_end=datetime.date(2024, 1, 1))


def test_submit_then_approve(action, focal_point, coordinator):
    report = submitted(action, focal_point)
    assert report.submitted_at is not None
    services.approve_progress_report(report=report, by=coordinator, comment="Good")
    report.refresh_from_db()
    assert (report.status, report.reviewed_by, report.review_comment) == (
        ProgressReportStatus.APPROVED,
        coordinator,
        "Good",
    )


def test_submitted_report_cannot_be_edited(action, focal_point):
    report = submitted(action, focal_point)
    with pytest.raises(MizanError):
        services.update_progress_report(report=report, summary="Changed")


def test_author_cannot_approve_their_own_report(action, coordinator):
    report = submitted(action, coordinator)
    with pytest.raises(MizanError) as refused:
        services.approve_progress_report(report=report, by=coordinator)
    assert refused.value.code == "four_eyes"
    report.refresh_from_db()
    assert report.status == ProgressReportStatus.SUBMITTED


def test_only_a_coordinator_reviews(action, focal_point, other_focal_point):
    report = submitted(action, focal_point)
    with pytest.raises(MizanError):
        services.approve_progress_report(report=report, by=other_focal_point)


def test_a_draft_cannot_be_approved(action, focal_point, coordinator):
    with pytest.raises(MizanError):
        services.approve_progress_report(report=draft(action, focal_point), by=coordinator)


def test_return_needs_a_comment(action, focal_point, coordinator):
    report = submitted(action, focal_point)
    with pytest.raises(MizanError) as refused:
        services.return_progress_report(report=report, by=coordinator, comment="  ")
    assert refused.value.field == "comment"


def test_returned_report_is_changed_and_submitted_again(action, focal_point, coordinator):
    report = submitted(action, focal_point)
    services.return_progress_report(report=report, by=coordinator, comment="Add figures")
    assert report.status == ProgressReportStatus.RETURNED
    services.update_progress_report(report=report, summary="Two sessions, 40 officers.")
    services.submit_progress_report(report=report, by=focal_point)
    assert report.status == ProgressReportStatus.SUBMITTED


@pytest.fixture
def approved(action, focal_point, coordinator):
    report = submitted(action, focal_point)
    return services.approve_progress_report(report=report, by=coordinator)


@pytest.mark.parametrize(
    "change",
    [
        lambda r, u: services.update_progress_report(report=r, summary="Rewritten", by=u),
        lambda r, u: services.submit_progress_report(report=r, by=u),
        lambda r, u: services.approve_progress_report(report=r, by=u),
        lambda r, u: services.return_progress_report(report=r, by=u, comment="Redo"),
        lambda r, u: services.attach_report_evidence(report=r, upload=pdf_upload(), by=u),
    ],
    ids=["update", "submit", "approve", "return", "evidence"],
)
def test_approved_report_never_changes(approved, second_coordinator, change):
    with pytest.raises(MizanError) as refused:
        change(approved, second_coordinator)
    assert refused.value.code == "locked"
    stored = ProgressReport.objects.get(pk=approved.pk)
    assert (stored.summary, stored.status) == ("Two sessions held.", ProgressReportStatus.APPROVED)
    assert not stored.evidence.exists()


def test_correction_is_a_new_draft_naming_the_original(approved, focal_point):
    correction = services.correct_progress_report(report=approved, by=focal_point)
    assert correction.pk != approved.pk
    assert (correction.status, correction.corrects, correction.summary) == (
        ProgressReportStatus.DRAFT,
        approved,
        approved.summary,
    )
    services.update_progress_report(report=correction, summary="Three sessions.")
    approved.refresh_from_db()
    assert approved.summary == "Two sessions held."


def test_only_approved_reports_are_corrected(action, focal_point):
    with pytest.raises(MizanError):
        services.correct_progress_report(report=draft(action, focal_point), by=focal_point)


def test_review_steps_are_in_the_history(approved, focal_point, coordinator):
    users = list(
        approved.history.order_by("history_date", "history_id").values_list(
            "history_user__username", "status"
        )
    )
    assert users == [
        ("focal", "draft"),
        ("focal", "submitted"),
        ("coordinator", "approved"),
    ]


def test_report_evidence_on_a_draft(action, focal_point):
    report = ProgressReportFactory(action=action, author=focal_point)
    evidence = services.attach_report_evidence(report=report, upload=pdf_upload(), by=focal_point)
    assert list(report.evidence.all()) == [evidence]
