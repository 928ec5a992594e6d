"""The computed-indicator seam: registering figures, and Mizan's own figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from mizan.actions import services
from mizan.actions.enums import ProgressReportStatus
from mizan.actions.indicators import (
    computed_figure,
    computed_figures,
    figure_choices,
    get_figure,
)
from mizan.core.errors import MizanError
from mizan.recommendations.models import Assessment
from tests.actions.factories import IndicatorFactory, ProgressReportFactory
from tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 30)


def test_builtin_figures_are_registered_at_startup():
    names = {figure.name for figure in computed_figures()}
    assert {"recommendations_implemented_share", "approved_progress_reports"} <= names


def test_a_registered_figure_is_offered_and_found(figure):
    assert (figure.name, "Sessions held") in figure_choices()
    assert get_figure(figure.name).unit == "sessions"


def test_unknown_figure_is_a_mizan_error_on_computation():
    with pytest.raises(MizanError) as refused:
        get_figure("nothing")
    assert refused.value.field == "computation"


def test_a_name_cannot_be_taken_twice(figure):
    with pytest.raises(ImproperlyConfigured):
        computed_figure(figure.name, label="Other")(lambda action, as_of: 0)


def test_figures_are_rounded_as_values_are_stored(action, figure):
    figure.result = Decimal("2") / Decimal("3")
    assert get_figure(figure.name).compute(action, DAY) == Decimal("0.67")


def test_implemented_share_uses_the_nhri_assessment(action):
    implemented = RecommendationFactory(nhri_status="implemented")
    not_yet = RecommendationFactory(nhri_status="in_progress", status="implemented")
    action.recommendations.set([implemented, not_yet])
    indicator = IndicatorFactory(
        action=action, computation="recommendations_implemented_share", unit="%"
    )
    value = services.compute_indicator(indicator=indicator, as_of=DAY)
    assert value.value == Decimal("50.00")


def test_implemented_share_on_a_past_date_reads_the_assessments_of_then(action):
    recommendation = RecommendationFactory(nhri_status="implemented")
    action.recommendations.set([recommendation])
    for status, day in [("in_progress", datetime.date(2025, 1, 1)), ("implemented", DAY)]:
        Assessment.objects.create(
            recommendation=recommendation,
            voice="nhri",
            status=status,
            assessed_on=day,
            rationale="Seen on visit.",
        )
    figure = get_figure("recommendations_implemented_share")
    assert figure.compute(action, datetime.date(2025, 3, 1)) == Decimal("0.00")
    assert figure.compute(action, DAY) == Decimal("100.00")


def test_implemented_share_of_an_action_without_recommendations_is_zero(action):
    assert get_figure("recommendations_implemented_share").compute(action, DAY) == 0


def test_approved_reports_are_counted_up_to_the_date(action):
    reviewed_at = timezone.make_aware(datetime.datetime(2025, 4, 10, 12))
    ProgressReportFactory(
        action=action, status=ProgressReportStatus.APPROVED, reviewed_at=reviewed_at
    )
    ProgressReportFactory(action=action, status=ProgressReportStatus.SUBMITTED)
    figure = get_figure("approved_progress_reports")
    assert figure.compute(action, datetime.date(2025, 4, 1)) == 0
    assert figure.compute(action, DAY) == 1
