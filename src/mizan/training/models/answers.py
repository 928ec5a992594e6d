"""What participants answer on their phone: the pre- and post-test, the daily and
end-of-course evaluations (which may be anonymous), their action plan, and the follow-up
survey months later (linked to them only through their pseudonymous id)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mizan.training.enums import EvaluationKind, PlanKept, TestStage

SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class TestAttempt(models.Model):
    __test__ = False
    enrolment = models.ForeignKey(
        "training.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="test_attempts",
    )
    stage = models.CharField(_("test"), max_length=4, choices=TestStage.choices)
    form = models.ForeignKey(
        "training.TestForm", verbose_name=_("test form"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score_percent = models.DecimalField(
        _("score (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Share of the questions answered correctly; short answers count once marked."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        ordering = ["enrolment", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "stage"], name="one_attempt_per_test")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.get_stage_display()}"


class TestAnswer(models.Model):
    __test__ = False
    attempt = models.ForeignKey(
        TestAttempt,
        verbose_name=_("test attempt"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        "training.Question", verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    chosen = models.JSONField(
        _("choices ticked"), default=list, blank=True, help_text=_("Ids of the choices ticked.")
    )
    text = models.TextField(_("answer"), blank=True)
    is_correct = models.BooleanField(
        _("correct"), null=True, blank=True, help_text=_("Empty until a short answer is marked.")
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["attempt", "id"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.question_id}"


class Evaluation(models.Model):
    """One participant's evaluation of a course day or of the whole course, on a scale
    of 1 to 5. Anonymous when the participant chose so: then ``enrolment`` is empty, and
    only ``respondent_key`` (a keyed digest that cannot be turned back into a person)
    stops the same person from answering twice."""

    session = models.ForeignKey(
        "training.TrainingSession",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    kind = models.CharField(_("evaluation"), max_length=10, choices=EvaluationKind.choices)
    day = models.PositiveSmallIntegerField(
        _("course day"), default=0, help_text=_("0 for the end-of-course evaluation.")
    )
    enrolment = models.ForeignKey(
        "training.Enrolment",
        verbose_name=_("enrolment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluations",
    )
    respondent_key = models.CharField(_("respondent key"), max_length=64, editable=False)
    relevance = models.PositiveSmallIntegerField(_("relevance to my work"), validators=SCALE)
    content = models.PositiveSmallIntegerField(_("content"), validators=SCALE)
    methods = models.PositiveSmallIntegerField(_("teaching methods"), validators=SCALE)
    trainers = models.PositiveSmallIntegerField(_("trainers"), validators=SCALE)
    organisation = models.PositiveSmallIntegerField(_("organisation"), validators=SCALE)
    overall = models.PositiveSmallIntegerField(_("overall"), validators=SCALE)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    history = HistoricalRecords()

    #: The scored questions, in the order the form asks them.
    SCORES = ("relevance", "content", "methods", "trainers", "organisation", "overall")

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["session", "kind", "day", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind", "day", "respondent_key"], name="one_evaluation_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.get_kind_display()} {self.day or ''}".strip()


class ActionPlan(models.Model):
    """What a participant commits to do after the course."""

    enrolment = models.OneToOneField(
        "training.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="action_plan",
    )
    commitments = models.TextField(_("what I will do"))
    colleagues_to_brief = models.PositiveIntegerField(_("colleagues I will brief"), default=0)
    by_date = models.DateField(_("by"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return str(_("Action plan of %(enrolment)s") % {"enrolment": self.enrolment})


class FollowUpResponse(models.Model):
    """The follow-up survey, three to six months after the session. It is linked to the
    person by their pseudonymous id, not by name."""

    session = models.ForeignKey(
        "training.TrainingSession",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="follow_up_responses",
    )
    pseudonym = models.CharField(_("pseudonymous id"), max_length=16)
    used_at_work = models.PositiveSmallIntegerField(
        _("how often I used what I learned"), validators=SCALE
    )
    situations = models.TextField(_("situations where I used it"), blank=True)
    plan_kept = models.CharField(
        _("I kept my action plan"), max_length=10, choices=PlanKept.choices
    )
    colleagues_briefed = models.PositiveIntegerField(_("colleagues I briefed"), default=0)
    obstacles = models.TextField(_("obstacles"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up answer")
        verbose_name_plural = _("follow-up answers")
        ordering = ["session", "submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "pseudonym"], name="one_follow_up_each")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.pseudonym}"
