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
