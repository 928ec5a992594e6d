"""/api/v1/curricula/, /curriculum-versions/, /curriculum-modules/, /learning-objectives/
and /questions/: who may read and change what, and the errors they answer."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mizan.training import services
from mizan.training.enums import VersionStatus
from mizan.training.models import (
    Curriculum,
    CurriculumVersion,
    LearningObjective,
    Module,
    Question,
)
from tests.api.assertions import assert_error_shape
from tests.factories import TermFactory, VocabularyFactory
from tests.training.builders import build_version, make_trainer, publish_and_freeze

pytestmark = pytest.mark.django_db

CURRICULA = "/api/v1/curricula/"
VERSIONS = "/api/v1/curriculum-versions/"
QUESTIONS = "/api/v1/questions/"
MODULES = "/api/v1/curriculum-modules/"
OBJECTIVES = "/api/v1/learning-objectives/"


@pytest.fixture
def trainer(db):
    return make_trainer()


@pytest.fixture
def version(trainer):
    return build_version(trainer, modules=2, objectives=2, questions=2)


def objective_of(version) -> LearningObjective:
    return LearningObjective.objects.filter(module__version=version).order_by("id").first()


# --- Curricula -------------------------------------------------------------------------


def test_anonymous_gets_401(api, version):
    assert_error_shape(api.get(CURRICULA), 401)


@pytest.mark.parametrize(
    "url",
    [
        lambda v: CURRICULA,
        lambda v: f"{CURRICULA}{v.curriculum_id}/",
        lambda v: f"{VERSIONS}{v.pk}/",
        lambda v: QUESTIONS,
        lambda v: MODULES,
        lambda v: f"{MODULES}{v.modules.first().pk}/",
        lambda v: OBJECTIVES,
        lambda v: f"{OBJECTIVES}{objective_of(v).pk}/",
    ],
)
def test_outsider_gets_403(url, as_user, outsider, version):
    assert_error_shape(as_user(outsider).get(url(version)), 403)


def test_viewer_reads_curricula_with_their_versions(as_user, viewer, version):
    body = as_user(viewer).get(CURRICULA).json()
    (curriculum,) = body["results"]
    assert (curriculum["code"], curriculum["keeper"], curriculum["versions"]) == (
        "migration-rights",
        "police",
        [
            {
                "id": version.pk,
                "number": 1,
                "status": "draft",
                "published_at": None,
                "frozen_at": None,
            }
        ],
    )


def test_coordinator_creates_a_curriculum(as_user, coordinator, nhri):
    response = as_user(coordinator).post(
        CURRICULA,
        {"code": "border-basics", "titles": {"en": "Border basics"}, "keeper": "nhri"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["versions"][0]["number"] == 1
    assert Curriculum.objects.filter(code="border-basics").exists()


def test_viewer_may_not_create_a_curriculum(as_user, viewer, nhri):
    response = as_user(viewer).post(
        CURRICULA, {"code": "x", "titles": {"en": "X"}, "keeper": "nhri"}, format="json"
    )
    assert_error_shape(response, 403)
    assert not Curriculum.objects.exists()


def test_a_curriculum_without_title_is_refused(as_user, coordinator, nhri):
    response = as_user(coordinator).post(
        CURRICULA, {"code": "x", "titles": {"en": " "}, "keeper": "nhri"}, format="json"
    )
    assert assert_error_shape(response, 400)["fields"] == {
        "titles": ["Write it in at least one language."]
    }


def test_trainer_changes_a_curriculum(as_user, trainer, version):
    response = as_user(trainer).patch(
        f"{CURRICULA}{version.curriculum_id}/", {"summary": "Five days."}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["summary"] == "Five days."


def test_the_code_of_a_curriculum_cannot_change(as_user, trainer, version):
    response = as_user(trainer).patch(
        f"{CURRICULA}{version.curriculum_id}/", {"code": "other"}, format="json"
    )
    assert "code" in assert_error_shape(response, 400)["fields"]


def test_viewer_may_not_change_a_curriculum(as_user, viewer, version):
    response = as_user(viewer).patch(
        f"{CURRICULA}{version.curriculum_id}/", {"summary": "No."}, format="json"
    )
    assert_error_shape(response, 403)


# --- Versions --------------------------------------------------------------------------


def test_version_comes_with_modules_and_objectives(as_user, viewer, version):
    body = as_user(viewer).get(f"{VERSIONS}{version.pk}/").json()
    assert [m["title"] for m in body["modules"]] == ["Module 1", "Module 2"]
    assert [o["code"] for o in body["modules"][0]["objectives"]] == ["1.1", "1.2"]
    assert body["modules"][0]["methods"] == ["case_study", "role_play"]


def test_version_answer_takes_the_same_queries_for_more_modules(as_user, viewer, trainer):
    small = build_version(trainer, code="small", modules=1, objectives=1, questions=0)
    large = build_version(trainer, modules=3, objectives=2, questions=0)
    client = as_user(viewer)
    client.get(f"{VERSIONS}{small.pk}/")  # the user's roles are read once, then cached
    with CaptureQueriesContext(connection) as one:
        client.get(f"{VERSIONS}{small.pk}/")
    with CaptureQueriesContext(connection) as three:
        client.get(f"{VERSIONS}{large.pk}/")
    assert len(one) == len(three)


def test_trainer_starts_a_new_version(as_user, trainer, version):
    publish_and_freeze(version, trainer)
    response = as_user(trainer).post(
        f"{VERSIONS}{version.pk}/new-version/", {"changelog": "Longer role play."}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["status"], body["based_on"], len(body["modules"])) == (
        2,
        "draft",
        version.pk,
        2,
    )


def test_a_new_version_needs_a_changelog(as_user, trainer, version):
    services.publish_version(version=version, by=trainer)
    response = as_user(trainer).post(f"{VERSIONS}{version.pk}/new-version/", {}, format="json")
    assert "changelog" in assert_error_shape(response, 400)["fields"]


def test_viewer_may_not_start_a_new_version(as_user, viewer, version):
    response = as_user(viewer).post(
        f"{VERSIONS}{version.pk}/new-version/", {"changelog": "No."}, format="json"
    )
    assert_error_shape(response, 403)
    assert CurriculumVersion.objects.count() == 1


def test_coordinator_publishes_a_draft(as_user, coordinator, version):
    response = as_user(coordinator).post(f"{VERSIONS}{version.pk}/publish/")
    assert response.status_code == 200, response.content
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED


def test_publishing_twice_is_an_error_not_a_crash(as_user, coordinator, version):
    as_user(coordinator).post(f"{VERSIONS}{version.pk}/publish/")
    response = as_user(coordinator).post(f"{VERSIONS}{version.pk}/publish/")
    assert assert_error_shape(response, 400)["code"] == "already_published"


def test_viewer_may_not_publish(as_user, viewer, version):
    assert_error_shape(as_user(viewer).post(f"{VERSIONS}{version.pk}/publish/"), 403)


# --- Questions -------------------------------------------------------------------------


def test_viewer_may_not_read_the_question_bank(as_user, viewer, version):
    question = Question.objects.first()
    assert_error_shape(as_user(viewer).get(QUESTIONS), 403)
    assert_error_shape(as_user(viewer).get(f"{QUESTIONS}{question.pk}/"), 403)


def test_focal_point_may_not_read_the_question_bank(as_user, focal_point, version):
    assert_error_shape(as_user(focal_point).get(QUESTIONS), 403)


def test_trainer_lists_a_versions_questions_with_answers(as_user, trainer, version):
    build_version(trainer, code="other", modules=1, objectives=1, questions=1)
    body = as_user(trainer).get(QUESTIONS, {"version": version.pk}).json()
    assert body["count"] == 8
    first = body["results"][0]
    assert first["choices"] == [
        {"texts": {"en": "Right"}, "is_correct": True},
        {"texts": {"en": "Wrong"}, "is_correct": False},
    ]


def test_a_bad_filter_is_refused(as_user, trainer, version):
    response = as_user(trainer).get(QUESTIONS, {"version": "x"})
    assert "version" in assert_error_shape(response, 400)["fields"]


def test_coordinator_adds_a_question(as_user, coordinator, version):
    objective = objective_of(version)
    response = as_user(coordinator).post(
        QUESTIONS,
        {
            "objective": objective.pk,
            "kind": "short_answer",
            "prompts": {"en": "Name one alternative to detention.", "fr": "Citez-en une."},
            "model_answers": {"en": "Regular reporting."},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert objective.questions.filter(kind="short_answer").count() == 1


def test_a_question_with_two_correct_single_choices_is_refused(as_user, trainer, version):
    response = as_user(trainer).post(
        QUESTIONS,
        {
            "objective": objective_of(version).pk,
            "kind": "single_choice",
            "prompts": {"en": "Pick one"},
            "choices": [
                {"texts": {"en": "A"}, "is_correct": True},
                {"texts": {"en": "B"}, "is_correct": True},
            ],
        },
        format="json",
    )
    assert assert_error_shape(response, 400)["fields"] == {
        "choices": ["Mark exactly one choice as correct."]
    }


def test_viewer_may_not_add_a_question(as_user, viewer, version):
    response = as_user(viewer).post(
        QUESTIONS,
        {"objective": objective_of(version).pk, "kind": "short_answer", "prompts": {"en": "Q"}},
        format="json",
    )
    assert_error_shape(response, 403)


def test_trainer_changes_a_question(as_user, trainer, version):
    question = Question.objects.order_by("id").first()
    response = as_user(trainer).patch(
        f"{QUESTIONS}{question.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 200, response.content
    question.refresh_from_db()
    assert question.is_active is False


def test_a_question_of_a_frozen_version_cannot_change(as_user, trainer, version):
    publish_and_freeze(version, trainer)
    question = Question.objects.order_by("id").first()
    response = as_user(trainer).patch(
        f"{QUESTIONS}{question.pk}/", {"prompts": {"en": "Changed"}}, format="json"
    )
    assert assert_error_shape(response, 400)["code"] == "frozen"
    question.refresh_from_db()
    assert question.prompts != {"en": "Changed"}


# --- Modules ---------------------------------------------------------------------------


def first_module(version) -> Module:
    return version.modules.order_by("order").first()


def test_viewer_lists_a_versions_modules_in_order(as_user, viewer, trainer, version):
    build_version(trainer, code="other", modules=1, objectives=1, questions=0)
    body = as_user(viewer).get(MODULES, {"version": version.pk}).json()
    assert [(m["version"], m["order"], m["title"]) for m in body["results"]] == [
        (version.pk, 1, "Module 1"),
        (version.pk, 2, "Module 2"),
    ]
    assert [o["code"] for o in body["results"][0]["objectives"]] == ["1.1", "1.2"]


def test_viewer_reads_a_module(as_user, viewer, version):
    module = first_module(version)
    body = as_user(viewer).get(f"{MODULES}{module.pk}/").json()
    assert (body["titles"], body["duration_minutes"], body["methods"]) == (
        {"en": "Module 1", "ar": "الوحدة 1"},
        90,
        ["case_study", "role_play"],
    )


def test_a_bad_module_filter_is_refused(as_user, viewer, version):
    response = as_user(viewer).get(MODULES, {"version": "one"})
    assert "version" in assert_error_shape(response, 400)["fields"]


def test_trainer_adds_a_module_at_the_end(as_user, trainer, version):
    guideline = TermFactory(vocabulary=VocabularyFactory(code="border-guidelines"), code="G4")
    response = as_user(trainer).post(
        MODULES,
        {
            "version": version.pk,
            "titles": {"en": "Screening"},
            "duration_minutes": 60,
            "methods": ["lecture"],
            "term_ids": [guideline.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["order"], body["title"], body["day"]) == (3, "Screening", None)
    assert [t["code"] for t in body["terms"]] == ["G4"]
    module = Module.objects.get(pk=body["id"])
    assert module.history.latest().history_user == trainer


def test_a_module_needs_a_duration(as_user, coordinator, version):
    response = as_user(coordinator).post(
        MODULES,
        {"version": version.pk, "titles": {"en": "X"}, "duration_minutes": 0},
        format="json",
    )
    assert "duration_minutes" in assert_error_shape(response, 400)["fields"]


def test_viewer_may_not_add_a_module(as_user, viewer, version):
    response = as_user(viewer).post(
        MODULES,
        {"version": version.pk, "titles": {"en": "X"}, "duration_minutes": 60},
        format="json",
    )
    assert_error_shape(response, 403)
    assert version.modules.count() == 2


def test_coordinator_changes_a_module(as_user, coordinator, version):
    module = first_module(version)
    response = as_user(coordinator).patch(
        f"{MODULES}{module.pk}/", {"duration_minutes": 120, "day": None}, format="json"
    )
    assert response.status_code == 200, response.content
    module.refresh_from_db()
    assert (module.duration_minutes, module.day) == (120, None)
    assert module.history.latest().history_user == coordinator


def test_a_module_cannot_move_to_another_version(as_user, trainer, version):
    other = build_version(trainer, code="other", modules=0)
    response = as_user(trainer).patch(
        f"{MODULES}{first_module(version).pk}/", {"version": other.pk}, format="json"
    )
    assert "version" in assert_error_shape(response, 400)["fields"]


def test_viewer_may_not_change_or_remove_a_module(as_user, viewer, version):
    module = first_module(version)
    client = as_user(viewer)
    assert_error_shape(client.patch(f"{MODULES}{module.pk}/", {"day": 3}, format="json"), 403)
    assert_error_shape(client.delete(f"{MODULES}{module.pk}/"), 403)
    assert Module.objects.filter(pk=module.pk, day=1).exists()


def test_trainer_removes_a_module_with_its_objectives(as_user, trainer, version):
    module = first_module(version)
    response = as_user(trainer).delete(f"{MODULES}{module.pk}/")
    assert response.status_code == 204, response.content
    assert not Module.objects.filter(pk=module.pk).exists()
    assert LearningObjective.objects.filter(module__version=version).count() == 2


def test_a_frozen_versions_modules_do_not_change(as_user, trainer, version):
    publish_and_freeze(version, trainer)
    module = first_module(version)
    client = as_user(trainer)
    responses = [
        client.post(
            MODULES,
            {"version": version.pk, "titles": {"en": "X"}, "duration_minutes": 60},
            format="json",
        ),
        client.patch(f"{MODULES}{module.pk}/", {"duration_minutes": 5}, format="json"),
        client.delete(f"{MODULES}{module.pk}/"),
    ]
    assert [assert_error_shape(r, 400)["code"] for r in responses] == ["frozen"] * 3
    module.refresh_from_db()
    assert (version.modules.count(), module.duration_minutes) == (2, 90)


# --- Learning objectives ---------------------------------------------------------------


def test_viewer_lists_a_modules_objectives(as_user, viewer, version):
    module = first_module(version)
    body = as_user(viewer).get(OBJECTIVES, {"module": module.pk}).json()
    assert [(o["module"], o["code"], o["text"]) for o in body["results"]] == [
        (module.pk, "1.1", "Objective 1.1"),
        (module.pk, "1.2", "Objective 1.2"),
    ]


def test_a_bad_objective_filter_is_refused(as_user, viewer, version):
    response = as_user(viewer).get(OBJECTIVES, {"module": "-1"})
    assert "module" in assert_error_shape(response, 400)["fields"]


def test_trainer_adds_an_objective_at_the_end(as_user, trainer, version):
    module = first_module(version)
    response = as_user(trainer).post(
        OBJECTIVES,
        {"module": module.pk, "code": "1.3", "texts": {"en": "Refer a child to care."}},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["order"], body["code"], body["text"]) == (3, "1.3", "Refer a child to care.")
    objective = LearningObjective.objects.get(pk=body["id"])
    assert objective.history.latest().history_user == trainer


def test_an_objective_code_is_unique_in_the_version(as_user, trainer, version):
    response = as_user(trainer).post(
        OBJECTIVES,
        {"module": first_module(version).pk, "code": "2.1", "texts": {"en": "Again"}},
        format="json",
    )
    assert assert_error_shape(response, 400)["fields"] == {
        "code": ["Another objective of this version has the code 2.1."]
    }


def test_viewer_may_not_add_an_objective(as_user, viewer, version):
    response = as_user(viewer).post(
        OBJECTIVES,
        {"module": first_module(version).pk, "code": "1.3", "texts": {"en": "No"}},
        format="json",
    )
    assert_error_shape(response, 403)
    assert LearningObjective.objects.count() == 4


def test_coordinator_changes_an_objective(as_user, coordinator, version):
    objective = objective_of(version)
    response = as_user(coordinator).patch(
        f"{OBJECTIVES}{objective.pk}/", {"texts": {"en": "Reworded"}}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["text"] == "Reworded"
    objective.refresh_from_db()
    assert (objective.code, objective.texts) == ("1.1", {"en": "Reworded"})


def test_an_objective_cannot_move_to_another_module(as_user, trainer, version):
    other = version.modules.order_by("order").last()
    response = as_user(trainer).patch(
        f"{OBJECTIVES}{objective_of(version).pk}/", {"module": other.pk}, format="json"
    )
    assert "module" in assert_error_shape(response, 400)["fields"]


def test_viewer_may_not_change_or_remove_an_objective(as_user, viewer, version):
    objective = objective_of(version)
    client = as_user(viewer)
    response = client.patch(f"{OBJECTIVES}{objective.pk}/", {"code": "9.9"}, format="json")
    assert_error_shape(response, 403)
    assert_error_shape(client.delete(f"{OBJECTIVES}{objective.pk}/"), 403)
    assert LearningObjective.objects.filter(pk=objective.pk, code="1.1").exists()


def test_trainer_removes_an_objective_with_its_questions(as_user, trainer, version):
    objective = objective_of(version)
    response = as_user(trainer).delete(f"{OBJECTIVES}{objective.pk}/")
    assert response.status_code == 204, response.content
    assert not Question.objects.filter(objective_id=objective.pk).exists()


def test_a_frozen_versions_objectives_do_not_change(as_user, trainer, version):
    publish_and_freeze(version, trainer)
    objective = objective_of(version)
    client = as_user(trainer)
    responses = [
        client.post(
            OBJECTIVES,
            {"module": objective.module_id, "code": "1.9", "texts": {"en": "X"}},
            format="json",
        ),
        client.patch(f"{OBJECTIVES}{objective.pk}/", {"code": "9.9"}, format="json"),
        client.delete(f"{OBJECTIVES}{objective.pk}/"),
    ]
    assert [assert_error_shape(r, 400)["code"] for r in responses] == ["frozen"] * 3
    objective.refresh_from_db()
    assert objective.code == "1.1"
