"""The demo's training sessions: one completed with everything a course leaves behind, one
running today, one open for nominations."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from mizan.core.demo import load_demo
from mizan.training.cascades import reach_of
from mizan.training.enums import SessionStatus
from mizan.training.models import (
    Certificate,
    Enrolment,
    Evaluation,
    FollowUpResponse,
    TestAttempt,
    TrainingSession,
)
from mizan.training.services.answers import stage_window


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module inside a transaction rolled back at the end,
    so the other tests of this worker never see it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_three_sessions_of_the_training_action_about_forty_participants(demo):
    assert demo.sessions == 3
    assert 40 <= demo.participants <= 50
    statuses = dict(TrainingSession.objects.values_list("city", "status"))
    assert statuses == {
        "Oujda": SessionStatus.COMPLETED,
        "Tangier": SessionStatus.RUNNING,
        "Agadir": SessionStatus.OPEN,
    }
    action_titles = set(TrainingSession.objects.values_list("action__title", flat=True))
    assert len(action_titles) == 1
    assert all(s.version.is_frozen for s in TrainingSession.objects.all())


def test_the_completed_session_has_tests_evaluations_certificates_and_follow_up(demo):
    oujda = TrainingSession.objects.get(city="Oujda")
    approved = oujda.enrolments.filter(status="approved")
    assert approved.count() == 20
    pre = TestAttempt.objects.filter(enrolment__session=oujda, stage="pre")
    post = TestAttempt.objects.filter(enrolment__session=oujda, stage="post")
    assert pre.count() == 20 and post.count() == 18
    mean = lambda attempts: sum(a.score_percent for a in attempts) / len(attempts)  # noqa: E731
    assert mean(post) > mean(pre)
    certified = Certificate.objects.filter(enrolment__session=oujda)
    assert 10 <= certified.count() < 20
    assert Evaluation.objects.filter(session=oujda, kind="final").count() == 17
    assert Evaluation.objects.filter(session=oujda, enrolment__isnull=True).exists()
    assert FollowUpResponse.objects.filter(session=oujda).count() == 11


def test_cascades_reach_two_generations(demo):
    oujda = TrainingSession.objects.get(city="Oujda")
    reach = reach_of(oujda)
    generations = {cascade.generation for cascade in oujda.cascades.all()}
    assert generations == {1, 2}
    assert oujda.cascades.count() == 4
    assert reach.cascaded.total > 0


def test_the_running_session_is_on_its_second_day_with_the_first_day_recorded(demo):
    tangier = TrainingSession.objects.get(city="Tangier")
    today = timezone.localdate()
    assert tangier.starts_on < today <= tangier.ends_on
    first_day = tangier.slots.filter(date=tangier.starts_on)
    assert all(slot.attendance.count() == 20 for slot in first_day)
    assert not tangier.slots.filter(date=today, attendance__isnull=False).exists()
    assert TestAttempt.objects.filter(enrolment__session=tangier, stage="pre").count() == 18
    assert stage_window(tangier, "post").opens is not None


def test_the_open_session_has_nominations_waiting(demo):
    agadir = TrainingSession.objects.get(city="Agadir")
    assert Enrolment.objects.filter(session=agadir, status="nominated").count() == 3
    assert not Enrolment.objects.filter(session=agadir, status="approved").exists()


def test_every_approved_participant_has_a_personal_link(demo):
    for enrolment in Enrolment.objects.filter(status="approved"):
        assert enrolment.links.filter(revoked_at__isnull=True).exists()
