"""The back office's curriculum pages: who may open and use them, and what they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mizan.training import services
from mizan.training.enums import QuestionKind, VersionStatus
from mizan.training.models import (
    Curriculum,
    CurriculumVersion,
    LearningObjective,
    Module,
    Question,
    TestForm,
)
from tests.actions.factories import pdf_upload
from tests.training.builders import build_version, make_trainer, publish_and_freeze

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def trainer(db):
    return make_trainer()


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


@pytest.fixture
def focal_client(client, focal_point):
    client.force_login(focal_point)
    return client


@pytest.fixture
def version(trainer):
    return build_version(trainer, modules=2, objectives=2, questions=4)


@pytest.fixture
def frozen(version, trainer):
    return publish_and_freeze(version, trainer)


def module_of(version) -> Module:
    return version.modules.order_by("order").first()


def objective_of(version) -> LearningObjective:
    return LearningObjective.objects.filter(module__version=version).order_by("id").first()


def question_of(version) -> Question:
    return Question.objects.filter(objective__module__version=version).order_by("id").first()


# --- Reading ---------------------------------------------------------------------------

READ_PAGES = {
    "list": lambda v: reverse("staff:curriculum_list"),
    "curriculum": lambda v: reverse("staff:curriculum_detail", args=[v.curriculum_id]),
    "version": lambda v: reverse("staff:curriculum_version_detail", args=[v.pk]),
}
BANK_PAGES = {
    "bank": lambda v: reverse("staff:question_bank", args=[v.pk]),
    "forms": lambda v: reverse("staff:parallel_forms", args=[v.pk]),
    "question-new": lambda v: reverse("staff:question_create", args=[objective_of(v).pk]),
    "question-edit": lambda v: reverse("staff:question_edit", args=[question_of(v).pk]),
}


@pytest.mark.parametrize("url", READ_PAGES.values(), ids=READ_PAGES.keys())
def test_a_viewer_reads_curricula(url, viewer_client, version):
    assert viewer_client.get(url(version)).status_code == 200


@pytest.mark.parametrize("url", [*READ_PAGES.values(), *BANK_PAGES.values()])
def test_an_account_without_membership_is_refused(url, outsider_client, version):
    assert outsider_client.get(url(version)).status_code == 403


@pytest.mark.parametrize("url", READ_PAGES.values(), ids=READ_PAGES.keys())
def test_a_visitor_is_sent_to_log_in(url, client, version):
    response = client.get(url(version))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", BANK_PAGES.values(), ids=BANK_PAGES.keys())
def test_the_question_bank_is_refused_to_a_viewer(url, viewer_client, version):
    assert viewer_client.get(url(version)).status_code == 403


@pytest.mark.parametrize("url", BANK_PAGES.values(), ids=BANK_PAGES.keys())
def test_the_question_bank_is_refused_to_a_focal_point(url, focal_client, version):
    assert focal_client.get(url(version)).status_code == 403


@pytest.mark.parametrize("url", BANK_PAGES.values(), ids=BANK_PAGES.keys())
def test_a_trainer_opens_the_question_bank(url, trainer_client, version):
    assert trainer_client.get(url(version)).status_code == 200


def test_the_bank_shows_the_correct_answers(coordinator_client, version):
    response = coordinator_client.get(reverse("staff:question_bank", args=[version.pk]))
    assert "Question 1.1.1" in response.text
    assert "(correct)" in response.text


def test_the_version_page_shows_modules_in_order_with_their_objectives(viewer_client, version):
    services.move_module(module=module_of(version), offset=1)
    text = viewer_client.get(reverse("staff:curriculum_version_detail", args=[version.pk])).text
    assert text.index("Module 2") < text.index("Module 1")
    assert "Objective 1.2" in text
    assert "Case study, Role play" in text


def test_a_viewer_sees_no_editing_controls(viewer_client, version):
    text = viewer_client.get(reverse("staff:curriculum_version_detail", args=[version.pk])).text
    assert reverse("staff:module_create", args=[version.pk]) not in text
    assert reverse("staff:question_bank", args=[version.pk]) not in text


def test_a_frozen_version_shows_no_editing_controls(trainer_client, frozen):
    text = trainer_client.get(reverse("staff:curriculum_version_detail", args=[frozen.pk])).text
    assert "Frozen" in text
    assert reverse("staff:module_create", args=[frozen.pk]) not in text
    assert reverse("staff:curriculum_version_new", args=[frozen.pk]) in text


def test_version_page_queries_do_not_grow_with_modules(trainer_client, trainer):
    def count(modules: int) -> int:
        version = build_version(
            trainer, code=f"course-{modules}", modules=modules, objectives=2, questions=0
        )
        for module in version.modules.all():
            services.attach_material(module=module, upload=pdf_upload(), by=trainer)
        url = reverse("staff:curriculum_version_detail", args=[version.pk])
        with CaptureQueriesContext(connection) as queries:
            assert trainer_client.get(url).status_code == 200
        return len(queries)

    assert count(1) == count(3)


def test_list_queries_do_not_grow_with_curricula(viewer_client, trainer):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            viewer_client.get(reverse("staff:curriculum_list"))
        return len(queries)

    services.create_curriculum(
        code="c1", titles={"en": "C1"}, keeper=trainer.memberships.get().institution
    )
    one = count()
    for code in ("c2", "c3"):
        services.create_curriculum(
            code=code, titles={"en": code}, keeper=trainer.memberships.get().institution
        )
    assert count() == one


# --- Writing ---------------------------------------------------------------------------


def translations(name: str, en: str = "", fr: str = "", ar: str = "") -> dict[str, str]:
    return {f"{name}_0": ar, f"{name}_1": fr, f"{name}_2": en}


def test_a_coordinator_creates_a_curriculum(coordinator_client, nhri):
    response = coordinator_client.post(
        reverse("staff:curriculum_create"),
        {"code": "border-basics", **translations("titles", en="Border basics"), "keeper": nhri.pk},
    )
    curriculum = Curriculum.objects.get(code="border-basics")
    assert response["Location"] == reverse("staff:curriculum_detail", args=[curriculum.pk])
    assert curriculum.versions.get().status == VersionStatus.DRAFT


def test_a_curriculum_needs_a_title(coordinator_client, nhri):
    response = coordinator_client.post(
        reverse("staff:curriculum_create"),
        {"code": "untitled", **translations("titles"), "keeper": nhri.pk},
    )
    assert response.status_code == 200
    assert "Write it in at least one language." in response.text


def test_a_trainer_renames_a_curriculum_keeping_other_languages(trainer_client, version):
    curriculum = version.curriculum
    curriculum.titles = {**curriculum.titles, "es": "Derechos"}
    curriculum.save()
    trainer_client.post(
        reverse("staff:curriculum_edit", args=[curriculum.pk]),
        {**translations("titles", en="Migrants' rights"), "keeper": curriculum.keeper_id},
    )
    curriculum.refresh_from_db()
    assert curriculum.titles == {"en": "Migrants' rights", "es": "Derechos"}


WRITE_PAGES = {
    "curriculum-new": lambda v: reverse("staff:curriculum_create"),
    "curriculum-edit": lambda v: reverse("staff:curriculum_edit", args=[v.curriculum_id]),
    "version-new": lambda v: reverse("staff:curriculum_version_new", args=[v.pk]),
    "version-changelog": lambda v: reverse("staff:curriculum_version_changelog", args=[v.pk]),
    "module-new": lambda v: reverse("staff:module_create", args=[v.pk]),
    "module-edit": lambda v: reverse("staff:module_edit", args=[module_of(v).pk]),
    "objective-new": lambda v: reverse("staff:objective_create", args=[module_of(v).pk]),
    "objective-edit": lambda v: reverse("staff:objective_edit", args=[objective_of(v).pk]),
}
POST_STEPS = {
    "publish": lambda v: reverse("staff:curriculum_version_publish", args=[v.pk]),
    "module-remove": lambda v: reverse("staff:module_remove", args=[module_of(v).pk]),
    "module-move": lambda v: reverse("staff:module_move", args=[module_of(v).pk]),
    "material": lambda v: reverse("staff:module_material", args=[module_of(v).pk]),
    "objective-remove": lambda v: reverse("staff:objective_remove", args=[objective_of(v).pk]),
    "assemble": lambda v: reverse("staff:parallel_forms", args=[v.pk]),
}


@pytest.mark.parametrize("url", WRITE_PAGES.values(), ids=WRITE_PAGES.keys())
def test_a_trainer_opens_the_forms(url, trainer_client, version):
    assert trainer_client.get(url(version)).status_code == 200


@pytest.mark.parametrize("url", WRITE_PAGES.values(), ids=WRITE_PAGES.keys())
def test_a_viewer_may_not_open_the_forms(url, viewer_client, version):
    assert viewer_client.get(url(version)).status_code == 403


@pytest.mark.parametrize(
    "url", [*WRITE_PAGES.values(), *POST_STEPS.values()], ids=[*WRITE_PAGES, *POST_STEPS]
)
def test_a_viewer_may_not_change_anything(url, viewer_client, version):
    before = (Module.objects.count(), LearningObjective.objects.count(), TestForm.objects.count())
    assert viewer_client.post(url(version), {}).status_code == 403
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    after = (Module.objects.count(), LearningObjective.objects.count(), TestForm.objects.count())
    assert after == before


def test_a_trainer_adds_a_module(trainer_client, version):
    response = trainer_client.post(
        reverse("staff:module_create", args=[version.pk]),
        {
            **translations("titles", en="Detention", ar="الاحتجاز"),
            "day": 4,
            "duration_minutes": 120,
            "methods": ["debate", "case_study"],
            "summary": "",
        },
    )
    module = version.modules.order_by("order").last()
    assert response.status_code == 302
    assert (module.titles, module.methods, module.order) == (
        {"en": "Detention", "ar": "الاحتجاز"},
        ["debate", "case_study"],
        3,
    )


def test_a_trainer_edits_a_module(trainer_client, version):
    module = module_of(version)
    trainer_client.post(
        reverse("staff:module_edit", args=[module.pk]),
        {**translations("titles", en="Renamed"), "duration_minutes": 45, "methods": ["lecture"]},
    )
    module.refresh_from_db()
    assert (module.title, module.duration_minutes) == ("Renamed", 45)


def test_a_trainer_moves_a_module_down(trainer_client, version):
    first, second = version.modules.order_by("order")
    trainer_client.post(reverse("staff:module_move", args=[first.pk]), {"direction": "down"})
    assert list(version.modules.order_by("order")) == [second, first]


def test_a_trainer_removes_a_module(trainer_client, version):
    module = module_of(version)
    trainer_client.post(reverse("staff:module_remove", args=[module.pk]))
    assert not Module.objects.filter(pk=module.pk).exists()


def test_a_trainer_uploads_material(trainer_client, version):
    module = module_of(version)
    trainer_client.post(
        reverse("staff:module_material", args=[module.pk]),
        {"file": pdf_upload("case-study.pdf"), "description": "Case study"},
    )
    assert [m.name for m in module.materials.all()] == ["case-study.pdf"]


def test_a_trainer_adds_and_edits_an_objective(trainer_client, version):
    module = module_of(version)
    trainer_client.post(
        reverse("staff:objective_create", args=[module.pk]),
        {"code": "1.3", **translations("texts", en="Explain non-refoulement.")},
    )
    objective = module.objectives.get(code="1.3")
    trainer_client.post(
        reverse("staff:objective_edit", args=[objective.pk]),
        {"code": "1.3", **translations("texts", en="Explain non-refoulement.", fr="Expliquer.")},
    )
    objective.refresh_from_db()
    assert objective.texts == {"en": "Explain non-refoulement.", "fr": "Expliquer."}


def test_a_coordinator_starts_a_new_version(coordinator_client, frozen):
    response = coordinator_client.post(
        reverse("staff:curriculum_version_new", args=[frozen.pk]),
        {"changelog": "Adds a role play on interviewing children."},
    )
    new = CurriculumVersion.objects.get(curriculum=frozen.curriculum, number=2)
    assert response["Location"] == reverse("staff:curriculum_version_detail", args=[new.pk])
    assert new.modules.count() == frozen.modules.count()


def changelog_url(version) -> str:
    return reverse("staff:curriculum_version_changelog", args=[version.pk])


def test_the_changelog_link_shows_to_a_trainer_on_a_draft(trainer_client, version):
    page = reverse("staff:curriculum_version_detail", args=[version.pk])
    assert changelog_url(version) in trainer_client.get(page).text


def test_a_viewer_sees_no_changelog_link(viewer_client, version):
    page = reverse("staff:curriculum_version_detail", args=[version.pk])
    assert changelog_url(version) not in viewer_client.get(page).text


def test_a_frozen_version_shows_no_changelog_link(trainer_client, frozen):
    page = reverse("staff:curriculum_version_detail", args=[frozen.pk])
    assert changelog_url(frozen) not in trainer_client.get(page).text


def test_a_trainer_edits_the_changelog(trainer_client, trainer, version):
    response = trainer_client.post(changelog_url(version), {"changelog": "  First edition.  "})
    assert response["Location"] == reverse("staff:curriculum_version_detail", args=[version.pk])
    version.refresh_from_db()
    assert version.changelog == "First edition."
    assert version.history.latest().history_user == trainer
    page = trainer_client.get(response["Location"]).text
    assert "Changelog saved." in page
    assert "First edition." in page


def test_the_changelog_form_shows_the_current_one(coordinator_client, frozen, trainer):
    draft = services.new_version_from(version=frozen, changelog="Longer role play.", by=trainer)
    assert "Longer role play." in coordinator_client.get(changelog_url(draft)).text


def test_a_later_version_keeps_a_changelog(trainer_client, frozen, trainer):
    draft = services.new_version_from(version=frozen, changelog="Longer role play.", by=trainer)
    response = trainer_client.post(changelog_url(draft), {"changelog": " "})
    assert response.status_code == 200
    assert "This field is required." in response.text
    draft.refresh_from_db()
    assert draft.changelog == "Longer role play."


def test_the_changelog_of_a_frozen_version_cannot_change(trainer_client, frozen):
    opened = trainer_client.get(changelog_url(frozen), follow=True)
    assert opened.redirect_chain[-1][0] == reverse(
        "staff:curriculum_version_detail", args=[frozen.pk]
    )
    assert "is frozen because sessions use it" in opened.text
    response = trainer_client.post(changelog_url(frozen), {"changelog": "Too late."})
    assert response.status_code == 200
    assert "is frozen because sessions use it" in response.text
    frozen.refresh_from_db()
    assert frozen.changelog == ""


def test_the_changelog_form_is_refused_to_an_outsider(outsider_client, version):
    assert outsider_client.get(changelog_url(version)).status_code == 403
    assert outsider_client.post(changelog_url(version), {"changelog": "No."}).status_code == 403


def test_a_trainer_publishes_a_draft(trainer_client, version):
    trainer_client.post(reverse("staff:curriculum_version_publish", args=[version.pk]))
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED


def test_changing_a_frozen_version_is_refused_with_a_reason(trainer_client, frozen):
    response = trainer_client.post(
        reverse("staff:module_create", args=[frozen.pk]),
        {**translations("titles", en="Late"), "duration_minutes": 30},
    )
    assert response.status_code == 200
    assert "frozen" in response.text
    assert frozen.modules.count() == 2


def choice_rows(*rows: tuple[str, bool], total: int = 4) -> dict[str, str]:
    data = {"choices-TOTAL_FORMS": str(total), "choices-INITIAL_FORMS": "0"}
    for index in range(total):
        text, correct = rows[index] if index < len(rows) else ("", False)
        data.update(
            {f"choices-{index}-texts_{n}": "" for n in range(3)}
            | {f"choices-{index}-texts_2": text}
        )
        if correct:
            data[f"choices-{index}-is_correct"] = "on"
    return data


def test_a_trainer_adds_a_question_with_its_choices(trainer_client, version):
    objective = objective_of(version)
    response = trainer_client.post(
        reverse("staff:question_create", args=[objective.pk]),
        {
            "kind": QuestionKind.MULTIPLE_CHOICE,
            **translations("prompts", en="Which are alternatives to detention?"),
            **translations("model_answers"),
            "is_active": "on",
            **choice_rows(("Reporting", True), ("Bail", True), ("Police cell", False)),
        },
    )
    assert response.status_code == 302
    question = objective.questions.get(prompts__en="Which are alternatives to detention?")
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [
        ("Reporting", True),
        ("Bail", True),
        ("Police cell", False),
    ]


def test_a_question_without_a_correct_choice_is_shown_again(trainer_client, version):
    objective = objective_of(version)
    response = trainer_client.post(
        reverse("staff:question_create", args=[objective.pk]),
        {
            "kind": QuestionKind.SINGLE_CHOICE,
            **translations("prompts", en="Pick one"),
            **translations("model_answers"),
            **choice_rows(("A", False), ("B", False)),
        },
    )
    assert response.status_code == 200
    assert "Mark exactly one choice as correct." in response.text


def test_a_trainer_edits_a_question(trainer_client, version):
    question = question_of(version)
    trainer_client.post(
        reverse("staff:question_edit", args=[question.pk]),
        {
            "kind": QuestionKind.SINGLE_CHOICE,
            **translations("prompts", en="Reworded"),
            **translations("model_answers"),
            **choice_rows(("Yes", False), ("No", True)),
        },
    )
    question.refresh_from_db()
    assert (question.prompt, question.is_active) == ("Reworded", False)
    assert [c.is_correct for c in question.choices.all()] == [False, True]


def test_a_viewer_may_not_add_a_question(viewer_client, version):
    objective = objective_of(version)
    response = viewer_client.post(
        reverse("staff:question_create", args=[objective.pk]),
        {"kind": QuestionKind.SHORT_ANSWER, **translations("prompts", en="Why?")},
    )
    assert response.status_code == 403
    assert not objective.questions.filter(prompts__en="Why?").exists()


def test_a_trainer_assembles_forms_and_sees_them_side_by_side(trainer_client, version):
    url = reverse("staff:parallel_forms", args=[version.pk])
    response = trainer_client.post(url, {"per_objective": 2, "seed": 4})
    assert response["Location"] == url
    text = trainer_client.get(url).text
    assert "Form A" in text and "Form B" in text
    assert version.test_forms.count() == 2


def test_assembling_reports_objectives_short_of_questions(trainer_client, version):
    url = reverse("staff:parallel_forms", args=[version.pk])
    response = trainer_client.post(url, {"per_objective": 3}, follow=True)
    assert "Objective 1.1 has 4 questions in use; 6 are needed" in response.text
