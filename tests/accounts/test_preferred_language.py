"""A logged-in person's preferred language, and the switcher that saves it."""

from __future__ import annotations

import pytest
from django.conf import settings

from mizan.accounts.enums import Role
from tests.factories import InstitutionFactory, user_with_role


@pytest.fixture
def arabic_reader(db):
    user = user_with_role(Role.VIEWER, InstitutionFactory(code="nhri"), username="reader")
    user.preferred_language = "ar"
    user.save()
    return user


def test_a_new_browser_shows_the_preferred_language_over_the_browsers(client, arabic_reader):
    client.force_login(arabic_reader)
    response = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_a_language_chosen_in_this_browser_wins(client, arabic_reader):
    client.force_login(arabic_reader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="fr" dir="ltr">' in response.content.decode()


def test_choosing_a_language_saves_it_as_the_preference(client, arabic_reader):
    client.force_login(arabic_reader)
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/staff/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    arabic_reader.refresh_from_db()
    assert arabic_reader.preferred_language == "fr"
    assert arabic_reader.history.first().history_user == arabic_reader


def test_a_visitor_can_choose_a_language_without_an_account(client, db):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"


def test_an_unknown_language_changes_nothing(client, arabic_reader):
    client.force_login(arabic_reader)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/staff/"})
    arabic_reader.refresh_from_db()
    assert arabic_reader.preferred_language == "ar"
