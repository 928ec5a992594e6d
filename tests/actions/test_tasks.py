"""Computing every computed indicator: the task and the ``compute-indicators`` command."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from mizan.actions.enums import ActionStatus
from mizan.actions.indicators import computed_figure, forget_figure
from mizan.actions.models import IndicatorValue
from mizan.actions.tasks import compute_indicators
from mizan.core.errors import MizanError
from tests.actions.factories import ActionFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


def test_task_computes_every_computed_indicator(figure):
    computed = IndicatorFactory(computation=figure.name)
    IndicatorFactory()  # entered by hand
    IndicatorFactory(computation=figure.name, action=ActionFactory(status=ActionStatus.CANCELLED))
    summary = compute_indicators.call("2025-06-30")
    assert summary == {"computed": 1, "failed": 0, "skipped": 0}
    value = IndicatorValue.objects.get()
    assert (value.indicator, value.measured_on, value.value) == (
        computed,
        datetime.date(2025, 6, 30),
        Decimal("7.00"),
    )


def test_one_failing_figure_does_not_stop_the_others(figure, caplog):
    def broken(action, as_of):
        raise ZeroDivisionError

    computed_figure("test_broken", label="Broken")(broken)
    try:
        IndicatorFactory(computation="test_broken", unit="x")
        IndicatorFactory(computation=figure.name)
        assert compute_indicators.call(None) == {"computed": 1, "failed": 1, "skipped": 0}
    finally:
        forget_figure("test_broken")
    assert "not computed" in caplog.text


def test_a_figure_with_no_data_yet_is_skipped_not_failed(figure):
    def nothing_yet(action, as_of):
        raise MizanError("No session yet.", code="no_data")

    computed_figure("test_nothing_yet", label="Nothing yet")(nothing_yet)
    try:
        IndicatorFactory(computation="test_nothing_yet", unit="x")
        IndicatorFactory(computation=figure.name)
        out = io.StringIO()
        call_command("compute_indicators", "--date", "2025-06-30", stdout=out)
    finally:
        forget_figure("test_nothing_yet")
    assert "1 indicator computed, 0 failed." in out.getvalue()
    assert "1 indicator has nothing to compute from yet." in out.getvalue()
    assert IndicatorValue.objects.count() == 1


def test_command_prints_a_summary(figure):
    IndicatorFactory(computation=figure.name)
    out = io.StringIO()
    call_command("compute_indicators", "--date", "2025-06-30", stdout=out)
    assert "1 indicator computed, 0 failed." in out.getvalue()
    assert IndicatorValue.objects.get().measured_on == datetime.date(2025, 6, 30)


def test_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("compute_indicators", "--date", "30/06/2025")


def test_command_enqueues(figure):
    IndicatorFactory(computation=figure.name)
    out = io.StringIO()
    # The test settings run tasks immediately: enqueuing also computes.
    call_command("compute_indicators", "--enqueue", stdout=out)
    assert "Queued as task" in out.getvalue()
    assert IndicatorValue.objects.count() == 1
