"""The border-guidelines vocabulary and the demo course built on it."""

from __future__ import annotations

import pytest

from mizan.core.demo.course import COURSE_CODE, VERSION_2_CHANGELOG, load_course
from mizan.recommendations.models import Term
from mizan.recommendations.vocabularies import load_shipped_vocabularies
from mizan.training.enums import VersionStatus
from mizan.training.models import Curriculum, Question, TestFormQuestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(trainer):
    load_shipped_vocabularies()
    return load_course(trainer)


def test_border_guidelines_are_ten_terms_in_three_languages():
    load_shipped_vocabularies()
    terms = Term.objects.filter(vocabulary__code="border-guidelines").order_by("position")
    assert [t.code for t in terms] == [f"G{n}" for n in range(1, 11)]
    assert all(set(t.labels) == {"ar", "fr", "en"} for t in terms)


def test_demo_course_has_a_frozen_version_1_and_a_draft_version_2(course):
    first, second = course.versions.order_by("number")
    assert (first.status, first.is_frozen) == (VersionStatus.PUBLISHED, True)
    assert (second.status, second.based_on, second.changelog) == (
        VersionStatus.DRAFT,
        first,
        VERSION_2_CHANGELOG,
    )


def test_demo_course_spans_five_days_with_objectives_and_questions(course):
    first = course.versions.get(number=1)
    modules = list(first.modules.prefetch_related("objectives__questions"))
    assert sorted({m.day for m in modules}) == [1, 2, 3, 4, 5]
    for module in modules:
        objectives = list(module.objectives.all())
        assert 2 <= len(objectives) <= 3
        assert all(2 <= len(o.questions.all()) <= 4 for o in objectives)


def test_demo_course_links_modules_to_guidelines_and_gcm_objectives(course):
    vocabularies = set(
        course.versions.get(number=1).modules.values_list("terms__vocabulary__code", flat=True)
    )
    assert vocabularies == {"border-guidelines", "gcm"}


def test_demo_course_questions_are_in_english_and_french(course):
    assert all({"en", "fr"} <= set(q.prompts) for q in Question.objects.all())


def test_demo_course_forms_a_and_b_share_no_question(course):
    first = course.versions.get(number=1)
    form_a, form_b = first.test_forms.order_by("code")
    a = set(TestFormQuestion.objects.filter(form=form_a).values_list("question_id", flat=True))
    b = set(TestFormQuestion.objects.filter(form=form_b).values_list("question_id", flat=True))
    assert a and b and not a & b


def test_loading_the_course_twice_adds_nothing(course, trainer):
    assert load_course(trainer) == course
    assert Curriculum.objects.filter(code=COURSE_CODE).count() == 1
