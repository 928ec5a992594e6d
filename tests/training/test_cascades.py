"""Cascades: generations of cascade sessions (who trained whom), relay trainers with their
personal links, removing a mistake, and a session's reach and lineage computed in a fixed
number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mizan.core.errors import MizanError
from mizan.training.cascades import Headcount, cascade_givers, lineage_of, reach_of
from mizan.training.models import CascadeAudience, CascadeSession, Participant
from mizan.training.services import sessions as session_services
from mizan.training.services.cascades import register_relay_trainer, remove_cascade
from tests.factories import InstitutionFactory
from tests.training.builders import enrol_people, organiser, police
from tests.training.cascade_builders import give_cascade, relay_in
from tests.training.certificate_builders import attend, finish, running_session, samira

pytestmark = pytest.mark.django_db


@pytest.fixture
def by(db):
    return organiser()


@pytest.fixture
def session(by):
    return running_session(by)


@pytest.fixture
def trained(session, by):
    """Samira attended the whole course, which is over."""
    enrolment = samira(session, by)
    attend(enrolment)
    finish(session, by)
    return enrolment.participant


# --- Generations and relay trainers -------------------------------------------------------


def test_each_generation_descends_from_the_one_that_trained_its_trainer(session, trained, by):
    first = give_cascade(trained, by=by)
    second = give_cascade(relay_in(first, "Karim Alaoui", by), by=by)
    third = give_cascade(relay_in(second, "Nadia Tazi", by), by=by)

    assert [first.generation, second.generation, third.generation] == [1, 2, 3]
    assert second.parent == first and third.parent == second
    assert {c.source_session_id for c in (first, second, third)} == {session.pk}


def test_a_relay_trainer_is_recorded_as_trained_in_the_cascade_with_a_link(trained, by):
    cascade = give_cascade(trained, by=by)

    relay = register_relay_trainer(
        cascade=cascade, name_arabic="كريم العلوي", sex="male", institution=police(), by=by
    )

    participant = relay.participant
    assert participant.trained_in_cascade == cascade
    assert relay.link.participant == participant
    assert relay.link.enrolment is None
    assert relay.link.is_usable
    assert participant.history.order_by("-history_id").first().history_user == by


def test_a_relay_trainer_needs_a_name(trained, by):
    cascade = give_cascade(trained, by=by)

    with pytest.raises(MizanError):
        register_relay_trainer(cascade=cascade, sex="female", by=by)
    assert not Participant.objects.filter(trained_in_cascade=cascade).exists()


def test_who_may_give_a_cascade_are_the_participants_and_relay_trainers(session, trained, by):
    relay = relay_in(give_cascade(trained, by=by), "Karim Alaoui", by)
    other = running_session(by, title="Another", code="other-course")
    outsider = samira(other, by).participant

    givers = set(cascade_givers(session))

    assert givers == {trained, relay}
    assert outsider not in givers


# --- Removing a mistake ---------------------------------------------------------------------


def test_removing_a_cascade_needs_a_reason(trained, by):
    cascade = give_cascade(trained, by=by)

    with pytest.raises(MizanError) as refused:
        remove_cascade(cascade=cascade, reason="", by=by)
    assert refused.value.field == "reason"
    assert CascadeSession.objects.filter(pk=cascade.pk).exists()


def test_removing_a_cascade_removes_its_audience_and_keeps_the_reason(trained, by):
    cascade = give_cascade(trained, by=by)
    pk = cascade.pk

    remove_cascade(cascade=cascade, reason="Reported twice", by=by)

    assert not CascadeSession.objects.filter(pk=pk).exists()
    assert not CascadeAudience.objects.filter(cascade_id=pk).exists()
    deleted = CascadeSession.history.filter(id=pk, history_type="-").get()
    assert deleted.history_change_reason == "Reported twice"
    assert deleted.history_user == by


def test_a_cascade_with_relay_trainers_is_not_removed(trained, by):
    cascade = give_cascade(trained, by=by)
    relay_in(cascade, "Karim Alaoui", by)

    with pytest.raises(MizanError):
        remove_cascade(cascade=cascade, reason="Mistake", by=by)
    assert CascadeSession.objects.filter(pk=cascade.pk).exists()


def test_a_cascade_with_later_generations_is_not_removed(trained, by):
    first = give_cascade(trained, by=by)
    relay = relay_in(first, "Karim Alaoui", by)
    give_cascade(relay, by=by)
    relay.trained_in_cascade = None  # even if the relay trainer was detached somehow
    relay.save()

    with pytest.raises(MizanError) as refused:
        remove_cascade(cascade=first, reason="Mistake", by=by)
    assert refused.value.code == "has_children"


# --- Reach ----------------------------------------------------------------------------------


def test_direct_reach_counts_approved_participants_who_attended_once(session, by):
    woman, man, absent, withdrawn = enrol_people(session, 4, by)
    attend(woman, 1)
    attend(man, 6)
    attend(absent, 0)
    attend(withdrawn, 6)
    session_services.withdraw(enrolment=withdrawn, reason="Ill on day 2", by=by)

    reach = reach_of(session)

    assert reach.direct == Headcount(women=1, men=1)
    assert reach.cascaded == Headcount()


def test_cascaded_reach_adds_every_generation_by_sex_and_institution(session, trained, by):
    customs = InstitutionFactory(code="customs", kind="law_enforcement")
    first = give_cascade(trained, women=5, men=7, institution=police(), by=by)
    second = give_cascade(relay_in(first, "Karim", by), women=2, men=3, institution=customs, by=by)
    give_cascade(relay_in(second, "Nadia", by), women=1, men=0, by=by)

    reach = reach_of(session)

    assert reach.direct == Headcount(women=1, men=0)
    assert reach.cascaded == Headcount(women=8, men=10)
    assert reach.total.total == 19
    assert [(g.generation, g.sessions, g.audience.total) for g in reach.by_generation] == [
        (1, 1, 12),
        (2, 1, 5),
        (3, 1, 1),
    ]
    rows = {row.institution.code if row.institution else None: row for row in reach.by_institution}
    assert rows["police"].direct == Headcount(women=1) and rows["police"].cascaded.total == 12
    assert rows["customs"].cascaded == Headcount(women=2, men=3)
    assert rows[None].cascaded == Headcount(women=1)
    assert reach.by_institution[-1].institution is None  # people from elsewhere last


def test_reach_ignores_cascades_of_other_sessions(session, trained, by):
    give_cascade(trained, by=by)
    other = running_session(by, title="Another", code="other-course")
    enrolment = samira(other, by)
    attend(enrolment)

    assert reach_of(other).cascaded == Headcount()
    assert reach_of(session).cascaded.total == 12


def queries(function, session) -> int:
    with CaptureQueriesContext(connection) as captured:
        function(session)
    return len(captured)


def test_reach_and_lineage_take_the_same_queries_for_one_or_three_generations(session, trained, by):
    small = running_session(by, title="Small", code="small-course")
    one = samira(small, by)
    attend(one)
    give_cascade(one.participant, by=by)

    first = give_cascade(trained, by=by)
    give_cascade(trained, place="Berkane", by=by)
    second = give_cascade(relay_in(first, "Karim", by), by=by)
    give_cascade(relay_in(second, "Nadia", by), by=by)

    assert queries(reach_of, small) == queries(reach_of, session) == 4
    assert queries(lineage_of, small) == queries(lineage_of, session) == 3


# --- Lineage --------------------------------------------------------------------------------


def test_lineage_runs_from_participants_through_relay_trainers(session, trained, by):
    first = give_cascade(trained, place="Nador", by=by)
    also = give_cascade(trained, place="Berkane", held_on=first.held_on.replace(day=20), by=by)
    karim = relay_in(first, "Karim Alaoui", by)
    second = give_cascade(karim, place="Taourirt", women=2, men=2, by=by)
    nadia = relay_in(second, "Nadia Tazi", by, sex="female")

    (root,) = lineage_of(session)

    assert root.participant == trained
    assert [node.cascade for node in root.cascades] == [first, also]
    (karim_node,) = root.cascades[0].relay_trainers
    assert karim_node.participant == karim
    (second_node,) = karim_node.cascades
    assert second_node.cascade == second
    assert second_node.audience == Headcount(women=2, men=2)
    (nadia_node,) = second_node.relay_trainers
    assert nadia_node.participant == nadia
    assert nadia_node.cascades == []
    assert root.cascades[1].relay_trainers == []


def test_lineage_is_empty_without_cascades(session, trained):
    assert lineage_of(session) == []
