"""/api/v1/vocabularies/ and their terms."""

from __future__ import annotations

import pytest

from tests.api.assertions import assert_error_shape
from tests.factories import TermFactory, VocabularyFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/vocabularies/"


@pytest.fixture
def reader(as_user, viewer):
    return as_user(viewer)


@pytest.fixture
def sdg():
    vocabulary = VocabularyFactory(code="sdg_targets", names={"en": "SDG targets"})
    goal = TermFactory(vocabulary=vocabulary, code="5", position=1)
    TermFactory(vocabulary=vocabulary, code="5.2", parent=goal, position=2)
    return vocabulary


def test_list_counts_terms(reader, sdg):
    assert [(v["code"], v["term_count"]) for v in reader.get(URL).json()["results"]] == [
        ("sdg_targets", 2)
    ]


def test_retrieve_by_code(reader, sdg):
    assert reader.get(f"{URL}sdg_targets/").json()["name"] == "SDG targets"


def test_unknown_vocabulary_is_404_in_the_error_shape(reader):
    assert_error_shape(reader.get(f"{URL}nope/"), 404)
    assert_error_shape(reader.get(f"{URL}no%00pe/"), 404)


def test_terms_are_listed_in_order_with_their_broader_term(reader, sdg):
    body = reader.get(f"{URL}sdg_targets/terms/").json()
    assert [(t["code"], t["parent"]) for t in body["results"]] == [("5", None), ("5.2", "5")]


def test_terms_of_unknown_vocabulary_is_404(reader):
    assert_error_shape(reader.get(f"{URL}nope/terms/"), 404)


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(as_user, viewer, django_assert_num_queries, count):
    for _ in range(count):
        TermFactory(vocabulary=VocabularyFactory())
    client = as_user(viewer)
    # roles, count, page with term counts
    with django_assert_num_queries(3):
        assert client.get(URL).json()["count"] == count


@pytest.mark.parametrize("count", [1, 3])
def test_terms_query_count_does_not_grow(as_user, viewer, django_assert_num_queries, count):
    vocabulary = VocabularyFactory(code="themes")
    parent = TermFactory(vocabulary=vocabulary, code="root")
    for _ in range(count):
        TermFactory(vocabulary=vocabulary, parent=parent)
    client = as_user(viewer)
    # roles, the vocabulary, count, page with broader terms
    with django_assert_num_queries(4):
        assert client.get(f"{URL}themes/terms/").json()["count"] == count + 1
