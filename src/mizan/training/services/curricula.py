"""Business operations on curricula, their versions, modules, learning objectives, question
bank and parallel test forms. Each validates, writes in one transaction with its audit
entry (django-simple-history, attributed to ``by``) and returns what it changed.

Views, the API, the CLI, the demo and (later) sessions all call these functions; nothing
else writes these records. A frozen version never changes: every function that would
change one refuses, and :func:`new_version_from` makes the next version instead.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mizan.audit.history import acting_user, attribute_change
from mizan.core.errors import MizanError
from mizan.evidence.models import EvidenceFile
from mizan.evidence.services import store_evidence
from mizan.institutions.models import Institution
from mizan.recommendations.models import Term
from mizan.training.enums import (
    CHOICE_KINDS,
    FormCode,
    QuestionKind,
    TeachingMethod,
    VersionStatus,
)
from mizan.training.models import (
    Choice,
    Curriculum,
    CurriculumVersion,
    LearningObjective,
    Module,
    Question,
    TestForm,
    TestFormQuestion,
)

CODE_PATTERN = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}(?:-[a-zA-Z0-9]{2,8})?")
MAX_COURSE_DAY = 60


def clean_texts(texts: Mapping[str, Any] | None, *, field: str, required: bool = True) -> dict:
    """A label or text in several languages, keyed by language code: trimmed, without
    empty entries. Refused when ``required`` and no language has a text."""
    cleaned: dict[str, str] = {}
    for language, value in (texts or {}).items():
        if not isinstance(language, str) or not LANGUAGE_PATTERN.fullmatch(language):
            raise MizanError(
                _("“%(language)s” is not a language code.") % {"language": language}, field=field
            )
        if not isinstance(value, str):
            raise MizanError(_("Each translation must be text."), field=field)
        value = value.strip()
        if value:
            cleaned[language] = value
    if required and not cleaned:
        raise MizanError(_("Write it in at least one language."), field=field)
    return cleaned


def refuse_frozen(version: CurriculumVersion) -> None:
    """Refuse any change to a version that sessions use."""
    if version.frozen_at is not None:
        raise MizanError(
            _(
                "Version %(number)s is frozen because sessions use it; it cannot change. "
                "Make a new version instead."
            )
            % {"number": version.number},
            code="frozen",
        )


def _unknown(changes: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise MizanError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})


# --- Curricula -------------------------------------------------------------------------

CURRICULUM_FIELDS = ("titles", "summary", "keeper")


def _check_curriculum(curriculum: Curriculum) -> None:
    curriculum.titles = clean_texts(curriculum.titles, field="titles")
    curriculum.summary = (curriculum.summary or "").strip()
    if curriculum.keeper_id is None:
        raise MizanError(_("Choose the institution that keeps the curriculum."), field="keeper")


@transaction.atomic
def create_curriculum(
    *,
    code: str,
    titles: Mapping[str, str],
    keeper: Institution,
    summary: str = "",
    by: Any = None,
) -> Curriculum:
    """Create a curriculum and its first version, an empty draft."""
    code = (code or "").strip().lower()
    if not CODE_PATTERN.fullmatch(code) or len(code) > 60:
        raise MizanError(
            _("A code is lower-case letters, digits and hyphens, for example migration-rights."),
            field="code",
        )
    if Curriculum.objects.filter(code=code).exists():
        raise MizanError(_("Another curriculum already has this code."), field="code")
    curriculum = Curriculum(
        code=code,
        titles=dict(titles or {}),
        summary=summary,
        keeper=keeper,
        created_by=acting_user(by),
    )
    _check_curriculum(curriculum)
    attribute_change(curriculum, user=by)
    curriculum.save()
    version = CurriculumVersion(curriculum=curriculum, number=1, created_by=acting_user(by))
    attribute_change(version, user=by)
    version.save()
    return curriculum


@transaction.atomic
def update_curriculum(*, curriculum: Curriculum, by: Any = None, **changes: Any) -> Curriculum:
    """Change a curriculum's title, summary or keeper. Its code names it for good, and its
    versions change through the functions below."""
    _unknown(changes, CURRICULUM_FIELDS)
    for name, value in changes.items():
        setattr(curriculum, name, value)
    _check_curriculum(curriculum)
    attribute_change(curriculum, user=by)
    curriculum.save()
    return curriculum


# --- Versions --------------------------------------------------------------------------


@transaction.atomic
def update_version(
    *, version: CurriculumVersion, changelog: str, by: Any = None
) -> CurriculumVersion:
    """Rewrite the changelog of a version that is not frozen."""
    refuse_frozen(version)
    version.changelog = (changelog or "").strip()
    attribute_change(version, user=by)
    version.save()
    return version


@transaction.atomic
def new_version_from(
    *, version: CurriculumVersion, changelog: str, by: Any = None
) -> CurriculumVersion:
    """The curriculum's next version, a draft copied from ``version``: its modules (with
    their materials and vocabulary links), learning objectives, questions with their
    choices, and test forms. ``version`` itself is left as it is. A curriculum has one
    draft at a time."""
    changelog = (changelog or "").strip()
    if not changelog:
        raise MizanError(
            _("Say what the new version changes, and why."), field="changelog", code="required"
        )
    # Lock the curriculum so that two people cannot take the same version number.
    curriculum = Curriculum.objects.select_for_update().get(pk=version.curriculum_id)
    draft = curriculum.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        raise MizanError(
            _("Version %(number)s is still a draft: change it, or publish it first.")
            % {"number": draft.number},
            code="draft_exists",
        )
    number = (curriculum.versions.aggregate(Max("number"))["number__max"] or 0) + 1
    copy = CurriculumVersion(
        curriculum=curriculum,
        number=number,
        changelog=changelog,
        based_on=version,
        created_by=acting_user(by),
    )
    attribute_change(copy, user=by)
    copy.save()
    _copy_contents(version, copy, by)
    return copy


def _copy_contents(source: CurriculumVersion, target: CurriculumVersion, by: Any) -> None:
    questions: dict[int, Question] = {}
    modules = source.modules.prefetch_related(
        "materials", "terms", "objectives__questions__choices"
    ).order_by("order", "id")
    for module in modules:
        new_module = Module(
            version=target,
            order=module.order,
            titles=dict(module.titles),
            day=module.day,
            duration_minutes=module.duration_minutes,
            methods=list(module.methods),
            summary=module.summary,
        )
        attribute_change(new_module, user=by)
        new_module.save()
        materials, terms = list(module.materials.all()), list(module.terms.all())
        if materials:
            attribute_change(new_module, user=by)
            new_module.materials.set(materials)
        if terms:
            attribute_change(new_module, user=by)
            new_module.terms.set(terms)
        for objective in module.objectives.all():
            new_objective = LearningObjective(
                module=new_module,
                order=objective.order,
                code=objective.code,
                texts=dict(objective.texts),
            )
            attribute_change(new_objective, user=by)
            new_objective.save()
            for question in objective.questions.all():
                new_question = Question(
                    objective=new_objective,
                    kind=question.kind,
                    prompts=dict(question.prompts),
                    model_answers=dict(question.model_answers),
                    is_active=question.is_active,
                )
                attribute_change(new_question, user=by)
                new_question.save()
                questions[question.pk] = new_question
                for choice in question.choices.all():
                    new_choice = Choice(
                        question=new_question,
                        order=choice.order,
                        texts=dict(choice.texts),
                        is_correct=choice.is_correct,
                    )
                    attribute_change(new_choice, user=by)
                    new_choice.save()
    for form in source.test_forms.prefetch_related("items"):
        new_form = TestForm(version=target, code=form.code, assembled_by=form.assembled_by)
        attribute_change(new_form, user=by)
        new_form.save()
        for item in form.items.all():
            new_item = TestFormQuestion(
                form=new_form, question=questions[item.question_id], position=item.position
            )
            attribute_change(new_item, user=by)
            new_item.save()


@transaction.atomic
def publish_version(*, version: CurriculumVersion, by: Any = None) -> CurriculumVersion:
    """Make a draft available to sessions. It still changes until a session uses it."""
    if version.status == VersionStatus.PUBLISHED:
        raise MizanError(
            _("Version %(number)s is already published.") % {"number": version.number},
            code="already_published",
        )
    refuse_frozen(version)
    if not version.modules.exists():
        raise MizanError(
            _("Add at least one module before publishing the version."), code="empty_version"
        )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    attribute_change(version, user=by)
    version.save()
    return version


@transaction.atomic
def freeze_version(*, version: CurriculumVersion, by: Any = None, reason: str = "") -> None:
    """Freeze a published version, for good: a session uses it. Freezing a frozen version
    again changes nothing, so every session that uses it may call this."""
    if version.frozen_at is not None:
        return
    if version.status != VersionStatus.PUBLISHED:
        raise MizanError(
            _("Only a published version can be used by sessions; publish it first."),
            code="not_published",
        )
    version.frozen_at = timezone.now()
    attribute_change(version, user=by, reason=reason)
    version.save()


# --- Modules ---------------------------------------------------------------------------

MODULE_FIELDS = ("titles", "day", "duration_minutes", "methods", "summary", "terms")


def _check_module(module: Module) -> None:
    module.titles = clean_texts(module.titles, field="titles")
    module.summary = (module.summary or "").strip()
    duration = module.duration_minutes
    if not isinstance(duration, int) or isinstance(duration, bool) or duration <= 0:
        raise MizanError(_("Give the module's duration in minutes."), field="duration_minutes")
    if module.day is not None and not (1 <= module.day <= MAX_COURSE_DAY):
        raise MizanError(
            _("A course day is a number from 1 to %(last)s.") % {"last": MAX_COURSE_DAY},
            field="day",
        )
    methods: list[str] = []
    for method in module.methods or []:
        if method not in TeachingMethod.values:
            raise MizanError(
                _("Unknown teaching method: %(method)s.") % {"method": method}, field="methods"
            )
        if method not in methods:
            methods.append(method)
    module.methods = methods


@transaction.atomic
def add_module(
    *,
    version: CurriculumVersion,
    titles: Mapping[str, str],
    duration_minutes: int,
    methods: Sequence[str] = (),
    day: int | None = None,
    summary: str = "",
    terms: Iterable[Term] = (),
    by: Any = None,
) -> Module:
    """Add a module at the end of the version."""
    refuse_frozen(version)
    last = version.modules.aggregate(Max("order"))["order__max"] or 0
    module = Module(
        version=version,
        order=last + 1,
        titles=dict(titles or {}),
        day=day,
        duration_minutes=duration_minutes,
        methods=list(methods),
        summary=summary,
    )
    _check_module(module)
    attribute_change(module, user=by)
    module.save()
    terms = list(terms)
    if terms:
        attribute_change(module, user=by)
        module.terms.set(terms)
    return module


@transaction.atomic
def update_module(*, module: Module, by: Any = None, **changes: Any) -> Module:
    _unknown(changes, MODULE_FIELDS)
    refuse_frozen(module.version)
    terms = changes.pop("terms", None)
    for name, value in changes.items():
        setattr(module, name, list(value) if name == "methods" else value)
    _check_module(module)
    attribute_change(module, user=by)
    module.save()
    if terms is not None and set(terms) != set(module.terms.all()):
        attribute_change(module, user=by)
        module.terms.set(list(terms))
    return module


@transaction.atomic
def reorder_modules(
    *, version: CurriculumVersion, modules: Sequence[Module], by: Any = None
) -> list[Module]:
    """Put the version's modules in the order given; every module must be named once."""
    refuse_frozen(version)
    current = {m.pk: m for m in version.modules.all()}
    wanted = [m.pk for m in modules]
    if sorted(wanted) != sorted(current):
        raise MizanError(
            _("Name each module of the version exactly once."), field="modules", code="invalid"
        )
    ordered = []
    for position, pk in enumerate(wanted, start=1):
        module = current[pk]
        if module.order != position:
            module.order = position
            attribute_change(module, user=by)
            module.save(update_fields=["order"])
        ordered.append(module)
    return ordered


@transaction.atomic
def move_module(*, module: Module, offset: int, by: Any = None) -> list[Module]:
    """Move a module up (negative ``offset``) or down among its version's modules."""
    modules = list(module.version.modules.order_by("order", "id"))
    index = next(i for i, m in enumerate(modules) if m.pk == module.pk)
    target = max(0, min(len(modules) - 1, index + offset))
    modules.insert(target, modules.pop(index))
    return reorder_modules(version=module.version, modules=modules, by=by)


@transaction.atomic
def remove_module(*, module: Module, by: Any = None) -> None:
    """Remove a module with its objectives and their questions."""
    refuse_frozen(module.version)
    attribute_change(module, user=by)
    module.delete()


@transaction.atomic
def attach_material(
    *, module: Module, upload: Any, description: str = "", by: Any = None
) -> EvidenceFile:
    """Check and store an uploaded file (slides, handout, case study) and link it to the
    module."""
    refuse_frozen(module.version)
    material = store_evidence(upload=upload, by=by, description=description)
    attribute_change(module, user=by)
    module.materials.add(material)
    return material


@transaction.atomic
def detach_material(*, module: Module, material: EvidenceFile, by: Any = None) -> Module:
    """Unlink a file from the module; the file stays stored (earlier versions use it)."""
    refuse_frozen(module.version)
    if module.materials.filter(pk=material.pk).exists():
        attribute_change(module, user=by)
        module.materials.remove(material)
    return module


# --- Learning objectives ---------------------------------------------------------------


def _check_objective(objective: LearningObjective) -> None:
    objective.code = (objective.code or "").strip()
    if not objective.code or len(objective.code) > 20:
        raise MizanError(_("Give the objective a short code, for example 3.2."), field="code")
    objective.texts = clean_texts(objective.texts, field="texts")
    taken = LearningObjective.objects.filter(
        module__version_id=objective.module.version_id, code=objective.code
    ).exclude(pk=objective.pk)
    if taken.exists():
        raise MizanError(
            _("Another objective of this version has the code %(code)s.")
            % {"code": objective.code},
            field="code",
        )


@transaction.atomic
def add_objective(
    *, module: Module, code: str, texts: Mapping[str, str], by: Any = None
) -> LearningObjective:
    """Add a learning objective at the end of the module's."""
    refuse_frozen(module.version)
    last = module.objectives.aggregate(Max("order"))["order__max"] or 0
    objective = LearningObjective(module=module, order=last + 1, code=code, texts=dict(texts))
    _check_objective(objective)
    attribute_change(objective, user=by)
    objective.save()
    return objective


@transaction.atomic
def update_objective(
    *,
    objective: LearningObjective,
    code: str | None = None,
    texts: Mapping[str, str] | None = None,
    by: Any = None,
) -> LearningObjective:
    refuse_frozen(objective.module.version)
    if code is not None:
        objective.code = code
    if texts is not None:
        objective.texts = dict(texts)
    _check_objective(objective)
    attribute_change(objective, user=by)
    objective.save()
    return objective


@transaction.atomic
def remove_objective(*, objective: LearningObjective, by: Any = None) -> None:
    """Remove an objective with its questions (they leave the test forms too)."""
    refuse_frozen(objective.module.version)
    attribute_change(objective, user=by)
    objective.delete()


# --- Questions -------------------------------------------------------------------------

QUESTION_FIELDS = ("kind", "prompts", "choices", "model_answers", "is_active")


def _clean_choices(kind: str, choices: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Check the choices against the question's kind; returns them cleaned, in order."""
    cleaned = [
        {
            "texts": clean_texts(choice.get("texts"), field="choices"),
            "is_correct": bool(choice.get("is_correct")),
        }
        for choice in choices
    ]
    if kind == QuestionKind.SHORT_ANSWER:
        if cleaned:
            raise MizanError(_("A short open answer has no choices."), field="choices")
        return cleaned
    correct = sum(1 for choice in cleaned if choice["is_correct"])
    if kind == QuestionKind.TRUE_FALSE and len(cleaned) != 2:
        raise MizanError(
            _("A true-or-false question has exactly two choices: true and false."),
            field="choices",
        )
    if len(cleaned) < 2:
        raise MizanError(_("Give at least two choices."), field="choices")
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.TRUE_FALSE) and correct != 1:
        raise MizanError(_("Mark exactly one choice as correct."), field="choices")
    if kind == QuestionKind.MULTIPLE_CHOICE and correct < 1:
        raise MizanError(_("Mark at least one choice as correct."), field="choices")
    return cleaned


def _check_question(
    kind: str, prompts: Mapping[str, str], model_answers: Mapping[str, str] | None
) -> tuple[dict, dict]:
    if kind not in QuestionKind.values:
        raise MizanError(_("Choose the kind of question."), field="kind")
    prompts = clean_texts(prompts, field="prompts")
    answers = clean_texts(model_answers, field="model_answers", required=False)
    if answers and kind in CHOICE_KINDS:
        raise MizanError(
            _("Only a short open answer has a model answer; mark the correct choices instead."),
            field="model_answers",
        )
    return prompts, answers


def _write_choices(question: Question, choices: list[dict[str, Any]], by: Any) -> None:
    existing = list(question.choices.order_by("order", "id"))
    for position, data in enumerate(choices, start=1):
        choice = existing[position - 1] if position <= len(existing) else Choice(question=question)
        if choice.pk is not None and (choice.order, choice.texts, choice.is_correct) == (
            position,
            data["texts"],
            data["is_correct"],
        ):
            continue
        choice.order = position
        choice.texts = data["texts"]
        choice.is_correct = data["is_correct"]
        attribute_change(choice, user=by)
        choice.save()
    for surplus in existing[len(choices) :]:
        attribute_change(surplus, user=by)
        surplus.delete()


def question_version(question: Question) -> CurriculumVersion:
    return question.objective.module.version


@transaction.atomic
def add_question(
    *,
    objective: LearningObjective,
    kind: str,
    prompts: Mapping[str, str],
    choices: Sequence[Mapping[str, Any]] = (),
    model_answers: Mapping[str, str] | None = None,
    is_active: bool = True,
    by: Any = None,
) -> Question:
    """Add a question to an objective's bank. ``choices`` are mappings with ``texts`` (by
    language) and ``is_correct``: single choice and true/false have exactly one correct
    choice, multiple choice at least one, a short open answer none (it may have a model
    answer instead)."""
    refuse_frozen(objective.module.version)
    prompts, answers = _check_question(kind, prompts, model_answers)
    cleaned = _clean_choices(kind, choices)
    question = Question(
        objective=objective,
        kind=kind,
        prompts=prompts,
        model_answers=answers,
        is_active=is_active,
    )
    attribute_change(question, user=by)
    question.save()
    _write_choices(question, cleaned, by)
    return question


@transaction.atomic
def update_question(*, question: Question, by: Any = None, **changes: Any) -> Question:
    """Change a question; ``choices``, when given, replace its choices."""
    _unknown(changes, QUESTION_FIELDS)
    refuse_frozen(question_version(question))
    kind = changes.get("kind", question.kind)
    prompts, answers = _check_question(
        kind,
        changes.get("prompts", question.prompts),
        changes.get("model_answers", question.model_answers if kind not in CHOICE_KINDS else {}),
    )
    if "choices" in changes:
        choices = _clean_choices(kind, changes["choices"])
    else:
        choices = _clean_choices(
            kind,
            [
                {"texts": c.texts, "is_correct": c.is_correct}
                for c in question.choices.order_by("order", "id")
            ],
        )
    question.kind = kind
    question.prompts = prompts
    question.model_answers = answers
    question.is_active = bool(changes.get("is_active", question.is_active))
    attribute_change(question, user=by)
    question.save()
    _write_choices(question, choices, by)
    return question


# --- Parallel test forms ---------------------------------------------------------------


@dataclass
class ShortObjective:
    """An objective without enough questions in use for the forms asked for."""

    objective: LearningObjective
    available: int
    needed: int


@dataclass
class AssembledForms:
    form_a: TestForm
    form_b: TestForm
    per_objective: int
    short: list[ShortObjective] = field(default_factory=list)


KIND_ORDER = {kind: index for index, kind in enumerate(QuestionKind.values)}


@transaction.atomic
def assemble_parallel_forms(
    *,
    version: CurriculumVersion,
    per_objective: int = 2,
    seed: int | None = None,
    by: Any = None,
) -> AssembledForms:
    """Assemble forms A and B from the version's questions in use, replacing earlier ones.

    For each learning objective, up to ``per_objective`` questions go on each form, the
    same number on both, and no question is on both forms: the pre-test and the post-test
    measure the same objectives with different questions. Questions are drawn at random
    (``seed`` makes the draw repeatable) and dealt alternately by kind, so both forms get
    a similar mix of kinds. Objectives with fewer than ``2 × per_objective`` questions in
    use get what they can (an odd one out is left aside) and are reported in ``short``.
    """
    refuse_frozen(version)
    if not isinstance(per_objective, int) or not 1 <= per_objective <= 20:
        raise MizanError(
            _("Give how many questions per objective each form has (1 to 20)."),
            field="per_objective",
        )
    rng = random.Random(seed)
    objectives = list(
        LearningObjective.objects.filter(module__version=version)
        .select_related("module")
        .prefetch_related("questions")
        .order_by("module__order", "module_id", "order", "id")
    )
    picked: dict[str, list[Question]] = {FormCode.A: [], FormCode.B: []}
    short: list[ShortObjective] = []
    for objective in objectives:
        pool = sorted((q for q in objective.questions.all() if q.is_active), key=lambda q: q.pk)
        rng.shuffle(pool)
        take = min(per_objective, len(pool) // 2)
        if take < per_objective:
            short.append(ShortObjective(objective, len(pool), 2 * per_objective))
        chosen = sorted(pool[: 2 * take], key=lambda q: KIND_ORDER.get(q.kind, 0))
        first, second = (FormCode.A, FormCode.B) if rng.random() < 0.5 else (FormCode.B, FormCode.A)
        picked[first] += chosen[0::2]
        picked[second] += chosen[1::2]
    forms = {}
    for code in (FormCode.A, FormCode.B):
        form = TestForm.objects.filter(version=version, code=code).first() or TestForm(
            version=version, code=code
        )
        form.assembled_by = acting_user(by)
        attribute_change(form, user=by)
        form.save()
        for item in form.items.all():
            attribute_change(item, user=by)
            item.delete()
        for position, question in enumerate(picked[code], start=1):
            item = TestFormQuestion(form=form, question=question, position=position)
            attribute_change(item, user=by)
            item.save()
        forms[code] = form
    return AssembledForms(forms[FormCode.A], forms[FormCode.B], per_objective, short)
