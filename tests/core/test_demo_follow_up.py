"""The demo's follow-up story: the training action, its reports, the two voices, and the
agreement with its joint committee."""

from __future__ import annotations

import pytest
from django.utils import timezone

from mizan.accounts.models import User
from mizan.actions.models import Action, ProgressReport
from mizan.core.demo import load_demo
from mizan.partnerships.models import FollowUpTask, Meeting, PartnershipAgreement
from mizan.recommendations.models import Recommendation
from mizan.reminders.work import work_for


@pytest.fixture
def demo(db):
    return load_demo()


def test_the_training_recommendation_has_a_training_action_with_indicators(demo):
    recommendation = Recommendation.objects.get(paragraph="27(b)")
    action = recommendation.actions.get()
    assert action.kind == "training"
    assert action.lead_institution.code == "police"
    assert action.status == "in_progress"
    officers = action.indicators.get(name="Officers trained")
    assert officers.target == 600
    assert officers.values.order_by("-measured_on").first().value == 196
    computed = action.indicators.get(computation="approved_progress_reports")
    assert computed.values.get().value == 1


def test_one_progress_report_is_approved_and_one_awaits_the_coordinator(demo):
    statuses = sorted(ProgressReport.objects.values_list("status", flat=True))
    assert statuses == ["approved", "submitted"]
    approved = ProgressReport.objects.get(status="approved")
    assert (approved.author.username, approved.reviewed_by.username) == (
        "focal.police",
        "coordinator",
    )


def test_the_two_voices_disagree_on_the_training_recommendation(demo):
    recommendation = Recommendation.objects.get(paragraph="27(b)")
    assert recommendation.status == "in_progress"
    assert recommendation.nhri_status == "partially_implemented"
    assert {a.voice for a in recommendation.assessments.all()} == {"state", "nhri"}


def test_the_agreement_has_a_joint_committee_with_a_meeting_held_and_one_planned(demo):
    agreement = PartnershipAgreement.objects.get()
    assert {p.code for p in agreement.parties.all()} == {"nhri", "police"}
    committee = agreement.committees.get()
    assert {m.institution.code for m in committee.members.all()} == {"nhri", "police"}
    assert sorted(committee.members.values_list("role", flat=True)) == [
        "chair",
        "member",
        "member",
        "secretary",
    ]
    held = Meeting.objects.get(status="held")
    assert held.decisions.count() == 2
    assert held.attendees.count() == 3
    planned = Meeting.objects.get(status="planned")
    assert planned.starts_at > timezone.now()
    actions = Action.objects.filter(commitments__agreement=agreement).distinct()
    assert actions.count() == 1


def test_the_police_focal_point_has_work_due_soon_and_overdue(demo):
    focal = User.objects.get(username="focal.police")
    work = work_for(focal, timezone.localdate())
    assert [item.title for item in work.overdue], "the demo should show an overdue task"
    assert work.due_within(14), "the demo should show work due within 14 days"
    assert work.meetings, "the demo should show the planned committee meeting"
    assert FollowUpTask.objects.filter(owner=focal, done_on__isnull=True).count() == 2


def test_loading_the_demo_twice_duplicates_no_follow_up_work(demo):
    load_demo()
    assert Action.objects.count() == 1
    assert ProgressReport.objects.count() == 2
    assert PartnershipAgreement.objects.count() == 1
    assert Meeting.objects.count() == 2
