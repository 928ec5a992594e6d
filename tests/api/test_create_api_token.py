"""``mizan create_api_token``: print a user's token, creating or replacing it."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def create_token(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_prints_a_token_that_authenticates_the_user(viewer):
    key, _ = create_token("viewer")
    assert Token.objects.get(key=key).user == viewer


def test_prints_the_same_token_again(viewer):
    assert create_token("viewer")[0] == create_token("viewer")[0]


def test_reset_replaces_the_token(viewer):
    old, _ = create_token("viewer")
    new, _ = create_token("viewer", "--reset")
    assert new != old
    assert not Token.objects.filter(key=old).exists()


def test_unknown_user_is_an_error(db):
    with pytest.raises(CommandError):
        create_token("nobody")


def test_warns_that_a_user_without_membership_will_be_refused(outsider):
    key, warning = create_token("outsider")
    assert key and "no role" in warning


def test_token_works_against_the_api(viewer):
    from rest_framework.test import APIClient

    key, _ = create_token("viewer")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").json()["username"] == "viewer"
