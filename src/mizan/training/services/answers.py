"""What participants answer through their personal link: the pre- and post-test, daily
and end-of-course evaluations, their action plan and the follow-up survey; marking short
answers; and the e-mails that invite participants to the follow-up survey.

Participants have no account, so their writes are attributed to no one, with the reason
``"personal link"`` in the audit trail. Each operation has a window in the session's
calendar, in local dates (``settings.TIME_ZONE``):

- the pre-test is open until the end of the first day;
- the post-test from the start of the last day (its first half-day, else midnight) until
  the end of the 14th day after it;
- the evaluation of course day *n* from that day on, the end-of-course one from the last
  day on;
- the action plan from the first day on, until the follow-up survey is answered;
- the follow-up survey from 90 to 180 days after the last day.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from mizan.audit.history import attribute_change
from mizan.core.errors import MizanError, Refused
from mizan.core.languages import INTERFACE_LANGUAGES, text_direction
from mizan.training.enums import (
    CHOICE_KINDS,
    EnrolmentStatus,
    EvaluationKind,
    PlanKept,
    QuestionKind,
    SessionStatus,
    TestStage,
)
from mizan.training.models import (
    ActionPlan,
    Enrolment,
    Evaluation,
    FollowUpResponse,
    SessionSlot,
    TestAnswer,
    TestAttempt,
    TestForm,
    TrainingSession,
)
from mizan.training.services.sessions import current_link, issue_personal_link

logger = logging.getLogger(__name__)

#: The audit reason of what a participant writes through their personal link.
VIA_LINK = "personal link"
#: Days after the last day during which the post-test stays open.
POST_TEST_DAYS = 14
#: The follow-up survey's window, in days after the session's last day.
FOLLOW_UP_OPENS_DAYS = 90
FOLLOW_UP_CLOSES_DAYS = 180
#: Days between the follow-up invitation and its one reminder.
REMINDER_AFTER_DAYS = 30
#: Salt of the respondent key of evaluations: a digest of the enrolment and of the
#: evaluation (kind and day) that only this server (which holds the secret key) can
#: compute, so an anonymous evaluation cannot be traced back from the database alone, and
#: still one person answers each evaluation once. The evaluation is part of the digest so
#: that one person's evaluations share no key: otherwise an anonymous evaluation would
#: carry the key of the same person's named one, and name them.
RESPONDENT_SALT = "mizan.training.evaluation.respondent"
MAX_COUNT = 100_000


def _today(now: datetime | None) -> date:
    return timezone.localdate(now) if now is not None else timezone.localdate()


def _check_enrolment(enrolment: Enrolment) -> TrainingSession:
    if enrolment.status != EnrolmentStatus.APPROVED:
        raise Refused(_("Only approved participants answer for a session."))
    session = enrolment.session
    if session.status == SessionStatus.CANCELLED:
        raise MizanError(_("The session was cancelled."), code="cancelled")
    return session


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


# --- Windows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """When something is open: from ``opens`` (None: always was) until ``closes``."""

    opens: datetime | None
    closes: datetime | None

    def is_open(self, now: datetime) -> bool:
        return (self.opens is None or self.opens <= now) and (
            self.closes is None or now < self.closes
        )

    def has_closed(self, now: datetime) -> bool:
        return self.closes is not None and now >= self.closes


def stage_window(session: TrainingSession, stage: str) -> Window:
    """When the pre- or post-test of ``session`` can be taken."""
    if stage == TestStage.PRE:
        return Window(None, _local(session.starts_on + timedelta(days=1), time.min))
    first_slot = (
        SessionSlot.objects.filter(session=session, date=session.ends_on)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return Window(
        _local(session.ends_on, first_slot or time.min),
        _local(session.ends_on + timedelta(days=POST_TEST_DAYS + 1), time.min),
    )


def evaluation_opens_on(session: TrainingSession, kind: str, day: int) -> date:
    """The first day an evaluation can be given; refused for a day the session lacks."""
    if kind == EvaluationKind.FINAL:
        if day != 0:
            raise MizanError(_("The end-of-course evaluation is not tied to a day."), field="day")
        return session.ends_on
    if kind != EvaluationKind.DAILY:
        raise MizanError(_("Unknown kind of evaluation."), field="kind")
    if not 1 <= day <= session.days:
        raise MizanError(
            _("The session has days 1 to %(days)s.") % {"days": session.days}, field="day"
        )
    return session.starts_on + timedelta(days=day - 1)


def course_day(session: TrainingSession, today: date) -> int | None:
    """Which course day ``today`` is (1 for the first), or None outside the session."""
    if session.starts_on <= today <= session.ends_on:
        return (today - session.starts_on).days + 1
    return None


def follow_up_window(session: TrainingSession) -> tuple[date, date]:
    """The first and last day the follow-up survey can be answered."""
    return (
        session.ends_on + timedelta(days=FOLLOW_UP_OPENS_DAYS),
        session.ends_on + timedelta(days=FOLLOW_UP_CLOSES_DAYS),
    )


def follow_up_is_open(session: TrainingSession, today: date) -> bool:
    opens, closes = follow_up_window(session)
    return opens <= today <= closes


def follow_up_answered(enrolment: Enrolment) -> bool:
    return FollowUpResponse.objects.filter(
        session_id=enrolment.session_id, pseudonym=enrolment.participant.pseudonym
    ).exists()


def action_plan_is_open(enrolment: Enrolment, today: date) -> bool:
    """From the first day of the session until the follow-up survey is answered."""
    return today >= enrolment.session.starts_on and not follow_up_answered(enrolment)


def respondent_key(enrolment: Enrolment, kind: str = EvaluationKind.FINAL, day: int = 0) -> str:
    """The keyed digest that stops one person answering evaluation ``kind``/``day``
    twice, even when the evaluation does not say who gave it. Each evaluation of the same
    person has its own key, so that the keys link none of them to another."""
    message = f"{enrolment.pk}:{kind}:{day}"
    return salted_hmac(RESPONDENT_SALT, message, algorithm="sha256").hexdigest()


def has_evaluated(enrolment: Enrolment, kind: str, day: int) -> bool:
    return Evaluation.objects.filter(
        session_id=enrolment.session_id,
        kind=kind,
        day=day,
        respondent_key=respondent_key(enrolment, kind, day),
    ).exists()


# --- Tests ---------------------------------------------------------------------------------


def _form_of(session: TrainingSession, stage: str) -> TestForm:
    if stage not in TestStage.values:
        raise MizanError(_("Unknown test."), field="stage")
    code = session.pre_test_form if stage == TestStage.PRE else session.post_test_form
    form = TestForm.objects.filter(version_id=session.version_id, code=code).first()
    if form is None or not form.items.exists():
        raise MizanError(_("This test is not ready yet; ask the trainers."), code="no_form")
    return form


def _check_test_window(session: TrainingSession, stage: str, now: datetime) -> None:
    window = stage_window(session, stage)
    if window.is_open(now):
        return
    if window.has_closed(now):
        raise MizanError(_("This test has closed."), code="closed")
    raise MizanError(_("This test is not open yet."), code="not_open")


def _already_submitted() -> MizanError:
    return MizanError(_("You have already submitted this test."), code="already_submitted")


@transaction.atomic
def start_test(*, enrolment: Enrolment, stage: str, now: datetime | None = None) -> TestAttempt:
    """Open the pre- or post-test (``stage``) for a participant: their attempt on the
    session's form for that stage, made on the first visit and returned on later ones
    until it is submitted."""
    now = now or timezone.now()
    session = _check_enrolment(enrolment)
    form = _form_of(session, stage)
    _check_test_window(session, stage, now)
    attempt = TestAttempt.objects.filter(enrolment=enrolment, stage=stage).first()
    if attempt is not None:
        if attempt.submitted_at is not None:
            raise _already_submitted()
        return attempt
    attempt = TestAttempt(enrolment=enrolment, stage=stage, form=form)
    attribute_change(attempt, user=None, reason=VIA_LINK)
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:  # opened twice at once: the other request made it
        return TestAttempt.objects.get(enrolment=enrolment, stage=stage)
    return attempt


def _chosen_ids(value: Any) -> list[int]:
    if value is None or value == "":
        return []
    values = value if isinstance(value, list | tuple | set) else [value]
    try:
        return sorted({int(item) for item in values})
    except (TypeError, ValueError):
        raise MizanError(_("This is not one of the choices.")) from None


def score_of(answers: list[TestAnswer]) -> Decimal | None:
    """The share of marked answers that are correct, in percent; None if none is marked."""
    marked = [answer for answer in answers if answer.is_correct is not None]
    if not marked:
        return None
    right = sum(1 for answer in marked if answer.is_correct)
    return (Decimal(right * 100) / Decimal(len(marked))).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@transaction.atomic
def submit_test(
    *,
    enrolment: Enrolment,
    stage: str,
    answers: Mapping[Any, Any],
    now: datetime | None = None,
) -> TestAttempt:
    """Submit the participant's answers to the pre- or post-test, once.

    ``answers`` maps each question id to the ids of the choices ticked (choice kinds) or
    to the text written (short answers); every question of the form must be answered.
    Single choice and true/false answers are right when exactly the correct choice is
    ticked, multiple choice when exactly the set of correct choices is; short answers
    wait for a trainer (``mark_answer``). The score counts the marked answers only.
    """
    now = now or timezone.now()
    attempt = start_test(enrolment=enrolment, stage=stage, now=now)
    attempt = TestAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.submitted_at is not None:
        raise _already_submitted()
    given: dict[int, Any] = {}
    for key, value in answers.items():
        try:
            given[int(key)] = value
        except (TypeError, ValueError):
            raise MizanError(_("An answer names no question of this test.")) from None
    items = list(
        attempt.form.items.order_by("position")
        .select_related("question")
        .prefetch_related("question__choices")
    )
    on_form = {item.question_id for item in items}
    if set(given) - on_form:
        raise MizanError(_("An answer names no question of this test."))
    made: list[TestAnswer] = []
    for item in items:
        question = item.question
        field = f"question_{question.pk}"
        value = given.get(question.pk)
        answer = TestAnswer(attempt=attempt, question=question)
        if question.kind in CHOICE_KINDS:
            chosen = _chosen_ids(value)
            choices = list(question.choices.all())
            if not chosen:
                raise MizanError(_("Answer this question."), field=field)
            if set(chosen) - {choice.pk for choice in choices}:
                raise MizanError(_("This is not one of the choices."), field=field)
            if question.kind != QuestionKind.MULTIPLE_CHOICE and len(chosen) != 1:
                raise MizanError(_("Tick one answer only."), field=field)
            answer.chosen = chosen
            answer.is_correct = set(chosen) == {c.pk for c in choices if c.is_correct}
        else:
            text = value.strip() if isinstance(value, str) else ""
            if not text:
                raise MizanError(_("Answer this question."), field=field)
            answer.text = text
            answer.is_correct = None
        made.append(answer)
    for answer in made:
        attribute_change(answer, user=None, reason=VIA_LINK)
        answer.save()
    attempt.submitted_at = now
    attempt.score_percent = score_of(made)
    attribute_change(attempt, user=None, reason=VIA_LINK)
    attempt.save()
    return attempt


@transaction.atomic
def mark_answer(*, answer: TestAnswer, is_correct: bool, by: Any) -> TestAnswer:
    """A trainer or organiser marks a short answer right or wrong (again, if need be);
    the attempt's score is counted again."""
    attempt = TestAttempt.objects.select_for_update().select_related("enrolment__session")
    attempt_row = attempt.get(pk=answer.attempt_id)
    session = attempt_row.enrolment.session
    if by is not None and not by.has_perm("training.mark_answers", session):
        raise Refused(_("Only the session's trainers and organisers mark answers."))
    answer = TestAnswer.objects.select_related("question").get(pk=answer.pk)
    if answer.question.kind != QuestionKind.SHORT_ANSWER:
        raise MizanError(_("Only short answers are marked by hand."), code="not_short_answer")
    if attempt_row.submitted_at is None:
        raise MizanError(_("The test has not been submitted yet."), code="not_submitted")
    answer.is_correct = bool(is_correct)
    answer.marked_by = by if getattr(by, "is_authenticated", False) else None
    attribute_change(
        answer,
        user=by,
        reason=_("Marked correct.") if is_correct else _("Marked incorrect."),
    )
    answer.save()
    attempt_row.score_percent = score_of(list(attempt_row.answers.all()))
    attribute_change(attempt_row, user=by, reason=_("Score counted again after marking."))
    attempt_row.save()
    return answer


# --- Evaluations ---------------------------------------------------------------------------


def _score(scores: Mapping[str, Any], name: str) -> int:
    value = scores.get(name)
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = 0
    if isinstance(value, bool) or not 1 <= number <= 5:
        raise MizanError(_("Choose a score from 1 to 5."), field=name)
    return number


@transaction.atomic
def submit_evaluation(
    *,
    enrolment: Enrolment,
    kind: str,
    day: int,
    scores: Mapping[str, Any],
    comment: str = "",
    anonymous: bool = True,
    now: datetime | None = None,
) -> Evaluation:
    """A participant's evaluation of course day ``day`` (``kind`` daily) or of the whole
    course (``kind`` final, ``day`` 0), with a score from 1 to 5 for each of
    ``Evaluation.SCORES``. An anonymous evaluation keeps no link to the enrolment; either
    way one person evaluates each day, and the course, once."""
    session = _check_enrolment(enrolment)
    opens_on = evaluation_opens_on(session, kind, day)
    if _today(now) < opens_on:
        raise MizanError(_("This evaluation is not open yet."), code="not_open")
    values = {name: _score(scores, name) for name in Evaluation.SCORES}
    key = respondent_key(enrolment, kind, day)
    duplicate = MizanError(_("You have already given this evaluation."), code="duplicate")
    if Evaluation.objects.filter(session=session, kind=kind, day=day, respondent_key=key).exists():
        raise duplicate
    evaluation = Evaluation(
        session=session,
        kind=kind,
        day=day,
        enrolment=None if anonymous else enrolment,
        respondent_key=key,
        comment=(comment or "").strip(),
        **values,
    )
    attribute_change(evaluation, user=None, reason=VIA_LINK)
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:
        raise duplicate from None
    return evaluation


# --- Action plan ---------------------------------------------------------------------------


def _count(value: Any, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if isinstance(value, bool) or not 0 <= number <= MAX_COUNT:
        raise MizanError(_("Give a whole number, 0 or more."), field=field)
    return number


@transaction.atomic
def save_action_plan(
    *,
    enrolment: Enrolment,
    commitments: str,
    colleagues_to_brief: int,
    by_date: date | None = None,
    now: datetime | None = None,
) -> ActionPlan:
    """Write or change the participant's action plan: what they will do after the course,
    how many colleagues they will brief, and by when. It can change until the follow-up
    survey is answered."""
    session = _check_enrolment(enrolment)
    today = _today(now)
    if today < session.starts_on:
        raise MizanError(_("The action plan opens on the first day of the course."))
    if follow_up_answered(enrolment):
        raise MizanError(
            _("The follow-up survey was answered; the action plan no longer changes."),
            code="closed",
        )
    commitments = (commitments or "").strip()
    if not commitments:
        raise MizanError(_("Say what you will do."), field="commitments")
    colleagues = _count(colleagues_to_brief, "colleagues_to_brief")
    if by_date is not None and by_date < session.ends_on:
        raise MizanError(_("Choose a date after the course."), field="by_date")
    plan = ActionPlan.objects.select_for_update().filter(enrolment=enrolment).first()
    if plan is None:
        plan = ActionPlan(enrolment=enrolment)
    plan.commitments = commitments
    plan.colleagues_to_brief = colleagues
    plan.by_date = by_date
    attribute_change(plan, user=None, reason=VIA_LINK)
    plan.save()
    return plan


# --- Follow-up survey ----------------------------------------------------------------------


@transaction.atomic
def submit_follow_up(
    *,
    enrolment: Enrolment,
    used_at_work: int,
    plan_kept: str,
    colleagues_briefed: int = 0,
    situations: str = "",
    obstacles: str = "",
    now: datetime | None = None,
) -> FollowUpResponse:
    """The participant's answer to the follow-up survey, between 90 and 180 days after
    the session. It is stored under their pseudonymous id, not their enrolment."""
    session = _check_enrolment(enrolment)
    today = _today(now)
    opens, closes = follow_up_window(session)
    if today < opens:
        raise MizanError(_("The follow-up survey is not open yet."), code="not_open")
    if today > closes:
        raise MizanError(_("The follow-up survey has closed."), code="closed")
    used = _score({"used_at_work": used_at_work}, "used_at_work")
    if plan_kept not in PlanKept.values:
        raise MizanError(_("Choose one of the answers."), field="plan_kept")
    pseudonym = enrolment.participant.pseudonym
    duplicate = MizanError(_("You have already answered the follow-up survey."), code="duplicate")
    if FollowUpResponse.objects.filter(session=session, pseudonym=pseudonym).exists():
        raise duplicate
    response = FollowUpResponse(
        session=session,
        pseudonym=pseudonym,
        used_at_work=used,
        situations=(situations or "").strip(),
        plan_kept=plan_kept,
        colleagues_briefed=_count(colleagues_briefed, "colleagues_briefed"),
        obstacles=(obstacles or "").strip(),
    )
    attribute_change(response, user=None, reason=VIA_LINK)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise duplicate from None
    return response


# --- Follow-up invitations -----------------------------------------------------------------


@dataclass
class FollowUpInvitations:
    """What a run of :func:`send_follow_up_invitations` did (or, dry, would do)."""

    day: date
    dry_run: bool = False
    invitations: int = 0
    reminders: int = 0
    #: Messages the mail server refused (logged; the next run tries again).
    failed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "day": self.day.isoformat()}


def _due_enrolments(today: date) -> list[Enrolment]:
    """Approved enrolments with an e-mail address whose session's follow-up survey is
    open on ``today`` and not answered yet."""
    answered = FollowUpResponse.objects.filter(
        session_id=OuterRef("session_id"), pseudonym=OuterRef("participant__pseudonym")
    )
    return list(
        Enrolment.objects.filter(
            status=EnrolmentStatus.APPROVED,
            session__ends_on__lte=today - timedelta(days=FOLLOW_UP_OPENS_DAYS),
            session__ends_on__gte=today - timedelta(days=FOLLOW_UP_CLOSES_DAYS),
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .exclude(participant__email="")
        .filter(~Exists(answered))
        .select_related("session", "participant")
        .order_by("session_id", "id")
    )


def _what_to_send(enrolment: Enrolment, today: date) -> str | None:
    """ "invitation", "reminder" or None."""
    if enrolment.follow_up_invited_at is None:
        return "invitation"
    if (
        enrolment.follow_up_reminded_at is None
        and timezone.localdate(enrolment.follow_up_invited_at) + timedelta(days=REMINDER_AFTER_DAYS)
        <= today
    ):
        return "reminder"
    return None


def _moment(today: date) -> datetime:
    """When a run for ``today`` happens: now, or noon of ``today`` when catching up on
    (or trying out) another day."""
    if today == timezone.localdate():
        return timezone.now()
    return _local(today, time(12, 0))


def _greeting_name(enrolment: Enrolment, language: str) -> str:
    participant = enrolment.participant
    if language == "ar" and participant.name_arabic:
        return participant.name_arabic
    return participant.name_latin or participant.name_arabic


def follow_up_message(enrolment: Enrolment, kind: str, url: str) -> EmailMultiAlternatives:
    """The invitation (``kind`` "invitation") or reminder ("reminder") to answer the
    follow-up survey, in the session's language, as text with an HTML alternative."""
    session = enrolment.session
    language = session.language if session.language in INTERFACE_LANGUAGES else "en"
    with translation.override(language):
        _opens, closes = follow_up_window(session)
        context = {
            "language": language,
            "text_dir": text_direction(language),
            "name": _greeting_name(enrolment, language),
            "session": session,
            "starts_on": formats.date_format(session.starts_on, "DATE_FORMAT"),
            "ends_on": formats.date_format(session.ends_on, "DATE_FORMAT"),
            "closes_on": formats.date_format(closes, "DATE_FORMAT"),
            "url": url,
            "kind": kind,
        }
        if kind == "reminder":
            subject = _("Reminder: how did the training “%(title)s” change your work?")
        else:
            subject = _("How did the training “%(title)s” change your work?")
        message = EmailMultiAlternatives(
            subject=subject % {"title": session.title},
            body=render_to_string(f"training/email/follow_up_{kind}.txt", context),
            to=[enrolment.participant.email],
            headers={
                "Auto-Submitted": "auto-generated",
                "X-Mizan-Message": f"follow-up-{kind}",
                "Content-Language": language,
            },
        )
        message.attach_alternative(
            render_to_string(f"training/email/follow_up_{kind}.html", context), "text/html"
        )
    return message


def _survey_url(enrolment: Enrolment) -> str:
    link = current_link(enrolment) or issue_personal_link(enrolment=enrolment, by=None)
    path = reverse("participant:follow_up", args=[link.token])
    return f"{settings.MIZAN_SITE_URL}{path}"


def _send_one(enrolment: Enrolment, today: date, moment: datetime) -> str | None:
    """Send what ``enrolment`` is due, in its own transaction: the stamp and the message
    go together, so a refused message leaves no stamp and a later run tries again. The
    row is locked and read again, so two runs at once send it once."""
    with transaction.atomic():
        locked = (
            Enrolment.objects.select_for_update()
            .select_related("session", "participant")
            .get(pk=enrolment.pk)
        )
        kind = _what_to_send(locked, today)
        if kind is None:
            return None
        if kind == "invitation":
            locked.follow_up_invited_at = moment
        else:
            locked.follow_up_reminded_at = moment
        message = follow_up_message(locked, kind, _survey_url(locked))
        attribute_change(
            locked,
            user=None,
            reason=_("Invited to the follow-up survey.")
            if kind == "invitation"
            else _("Reminded of the follow-up survey."),
        )
        locked.save(update_fields=["follow_up_invited_at", "follow_up_reminded_at"])
        message.send()
    return kind


def send_follow_up_invitations(
    *, today: date | None = None, dry_run: bool = False
) -> FollowUpInvitations:
    """E-mail each approved participant whose follow-up survey is open and unanswered:
    an invitation first, then one reminder 30 days later. What was sent is stamped on the
    enrolment, so running again the same day sends nothing twice. ``dry_run`` counts the
    messages and sends nothing (and issues no link)."""
    today = today or timezone.localdate()
    summary = FollowUpInvitations(day=today, dry_run=dry_run)
    moment = _moment(today)
    for enrolment in _due_enrolments(today):
        if dry_run:
            kind = _what_to_send(enrolment, today)
        else:
            try:
                kind = _send_one(enrolment, today, moment)
            except OSError:  # smtplib's errors are OSErrors too
                logger.exception(
                    "Could not send the follow-up e-mail of enrolment %s", enrolment.pk
                )
                summary.failed += 1
                continue
        if kind == "invitation":
            summary.invitations += 1
        elif kind == "reminder":
            summary.reminders += 1
    logger.info("Follow-up invitations for %s: %s", today, summary.as_dict())
    return summary
