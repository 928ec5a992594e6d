"""Who sees which item in their work, and how overdue it is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from mizan.accounts.enums import Role
from mizan.actions.enums import ActionStatus, ProgressReportStatus
from mizan.partnerships.enums import MeetingStatus
from mizan.recommendations.enums import ImplementationStatus
from mizan.recommendations.models import Assignment
from mizan.reminders.work import WorkKind, days_overdue, work_for
from tests.factories import InstitutionFactory, MembershipFactory, user_with_role
from tests.reminders.conftest import (
    TODAY,
    assign,
    make_action,
    make_committee,
    make_meeting,
    make_report,
    make_task,
)

pytestmark = pytest.mark.django_db


def kinds_and_pks(work):
    return {(item.kind, item.pk) for item in work.items}


def test_focal_point_sees_recommendations_assigned_to_their_institution(
    focal_point, police, justice
):
    mine = assign(police, TODAY + timedelta(days=5))
    undated = assign(police, None)
    assign(justice, TODAY + timedelta(days=5))
    assert kinds_and_pks(work_for(focal_point, TODAY)) == {
        (WorkKind.RECOMMENDATION, mine.pk),
        (WorkKind.RECOMMENDATION, undated.pk),
    }


def test_a_unit_s_assignments_reach_the_focal_point_of_its_parent(focal_point, police):
    unit = InstitutionFactory(code="border-police", parent=police)
    assignment = assign(unit, TODAY)
    assert kinds_and_pks(work_for(focal_point, TODAY)) == {(WorkKind.RECOMMENDATION, assignment.pk)}


def test_a_recommendation_assigned_to_a_directorate_and_its_unit_shows_once(focal_point, police):
    unit = InstitutionFactory(code="border-police", parent=police)
    later = assign(police, TODAY + timedelta(days=30))
    sooner = Assignment.objects.create(
        recommendation=later.recommendation, institution=unit, due_date=TODAY + timedelta(days=3)
    )
    assert kinds_and_pks(work_for(focal_point, TODAY)) == {(WorkKind.RECOMMENDATION, sooner.pk)}


@pytest.mark.parametrize(
    "status", [ImplementationStatus.IMPLEMENTED, ImplementationStatus.NOT_IMPLEMENTED]
)
def test_finished_recommendations_are_not_work(focal_point, police, status):
    assign(police, TODAY, status=status)
    assert len(work_for(focal_point, TODAY)) == 0


def test_a_viewer_has_no_assigned_recommendations(police):
    viewer = user_with_role(Role.VIEWER, police, username="police-viewer")
    assign(police, TODAY)
    assert len(work_for(viewer, TODAY)) == 0


def test_actions_led_by_the_institution_or_created_by_the_user(focal_point, police, justice):
    led = make_action(police, TODAY)
    created = make_action(justice, TODAY, created_by=focal_point)
    make_action(justice, TODAY)
    make_action(police, TODAY, status=ActionStatus.COMPLETED)
    make_action(police, TODAY, status=ActionStatus.CANCELLED)
    assert kinds_and_pks(work_for(focal_point, TODAY)) == {
        (WorkKind.ACTION, led.pk),
        (WorkKind.ACTION, created.pk),
    }


def test_coordinator_sees_submitted_reports_but_not_their_own(coordinator, focal_point, police):
    action = make_action(police, None)
    to_review = make_report(action, focal_point)
    make_report(action, coordinator)
    make_report(action, focal_point, status=ProgressReportStatus.DRAFT)
    assert kinds_and_pks(work_for(coordinator, TODAY)) == {
        (WorkKind.REPORT_TO_REVIEW, to_review.pk)
    }


def test_focal_point_does_not_review_reports(focal_point, justice_focal_point, justice):
    make_report(make_action(justice, None), justice_focal_point)
    assert len(work_for(focal_point, TODAY)) == 0


def test_author_sees_their_returned_report(focal_point, justice_focal_point, justice):
    action = make_action(justice, None)
    returned = make_report(action, focal_point, status=ProgressReportStatus.RETURNED)
    make_report(action, justice_focal_point, status=ProgressReportStatus.RETURNED)
    assert kinds_and_pks(work_for(focal_point, TODAY)) == {(WorkKind.REPORT_RETURNED, returned.pk)}


def test_open_follow_up_tasks_of_their_owner(focal_point, viewer):
    task = make_task(focal_point, TODAY + timedelta(days=3))
    make_task(focal_point, TODAY, done_on=TODAY)
    make_task(viewer, TODAY)
    assert kinds_and_pks(work_for(focal_point, TODAY)) == {(WorkKind.FOLLOW_UP_TASK, task.pk)}


def test_planned_meetings_from_today_of_the_committees_one_sits_on(focal_point, viewer, police):
    committee = make_committee(focal_point, institution=police)
    coming = make_meeting(committee, TODAY + timedelta(days=2))
    today = make_meeting(committee, TODAY, hour=0)
    make_meeting(committee, TODAY - timedelta(days=1))
    make_meeting(committee, TODAY + timedelta(days=3), status=MeetingStatus.CANCELLED)
    make_meeting(make_committee(viewer, institution=police), TODAY + timedelta(days=2))
    work = work_for(focal_point, TODAY)
    assert [item.pk for item in work.meetings] == [today.pk, coming.pk]


def test_former_committee_members_do_not_see_its_meetings(focal_point, police):
    committee = make_committee(focal_point, institution=police)
    committee.members.update(until=TODAY - timedelta(days=1))
    make_meeting(committee, TODAY + timedelta(days=2))
    assert work_for(focal_point, TODAY).meetings == []


def test_days_overdue_counts_from_the_day_after_the_deadline():
    assert days_overdue(TODAY, TODAY) == 0
    assert days_overdue(TODAY + timedelta(days=1), TODAY) == 0
    assert days_overdue(TODAY - timedelta(days=3), TODAY) == 3
    assert days_overdue(None, TODAY) == 0


def test_items_know_how_late_they_are_and_whose_they_are(focal_point, police):
    make_action(police, TODAY - timedelta(days=4), title="Late action")
    [item] = work_for(focal_point, TODAY).items
    assert (item.title, item.is_overdue, item.days_overdue, item.institution) == (
        "Late action",
        True,
        4,
        police,
    )
    assert item.url == reverse("staff:action_detail", args=[item.pk])


def test_work_is_split_into_overdue_due_soon_and_later(focal_point, police):
    late = make_action(police, TODAY - timedelta(days=1))
    soon = make_action(police, TODAY + timedelta(days=14))
    later = make_action(police, TODAY + timedelta(days=15))
    undated = make_action(police, None)
    work = work_for(focal_point, TODAY)
    assert [i.pk for i in work.overdue] == [late.pk]
    assert [i.pk for i in work.due_within(14)] == [soon.pk]
    assert [i.pk for i in work.later(14)] == [later.pk, undated.pk]


def test_reading_work_takes_the_same_queries_for_one_or_many_items(
    coordinator, police, django_assert_max_num_queries
):
    MembershipFactory(user=coordinator, institution=police, role=Role.FOCAL_POINT)
    committee = make_committee(coordinator, institution=police)

    def add_items(n):
        for i in range(n):
            assign(police, TODAY + timedelta(days=i))
            action = make_action(police, TODAY - timedelta(days=i))
            make_report(action, user_with_role(Role.FOCAL_POINT, police))
            make_task(coordinator, TODAY + timedelta(days=i))
            make_meeting(committee, TODAY + timedelta(days=i + 1))

    add_items(1)
    fresh = type(coordinator).objects.get(pk=coordinator.pk)
    with django_assert_max_num_queries(12) as one:
        assert len(work_for(fresh, TODAY)) == 5
    add_items(2)
    fresh = type(coordinator).objects.get(pk=coordinator.pk)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(work_for(fresh, TODAY)) == 15
