"""Traceability on the staff pages: a suggestion integrated into a new curriculum version
shows where it ended up, and the session it came from shows the later sessions that used
that version."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from mizan.suggestions import traceability
from mizan.suggestions.services import integration
from mizan.training import services as training_services
from tests.suggestions.builders import decide_and_release, from_participant, open_round
from tests.training.builders import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def integrated(case):
    """A participant's suggestion, accepted, integrated into version 2, which a later
    session then used."""
    suggestion = from_participant(case.enrolments[0], "A case study of a family at the border.")
    decide_and_release(case, open_round(case, [suggestion]))
    draft = training_services.new_version_from(
        version=case.session.version, changelog="Case studies.", by=case.coordinator
    )
    module = draft.modules.order_by("order").first()
    entry = integration.integrate_suggestions(
        version=draft,
        text="New case study: a family stopped at the border.",
        suggestions=[suggestion],
        modules=[module],
        by=case.coordinator,
    )
    training_services.publish_version(version=draft, by=case.coordinator)
    later = make_session(
        by=case.coordinator,
        version=draft,
        title="Tangier, autumn session",
        starts_on=datetime.date(2026, 10, 5),
        organisers=[case.partnership.police, case.partnership.nhri],
    )
    draft.refresh_from_db()
    return SimpleNamespace(
        suggestion=suggestion, draft=draft, module=module, entry=entry, later=later
    )


def test_the_trail_of_a_suggestion_reaches_the_later_session(integrated):
    t = integrated

    trail = traceability.for_suggestion(t.suggestion)

    assert t.draft.is_frozen
    assert [i.entry for i in trail.integrations] == [t.entry]
    assert trail.integrations[0].modules == [t.module]
    assert trail.integrations[0].sessions == [t.later]


def test_the_suggestions_page_shows_where_it_ended_up(client, case, integrated):
    t = integrated
    client.force_login(case.outsider)

    response = client.get(reverse("staff:suggestion_detail", args=[t.suggestion.pk]))

    assert response.status_code == 200
    assert "New case study: a family stopped at the border." in response.text
    assert str(t.draft) in response.text
    assert t.module.title in response.text
    assert "Tangier, autumn session" in response.text
    assert reverse("staff:session_detail", args=[t.later.pk]) in response.text
    assert "Accepted" in response.text


def test_the_source_sessions_page_shows_the_later_session(client, case, integrated):
    t = integrated
    client.force_login(case.outsider)

    response = client.get(reverse("staff:session_suggestions", args=[case.session.pk]))

    assert response.status_code == 200
    assert t.suggestion.reference in response.text
    assert str(t.draft) in response.text
    assert "Tangier, autumn session" in response.text
    assert case.enrolments[0].participant.name_latin not in response.text


def test_the_later_sessions_page_lists_no_suggestion_of_its_own(client, case, integrated):
    t = integrated
    client.force_login(case.coordinator)

    response = client.get(reverse("staff:session_suggestions", args=[t.later.pk]))

    assert t.suggestion.reference not in response.text
    assert "No suggestion came from this session." in response.text


def test_the_suggestions_page_in_arabic_is_right_to_left(client, case, integrated):
    t = integrated
    client.force_login(case.coordinator)

    response = client.get(
        reverse("staff:suggestion_detail", args=[t.suggestion.pk]), HTTP_ACCEPT_LANGUAGE="ar"
    )

    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.text
