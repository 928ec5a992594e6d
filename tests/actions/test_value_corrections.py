"""Correcting and removing indicator values: the reason is required and kept in the
history with who did it; values of computed indicators are recomputed, not corrected."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from mizan.actions import services
from mizan.actions.models import IndicatorValue
from mizan.core.errors import MizanError
from tests.actions.factories import IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 31)


@pytest.fixture
def value(action):
    return IndicatorValueFactory(indicator__action=action, measured_on=DAY, value=120)


def test_correct_a_value_keeps_the_reason_and_the_user(value, focal_point):
    services.correct_indicator_value(
        value=value,
        new_value=Decimal(125),
        source=" Register, page 4 ",
        reason=" Typo in the register ",
        by=focal_point,
    )
    value.refresh_from_db()
    assert (value.value, value.source, value.measured_on) == (
        Decimal("125.00"),
        "Register, page 4",
        DAY,
    )
    row = value.history.first()
    assert (row.history_type, row.history_change_reason, row.history_user) == (
        "~",
        "Typo in the register",
        focal_point,
    )
    assert row.prev_record.value == Decimal("120.00")


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"reason": "  "}, "reason"), ({"source": ""}, "source"), ({"new_value": None}, "value")],
)
def test_correction_needs_a_reason_a_source_and_a_value(value, changes, field):
    arguments = {"new_value": Decimal(1), "source": "Register", "reason": "Typo", **changes}
    with pytest.raises(MizanError) as refused:
        services.correct_indicator_value(value=value, **arguments)
    assert refused.value.field == field
    value.refresh_from_db()
    assert value.value == 120
    assert value.history.count() == 1


def test_a_correction_that_changes_nothing_is_refused(value):
    with pytest.raises(MizanError) as refused:
        services.correct_indicator_value(
            value=value, new_value=Decimal(120), source=value.source, reason="Checked"
        )
    assert refused.value.code == "no_change"


def test_computed_values_are_not_corrected_by_hand(action, figure, coordinator):
    indicator = IndicatorFactory(action=action, computation=figure.name)
    computed = services.compute_indicator(indicator=indicator, as_of=DAY)
    with pytest.raises(MizanError) as refused:
        services.correct_indicator_value(
            value=computed, new_value=Decimal(1), source="Guess", reason="Wrong", by=coordinator
        )
    assert refused.value.code == "computed_indicator"
    assert "compute its value again" in str(refused.value.message)
    computed.refresh_from_db()
    assert computed.value == 7


def test_remove_a_value_keeps_it_in_the_history_with_the_reason(value, coordinator):
    pk = value.pk
    services.remove_indicator_value(value=value, reason=" Recorded twice ", by=coordinator)
    assert not IndicatorValue.objects.filter(pk=pk).exists()
    row = IndicatorValue.history.filter(id=pk).order_by("-history_id").first()
    assert (row.history_type, row.history_change_reason, row.history_user) == (
        "-",
        "Recorded twice",
        coordinator,
    )
    assert row.value == Decimal("120.00")


def test_removal_needs_a_reason(value):
    with pytest.raises(MizanError) as refused:
        services.remove_indicator_value(value=value, reason=" ")
    assert refused.value.field == "reason"
    assert IndicatorValue.objects.filter(pk=value.pk).exists()


def test_a_computed_value_may_be_removed_and_computed_again(action, figure, coordinator):
    indicator = IndicatorFactory(action=action, computation=figure.name)
    computed = services.compute_indicator(indicator=indicator, as_of=DAY)
    services.remove_indicator_value(value=computed, reason="Wrong date", by=coordinator)
    assert not indicator.values.exists()
