"""/api/v1/documents/ and /api/v1/mechanisms/: reading, creating and changing documents."""

from __future__ import annotations

import pytest

from mizan.recommendations.models import SourceDocument
from tests.api.assertions import assert_error_shape
from tests.factories import MechanismFactory, SourceDocumentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/documents/"


@pytest.fixture
def reader(as_user, viewer):
    return as_user(viewer)


@pytest.fixture
def editor(as_user, coordinator):
    MechanismFactory(code="CRC")
    return as_user(coordinator)


NEW = {"symbol": "CRC/C/MAR/CO/5-6", "mechanism": "CRC", "state_under_review": "Morocco"}


def test_list_shows_documents_with_their_mechanism(reader):
    SourceDocumentFactory(symbol="CMW/C/MAR/CO/2")
    body = reader.get(URL).json()
    assert [(d["symbol"], d["mechanism"]) for d in body["results"]] == [("CMW/C/MAR/CO/2", "CMW")]


def test_retrieve(reader):
    document = SourceDocumentFactory(title="Concluding observations")
    assert reader.get(f"{URL}{document.pk}/").json()["title"] == "Concluding observations"


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(as_user, viewer, django_assert_num_queries, count):
    for n in range(count):
        SourceDocumentFactory(mechanism=MechanismFactory(code=f"M{n}"))
    client = as_user(viewer)
    # roles, count, page with mechanisms
    with django_assert_num_queries(3):
        assert client.get(URL).json()["count"] == count


def test_create_records_the_api_user(editor, coordinator):
    response = editor.post(URL, {**NEW, "date": "2023-04-12"}, format="json")
    assert response.status_code == 201, response.content
    document = SourceDocument.objects.get(symbol=NEW["symbol"])
    assert str(document.date) == "2023-04-12"
    assert document.history.first().history_user == coordinator


def test_create_with_existing_symbol_in_other_case_is_refused(editor):
    SourceDocumentFactory(symbol="CRC/C/MAR/CO/5-6")
    response = editor.post(URL, {**NEW, "symbol": "crc/c/mar/co/5-6"}, format="json")
    assert set(assert_error_shape(response, 400)["fields"]) == {"symbol"}


@pytest.mark.parametrize(
    "changes",
    [
        {"mechanism": "NOPE"},
        {"date": "12/04/2023"},
        {"symbol": ""},
        {"symbol": "x" * 81},
        {"state_under_review": None},
    ],
    ids=["unknown-mechanism", "bad-date", "blank-symbol", "long-symbol", "null-state"],
)
def test_create_with_bad_field_is_refused(editor, changes):
    response = editor.post(URL, {**NEW, **changes}, format="json")
    assert set(assert_error_shape(response, 400)["fields"]) == set(changes)
    assert not SourceDocument.objects.exists()


def test_update_replaces_the_fields(editor, coordinator):
    document = SourceDocumentFactory()
    response = editor.put(
        f"{URL}{document.pk}/", {**NEW, "title": "Fifth and sixth reports"}, format="json"
    )
    assert response.status_code == 200, response.content
    document.refresh_from_db()
    assert (document.symbol, document.mechanism.code, document.title) == (
        NEW["symbol"],
        "CRC",
        "Fifth and sixth reports",
    )
    assert document.history.first().history_user == coordinator


def test_partial_update_changes_one_field(editor):
    document = SourceDocumentFactory(title="Old")
    response = editor.patch(f"{URL}{document.pk}/", {"cycle": "3"}, format="json")
    assert response.json()["cycle"] == "3"
    document.refresh_from_db()
    assert (document.title, document.cycle) == ("Old", "3")


def test_update_to_a_taken_symbol_is_refused(editor):
    SourceDocumentFactory(symbol="CMW/C/MAR/CO/1")
    document = SourceDocumentFactory(symbol="CMW/C/MAR/CO/2")
    response = editor.patch(f"{URL}{document.pk}/", {"symbol": "cmw/c/mar/co/1"}, format="json")
    assert set(assert_error_shape(response, 400)["fields"]) == {"symbol"}
    document.refresh_from_db()
    assert document.symbol == "CMW/C/MAR/CO/2"


def test_documents_cannot_be_deleted_through_the_api(editor):
    document = SourceDocumentFactory()
    assert_error_shape(editor.delete(f"{URL}{document.pk}/"), 405)


# --- Mechanisms ---------------------------------------------------------------------------


def test_mechanisms_list_names_in_the_requested_language(reader):
    MechanismFactory(code="CAT", names={"en": "Committee against Torture", "fr": "Comité contre"})
    response = reader.get("/api/v1/mechanisms/", HTTP_ACCEPT_LANGUAGE="fr")
    assert [(m["code"], m["name"]) for m in response.json()["results"]] == [
        ("CAT", "Comité contre")
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_mechanisms_query_count_does_not_grow(as_user, viewer, django_assert_num_queries, count):
    for n in range(count):
        MechanismFactory(code=f"M{n}")
    client = as_user(viewer)
    with django_assert_num_queries(3):
        assert client.get("/api/v1/mechanisms/").json()["count"] == count
