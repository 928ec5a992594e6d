"""The follow-up report's content: texts, both assessments, actions, evidence, training
figures with small cells hidden, and no participant's name."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mizan.core.errors import MizanError
from mizan.reports.followup import follow_up_report
from tests.reports.followup_builders import (
    EVIDENCE_TITLE,
    FIRST_TEXT,
    FIRST_TEXT_AR,
    LAW_EVIDENCE,
    LAW_TITLE,
    NHRI_COMMENT,
    PROGRESS_TEXT,
    STATE_COMMENT,
    follow_up_case,
    trained_action,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return follow_up_case()


def entry_of(report, paragraph):
    return next(entry for entry in report.recommendations if entry.paragraph == paragraph)


def test_each_recommendation_has_its_text_and_both_assessments(case):
    report = follow_up_report(case.document, language="en")

    first = entry_of(report, "37(b)")
    assert first.text.text == FIRST_TEXT
    assert first.state.status_label == "Implemented"
    assert first.state.comment.text == STATE_COMMENT
    assert first.nhri.status_label == "Partially implemented"
    assert first.nhri.comment.text == NHRI_COMMENT
    assert [item.title.text for item in first.state.evidence] == [EVIDENCE_TITLE]
    assert [(name.text, role) for name, role in first.institutions] == [
        ("General Directorate of Police", "Lead")
    ]
    assert entry_of(report, "45(a)").nhri.status_label == "Not assessed yet"


def test_the_arabic_report_takes_the_arabic_text_and_says_it_is_a_translation(case):
    report = follow_up_report(case.document, language="ar")

    first = entry_of(report, "37(b)")
    assert first.text.text == FIRST_TEXT_AR
    assert first.text.dir == "rtl"
    assert "English" in first.text_note
    # No French text: the original, with a note that says so.
    french = entry_of(follow_up_report(case.document, language="fr"), "37(b)")
    assert french.text.text == FIRST_TEXT
    assert french.text_note


def test_an_action_answering_two_recommendations_is_built_once(case):
    report = follow_up_report(case.document, language="en")

    first, second = entry_of(report, "37(b)"), entry_of(report, "41")
    shared = next(a for a in first.actions if a.pk == case.training.pk)
    assert next(a for a in second.actions if a.pk == case.training.pk) is shared
    assert shared.paragraphs == ["37(b)", "41"]
    assert len(report.actions) == 3


def test_an_action_shows_its_last_approved_progress_report_indicator_and_evidence(case):
    report = follow_up_report(case.document, language="en")

    law = next(action for action in report.actions if action.pk == case.law.pk)
    assert law.title.text == LAW_TITLE
    assert law.progress_text is not None and law.progress_text.text == PROGRESS_TEXT
    assert [item.title.text for item in law.evidence] == [LAW_EVIDENCE]
    (indicator,) = law.indicators
    assert indicator.latest == Decimal(9)
    assert indicator.target == Decimal(12)


def test_training_figures_are_those_of_the_action_sessions(case):
    report = follow_up_report(case.document, language="en")

    training = next(a for a in report.actions if a.pk == case.training.pk).training
    assert training is not None
    assert (training.trained, training.women, training.men) == (26, 14, 12)
    assert training.women_share == Decimal("53.85")
    assert training.mean_gain == Decimal(40)
    assert training.pairs == 26


def test_figures_from_fewer_than_eleven_people_are_hidden(case):
    report = follow_up_report(case.document, language="en")

    small = next(a for a in report.actions if a.pk == case.small_training.pk).training
    assert small is not None
    assert small.trained is None
    assert small.women is None and small.women_share is None
    assert small.mean_gain is None
    assert small.small_cells_hidden
    # Overall: 17 women and 14 men, both shown.
    overall = report.summary.training
    assert overall is not None
    assert (overall.trained, overall.women, overall.men) == (31, 17, 14)


def test_the_summary_counts_both_voices(case):
    summary = follow_up_report(case.document, language="en").summary

    assert summary.recommendations == 3
    by_state = {value: count for value, _label, count in summary.by_state}
    assert by_state["implemented"] == 1
    assert by_state["in_progress"] == 1
    assert by_state["not_started"] == 1
    by_nhri = {value: count for value, _label, count in summary.by_nhri}
    assert by_nhri["partially_implemented"] == 1
    assert by_nhri[""] == 2
    assert [chart.identifier for chart in summary.charts][:3] == [
        "chart-state",
        "chart-nhri",
        "chart-actions",
    ]


def test_progress_is_told_up_to_the_end(case):
    calls = []
    follow_up_report(case.document, language="en", progress=lambda *a: calls.append(a))

    assert calls[0][0] == 0
    assert calls[-1][0] == calls[-1][1]
    assert [done for done, _total, _step in calls] == sorted(done for done, _t, _s in calls)


def test_an_unknown_language_is_refused(case):
    with pytest.raises(MizanError):
        follow_up_report(case.document, language="de")


def test_queries_grow_with_training_actions_not_recommendations(case):
    with CaptureQueriesContext(connection) as before:
        follow_up_report(case.document, language="en")
    # Two more training actions answering the third recommendation.
    for code in ("extra-one", "extra-two"):
        trained_action(f"Extra {code}", 6, 6, code=code).recommendations.set([case.third])
    with CaptureQueriesContext(connection) as after:
        follow_up_report(case.document, language="en")

    assert len(after.captured_queries) - len(before.captured_queries) == 2 * 4
