"""/api/v1/recommendations/: the list and its filters, reading, writing through the services."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from mizan.recommendations import services
from mizan.recommendations.models import Recommendation
from mizan.recommendations.queries import RecommendationFilters, recommendations_visible_to
from tests.api.assertions import assert_error_shape
from tests.factories import (
    InstitutionFactory,
    MechanismFactory,
    RecommendationFactory,
    SourceDocumentFactory,
    TaggingFactory,
    TermFactory,
    VocabularyFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/recommendations/"


def detail(recommendation) -> str:
    return f"{URL}{recommendation.pk}/"


@pytest.fixture
def reader(as_user, viewer):
    return as_user(viewer)


@pytest.fixture
def editor(as_user, coordinator):
    return as_user(coordinator)


# --- Reading ------------------------------------------------------------------------------


def test_list_is_paginated_with_nested_texts(reader):
    recommendation = RecommendationFactory(text="Train border officials.")
    body = reader.get(URL).json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == recommendation.pk
    assert body["results"][0]["texts"] == [
        {"language": "en", "text": "Train border officials.", "is_original": True}
    ]


def test_retrieve_shows_document_tags_and_institutions(reader):
    recommendation = RecommendationFactory(document=SourceDocumentFactory(symbol="CMW/C/MAR/CO/2"))
    TaggingFactory(
        recommendation=recommendation,
        term=TermFactory(vocabulary=VocabularyFactory(code="sdg_goals"), code="10"),
    )
    services.assign_recommendation(
        recommendation=recommendation, institution=InstitutionFactory(code="police")
    )
    body = reader.get(detail(recommendation)).json()
    assert (body["document"], body["mechanism"], body["state_under_review"]) == (
        "CMW/C/MAR/CO/2",
        "CMW",
        "Morocco",
    )
    assert [(t["vocabulary"], t["term"], t["confirmed"]) for t in body["tags"]] == [
        ("sdg_goals", "10", True)
    ]
    assert [(i["institution"], i["role"]) for i in body["institutions"]] == [("police", "lead")]


def test_unknown_recommendation_is_404_in_the_error_shape(reader):
    assert_error_shape(reader.get(f"{URL}999999/"), 404)
    assert_error_shape(reader.get(f"{URL}not-a-number/"), 404)


@pytest.fixture
def varied():
    """Recommendations that differ in each filtered field."""
    cmw = SourceDocumentFactory(symbol="CMW/C/MAR/CO/2", state_under_review="Morocco")
    upr = SourceDocumentFactory(
        symbol="A/HRC/52/15", mechanism=MechanismFactory(code="UPR"), state_under_review="Tunisia"
    )
    first = RecommendationFactory(document=cmw, text="Train border officials on migrants.")
    second = RecommendationFactory(
        document=upr, position="supported", status="in_progress", text="Ratify the protocol."
    )
    third = RecommendationFactory(document=upr, position="noted", text="Abolish the death penalty")
    vocabulary = VocabularyFactory(code="sdg_goals")
    TaggingFactory(recommendation=first, term=TermFactory(vocabulary=vocabulary, code="10"))
    TaggingFactory(
        recommendation=second,
        term=TermFactory(vocabulary=vocabulary, code="16"),
        confirmed_at=None,  # a suggestion: not a tag for filtering
    )
    services.assign_recommendation(recommendation=third, institution=InstitutionFactory(code="mj"))
    services.assign_recommendation(recommendation=third, institution=InstitutionFactory(code="dg"))
    return first, second, third


QUERIES = [
    "",
    "q=migrants",
    "q=A/HRC/52/15",
    "mechanism=UPR",
    "mechanism=CMW&mechanism=UPR",
    "document=CMW/C/MAR/CO/2",
    "state=Tunisia",
    "status=in_progress",
    "position=supported&position=noted",
    "institution=mj&institution=dg",
    "tag:sdg_goals=10",
    "tag:sdg_goals=16",
    "mechanism=UPR&position=noted",
    "q=protocol&status=in_progress",
    "nhri_status=not_assessed",
    "nhri_status=implemented&disagree=1",
    "disagree=true&mechanism=UPR",
]


@pytest.mark.parametrize("query", QUERIES)
def test_filters_agree_with_the_list_page(reader, viewer, varied, query):
    expected = RecommendationFilters.from_query(QueryDict(query)).apply(
        recommendations_visible_to(viewer)
    )
    results = reader.get(f"{URL}?{query}").json()["results"]
    assert sorted(r["id"] for r in results) == sorted(r.pk for r in expected)


def test_filter_narrows_the_list(reader, varied):
    first, _second, _third = varied
    assert [r["id"] for r in reader.get(f"{URL}?tag:sdg_goals=10").json()["results"]] == [first.pk]


def test_institution_filter_lists_each_recommendation_once(reader, varied):
    assert reader.get(f"{URL}?institution=mj&institution=dg").json()["count"] == 1


@pytest.mark.parametrize(
    "query", ["mechanism=NOPE", "status=bogus", "tag:nope=1", "tag:sdg_goals=999", "q=%21%21%21"]
)
def test_unknown_filter_values_give_no_results(reader, varied, query):
    response = reader.get(f"{URL}?{query}")
    assert response.status_code == 200
    if query != "q=%21%21%21":
        assert response.json()["results"] == []


def test_too_long_query_is_refused(reader):
    error = assert_error_shape(reader.get(URL, {"q": "word " * 200}), 400)
    assert "q" in error["fields"]


def test_nul_character_in_a_filter_is_refused(reader):
    assert_error_shape(reader.get(f"{URL}?document=%00"), 400)


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999"])
def test_bad_page_number_is_404_in_the_error_shape(reader, page):
    RecommendationFactory()
    assert_error_shape(reader.get(URL, {"page": page}), 404)


def test_fifty_to_a_page_by_default(reader):
    document = SourceDocumentFactory()
    Recommendation.objects.bulk_create(
        Recommendation(document=document, paragraph=str(n)) for n in range(51)
    )
    body = reader.get(URL).json()
    assert (body["count"], len(body["results"]), body["next"] is not None) == (51, 50, True)


def test_page_size_parameter(reader):
    RecommendationFactory.create_batch(3)
    assert len(reader.get(URL, {"page_size": 2}).json()["results"]) == 2
    # A page size that is not a positive number falls back to the default.
    assert len(reader.get(URL, {"page_size": "lots"}).json()["results"]) == 3


def test_page_size_is_capped_at_500(rf):
    from rest_framework.request import Request

    from mizan.api.pagination import MizanPagination

    request = Request(rf.get(URL, {"page_size": 100000}))
    assert MizanPagination().get_page_size(request) == 500


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(as_user, viewer, django_assert_num_queries, count):
    for _ in range(count):
        recommendation = RecommendationFactory()
        TaggingFactory(recommendation=recommendation)
        services.assign_recommendation(
            recommendation=recommendation, institution=InstitutionFactory()
        )
    client = as_user(viewer)
    # roles, count, page, texts, taggings with terms, assignments, institutions
    with django_assert_num_queries(7):
        assert client.get(URL).json()["count"] == count


# --- Writing ------------------------------------------------------------------------------


def payload(document, **changes) -> dict:
    return {
        "document": document.symbol,
        "paragraph": "38",
        "texts": [{"language": "en", "text": "Ratify the optional protocol."}],
        **changes,
    }


def test_create_registers_texts_and_records_the_api_user(editor, coordinator):
    document = SourceDocumentFactory()
    response = editor.post(
        URL,
        payload(
            document,
            texts=[
                {"language": "fr", "text": "Ratifier le protocole facultatif."},
                {"language": "ar", "text": "التصديق على البروتوكول الاختياري", "is_original": True},
            ],
            status="in_progress",
            external_id="uhri-1",
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    recommendation = Recommendation.objects.get(pk=response.json()["id"])
    assert {t.language: t.is_original for t in recommendation.texts.all()} == {
        "fr": False,
        "ar": True,
    }
    assert (recommendation.status, recommendation.external_id) == ("in_progress", "uhri-1")
    assert recommendation.history.first().history_user == coordinator


def test_create_answers_with_the_stored_recommendation(editor):
    body = editor.post(URL, payload(SourceDocumentFactory()), format="json").json()
    assert body["paragraph"] == "38" and body["status"] == "not_started"
    assert body["texts"][0]["is_original"] is True


def test_create_with_duplicate_paragraph_is_refused(editor):
    existing = RecommendationFactory(paragraph="38")
    error = assert_error_shape(editor.post(URL, payload(existing.document), format="json"), 400)
    assert set(error["fields"]) == {"paragraph"}
    assert Recommendation.objects.count() == 1


def test_create_with_unknown_document_is_refused(editor):
    error = assert_error_shape(
        editor.post(URL, {**payload(SourceDocumentFactory()), "document": "X/1"}, format="json"),
        400,
    )
    assert set(error["fields"]) == {"document"}


@pytest.mark.parametrize(
    ("texts", "field"),
    [
        ([], "texts"),
        ([{"language": "en", "text": "  "}], "texts"),
        ([{"language": "xx", "text": "Text"}], "texts"),
        ([{"language": "en", "text": "A"}, {"language": "en", "text": "B"}], "texts"),
        (
            [
                {"language": "en", "text": "A", "is_original": True},
                {"language": "fr", "text": "B", "is_original": True},
            ],
            "texts",
        ),
        ([{"language": "en", "text": "Null \x00 byte"}], "texts"),
    ],
    ids=["none", "blank", "unknown-language", "language-twice", "two-originals", "nul"],
)
def test_create_with_bad_texts_is_refused(editor, texts, field):
    response = editor.post(URL, payload(SourceDocumentFactory(), texts=texts), format="json")
    assert field in assert_error_shape(response, 400)["fields"]


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "finished"},
        {"position": "maybe"},
        {"paragraph": "x" * 31},
        {"paragraph": ""},
        {"recommending_state": "x" * 201},
    ],
    ids=["status", "position", "long-paragraph", "blank-paragraph", "long-state"],
)
def test_create_with_bad_field_is_refused(editor, changes):
    response = editor.post(URL, payload(SourceDocumentFactory(), **changes), format="json")
    assert set(assert_error_shape(response, 400)["fields"]) == set(changes)


def test_create_with_taken_external_id_is_refused(editor):
    RecommendationFactory(external_id="uhri-1")
    response = editor.post(
        URL, payload(SourceDocumentFactory(), external_id="uhri-1"), format="json"
    )
    assert "external_id" in assert_error_shape(response, 400)["fields"]


def test_partial_update_changes_only_what_is_sent(editor, coordinator):
    recommendation = RecommendationFactory(text="Original text")
    response = editor.patch(detail(recommendation), {"status": "implemented"}, format="json")
    assert response.status_code == 200
    recommendation.refresh_from_db()
    assert recommendation.status == "implemented"
    assert recommendation.texts.get().text == "Original text"
    assert recommendation.history.first().history_user == coordinator


def test_partial_update_texts_replace_all_texts(editor):
    recommendation = RecommendationFactory(text="Old English text")
    response = editor.patch(
        detail(recommendation),
        {"texts": [{"language": "fr", "text": "Nouveau texte"}]},
        format="json",
    )
    assert response.json()["texts"] == [
        {"language": "fr", "text": "Nouveau texte", "is_original": True}
    ]


def test_partial_update_keeps_the_original_when_adding_a_translation(editor):
    recommendation = RecommendationFactory(text="English original")
    editor.patch(
        detail(recommendation),
        {
            "texts": [
                {"language": "en", "text": "English original"},
                {"language": "ar", "text": "ترجمة"},
            ]
        },
        format="json",
    )
    assert {t.language: t.is_original for t in recommendation.texts.all()} == {
        "en": True,
        "ar": False,
    }


def test_partial_update_to_a_taken_paragraph_is_refused(editor):
    taken = RecommendationFactory(paragraph="1")
    moving = RecommendationFactory(document=taken.document, paragraph="2")
    response = editor.patch(detail(moving), {"paragraph": "1"}, format="json")
    assert set(assert_error_shape(response, 400)["fields"]) == {"paragraph"}
    moving.refresh_from_db()
    assert moving.paragraph == "2"


def test_empty_partial_update_changes_nothing(editor):
    recommendation = RecommendationFactory()
    assert editor.patch(detail(recommendation), {}, format="json").status_code == 200


def test_put_is_not_offered(editor):
    recommendation = RecommendationFactory()
    response = editor.put(detail(recommendation), payload(recommendation.document), format="json")
    assert_error_shape(response, 405)


def test_destroy_deletes_and_records_the_api_user(editor, coordinator):
    recommendation = RecommendationFactory()
    assert editor.delete(detail(recommendation)).status_code == 204
    assert not Recommendation.objects.filter(pk=recommendation.pk).exists()
    deletion = Recommendation.history.filter(id=recommendation.pk, history_type="-").get()
    assert deletion.history_user == coordinator
