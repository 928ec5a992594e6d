"""The training services: curricula and their versions, freezing, copying into a new
version, the question bank's rules and the parallel test forms."""

from __future__ import annotations

import pytest

from mizan.core.errors import MizanError
from mizan.training import services
from mizan.training.enums import FormCode, QuestionKind, TeachingMethod, VersionStatus
from mizan.training.models import (
    Choice,
    Curriculum,
    CurriculumVersion,
    LearningObjective,
    Module,
    Question,
)
from tests.actions.factories import pdf_upload
from tests.factories import TermFactory, VocabularyFactory
from tests.training.builders import (
    build_version,
    make_curriculum,
    police,
    publish_and_freeze,
    single_choice,
)

pytestmark = pytest.mark.django_db


def snapshot(version: CurriculumVersion) -> list:
    """Everything a version holds, as plain values."""
    rows = []
    for module in version.modules.order_by("order"):
        rows.append(
            (
                module.pk,
                module.order,
                module.titles,
                module.day,
                module.duration_minutes,
                module.methods,
                sorted(module.terms.values_list("pk", flat=True)),
                sorted(module.materials.values_list("pk", flat=True)),
            )
        )
        for objective in module.objectives.order_by("order"):
            rows.append((objective.pk, objective.code, objective.texts))
            for question in objective.questions.order_by("id"):
                rows.append((question.pk, question.kind, question.prompts, question.is_active))
                rows += [
                    (c.pk, c.order, c.texts, c.is_correct)
                    for c in question.choices.order_by("order")
                ]
    for form in version.test_forms.order_by("code"):
        rows.append((form.code, list(form.items.values_list("question_id", flat=True))))
    return rows


# --- Curricula and versions ------------------------------------------------------------


def test_new_curriculum_starts_with_an_empty_draft_version_1(trainer):
    curriculum = make_curriculum(trainer)
    version = curriculum.versions.get()
    assert (version.number, version.status, version.frozen_at, version.created_by) == (
        1,
        VersionStatus.DRAFT,
        None,
        trainer,
    )


def test_curriculum_code_must_be_free(trainer):
    make_curriculum(trainer)
    with pytest.raises(MizanError) as error:
        make_curriculum(trainer)
    assert error.value.field == "code"


def test_curriculum_needs_a_title_in_one_language():
    with pytest.raises(MizanError) as error:
        services.create_curriculum(code="empty", titles={"en": "  "}, keeper=police())
    assert error.value.field == "titles"


def test_publishing_an_empty_version_is_refused(trainer):
    version = make_curriculum(trainer).versions.get()
    with pytest.raises(MizanError) as error:
        services.publish_version(version=version, by=trainer)
    assert error.value.code == "empty_version"


def test_freezing_needs_a_published_version(trainer):
    version = build_version(trainer, modules=1)
    with pytest.raises(MizanError) as error:
        services.freeze_version(version=version, by=trainer)
    assert error.value.code == "not_published"


def test_freezing_again_changes_nothing(trainer):
    version = publish_and_freeze(build_version(trainer, modules=1), trainer)
    frozen_at = version.frozen_at
    rows = version.history.count()
    services.freeze_version(version=version, by=trainer)
    assert (version.frozen_at, version.history.count()) == (frozen_at, rows)


FROZEN_CHANGES = {
    "add_module": lambda v, by: services.add_module(
        version=v, titles={"en": "New"}, duration_minutes=30, by=by
    ),
    "update_module": lambda v, by: services.update_module(
        module=v.modules.first(), duration_minutes=45, by=by
    ),
    "reorder_modules": lambda v, by: services.reorder_modules(
        version=v, modules=list(v.modules.order_by("-order")), by=by
    ),
    "remove_module": lambda v, by: services.remove_module(module=v.modules.first(), by=by),
    "attach_material": lambda v, by: services.attach_material(
        module=v.modules.first(), upload=pdf_upload(), by=by
    ),
    "add_objective": lambda v, by: services.add_objective(
        module=v.modules.first(), code="9.9", texts={"en": "New"}, by=by
    ),
    "update_objective": lambda v, by: services.update_objective(
        objective=LearningObjective.objects.filter(module__version=v).first(),
        texts={"en": "Changed"},
        by=by,
    ),
    "remove_objective": lambda v, by: services.remove_objective(
        objective=LearningObjective.objects.filter(module__version=v).first(), by=by
    ),
    "add_question": lambda v, by: single_choice(
        LearningObjective.objects.filter(module__version=v).first(), "New", by
    ),
    "update_question": lambda v, by: services.update_question(
        question=Question.objects.filter(objective__module__version=v).first(),
        is_active=False,
        by=by,
    ),
    "assemble_parallel_forms": lambda v, by: services.assemble_parallel_forms(version=v, by=by),
    "update_version": lambda v, by: services.update_version(version=v, changelog="x", by=by),
}


@pytest.mark.parametrize("change", FROZEN_CHANGES.values(), ids=FROZEN_CHANGES.keys())
def test_frozen_version_refuses_every_change(change, trainer):
    version = publish_and_freeze(build_version(trainer), trainer)
    before = snapshot(version)
    with pytest.raises(MizanError) as error:
        change(version, trainer)
    assert error.value.code == "frozen"
    assert snapshot(version) == before


def test_new_version_copies_everything_into_a_draft(trainer):
    vocabulary = VocabularyFactory(code="border-guidelines")
    guideline = TermFactory(vocabulary=vocabulary, code="G4")
    version = build_version(trainer, terms=[guideline])
    services.attach_material(module=version.modules.first(), upload=pdf_upload(), by=trainer)
    services.assemble_parallel_forms(version=version, per_objective=1, seed=1, by=trainer)
    publish_and_freeze(version, trainer)

    copy = services.new_version_from(version=version, changelog="Longer role play.", by=trainer)

    def content(rows):
        # The same content under new ids: drop the ids, map the forms' questions to prompts.
        return [row[1:] if not isinstance(row[0], str) else row[0] for row in rows]

    assert (copy.number, copy.status, copy.based_on, copy.frozen_at) == (
        2,
        VersionStatus.DRAFT,
        version,
        None,
    )
    assert content(snapshot(copy)) == content(snapshot(version))
    assert not set(
        Question.objects.filter(objective__module__version=copy).values_list("pk", flat=True)
    ) & set(
        Question.objects.filter(objective__module__version=version).values_list("pk", flat=True)
    )


def test_new_version_forms_use_the_copied_questions(trainer):
    version = build_version(trainer)
    services.assemble_parallel_forms(version=version, seed=3, by=trainer)
    services.publish_version(version=version, by=trainer)
    copy = services.new_version_from(version=version, changelog="Next.", by=trainer)
    for code in FormCode.values:
        old = version.test_forms.get(code=code).items.order_by("position")
        new = copy.test_forms.get(code=code).items.order_by("position")
        assert [i.question.prompts for i in new] == [i.question.prompts for i in old]
        assert all(i.question.objective.module.version_id == copy.pk for i in new)


def test_changing_the_new_version_leaves_the_old_one_untouched(trainer):
    version = publish_and_freeze(build_version(trainer), trainer)
    before = snapshot(version)
    copy = services.new_version_from(version=version, changelog="Shorter.", by=trainer)
    services.update_module(module=copy.modules.first(), duration_minutes=30, by=trainer)
    services.update_question(
        question=Question.objects.filter(objective__module__version=copy).first(),
        prompts={"en": "Rewritten"},
        by=trainer,
    )
    assert snapshot(version) == before


def test_new_version_needs_a_changelog(trainer):
    version = build_version(trainer, modules=1)
    services.publish_version(version=version, by=trainer)
    with pytest.raises(MizanError) as error:
        services.new_version_from(version=version, changelog=" ", by=trainer)
    assert error.value.field == "changelog"


def test_a_curriculum_has_one_draft_at_a_time(trainer):
    version = build_version(trainer, modules=1)
    with pytest.raises(MizanError) as error:
        services.new_version_from(version=version, changelog="Again.", by=trainer)
    assert error.value.code == "draft_exists"


# --- Modules and objectives ------------------------------------------------------------


def test_module_methods_are_checked():
    version = make_curriculum().versions.get()
    with pytest.raises(MizanError) as error:
        services.add_module(
            version=version, titles={"en": "M"}, duration_minutes=60, methods=["karaoke"]
        )
    assert error.value.field == "methods"


def test_module_needs_a_positive_duration():
    version = make_curriculum().versions.get()
    with pytest.raises(MizanError) as error:
        services.add_module(version=version, titles={"en": "M"}, duration_minutes=0)
    assert error.value.field == "duration_minutes"


def test_modules_are_added_in_order_and_can_move(trainer):
    version = build_version(trainer, modules=3, objectives=0)
    first, second, third = version.modules.order_by("order")
    services.move_module(module=third, offset=-1, by=trainer)
    assert list(version.modules.order_by("order")) == [first, third, second]


def test_reordering_must_name_every_module(trainer):
    version = build_version(trainer, modules=2, objectives=0)
    with pytest.raises(MizanError):
        services.reorder_modules(version=version, modules=[version.modules.first()], by=trainer)


def test_objective_codes_are_unique_within_a_version(trainer):
    version = build_version(trainer, modules=2, objectives=1, questions=0)
    with pytest.raises(MizanError) as error:
        services.add_objective(
            module=version.modules.order_by("order").last(), code="1.1", texts={"en": "Again"}
        )
    assert error.value.field == "code"


def test_material_is_stored_and_linked(trainer):
    module = build_version(trainer, modules=1, objectives=0).modules.get()
    material = services.attach_material(
        module=module, upload=pdf_upload("slides.pdf"), description="Slides", by=trainer
    )
    assert list(module.materials.all()) == [material]
    assert material.name == "slides.pdf"


def test_changes_are_attributed_in_the_history(trainer):
    module = build_version(trainer, modules=1, objectives=0).modules.get()
    services.update_module(module=module, methods=[TeachingMethod.DEBATE], by=trainer)
    latest = module.history.order_by("-history_id").first()
    assert (latest.history_user, latest.methods) == (trainer, ["debate"])


# --- Questions -------------------------------------------------------------------------


@pytest.fixture
def objective(trainer):
    version = build_version(trainer, modules=1, objectives=1, questions=0)
    return LearningObjective.objects.get(module__version=version)


def choices(*correct: bool) -> list[dict]:
    return [{"texts": {"en": f"Choice {i}"}, "is_correct": c} for i, c in enumerate(correct)]


@pytest.mark.parametrize(
    ("kind", "given"),
    [
        (QuestionKind.SINGLE_CHOICE, choices(True, True, False)),
        (QuestionKind.SINGLE_CHOICE, choices(False, False)),
        (QuestionKind.SINGLE_CHOICE, choices(True)),
        (QuestionKind.MULTIPLE_CHOICE, choices(False, False, False)),
        (QuestionKind.TRUE_FALSE, choices(True, False, False)),
        (QuestionKind.TRUE_FALSE, choices(True, True)),
        (QuestionKind.SHORT_ANSWER, choices(True, False)),
    ],
    ids=[
        "single-two-correct",
        "single-none-correct",
        "single-one-choice",
        "multiple-none-correct",
        "true-false-three-choices",
        "true-false-both-correct",
        "short-answer-with-choices",
    ],
)
def test_choices_must_fit_the_kind(objective, kind, given):
    with pytest.raises(MizanError) as error:
        services.add_question(objective=objective, kind=kind, prompts={"en": "Q?"}, choices=given)
    assert error.value.field == "choices"
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("kind", "given"),
    [
        (QuestionKind.SINGLE_CHOICE, choices(False, True, False)),
        (QuestionKind.MULTIPLE_CHOICE, choices(True, True, False)),
        (QuestionKind.TRUE_FALSE, choices(False, True)),
        (QuestionKind.SHORT_ANSWER, []),
    ],
)
def test_valid_questions_are_accepted(objective, kind, given):
    question = services.add_question(
        objective=objective, kind=kind, prompts={"en": "Q?"}, choices=given
    )
    assert [c.is_correct for c in question.choices.all()] == [c["is_correct"] for c in given]


def test_short_answer_keeps_a_model_answer(objective):
    question = services.add_question(
        objective=objective,
        kind=QuestionKind.SHORT_ANSWER,
        prompts={"en": "Name one alternative to detention."},
        model_answers={"en": "Regular reporting."},
    )
    assert question.model_answer == "Regular reporting."


def test_a_choice_question_has_no_model_answer(objective):
    with pytest.raises(MizanError) as error:
        services.add_question(
            objective=objective,
            kind=QuestionKind.SINGLE_CHOICE,
            prompts={"en": "Q?"},
            choices=choices(True, False),
            model_answers={"en": "A"},
        )
    assert error.value.field == "model_answers"


def test_updating_choices_replaces_them(objective, trainer):
    question = single_choice(objective, "Q?", trainer)
    services.update_question(
        question=question,
        kind=QuestionKind.MULTIPLE_CHOICE,
        choices=choices(True, True, False),
        by=trainer,
    )
    assert [(c.order, c.is_correct) for c in question.choices.all()] == [
        (1, True),
        (2, True),
        (3, False),
    ]
    assert Choice.objects.count() == 3


# --- Parallel forms --------------------------------------------------------------------


def items(form) -> list[Question]:
    return [item.question for item in form.items.select_related("question").order_by("position")]


def test_parallel_forms_share_no_question(trainer):
    version = build_version(trainer, modules=2, objectives=2, questions=5)
    result = services.assemble_parallel_forms(version=version, per_objective=2, seed=7)
    assert not {q.pk for q in items(result.form_a)} & {q.pk for q in items(result.form_b)}


def test_parallel_forms_cover_each_objective_equally(trainer):
    version = build_version(trainer, modules=2, objectives=2, questions=5)
    result = services.assemble_parallel_forms(version=version, per_objective=2, seed=7)
    for form in (result.form_a, result.form_b):
        per_objective = {}
        for question in items(form):
            per_objective[question.objective_id] = per_objective.get(question.objective_id, 0) + 1
        assert sorted(per_objective.values()) == [2, 2, 2, 2]


def test_parallel_forms_mix_the_kinds_alike(trainer):
    version = build_version(trainer, modules=1, objectives=1, questions=4)
    result = services.assemble_parallel_forms(version=version, per_objective=2, seed=11)
    assert sorted(q.kind for q in items(result.form_a)) == sorted(
        q.kind for q in items(result.form_b)
    )


def test_objectives_without_enough_questions_are_reported(trainer):
    version = build_version(trainer, modules=1, objectives=2, questions=4)
    thin = LearningObjective.objects.get(module__version=version, code="1.2")
    for question in thin.questions.all()[:3]:
        services.update_question(question=question, is_active=False)
    result = services.assemble_parallel_forms(version=version, per_objective=2, seed=1)
    assert [(s.objective, s.available, s.needed) for s in result.short] == [(thin, 1, 4)]
    assert thin.pk not in {q.objective_id for q in items(result.form_a) + items(result.form_b)}


def test_same_seed_gives_the_same_forms(trainer):
    version = build_version(trainer, modules=1, objectives=2, questions=6)
    first = services.assemble_parallel_forms(version=version, seed=5)
    a, b = items(first.form_a), items(first.form_b)
    again = services.assemble_parallel_forms(version=version, seed=5)
    assert (items(again.form_a), items(again.form_b)) == (a, b)


def test_assembling_again_replaces_the_forms(trainer):
    version = build_version(trainer, modules=1, objectives=1, questions=4)
    services.assemble_parallel_forms(version=version, per_objective=2, seed=1)
    result = services.assemble_parallel_forms(version=version, per_objective=1, seed=2)
    assert (len(items(result.form_a)), version.test_forms.count()) == (1, 2)


def test_inactive_questions_stay_off_the_forms(trainer):
    version = build_version(trainer, modules=1, objectives=1, questions=4)
    retired = Question.objects.filter(objective__module__version=version).first()
    services.update_question(question=retired, is_active=False)
    result = services.assemble_parallel_forms(version=version, per_objective=1, seed=1)
    assert retired not in items(result.form_a) + items(result.form_b)


def test_nothing_is_written_for_a_refused_curriculum():
    with pytest.raises(MizanError):
        services.create_curriculum(code="Bad Code!", titles={"en": "T"}, keeper=police())
    assert (
        Curriculum.objects.count(),
        CurriculumVersion.objects.count(),
        Module.objects.count(),
    ) == (
        0,
        0,
        0,
    )
