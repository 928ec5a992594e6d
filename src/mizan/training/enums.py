"""Choices of curricula, their modules and their question bank."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VersionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("curriculum version", "Draft")
    PUBLISHED = "published", pgettext_lazy("curriculum version", "Published")


class TeachingMethod(models.TextChoices):
    LECTURE = "lecture", _("Lecture or presentation")
    DISCUSSION = "discussion", _("Discussion")
    CASE_STUDY = "case_study", _("Case study")
    WORKING_GROUP = "working_group", _("Working group")
    ROLE_PLAY = "role_play", _("Role play")
    DEBATE = "debate", _("Debate")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    SHORT_ANSWER = "short_answer", _("Short open answer")


#: Kinds answered by ticking choices; a short answer has none.
CHOICE_KINDS = frozenset(
    {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.TRUE_FALSE}
)


class FormCode(models.TextChoices):
    """The two parallel papers: one for the pre-test, the other for the post-test."""

    A = "A", pgettext_lazy("test form", "Form A")
    B = "B", pgettext_lazy("test form", "Form B")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("session", "Planned")
    OPEN = "open", pgettext_lazy("session", "Open for nominations")
    RUNNING = "running", pgettext_lazy("session", "Running")
    COMPLETED = "completed", pgettext_lazy("session", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("session", "Cancelled")


#: The moves a session's status may make.
SESSION_TRANSITIONS: dict[str, frozenset[str]] = {
    SessionStatus.PLANNED: frozenset({SessionStatus.OPEN, SessionStatus.CANCELLED}),
    SessionStatus.OPEN: frozenset(
        {SessionStatus.PLANNED, SessionStatus.RUNNING, SessionStatus.CANCELLED}
    ),
    SessionStatus.RUNNING: frozenset({SessionStatus.COMPLETED, SessionStatus.CANCELLED}),
    SessionStatus.COMPLETED: frozenset(),
    SessionStatus.CANCELLED: frozenset(),
}


class HalfDay(models.TextChoices):
    """The two slots of a course day; their codes sort in the order of the day."""

    MORNING = "am", _("Morning")
    AFTERNOON = "pm", _("Afternoon")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class EnrolmentStatus(models.TextChoices):
    NOMINATED = "nominated", pgettext_lazy("enrolment", "Nominated")
    APPROVED = "approved", pgettext_lazy("enrolment", "Approved")
    DECLINED = "declined", pgettext_lazy("enrolment", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("enrolment", "Withdrawn")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", pgettext_lazy("attendance", "Present")
    LATE = "late", pgettext_lazy("attendance", "Late")
    EXCUSED = "excused", pgettext_lazy("attendance", "Excused")
    ABSENT = "absent", pgettext_lazy("attendance", "Absent")


#: Statuses that count as having attended the slot.
ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})


class AttendanceMethod(models.TextChoices):
    TRAINER = "trainer", _("Recorded by a trainer")
    QR_CODE = "qr_code", _("Checked in with the QR code")
    IMPORT = "import", _("Imported")


class TestStage(models.TextChoices):
    __test__ = False
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")


class EvaluationKind(models.TextChoices):
    DAILY = "daily", _("Daily evaluation")
    FINAL = "final", _("End-of-course evaluation")


class PlanKept(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
