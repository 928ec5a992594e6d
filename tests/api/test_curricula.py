"""/api/v1/curricula/, /curriculum-versions/ and /questions/: who may read and change
what, and the errors they answer."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mizan.training import services
from mizan.training.enums import VersionStatus
from mizan.training.models import Curriculum, CurriculumVersion, LearningObjective, Question
from tests.api.assertions import assert_error_shape
from tests.training.builders import build_version, make_trainer, publish_and_freeze

pytestmark = pytest.mark.django_db

CURRICULA = "/api/v1/curricula/"
VERSIONS = "/api/v1/curriculum-versions/"
QUESTIONS = "/api/v1/questions/"


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
