"""Load the demo's follow-up work (see ``action_plan``): the training action with its
indicators and progress reports, the two voices' assessments, and the partnership
agreement with its joint committee, meetings and decisions.

Everything goes through the services, attributed to the demo person who would do it (the
police focal point drafts, the coordinator approves), so the audit trail reads like the
story. What exists already (the action by its title, the agreement by its reference) is
left as it is.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from mizan.accounts.models import User
from mizan.actions import services as actions
from mizan.actions.models import Action
from mizan.core.demo.action_plan import (
    AGREEMENT,
    ASSESSMENTS,
    TRAINING_ACTION,
    DemoAction,
    DemoAgreement,
    DemoCommittee,
)
from mizan.core.demo.content import CMW_SYMBOL, COORDINATOR
from mizan.institutions.models import Institution
from mizan.partnerships import services as partnerships
from mizan.partnerships.models import PartnershipAgreement
from mizan.recommendations import services as recommendations
from mizan.recommendations.models import Recommendation

FOCAL_POINT = "focal.police"


def load_follow_up(institutions: dict[str, Institution], users: dict[str, User]) -> None:
    today = timezone.localdate()
    coordinator, focal_point = users[COORDINATOR], users[FOCAL_POINT]
    action = _load_action(TRAINING_ACTION, institutions, coordinator, focal_point, today)
    if action is not None:
        _load_assessments(institutions, coordinator, focal_point, today)
    _load_agreement(AGREEMENT, institutions, users, action, today)


def _load_action(
    demo: DemoAction,
    institutions: dict[str, Institution],
    coordinator: User,
    focal_point: User,
    today: date,
) -> Action | None:
    if Action.objects.filter(title=demo.title).exists():
        return None
    answered = [
        Recommendation.objects.get(document__symbol=symbol, paragraph=paragraph)
        for symbol, paragraph in demo.answers
    ]
    action = actions.create_action(
        title=demo.title,
        description=demo.description,
        kind=demo.kind,
        lead_institution=institutions[demo.lead],
        partner_institutions=[institutions[code] for code in demo.partners],
        recommendations=answered,
        starts_on=today + timedelta(days=demo.starts_in),
        due_on=today + timedelta(days=demo.due_in),
        by=focal_point,
    )
    actions.change_action_status(action=action, status="in_progress", by=focal_point)
    for indicator in demo.indicators:
        created = actions.add_indicator(
            action=action,
            name=indicator.name,
            unit=indicator.unit,
            baseline=indicator.baseline,
            target=indicator.target,
            frequency=indicator.frequency,
            by=focal_point,
        )
        for days, value, source in indicator.values:
            actions.record_indicator_value(
                indicator=created,
                measured_on=today + timedelta(days=days),
                value=value,
                source=source,
                by=focal_point,
            )
    for report in demo.reports:
        drafted = actions.draft_progress_report(
            action=action,
            period_start=today + timedelta(days=report.period[0]),
            period_end=today + timedelta(days=report.period[1]),
            summary=report.summary,
            difficulties=report.difficulties,
            next_steps=report.next_steps,
            by=focal_point,
        )
        if report.outcome in ("submitted", "approved"):
            actions.submit_progress_report(report=drafted, by=focal_point)
        if report.outcome == "approved":
            actions.approve_progress_report(
                report=drafted, by=coordinator, comment=report.review_comment
            )
    # A computed indicator, filled from the figure Mizan computes.
    computed = actions.add_indicator(
        action=action,
        name="Approved progress reports",
        unit="reports",
        baseline=None,
        target=None,
        frequency="quarterly",
        computation="approved_progress_reports",
        by=coordinator,
    )
    actions.compute_indicator(indicator=computed, as_of=today, by=coordinator)
    return action


def _load_assessments(
    institutions: dict[str, Institution], coordinator: User, focal_point: User, today: date
) -> None:
    for demo in sorted(ASSESSMENTS, key=lambda a: -a.days_ago):
        recommendation = Recommendation.objects.get(
            document__symbol=CMW_SYMBOL, paragraph=demo.paragraph
        )
        # The police focal point speaks for the police; the coordinator enters the rest.
        by = focal_point if demo.institution == "police" else coordinator
        recommendations.record_assessment(
            recommendation=recommendation,
            voice=demo.voice,
            status=demo.status,
            assessed_on=today - timedelta(days=demo.days_ago),
            rationale=demo.rationale,
            institution=institutions[demo.institution],
            by=by,
        )


def _load_agreement(
    demo: DemoAgreement,
    institutions: dict[str, Institution],
    users: dict[str, User],
    action: Action | None,
    today: date,
) -> None:
    if PartnershipAgreement.objects.filter(reference=demo.reference).exists():
        return
    coordinator = users[COORDINATOR]
    starts_on = today - timedelta(days=demo.in_force_days_ago)
    agreement = partnerships.create_agreement(
        title=demo.title,
        reference=demo.reference,
        parties=[institutions[code] for code in demo.parties],
        signed_on=today - timedelta(days=demo.signed_days_ago),
        starts_on=starts_on,
        ends_on=starts_on.replace(year=starts_on.year + demo.years) - timedelta(days=1),
        scope=demo.scope,
        by=coordinator,
    )
    for text, party, due_in, carried_by_action in demo.commitments:
        commitment = partnerships.add_commitment(
            agreement=agreement,
            text=text,
            party=institutions[party] if party else None,
            due_on=today + timedelta(days=due_in),
            by=coordinator,
        )
        if carried_by_action and action is not None:
            partnerships.link_actions(commitment=commitment, actions=[action], by=coordinator)
    for committee in demo.committees:
        _load_committee(committee, agreement, institutions, users, today)


def _load_committee(
    demo: DemoCommittee,
    agreement: PartnershipAgreement,
    institutions: dict[str, Institution],
    users: dict[str, User],
    today: date,
) -> None:
    coordinator = users[COORDINATOR]
    committee = partnerships.create_committee(
        agreement=agreement, name=demo.name, mandate=demo.mandate, by=coordinator
    )
    seats = {
        username: partnerships.add_committee_member(
            committee=committee,
            user=users[username],
            institution=institutions[code],
            role=role,
            since=agreement.starts_on,
            by=coordinator,
        )
        for username, code, role in demo.members
    }
    secretary = next(users[u] for u, _code, role in demo.members if role == "secretary")
    for demo_meeting in demo.meetings:
        day = today + timedelta(days=demo_meeting.days_from_today)
        meeting = partnerships.schedule_meeting(
            committee=committee,
            starts_at=timezone.make_aware(datetime.combine(day, time(10, 0))),
            place=demo_meeting.place,
            agenda=demo_meeting.agenda,
            by=secretary,
        )
        if demo_meeting.days_from_today > 0:
            continue
        partnerships.record_meeting(
            meeting=meeting,
            attendees=[seats[username] for username in demo_meeting.attendees],
            minutes=demo_meeting.minutes,
            by=secretary,
        )
        for decision in demo_meeting.decisions:
            partnerships.record_decision(
                meeting=meeting,
                text=decision.text,
                tasks=[
                    {
                        "description": task.description,
                        "owner": users[task.owner],
                        "institution": institutions[task.institution],
                        "due_on": today + timedelta(days=task.due_in),
                    }
                    for task in decision.tasks
                ],
                by=secretary,
            )
