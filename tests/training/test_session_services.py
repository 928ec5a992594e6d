"""The services of training sessions: planning, half-days, status, nominations decided
within capacity, withdrawals and personal links."""

from __future__ import annotations

import datetime
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from mizan.core.errors import MizanError, Refused
from mizan.training.enums import AttendanceMethod, AttendanceStatus, EnrolmentStatus, SessionStatus
from mizan.training.models import (
    Attendance,
    Enrolment,
    Participant,
    PersonalLink,
    TrainingSession,
)
from mizan.training.services import curricula as curriculum_services
from mizan.training.services import sessions as services
from tests.actions.factories import ActionFactory
from tests.factories import InstitutionFactory
from tests.training import builders
from tests.training.builders import (
    build_version,
    enrol_people,
    make_participant,
    make_session,
    organiser,
    outsider,
    police,
)

pytestmark = pytest.mark.django_db

FIRST_DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def manager():
    return organiser()


def published_version(by, code="migration-rights"):
    version = build_version(by, code=code, modules=1, objectives=1, questions=2)
    curriculum_services.publish_version(version=version, by=by)
    return version


def plan(by, **changes):
    values = {
        "action": ActionFactory(),
        "version": published_version(by),
        "title": "Nador, border police",
        "starts_on": FIRST_DAY,
        "ends_on": FIRST_DAY + timedelta(days=2),
        "city": "Nador",
        "organisers": [police()],
        "capacity": 20,
        "by": by,
    }
    values.update(changes)
    return services.create_session(**values)


def nominee(session, by, **fields):
    return services.nominate(
        session=session, participant=make_participant(by, **fields), institution=police(), by=by
    )


# --- Planning -------------------------------------------------------------------------------


def test_planning_a_session_freezes_its_version(manager):
    session = plan(manager)
    session.version.refresh_from_db()
    assert session.version.is_frozen


def test_a_draft_version_is_refused_under_its_field(manager):
    draft = build_version(manager, code="draft-course", modules=1, objectives=1, questions=2)
    with pytest.raises(MizanError) as refused:
        plan(manager, version=draft)
    assert refused.value.field == "version"
    assert not TrainingSession.objects.exists()


def test_a_morning_and_an_afternoon_are_made_for_each_day(manager):
    session = plan(manager)
    slots = list(session.slots.order_by("date", "part").values_list("date", "part"))
    assert slots == [
        (FIRST_DAY + timedelta(days=d), part) for d in range(3) for part in ("am", "pm")
    ]


def test_moving_the_dates_moves_the_half_days(manager):
    session = plan(manager)
    services.update_session(
        session=session,
        starts_on=FIRST_DAY + timedelta(days=1),
        ends_on=FIRST_DAY + timedelta(days=3),
        by=manager,
    )
    dates = sorted(set(session.slots.values_list("date", flat=True)))
    assert dates == [FIRST_DAY + timedelta(days=d) for d in (1, 2, 3)]


def test_the_session_must_carry_out_a_training_action(manager):
    with pytest.raises(MizanError) as refused:
        plan(manager, action=ActionFactory(kind="legislation"))
    assert refused.value.field == "action"


def test_the_last_day_cannot_come_before_the_first(manager):
    with pytest.raises(MizanError) as refused:
        plan(manager, ends_on=FIRST_DAY - timedelta(days=1))
    assert refused.value.field == "ends_on"


def test_organising_for_an_institution_one_does_not_coordinate_is_refused(manager):
    customs = InstitutionFactory(code="customs")
    with pytest.raises(Refused):
        plan(manager, organisers=[customs])


def test_the_planner_is_named_in_the_history(manager):
    session = plan(manager)
    assert session.history.earliest().history_user == manager


def test_the_capacity_cannot_drop_below_those_approved(manager):
    session = make_session(manager, capacity=5)
    enrol_people(session, 3, manager)
    with pytest.raises(MizanError) as refused:
        services.update_session(session=session, capacity=2, by=manager)
    assert refused.value.field == "capacity"


def test_the_version_changes_only_while_planned(manager):
    session = make_session(manager, status=SessionStatus.OPEN)
    other = published_version(manager, code="other-course")
    with pytest.raises(MizanError) as refused:
        services.update_session(session=session, version=other, by=manager)
    assert refused.value.field == "version"


def test_a_new_version_is_frozen_when_a_planned_session_takes_it(manager):
    session = make_session(manager)
    other = published_version(manager, code="other-course")
    services.update_session(session=session, version=other, by=manager)
    other.refresh_from_db()
    assert session.version_id == other.pk and other.is_frozen


# --- Half-days ------------------------------------------------------------------------------


def test_a_half_day_ends_after_it_starts(manager):
    slot = make_session(manager).slots.first()
    with pytest.raises(MizanError):
        services.update_slot(
            slot=slot, starts_at=datetime.time(14), ends_at=datetime.time(13), by=manager
        )


def test_a_half_day_with_attendance_stays(manager):
    session = make_session(manager)
    enrolment = enrol_people(session, 1, manager)[0]
    slot = session.slots.first()
    Attendance.objects.create(
        enrolment=enrolment,
        slot=slot,
        status=AttendanceStatus.PRESENT,
        method=AttendanceMethod.TRAINER,
    )
    with pytest.raises(MizanError):
        services.remove_slot(slot=slot, by=manager)
    assert session.slots.filter(pk=slot.pk).exists()


def test_a_free_half_day_is_removed(manager):
    session = make_session(manager)
    slot = session.slots.last()
    services.remove_slot(slot=slot, by=manager)
    assert not session.slots.filter(pk=slot.pk).exists()


# --- Status ---------------------------------------------------------------------------------


def test_a_session_moves_through_its_course(manager):
    session = make_session(manager)
    for step in (SessionStatus.OPEN, SessionStatus.RUNNING, SessionStatus.COMPLETED):
        session = services.change_session_status(session=session, status=step, by=manager)
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED


def test_a_planned_session_cannot_jump_to_running(manager):
    session = make_session(manager)
    with pytest.raises(MizanError) as refused:
        services.change_session_status(session=session, status=SessionStatus.RUNNING, by=manager)
    assert refused.value.code == "transition"


def test_a_completed_session_does_not_reopen(manager):
    session = make_session(manager, status=SessionStatus.COMPLETED)
    with pytest.raises(MizanError):
        services.change_session_status(session=session, status=SessionStatus.OPEN, by=manager)


def test_cancelling_needs_a_reason(manager):
    session = make_session(manager)
    with pytest.raises(MizanError) as refused:
        services.change_session_status(
            session=session, status=SessionStatus.CANCELLED, reason="  ", by=manager
        )
    assert refused.value.field == "reason"


def test_the_reason_for_cancelling_is_kept(manager):
    session = make_session(manager)
    services.change_session_status(
        session=session, status=SessionStatus.CANCELLED, reason="The venue flooded", by=manager
    )
    session.refresh_from_db()
    assert session.cancellation_reason == "The venue flooded"
    assert session.history.latest().history_change_reason == "The venue flooded"


def test_a_cancelled_session_no_longer_changes(manager):
    session = make_session(manager, status=SessionStatus.CANCELLED)
    with pytest.raises(MizanError):
        services.update_session(session=session, title="Another title", by=manager)


# --- Nominations ----------------------------------------------------------------------------


def test_nominations_are_taken_only_while_the_session_is_open(manager):
    session = make_session(manager)
    with pytest.raises(MizanError) as refused:
        nominee(session, manager)
    assert refused.value.code == "not_open"


def test_an_open_session_takes_nominations(manager):
    session = make_session(manager, status=SessionStatus.OPEN)
    enrolment = nominee(session, manager)
    assert enrolment.status == EnrolmentStatus.NOMINATED
    assert enrolment.nominated_by == police()
    assert enrolment.nominated_by_user == manager


def test_nominating_for_an_institution_one_does_not_act_for_is_refused(manager):
    session = make_session(manager, status=SessionStatus.OPEN)
    stranger = outsider()
    with pytest.raises(Refused):
        services.nominate(
            session=session,
            participant=make_participant(manager),
            institution=police(),
            by=stranger,
        )


def test_a_trainer_cannot_nominate_for_their_institution(manager):
    session = make_session(manager, status=SessionStatus.OPEN)
    with pytest.raises(Refused):
        services.nominate(
            session=session,
            participant=make_participant(manager),
            institution=police(),
            by=builders.make_trainer(),
        )


def test_a_person_is_nominated_once(manager):
    session = make_session(manager, status=SessionStatus.OPEN)
    enrolment = nominee(session, manager)
    with pytest.raises(MizanError) as refused:
        services.nominate(
            session=session, participant=enrolment.participant, institution=police(), by=manager
        )
    assert refused.value.code == "duplicate"


def test_a_refused_nomination_records_no_one(manager):
    session = make_session(manager)
    with pytest.raises(MizanError):
        services.nominate_new_participant(
            session=session,
            institution=police(),
            by=manager,
            name_latin="Karim Alaoui",
            sex="male",
        )
    assert not Participant.objects.filter(name_latin="Karim Alaoui").exists()


def test_declining_needs_a_note(manager):
    session = make_session(manager, status=SessionStatus.OPEN)
    enrolment = nominee(session, manager)
    with pytest.raises(MizanError) as refused:
        services.decide_nomination(enrolment=enrolment, approve=False, note=" ", by=manager)
    assert refused.value.field == "note"
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.NOMINATED


def test_a_declined_nomination_keeps_its_note(manager):
    session = make_session(manager, status=SessionStatus.OPEN)
    enrolment = nominee(session, manager)
    services.decide_nomination(
        enrolment=enrolment, approve=False, note="Not in a border post", by=manager
    )
    assert enrolment.status == EnrolmentStatus.DECLINED
    assert enrolment.decision_note == "Not in a border post"
    assert enrolment.decided_by == manager


def test_a_decided_nomination_is_not_decided_again(manager):
    session = make_session(manager, status=SessionStatus.OPEN)
    enrolment = nominee(session, manager)
    services.decide_nomination(enrolment=enrolment, approve=True, by=manager)
    with pytest.raises(MizanError) as refused:
        services.decide_nomination(enrolment=enrolment, approve=False, note="No", by=manager)
    assert refused.value.code == "decided"


# --- Capacity -------------------------------------------------------------------------------


def test_approving_beyond_the_capacity_is_refused(manager):
    session = make_session(manager, capacity=1, status=SessionStatus.OPEN)
    first, second = nominee(session, manager), nominee(session, manager, name_latin="Other")
    services.decide_nomination(enrolment=first, approve=True, by=manager)
    with pytest.raises(MizanError) as refused:
        services.decide_nomination(enrolment=second, approve=True, by=manager)
    assert refused.value.code == "full"
    assert session.enrolments.filter(status=EnrolmentStatus.APPROVED).count() == 1


def test_places_are_counted_in_the_database_not_in_a_stale_copy(manager):
    """The decision counts places on the session's locked row: a copy read before the
    capacity was lowered, or before another approval, does not give a place away."""
    session = make_session(manager, capacity=2, status=SessionStatus.OPEN)
    first, second = nominee(session, manager), nominee(session, manager, name_latin="Other")
    stale = Enrolment.objects.select_related("session").get(pk=second.pk)
    services.decide_nomination(enrolment=first, approve=True, by=manager)
    TrainingSession.objects.filter(pk=session.pk).update(capacity=1)
    assert stale.session.capacity == 2
    with pytest.raises(MizanError):
        services.decide_nomination(enrolment=stale, approve=True, by=manager)


def test_enrolling_into_a_full_session_is_refused(manager):
    session = make_session(manager, capacity=2)
    enrol_people(session, 2, manager)
    with pytest.raises(MizanError) as refused:
        services.enrol(session=session, participant=make_participant(manager), by=manager)
    assert refused.value.code == "full"


def test_withdrawing_frees_a_place(manager):
    session = make_session(manager, capacity=1, status=SessionStatus.OPEN)
    first, second = nominee(session, manager), nominee(session, manager, name_latin="Other")
    services.decide_nomination(enrolment=first, approve=True, by=manager)
    services.withdraw(enrolment=first, reason="Posted elsewhere", by=manager)
    services.decide_nomination(enrolment=second, approve=True, by=manager)
    assert second.status == EnrolmentStatus.APPROVED


def test_withdrawing_needs_a_reason(manager):
    session = make_session(manager)
    enrolment = enrol_people(session, 1, manager)[0]
    with pytest.raises(MizanError) as refused:
        services.withdraw(enrolment=enrolment, reason="", by=manager)
    assert refused.value.field == "reason"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no row locks to race against"
)
def test_two_approvals_at_once_cannot_both_take_the_last_place():
    by = organiser()
    session = make_session(by, capacity=1, status=SessionStatus.OPEN)
    enrolments = [nominee(session, by), nominee(session, by, name_latin="Other")]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(enrolment):
        barrier.wait()
        try:
            services.decide_nomination(enrolment=enrolment, approve=True, by=by)
            outcomes.append("approved")
        except MizanError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(e,)) for e in enrolments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "full"]


# --- Personal links -------------------------------------------------------------------------


def test_issuing_again_revokes_the_earlier_link(manager):
    enrolment = enrol_people(make_session(manager), 1, manager)[0]
    old = services.issue_personal_link(enrolment=enrolment, by=manager)
    new = services.issue_personal_link(enrolment=enrolment, by=manager)
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert services.current_link(enrolment) == new


def test_only_approved_participants_get_a_link(manager):
    session = make_session(manager, status=SessionStatus.OPEN)
    with pytest.raises(MizanError):
        services.issue_personal_link(enrolment=nominee(session, manager), by=manager)


def test_missing_links_are_issued_and_working_ones_kept(manager):
    first, second = enrol_people(make_session(manager), 2, manager)
    kept = services.issue_personal_link(enrolment=first, by=manager)
    issued = services.issue_missing_links(session=first.session, by=manager)
    assert [link.enrolment for link in issued] == [second]
    assert services.current_link(first) == kept


def test_withdrawing_stops_the_personal_link(manager):
    enrolment = enrol_people(make_session(manager), 1, manager)[0]
    link = services.issue_personal_link(enrolment=enrolment, by=manager)
    services.withdraw(enrolment=enrolment, reason="Left the service", by=manager)
    assert services.open_personal_link(link.token) is None


def test_a_usable_link_opens(manager):
    enrolment = enrol_people(make_session(manager), 1, manager)[0]
    link = services.issue_personal_link(enrolment=enrolment, by=manager)
    opened = services.open_personal_link(link.token)
    assert opened == link
    assert PersonalLink.objects.get(pk=link.pk).last_used_at is not None


def test_a_revoked_link_does_not_open(manager):
    enrolment = enrol_people(make_session(manager), 1, manager)[0]
    link = services.issue_personal_link(enrolment=enrolment, by=manager)
    services.revoke_personal_link(link=link, by=manager, reason="Phone lost")
    assert services.open_personal_link(link.token) is None


def test_an_expired_link_does_not_open(manager):
    enrolment = enrol_people(make_session(manager), 1, manager)[0]
    link = services.issue_personal_link(
        enrolment=enrolment, expires_at=timezone.now() - timedelta(minutes=1), by=manager
    )
    assert services.open_personal_link(link.token) is None


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 65])
def test_an_unknown_token_opens_nothing(token, manager):
    enrol_people(make_session(manager), 1, manager)
    assert services.open_personal_link(token) is None
