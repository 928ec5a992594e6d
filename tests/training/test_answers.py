"""What participants answer through their link: tests scored by kind, windows, one
attempt each, marking, evaluations (anonymous ones too), the action plan, the follow-up
survey, and the e-mails that invite participants to it."""

from __future__ import annotations

import datetime
import smtplib
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from mizan.core.errors import MizanError, Refused
from mizan.training.enums import EvaluationKind, PlanKept, QuestionKind, TestStage
from mizan.training.models import (
    ActionPlan,
    Enrolment,
    Evaluation,
    FollowUpResponse,
    PersonalLink,
    TestAnswer,
    TestAttempt,
)
from mizan.training.services import answers as services
from mizan.training.services import sessions as session_services
from mizan.training.tasks import send_daily_follow_up_invitations
from tests.training.answers_builders import (
    all_right,
    answers_session,
    at,
    enrol_person,
    questions_of,
    right_choices,
    wrong_choices,
)
from tests.training.builders import make_trainer, organiser, outsider

pytestmark = pytest.mark.django_db

FIRST_DAY = datetime.date(2026, 3, 2)
LAST_DAY = datetime.date(2026, 3, 4)
DURING = at(FIRST_DAY, 10)
AFTER = at(LAST_DAY, 15)
SCORES = dict.fromkeys(Evaluation.SCORES, 4)


@pytest.fixture
def session():
    return answers_session()


@pytest.fixture
def enrolment(session):
    return enrol_person(session)


def submit(enrolment, stage, answers, now=None):
    now = now or (DURING if stage == TestStage.PRE else AFTER)
    return services.submit_test(enrolment=enrolment, stage=stage, answers=answers, now=now)


def answer_to(attempt, question):
    return TestAnswer.objects.get(attempt=attempt, question=question)


# --- Scoring -------------------------------------------------------------------------------


def test_single_choice_is_right_with_exactly_the_correct_choice(session, enrolment):
    single = questions_of(session, TestStage.PRE)[QuestionKind.SINGLE_CHOICE]
    answers = all_right(session, TestStage.PRE)
    answers[single.pk] = wrong_choices(single)
    attempt = submit(enrolment, TestStage.PRE, answers)
    assert answer_to(attempt, single).is_correct is False
    assert answer_to(attempt, single).chosen == wrong_choices(single)


def test_single_choice_with_two_choices_ticked_is_refused(session, enrolment):
    single = questions_of(session, TestStage.PRE)[QuestionKind.SINGLE_CHOICE]
    answers = all_right(session, TestStage.PRE)
    answers[single.pk] = right_choices(single) + wrong_choices(single)
    with pytest.raises(MizanError) as refused:
        submit(enrolment, TestStage.PRE, answers)
    assert refused.value.field == f"question_{single.pk}"
    assert not TestAnswer.objects.exists()


def test_true_false_is_scored_automatically(session, enrolment):
    true_false = questions_of(session, TestStage.PRE)[QuestionKind.TRUE_FALSE]
    answers = all_right(session, TestStage.PRE)
    attempt = submit(enrolment, TestStage.PRE, answers)
    assert answer_to(attempt, true_false).is_correct is True


@pytest.mark.parametrize(
    ("pick", "expected"),
    [("both right", True), ("one right", False), ("all three", False)],
)
def test_multiple_choice_is_right_only_with_exactly_the_correct_set(
    session, enrolment, pick, expected
):
    multiple = questions_of(session, TestStage.PRE)[QuestionKind.MULTIPLE_CHOICE]
    right, wrong = right_choices(multiple), wrong_choices(multiple)
    chosen = {"both right": right, "one right": right[:1], "all three": right + wrong}[pick]
    answers = {**all_right(session, TestStage.PRE), multiple.pk: chosen}
    attempt = submit(enrolment, TestStage.PRE, answers)
    assert answer_to(attempt, multiple).is_correct is expected


def test_short_answer_stays_unmarked_and_the_score_counts_marked_answers_only(session, enrolment):
    questions = questions_of(session, TestStage.PRE)
    answers = all_right(session, TestStage.PRE, short="Refer them to the asylum service")
    answers[questions[QuestionKind.SINGLE_CHOICE].pk] = wrong_choices(
        questions[QuestionKind.SINGLE_CHOICE]
    )
    attempt = submit(enrolment, TestStage.PRE, answers)
    short = answer_to(attempt, questions[QuestionKind.SHORT_ANSWER])
    assert short.is_correct is None
    assert short.text == "Refer them to the asylum service"
    attempt.refresh_from_db()
    # Two of the three marked answers are right; the short answer does not count yet.
    assert attempt.score_percent == Decimal("66.67")
    assert attempt.submitted_at == DURING


def test_pre_test_uses_the_pre_test_form_and_post_test_the_post_test_form(enrolment):
    pre = services.start_test(enrolment=enrolment, stage=TestStage.PRE, now=DURING)
    post = services.start_test(enrolment=enrolment, stage=TestStage.POST, now=AFTER)
    assert (pre.form.code, post.form.code) == ("A", "B")


def test_a_session_may_swap_the_forms():
    session = answers_session(pre_test_form="B", post_test_form="A")
    enrolment = enrol_person(session)
    pre = services.start_test(enrolment=enrolment, stage=TestStage.PRE, now=DURING)
    assert pre.form.code == "B"


def test_every_question_must_be_answered(session, enrolment):
    questions = questions_of(session, TestStage.PRE)
    answers = all_right(session, TestStage.PRE)
    answers[questions[QuestionKind.SHORT_ANSWER].pk] = "   "
    with pytest.raises(MizanError) as refused:
        submit(enrolment, TestStage.PRE, answers)
    assert refused.value.field == f"question_{questions[QuestionKind.SHORT_ANSWER].pk}"
    assert not TestAttempt.objects.filter(submitted_at__isnull=False).exists()
    assert not TestAnswer.objects.exists()


def test_a_choice_of_another_question_is_refused(session, enrolment):
    questions = questions_of(session, TestStage.PRE)
    answers = all_right(session, TestStage.PRE)
    answers[questions[QuestionKind.SINGLE_CHOICE].pk] = right_choices(
        questions[QuestionKind.TRUE_FALSE]
    )
    with pytest.raises(MizanError):
        submit(enrolment, TestStage.PRE, answers)


def test_an_answer_to_a_question_not_on_the_form_is_refused(session, enrolment):
    other = questions_of(session, TestStage.POST)[QuestionKind.SINGLE_CHOICE]
    answers = {**all_right(session, TestStage.PRE), other.pk: right_choices(other)}
    with pytest.raises(MizanError):
        submit(enrolment, TestStage.PRE, answers)


def test_a_second_submission_is_refused(session, enrolment):
    submit(enrolment, TestStage.PRE, all_right(session, TestStage.PRE))
    with pytest.raises(MizanError) as refused:
        submit(enrolment, TestStage.PRE, all_right(session, TestStage.PRE))
    assert refused.value.code == "already_submitted"
    assert TestAttempt.objects.filter(enrolment=enrolment).count() == 1


def test_start_test_returns_the_same_attempt_until_it_is_submitted(enrolment):
    first = services.start_test(enrolment=enrolment, stage=TestStage.PRE, now=DURING)
    again = services.start_test(enrolment=enrolment, stage=TestStage.PRE, now=DURING)
    assert first.pk == again.pk


def test_answers_are_recorded_in_the_audit_trail_as_given_through_the_personal_link(
    session, enrolment
):
    attempt = submit(enrolment, TestStage.PRE, all_right(session, TestStage.PRE))
    record = attempt.history.latest()
    assert record.history_change_reason == "personal link"
    assert record.history_user is None


def test_a_withdrawn_participant_cannot_answer(session, enrolment):
    session_services.withdraw(enrolment=enrolment, reason="Sick")
    with pytest.raises(Refused):
        services.start_test(enrolment=enrolment, stage=TestStage.PRE, now=DURING)


# --- Windows -------------------------------------------------------------------------------


def test_pre_test_is_open_until_the_end_of_the_first_day(enrolment):
    attempt = services.start_test(
        enrolment=enrolment, stage=TestStage.PRE, now=at(FIRST_DAY, 23, 59)
    )
    assert attempt.pk


def test_pre_test_is_closed_the_day_after_the_first_day(enrolment):
    with pytest.raises(MizanError) as refused:
        services.start_test(
            enrolment=enrolment, stage=TestStage.PRE, now=at(FIRST_DAY + datetime.timedelta(1), 0)
        )
    assert refused.value.code == "closed"


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (at(LAST_DAY - datetime.timedelta(days=1), 17), False),
        (at(LAST_DAY, 8, 59), False),  # the last day's first half-day starts at 9:00
        (at(LAST_DAY, 9, 0), True),
        (at(LAST_DAY + datetime.timedelta(days=14), 23, 59), True),
        (at(LAST_DAY + datetime.timedelta(days=15), 0, 0), False),
    ],
)
def test_post_test_is_open_from_the_last_days_start_until_14_days_after(
    session, enrolment, moment, is_open
):
    assert services.stage_window(session, TestStage.POST).is_open(moment) is is_open
    if is_open:
        submit(enrolment, TestStage.POST, all_right(session, TestStage.POST), now=moment)
    else:
        with pytest.raises(MizanError):
            submit(enrolment, TestStage.POST, all_right(session, TestStage.POST), now=moment)


def test_post_test_not_yet_open_says_so(enrolment):
    with pytest.raises(MizanError) as refused:
        services.start_test(enrolment=enrolment, stage=TestStage.POST, now=DURING)
    assert refused.value.code == "not_open"


# --- Marking -------------------------------------------------------------------------------


@pytest.fixture
def submitted(session, enrolment):
    """A pre-test with its three choice answers right and its short answer unmarked."""
    return submit(enrolment, TestStage.PRE, all_right(session, TestStage.PRE))


def short_answer_of(attempt):
    return attempt.answers.get(question__kind=QuestionKind.SHORT_ANSWER)


def test_marking_a_short_answer_counts_the_score_again(submitted):
    trainer = make_trainer()
    submitted.enrolment.session.trainers.add(trainer)
    assert submitted.score_percent == Decimal("100.00")
    answer = services.mark_answer(answer=short_answer_of(submitted), is_correct=False, by=trainer)
    submitted.refresh_from_db()
    assert answer.is_correct is False
    assert answer.marked_by == trainer
    assert submitted.score_percent == Decimal("75.00")


def test_an_organiser_may_mark_again(submitted):
    by = organiser()
    services.mark_answer(answer=short_answer_of(submitted), is_correct=False, by=by)
    services.mark_answer(answer=short_answer_of(submitted), is_correct=True, by=by)
    submitted.refresh_from_db()
    assert submitted.score_percent == Decimal("100.00")


def test_someone_who_may_not_mark_is_refused(submitted):
    with pytest.raises(Refused):
        services.mark_answer(answer=short_answer_of(submitted), is_correct=True, by=outsider())
    assert short_answer_of(submitted).is_correct is None


def test_choice_answers_are_not_marked_by_hand(submitted):
    choice_answer = submitted.answers.get(question__kind=QuestionKind.SINGLE_CHOICE)
    with pytest.raises(MizanError):
        services.mark_answer(answer=choice_answer, is_correct=False, by=organiser())


# --- Evaluations ---------------------------------------------------------------------------


def evaluate(enrolment, kind=EvaluationKind.DAILY, day=1, now=DURING, anonymous=True, **scores):
    return services.submit_evaluation(
        enrolment=enrolment,
        kind=kind,
        day=day,
        scores={**SCORES, **scores},
        comment="  Good case studies. ",
        anonymous=anonymous,
        now=now,
    )


def test_anonymous_evaluation_stores_no_enrolment(enrolment):
    evaluation = evaluate(enrolment)
    assert evaluation.enrolment is None
    assert evaluation.comment == "Good case studies."
    assert evaluation.history.latest().enrolment_id is None


def test_anonymous_evaluation_cannot_be_given_twice(enrolment):
    evaluate(enrolment)
    with pytest.raises(MizanError) as refused:
        evaluate(enrolment, overall=1)
    assert refused.value.code == "duplicate"
    assert Evaluation.objects.count() == 1


def test_named_and_anonymous_answers_of_one_person_are_one_answer(enrolment):
    evaluate(enrolment, anonymous=False)
    with pytest.raises(MizanError):
        evaluate(enrolment, anonymous=True)


def test_named_evaluation_keeps_the_enrolment(enrolment):
    assert evaluate(enrolment, anonymous=False).enrolment == enrolment


def test_respondent_key_is_a_keyed_digest_that_differs_between_people(session, enrolment, settings):
    other = enrol_person(session, name_latin="Another officer")
    key = evaluate(enrolment).respondent_key
    assert len(key) == 64
    assert evaluate(other).respondent_key != key
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert services.respondent_key(enrolment) != key


def test_each_day_is_evaluated_separately(enrolment):
    evaluate(enrolment, day=1, now=AFTER)
    evaluate(enrolment, day=2, now=AFTER)
    evaluate(enrolment, kind=EvaluationKind.FINAL, day=0, now=AFTER)
    assert Evaluation.objects.count() == 3


def test_a_day_is_evaluated_only_from_that_day_on(enrolment):
    with pytest.raises(MizanError) as refused:
        evaluate(enrolment, day=2, now=DURING)
    assert refused.value.code == "not_open"


def test_a_day_the_session_lacks_is_refused(enrolment):
    with pytest.raises(MizanError) as refused:
        evaluate(enrolment, day=4, now=AFTER)
    assert refused.value.field == "day"


def test_final_evaluation_opens_on_the_last_day(enrolment):
    with pytest.raises(MizanError):
        evaluate(
            enrolment,
            kind=EvaluationKind.FINAL,
            day=0,
            now=at(LAST_DAY, 0) - datetime.timedelta(minutes=1),
        )
    assert evaluate(enrolment, kind=EvaluationKind.FINAL, day=0, now=at(LAST_DAY, 8)).pk


@pytest.mark.parametrize("value", [0, 6, None, "many"])
def test_scores_are_from_1_to_5(enrolment, value):
    with pytest.raises(MizanError) as refused:
        evaluate(enrolment, methods=value)
    assert refused.value.field == "methods"


# --- Action plan ---------------------------------------------------------------------------


def plan(enrolment, now=AFTER, **fields):
    values = {"commitments": "Brief my unit on screening.", "colleagues_to_brief": 12}
    values.update(fields)
    return services.save_action_plan(enrolment=enrolment, now=now, **values)


def test_action_plan_is_created_then_updated(enrolment):
    plan(enrolment)
    updated = plan(enrolment, colleagues_to_brief=20, by_date=datetime.date(2026, 6, 30))
    assert ActionPlan.objects.count() == 1
    assert (updated.colleagues_to_brief, updated.by_date) == (20, datetime.date(2026, 6, 30))


def test_action_plan_needs_commitments(enrolment):
    with pytest.raises(MizanError) as refused:
        plan(enrolment, commitments=" ")
    assert refused.value.field == "commitments"


def test_action_plan_opens_on_the_first_day(enrolment):
    with pytest.raises(MizanError):
        plan(enrolment, now=at(FIRST_DAY - datetime.timedelta(days=1)))


def test_action_plan_no_longer_changes_once_the_follow_up_is_answered(enrolment):
    plan(enrolment)
    follow_up(enrolment)
    with pytest.raises(MizanError) as refused:
        plan(enrolment, colleagues_to_brief=1)
    assert refused.value.code == "closed"
    assert ActionPlan.objects.get().colleagues_to_brief == 12


# --- Follow-up survey ----------------------------------------------------------------------


def follow_up(enrolment, days_after=100):
    return services.submit_follow_up(
        enrolment=enrolment,
        used_at_work=4,
        situations="Interviews at the port",
        plan_kept=PlanKept.PARTLY,
        colleagues_briefed=7,
        obstacles="Time",
        now=at(LAST_DAY + datetime.timedelta(days=days_after)),
    )


def test_follow_up_stores_the_pseudonym_not_the_enrolment(enrolment):
    response = follow_up(enrolment)
    assert response.pseudonym == enrolment.participant.pseudonym
    assert response.session == enrolment.session
    assert "enrolment" not in {f.name for f in FollowUpResponse._meta.get_fields()}
    assert (response.used_at_work, response.colleagues_briefed) == (4, 7)


@pytest.mark.parametrize(
    ("days_after", "is_open"), [(89, False), (90, True), (180, True), (181, False)]
)
def test_follow_up_is_open_from_90_to_180_days_after_the_last_day(enrolment, days_after, is_open):
    if is_open:
        assert follow_up(enrolment, days_after).pk
    else:
        with pytest.raises(MizanError):
            follow_up(enrolment, days_after)


def test_follow_up_is_answered_once(enrolment):
    follow_up(enrolment)
    with pytest.raises(MizanError) as refused:
        follow_up(enrolment, 101)
    assert refused.value.code == "duplicate"


# --- Follow-up invitations -----------------------------------------------------------------

OPENS = LAST_DAY + datetime.timedelta(days=90)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.MIZAN_SITE_URL = "https://mizan.example.org"


@pytest.fixture
def invitee(session):
    return enrol_person(session, email="samira@example.org", name_latin="Samira Bennani")


def stamps(enrolment):
    enrolment.refresh_from_db()
    return enrolment.follow_up_invited_at, enrolment.follow_up_reminded_at


def test_invitation_goes_out_when_the_survey_opens_with_the_personal_link(invitee):
    assert services.send_follow_up_invitations(today=OPENS - datetime.timedelta(1)).invitations == 0
    summary = services.send_follow_up_invitations(today=OPENS)
    assert (summary.invitations, summary.reminders) == (1, 0)
    [message] = mail.outbox
    assert message.to == ["samira@example.org"]
    link = session_services.current_link(invitee)
    assert f"https://mizan.example.org/p/{link.token}/follow-up/" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and link.token in html
    assert stamps(invitee)[0] is not None


def test_invitations_are_idempotent_per_day(invitee):
    services.send_follow_up_invitations(today=OPENS)
    again = services.send_follow_up_invitations(today=OPENS)
    assert (again.invitations, again.reminders) == (0, 0)
    assert len(mail.outbox) == 1


def test_one_reminder_30_days_after_the_invitation(invitee):
    services.send_follow_up_invitations(today=OPENS)
    assert services.send_follow_up_invitations(today=OPENS + datetime.timedelta(29)).reminders == 0
    assert services.send_follow_up_invitations(today=OPENS + datetime.timedelta(30)).reminders == 1
    assert services.send_follow_up_invitations(today=OPENS + datetime.timedelta(31)).reminders == 0
    assert services.send_follow_up_invitations(today=OPENS + datetime.timedelta(60)).reminders == 0
    assert len(mail.outbox) == 2
    invitation, reminder = mail.outbox
    assert reminder.subject != invitation.subject
    assert all(stamps(invitee))


def test_invitation_is_written_in_the_sessions_language():
    session = answers_session(language="fr", code="french-course")
    enrol_person(session, email="karim@example.org", name_latin="Karim Alaoui")
    services.send_follow_up_invitations(today=OPENS)
    [message] = mail.outbox
    assert message.body.startswith("Bonjour Karim Alaoui,")
    [(html, _mimetype)] = message.alternatives
    assert 'lang="fr" dir="ltr"' in html


def test_arabic_invitation_is_right_to_left_and_greets_by_the_arabic_name():
    session = answers_session(language="ar", code="arabic-course")
    enrol_person(session, email="samira@example.org", name_latin="Samira", name_arabic="سميرة")
    services.send_follow_up_invitations(today=OPENS)
    [message] = mail.outbox
    assert message.body.startswith("مرحبًا سميرة")
    [(html, _mimetype)] = message.alternatives
    assert 'lang="ar" dir="rtl"' in html


def test_no_invitation_to_those_who_answered_have_no_address_or_are_out_of_the_window(
    session, invitee
):
    answered = enrol_person(session, email="done@example.org", name_latin="Already answered")
    follow_up(answered, days_after=90)
    enrol_person(session, name_latin="No address")
    assert services.send_follow_up_invitations(today=OPENS).invitations == 1
    assert [m.to for m in mail.outbox] == [["samira@example.org"]]
    late = LAST_DAY + datetime.timedelta(days=181)
    other = answers_session(code="later-course")
    enrol_person(other, email="late@example.org", name_latin="Late")
    assert services.send_follow_up_invitations(today=late).invitations == 0


def test_dry_run_sends_nothing_and_stamps_nothing(invitee):
    summary = services.send_follow_up_invitations(today=OPENS, dry_run=True)
    assert summary.invitations == 1
    assert mail.outbox == []
    assert stamps(invitee) == (None, None)
    assert not PersonalLink.objects.filter(enrolment=invitee).exists()


def test_a_link_that_is_gone_is_issued_again(invitee):
    old = session_services.issue_personal_link(enrolment=invitee)
    session_services.revoke_personal_link(link=old, reason="Phone lost")
    services.send_follow_up_invitations(today=OPENS)
    new = session_services.current_link(invitee)
    assert new is not None and new.pk != old.pk
    assert new.token in mail.outbox[0].body and old.token not in mail.outbox[0].body


def test_a_usable_link_is_kept(invitee):
    link = session_services.issue_personal_link(enrolment=invitee)
    services.send_follow_up_invitations(today=OPENS)
    assert link.token in mail.outbox[0].body
    assert PersonalLink.objects.filter(enrolment=invitee).count() == 1


def test_a_refused_message_leaves_no_stamp_and_is_tried_again(invitee, monkeypatch):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMessage.send", refuse)
        assert services.send_follow_up_invitations(today=OPENS).failed == 1
    assert stamps(invitee) == (None, None)
    assert services.send_follow_up_invitations(today=OPENS).invitations == 1


def test_command_sends_and_reports_the_counts(invitee):
    out = StringIO()
    call_command("send_follow_up_invitations", "--date", OPENS.isoformat(), stdout=out)
    assert "Invitations sent: 1" in out.getvalue()
    assert len(mail.outbox) == 1


def test_command_dry_run_sends_nothing(invitee):
    out = StringIO()
    call_command("send_follow_up_invitations", "--date", OPENS.isoformat(), "--dry-run", stdout=out)
    assert "Invitations to send: 1" in out.getvalue()
    assert mail.outbox == []


def test_command_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("send_follow_up_invitations", "--date", "30/06/2026")


def test_task_sends_the_invitations(invitee):
    result = send_daily_follow_up_invitations.enqueue(day=OPENS.isoformat())
    assert result.return_value["invitations"] == 1
    assert Enrolment.objects.get(pk=invitee.pk).follow_up_invited_at is not None


def test_today_is_the_default_day(invitee):
    assert services.send_follow_up_invitations().day == timezone.localdate()
