"""The figures of the recommendations dashboard: both voices' statuses, the breakdowns,
the SDG roll-up to goals, implementation over time from backdated assessments, overdue
work, the filters, the reader's scope, and a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mizan.accounts.enums import Role
from mizan.actions.enums import ActionStatus
from mizan.partnerships.models import FollowUpTask
from mizan.recommendations import services
from mizan.recommendations.enums import AssignmentRole
from mizan.recommendations.models import Assignment, Recommendation
from mizan.reports import recommendation_figures as rf
from tests.actions.factories import ActionFactory
from tests.factories import (
    InstitutionFactory,
    MechanismFactory,
    RecommendationFactory,
    SourceDocumentFactory,
    TaggingFactory,
    TermFactory,
    VocabularyFactory,
    user_with_role,
)
from tests.partnerships.factories import build_partnership

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def assess(recommendation, on, status, voice="state"):
    services.record_assessment(
        recommendation=recommendation,
        voice=voice,
        status=status,
        assessed_on=on,
        rationale="Reported in the national report.",
    )


@dataclass
class Registry:
    cmw: list[Recommendation]
    upr: list[Recommendation]
    police: Any
    justice: Any


@pytest.fixture
def registry(db) -> Registry:
    """Three CMW recommendations (document of May 2023) and two UPR ones (November 2024);
    the police lead two CMW ones, justice contributes to one and leads a UPR one."""
    cmw_document = SourceDocumentFactory(
        symbol="CMW/C/MAR/CO/2",
        mechanism=MechanismFactory(code="CMW"),
        date=datetime.date(2023, 5, 1),
    )
    upr_document = SourceDocumentFactory(
        symbol="A/HRC/52/7",
        mechanism=MechanismFactory(code="UPR"),
        date=datetime.date(2024, 11, 1),
    )
    cmw = [RecommendationFactory(document=cmw_document) for _ in range(3)]
    upr = [RecommendationFactory(document=upr_document) for _ in range(2)]
    police = InstitutionFactory(code="police", kind="law_enforcement")
    justice = InstitutionFactory(code="justice", kind="ministry")
    Assignment.objects.create(recommendation=cmw[0], institution=police)
    Assignment.objects.create(recommendation=cmw[1], institution=police)
    Assignment.objects.create(
        recommendation=cmw[1], institution=justice, role=AssignmentRole.CONTRIBUTING
    )
    Assignment.objects.create(recommendation=upr[0], institution=justice)
    return Registry(cmw, upr, police, justice)


def figures_for(user, **filters):
    return rf.recommendation_figures(user, rf.FigureFilters(**filters))


# --- statuses, both voices ---------------------------------------------------------------


def test_counts_by_status_for_both_voices(registry, viewer):
    assess(registry.cmw[0], TODAY - 30 * DAY, "in_progress")
    assess(registry.cmw[0], TODAY - 10 * DAY, "implemented")
    assess(registry.cmw[1], TODAY - 10 * DAY, "partially_implemented")
    assess(registry.cmw[0], TODAY - 5 * DAY, "partially_implemented", voice="nhri")
    assess(registry.upr[0], TODAY - 5 * DAY, "not_implemented", voice="nhri")

    statuses = figures_for(viewer).statuses

    by_status = {row.status: (row.state, row.nhri) for row in statuses.rows}
    assert statuses.total == 5
    assert by_status["implemented"] == (1, 0)
    assert by_status["partially_implemented"] == (1, 1)
    assert by_status["not_started"] == (3, 0)
    assert by_status["not_implemented"] == (0, 1)
    assert statuses.nhri_not_assessed == 3
    assert statuses.disagree == 2


def test_status_charts_show_not_assessed_yet_for_the_nhri_and_link_to_the_list(registry, viewer):
    charts = rf.figure_charts(figures_for(viewer), list_url="/list/")
    nhri = {bar.label: bar for bar in charts["nhri_status"].bars}
    assert nhri["Not assessed yet"].values == [5]
    assert nhri["Not assessed yet"].href == "/list/?nhri_status=not_assessed"
    state = {bar.label: bar for bar in charts["state_status"].bars}
    assert state["Not started"].href == "/list/?status=not_started"


# --- breakdowns ---------------------------------------------------------------------------


def test_counts_by_mechanism_and_document(registry, viewer):
    found = figures_for(viewer)
    assert [(row.key, row.count) for row in found.mechanisms] == [("CMW", 3), ("UPR", 2)]
    assert [(row.key, row.count) for row in found.documents] == [
        ("CMW/C/MAR/CO/2", 3),
        ("A/HRC/52/7", 2),
    ]
    assert found.other_documents == 0


def test_documents_beyond_the_first_fifteen_are_summed_as_others(db, viewer):
    mechanism = MechanismFactory(code="CMW")
    for _ in range(rf.TOP_DOCUMENTS + 2):
        RecommendationFactory(document=SourceDocumentFactory(mechanism=mechanism))
    found = figures_for(viewer)
    assert len(found.documents) == rf.TOP_DOCUMENTS
    assert found.other_documents == 2
    chart = rf.figure_charts(found, list_url="/list/")["document"]
    assert chart.bars[-1].label == "Other documents"
    assert chart.bars[-1].values == [2]


def test_counts_by_responsible_institution_as_lead_and_contributor(registry, viewer):
    found = figures_for(viewer)
    rows = {row.code: (row.lead, row.contributing) for row in found.institutions}
    assert rows == {"police": (2, 0), "justice": (1, 1)}
    assert found.unassigned == 2


def test_counts_by_theme_count_only_confirmed_tags(registry, viewer):
    themes = VocabularyFactory(code=rf.THEMES)
    education = TermFactory(vocabulary=themes, code="A5", labels={"en": "Education"})
    TaggingFactory(recommendation=registry.cmw[0], term=education)
    TaggingFactory(recommendation=registry.cmw[1], term=education)
    TaggingFactory(recommendation=registry.cmw[2], term=education, confirmed_at=None)
    found = figures_for(viewer)
    assert [(row.key, row.count) for row in found.themes] == [("A5", 2)]
    chart = rf.figure_charts(found, list_url="/list/")["theme"]
    assert chart.bars[0].href == "/list/?tag%3Auhri-themes=A5"


def test_sdg_targets_roll_up_to_their_goal(registry, viewer):
    sdg = VocabularyFactory(code=rf.SDG)
    goal5 = TermFactory(vocabulary=sdg, code="5", labels={"en": "Gender equality"})
    target51 = TermFactory(vocabulary=sdg, code="5.1", parent=goal5)
    target52 = TermFactory(vocabulary=sdg, code="5.2", parent=goal5)
    # A target without its broader term recorded: its code says its goal.
    target162 = TermFactory(vocabulary=sdg, code="16.2")
    TaggingFactory(recommendation=registry.cmw[0], term=target51)
    TaggingFactory(recommendation=registry.cmw[0], term=target52)
    TaggingFactory(recommendation=registry.cmw[1], term=goal5)
    TaggingFactory(recommendation=registry.cmw[2], term=target162)

    found = figures_for(viewer)

    assert [(row.key, row.count) for row in found.sdg_goals] == [("5", 2), ("16", 1)]
    assert found.sdg_goals[0].label == "5 Gender equality"
    assert found.sdg_goals[0].query == {"tag:sdg": ["5", "5.1", "5.2"]}


def test_counts_by_gcm_objective(registry, viewer):
    gcm = VocabularyFactory(code=rf.GCM)
    TaggingFactory(recommendation=registry.upr[0], term=TermFactory(vocabulary=gcm, code="11"))
    assert [(row.key, row.count) for row in figures_for(viewer).gcm_objectives] == [("11", 1)]


# --- implementation over time ------------------------------------------------------------


def test_over_time_counts_each_recommendation_at_its_latest_status_by_quarter(registry):
    assess(registry.cmw[0], datetime.date(2024, 2, 10), "in_progress")
    assess(registry.cmw[1], datetime.date(2024, 5, 5), "not_started")
    assess(registry.cmw[0], datetime.date(2024, 8, 1), "implemented")
    assess(registry.cmw[0], datetime.date(2024, 8, 1), "partially_implemented", voice="nhri")

    timeline = rf.implementation_over_time(
        Recommendation.objects.all(), "state", today=datetime.date(2024, 12, 31)
    )

    assert timeline.step == "quarter"
    assert [period.label for period in timeline.periods] == [
        "Q1 2024",
        "Q2 2024",
        "Q3 2024",
        "Q4 2024",
    ]
    assert [dict(period.counts) for period in timeline.periods] == [
        {"in_progress": 1},
        {"in_progress": 1, "not_started": 1},
        {"implemented": 1, "not_started": 1},
        {"implemented": 1, "not_started": 1},
    ]


def test_over_time_follows_the_chosen_voice(registry):
    assess(registry.cmw[0], datetime.date(2024, 2, 10), "in_progress")
    assess(registry.cmw[0], datetime.date(2024, 8, 1), "partially_implemented", voice="nhri")
    timeline = rf.implementation_over_time(
        Recommendation.objects.all(), "nhri", today=datetime.date(2024, 12, 31)
    )
    assert [dict(period.counts) for period in timeline.periods] == [
        {"partially_implemented": 1},
        {"partially_implemented": 1},
    ]


def test_over_time_counts_by_year_when_the_span_is_long(registry):
    assess(registry.cmw[0], datetime.date(2019, 3, 1), "in_progress")
    assess(registry.cmw[0], datetime.date(2022, 6, 1), "implemented")
    timeline = rf.implementation_over_time(
        Recommendation.objects.all(), "state", today=datetime.date(2024, 12, 31)
    )
    assert timeline.step == "year"
    assert [period.label for period in timeline.periods] == [
        str(year) for year in range(2019, 2025)
    ]
    assert timeline.periods[2].counts == {"in_progress": 1}
    assert timeline.periods[3].counts == {"implemented": 1}


def test_over_time_is_empty_without_assessments(registry):
    assert rf.implementation_over_time(Recommendation.objects.all(), "state").periods == []


# --- overdue work --------------------------------------------------------------------------


def test_overdue_actions_are_listed_and_completed_ones_are_not(registry, viewer):
    late = ActionFactory(title="Train the border police", due_on=TODAY - 20 * DAY)
    later = ActionFactory(title="Amend the law", due_on=TODAY - 40 * DAY)
    ActionFactory(title="Done already", due_on=TODAY - 50 * DAY, status=ActionStatus.COMPLETED)
    ActionFactory(title="Not yet due", due_on=TODAY + DAY)
    late.recommendations.add(registry.cmw[0])

    actions = figures_for(viewer).overdue.actions

    assert actions.count == 2
    assert [item.title for item in actions.items] == ["Amend the law", "Train the border police"]
    assert actions.items[0].days_late == 40
    assert actions.items[0].target_pk == later.pk


def test_overdue_actions_follow_the_filters(registry, viewer):
    late = ActionFactory(title="Train the border police", due_on=TODAY - 20 * DAY)
    ActionFactory(title="Amend the law", due_on=TODAY - 40 * DAY)
    late.recommendations.add(registry.cmw[0])
    actions = figures_for(viewer, mechanism="CMW").overdue.actions
    assert [item.title for item in actions.items] == ["Train the border police"]


def test_only_ten_overdue_actions_are_shown_but_all_are_counted(db, viewer):
    for days in range(1, 13):
        ActionFactory(due_on=TODAY - days * DAY)
    actions = figures_for(viewer).overdue.actions
    assert actions.count == 12
    assert len(actions.items) == rf.OVERDUE_SHOWN
    assert actions.items[0].days_late == 12


def test_assignments_past_due_count_while_their_recommendation_is_open(registry, viewer):
    Assignment.objects.filter(recommendation=registry.cmw[0]).update(due_date=TODAY - 3 * DAY)
    Assignment.objects.filter(recommendation=registry.upr[0]).update(due_date=TODAY - 3 * DAY)
    assess(registry.upr[0], TODAY - DAY, "implemented")
    assignments = figures_for(viewer).overdue.assignments
    assert [item.target_pk for item in assignments.items] == [registry.cmw[0].pk]
    assert assignments.items[0].institution == registry.police.name


def test_follow_up_tasks_past_due_and_not_done_are_listed(nhri, coordinator):
    partnership = build_partnership(nhri=nhri, by=coordinator)
    FollowUpTask.objects.filter(pk=partnership.member_task.pk).update(due_on=TODAY - 2 * DAY)
    FollowUpTask.objects.filter(pk=partnership.chair_task.pk).update(
        due_on=TODAY - 9 * DAY, done_on=TODAY - DAY
    )
    tasks = figures_for(coordinator).overdue.tasks
    assert tasks.count == 1
    assert tasks.items[0].title == "Plan the visits"
    assert tasks.items[0].target_pk == partnership.meeting.pk


def test_follow_up_tasks_of_agreements_a_reader_does_not_see_are_left_out(nhri, coordinator):
    partnership = build_partnership(nhri=nhri, by=coordinator)
    FollowUpTask.objects.filter(pk=partnership.member_task.pk).update(due_on=TODAY - 2 * DAY)
    assert figures_for(partnership.stranger).overdue.tasks.count == 0


# --- filters and scope ---------------------------------------------------------------------


def test_the_mechanism_filter_changes_every_figure(registry, viewer):
    found = figures_for(viewer, mechanism="UPR")
    assert found.statuses.total == 2
    assert [row.key for row in found.mechanisms] == ["UPR"]
    assert {row.code for row in found.institutions} == {"justice"}


def test_the_institution_filter_counts_each_recommendation_once(registry, viewer):
    found = figures_for(viewer, institution="justice")
    assert found.statuses.total == 2
    assert [(row.key, row.count) for row in found.mechanisms] == [("CMW", 1), ("UPR", 1)]


def test_the_period_filter_counts_documents_dated_within_it(registry, viewer):
    found = figures_for(
        viewer, date_from=datetime.date(2024, 1, 1), date_until=datetime.date(2024, 12, 31)
    )
    assert [row.key for row in found.documents] == ["A/HRC/52/7"]


def test_rows_do_not_link_to_the_list_while_a_period_is_chosen(registry, viewer):
    found = figures_for(viewer, date_from=datetime.date(2024, 1, 1))
    charts = rf.figure_charts(found, list_url="/list/")
    assert all(not bar.href for bar in charts["mechanism"].bars)


def test_links_keep_the_dashboards_filters(registry, viewer):
    charts = rf.figure_charts(figures_for(viewer, institution="justice"), list_url="/list/")
    assert charts["mechanism"].bars[0].href == "/list/?institution=justice&mechanism=CMW"


def test_a_reader_who_sees_fewer_recommendations_gets_figures_on_those_only(registry, monkeypatch):
    focal_point = user_with_role(Role.FOCAL_POINT, registry.police, username="police-focal")

    def assigned_to_their_institution(user):
        return Recommendation.objects.filter(assignments__institution=registry.police)

    monkeypatch.setattr(rf, "recommendations_visible_to", assigned_to_their_institution)
    found = figures_for(focal_point)
    assert found.statuses.total == 2
    assert [(row.key, row.count) for row in found.mechanisms] == [("CMW", 2)]


def test_someone_without_membership_counts_nothing(registry, outsider):
    found = figures_for(outsider)
    assert found.statuses.total == 0
    assert found.mechanisms == []


# --- queries -------------------------------------------------------------------------------


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        rf.recommendation_figures(user, rf.FigureFilters(institution="police"))
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_registry(db, viewer):
    sdg = VocabularyFactory(code=rf.SDG)
    police = InstitutionFactory(code="police", kind="law_enforcement")

    def add_one(index: int) -> None:
        recommendation = RecommendationFactory()
        Assignment.objects.create(
            recommendation=recommendation, institution=police, due_date=TODAY - DAY
        )
        TaggingFactory(recommendation=recommendation, term=TermFactory(vocabulary=sdg))
        assess(recommendation, TODAY - index * 100 * DAY, "in_progress")
        ActionFactory(due_on=TODAY - DAY).recommendations.add(recommendation)

    add_one(1)
    _queries(viewer)  # the reader's memberships are then cached on the user, as in a request
    small = _queries(viewer)
    for index in range(2, 6):
        add_one(index)
    assert _queries(viewer) == small
    assert small <= 20
