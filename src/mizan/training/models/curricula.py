"""Curricula and their versions: ordered modules with learning objectives, materials and
vocabulary links, the question bank of each objective, and the parallel test forms.

A version used by a session is frozen (``frozen_at``); after that nothing in it changes,
and changes go into a new version that says what changed in its changelog.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mizan.core.languages import pick_translation
from mizan.training.enums import FormCode, QuestionKind, TeachingMethod, VersionStatus


class Curriculum(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    titles = models.JSONField(
        _("titles"),
        default=dict,
        help_text=_("The title in each language, keyed by language code."),
    )
    summary = models.TextField(_("summary"), blank=True)
    keeper = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("kept by"),
        on_delete=models.PROTECT,
        related_name="curricula",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return pick_translation(self.titles) or self.code


class CurriculumVersion(models.Model):
    curriculum = models.ForeignKey(
        Curriculum,
        verbose_name=_("curriculum"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    changelog = models.TextField(
        _("changes"),
        blank=True,
        help_text=_("What changed from the version it is based on, and why."),
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    frozen_at = models.DateTimeField(
        _("frozen"),
        null=True,
        blank=True,
        help_text=_("Set when a session first uses the version; from then on it never changes."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("curriculum version")
        verbose_name_plural = _("curriculum versions")
        ordering = ["curriculum", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["curriculum", "number"], name="one_number_per_curriculum_version"
            )
        ]

    def __str__(self) -> str:
        return _("%(curriculum)s, version %(number)s") % {
            "curriculum": self.curriculum,
            "number": self.number,
        }

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class Module(models.Model):
    version = models.ForeignKey(
        CurriculumVersion,
        verbose_name=_("curriculum version"),
        on_delete=models.CASCADE,
        related_name="modules",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    titles = models.JSONField(_("titles"), default=dict)
    day = models.PositiveSmallIntegerField(
        _("course day"), null=True, blank=True, help_text=_("Empty if not tied to a day.")
    )
    duration_minutes = models.PositiveIntegerField(_("duration in minutes"))
    methods = models.JSONField(
        _("methods"),
        default=list,
        help_text=_("The teaching methods used, as a list of method codes."),
    )
    summary = models.TextField(_("summary"), blank=True)
    materials = models.ManyToManyField(
        "evidence.EvidenceFile",
        verbose_name=_("materials"),
        related_name="training_modules",
        blank=True,
    )
    terms = models.ManyToManyField(
        "recommendations.Term",
        verbose_name=_("vocabulary links"),
        related_name="training_modules",
        blank=True,
    )
    history = HistoricalRecords(m2m_fields=[materials, terms])

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return pick_translation(self.titles) or str(_("Module %(order)s") % {"order": self.order})

    def get_methods_display(self) -> list[str]:
        labels = dict(TeachingMethod.choices)
        return [str(labels.get(method, method)) for method in self.methods]


class LearningObjective(models.Model):
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="objectives"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=20, help_text=_("For example: 3.2."))
    texts = models.JSONField(_("texts"), default=dict)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("learning objective")
        verbose_name_plural = _("learning objectives")
        ordering = ["module", "order", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def text(self) -> str:
        return pick_translation(self.texts)


class Question(models.Model):
    objective = models.ForeignKey(
        LearningObjective,
        verbose_name=_("learning objective"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    prompts = models.JSONField(_("question"), default=dict)
    model_answers = models.JSONField(
        _("model answer"),
        default=dict,
        blank=True,
        help_text=_("For a short open answer: what a good answer says, by language."),
    )
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Only questions in use go into test forms.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["objective", "id"]

    def __str__(self) -> str:
        return self.prompt

    @property
    def prompt(self) -> str:
        return pick_translation(self.prompts)

    @property
    def model_answer(self) -> str:
        return pick_translation(self.model_answers)


class Choice(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    texts = models.JSONField(_("texts"), default=dict)
    is_correct = models.BooleanField(_("correct"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return pick_translation(self.texts)


class TestForm(models.Model):
    """One of two parallel papers assembled from a version's question bank, so that the
    pre-test and the post-test ask different questions on the same objectives."""

    __test__ = False  # not a pytest test class, despite its name

    version = models.ForeignKey(
        CurriculumVersion,
        verbose_name=_("curriculum version"),
        on_delete=models.CASCADE,
        related_name="test_forms",
    )
    code = models.CharField(_("form"), max_length=2, choices=FormCode.choices)
    questions = models.ManyToManyField(
        Question,
        verbose_name=_("questions"),
        through="TestFormQuestion",
        related_name="test_forms",
    )
    assembled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assembled by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assembled_at = models.DateTimeField(_("assembled"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("test form")
        verbose_name_plural = _("test forms")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="one_test_form_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.get_code_display()}"


class TestFormQuestion(models.Model):
    __test__ = False
    form = models.ForeignKey(
        TestForm, verbose_name=_("test form"), on_delete=models.CASCADE, related_name="items"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question of a test form")
        verbose_name_plural = _("questions of test forms")
        ordering = ["form", "position"]
        constraints = [
            models.UniqueConstraint(fields=["form", "question"], name="question_once_per_form")
        ]

    def __str__(self) -> str:
        return f"{self.form} #{self.position}"


class ChangelogEntry(models.Model):
    """One change a version makes to the version it is based on: what changed, in which
    modules. Suggestions accepted by a joint committee are linked to the entry that
    integrates them, so a module's history can be traced back to them."""

    version = models.ForeignKey(
        CurriculumVersion,
        verbose_name=_("curriculum version"),
        on_delete=models.CASCADE,
        related_name="changelog_entries",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("change"))
    modules = models.ManyToManyField(
        Module,
        verbose_name=_("modules changed"),
        related_name="changelog_entries",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[modules])

    class Meta:
        verbose_name = _("changelog entry")
        verbose_name_plural = _("changelog entries")
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]
