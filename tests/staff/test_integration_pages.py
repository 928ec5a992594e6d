"""Integrating accepted suggestions into a curriculum version (a changelog entry with its
modules and suggestions), the version page's "changes and the suggestions behind them",
and a module's traceability: who may do and see what, a frozen version refused, and no
author named to the blind committee."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mizan.suggestions.enums import Outcome, SuggestionStatus
from mizan.suggestions.services import decisions, integration, rounds
from mizan.training import services as training_services
from mizan.training.models import ChangelogEntry
from tests.factories import UserFactory
from tests.suggestions.builders import (
    build_review_case,
    decide_and_release,
    from_participant,
    open_round,
)

pytestmark = pytest.mark.django_db

RATIONALE = "The committee agreed."  # what ``decide_and_release`` records


@pytest.fixture
def case(nhri, coordinator):
    return build_review_case(nhri=nhri, coordinator=coordinator)


@pytest.fixture
def accepted(case):
    """A participant's suggestion, accepted and released in a blind round."""
    suggestion = from_participant(case.enrolments[0], "Add a case study on a family at the border.")
    decide_and_release(case, open_round(case, [suggestion]))
    suggestion.refresh_from_db()
    return suggestion


@pytest.fixture
def draft(case):
    """Version 2, a draft based on the version the session used (frozen)."""
    return training_services.new_version_from(
        version=case.session.version, changelog="Spring changes.", by=case.coordinator
    )


def integrate_url(version) -> str:
    return reverse("staff:curriculum_version_integrate", args=[version.pk])


def version_url(version) -> str:
    return reverse("staff:curriculum_version_detail", args=[version.pk])


def trace_url(module) -> str:
    return reverse("staff:module_traceability", args=[module.pk])


def login(client, user):
    client.force_login(user)
    return client


def integrate(client, version, suggestions, modules, text="A case study at the border."):
    return client.post(
        integrate_url(version),
        {
            "text": text,
            "modules": [m.pk for m in modules],
            "suggestions": [s.pk for s in suggestions],
        },
    )


# --- The integrate form ------------------------------------------------------------------


def test_the_form_offers_the_modules_and_the_accepted_suggestions(client, case, accepted, draft):
    response = login(client, case.trainer).get(integrate_url(draft))

    assert response.status_code == 200
    assert accepted.reference in response.text
    assert draft.modules.first().title in response.text


def test_the_form_is_in_arabic_right_to_left(client, case, accepted, draft):
    response = login(client, case.coordinator).get(integrate_url(draft), HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.text
    assert accepted.reference in response.text


def test_a_rejected_suggestion_is_not_offered(client, case, draft):
    rejected = from_participant(case.enrolments[1], "Drop the role play.")
    decide_and_release(case, open_round(case, [rejected]), outcome=Outcome.REJECTED)

    response = login(client, case.coordinator).get(integrate_url(draft))

    assert rejected.reference not in response.text


def test_integrating_links_the_suggestion_to_the_new_change(client, case, accepted, draft):
    module = draft.modules.first()
    response = integrate(login(client, case.trainer), draft, [accepted], [module])

    assert response.status_code == 302
    assert response.url == version_url(draft) + "#changes"
    entry = ChangelogEntry.objects.get(version=draft)
    assert entry.text == "A case study at the border."
    assert list(entry.modules.all()) == [module]
    assert list(entry.suggestions.all()) == [accepted]
    accepted.refresh_from_db()
    assert accepted.status == SuggestionStatus.INTEGRATED
    assert entry.history.first().history_user == case.trainer


def test_an_integrated_suggestion_is_not_offered_again(client, case, accepted, draft):
    client = login(client, case.coordinator)
    integrate(client, draft, [accepted], [])

    assert accepted.reference not in client.get(integrate_url(draft)).text


def test_a_frozen_version_is_refused(client, case, accepted):
    frozen = case.session.version
    client = login(client, case.coordinator)

    page = client.get(integrate_url(frozen), follow=True)
    assert "is frozen because sessions use it" in page.text

    response = integrate(client, frozen, [accepted], [frozen.modules.first()])
    assert response.status_code == 400
    assert "is frozen because sessions use it" in response.text
    assert not ChangelogEntry.objects.filter(version=frozen).exists()
    accepted.refresh_from_db()
    assert accepted.status == SuggestionStatus.DECIDED


def test_a_committee_member_who_does_not_write_curricula_is_refused(client, case, accepted, draft):
    client = login(client, case.partnership.member)

    assert client.get(integrate_url(draft)).status_code == 403
    assert integrate(client, draft, [accepted], []).status_code == 403
    assert not ChangelogEntry.objects.exists()


def test_an_account_without_membership_is_refused(client, draft):
    client = login(client, UserFactory(username="nobody"))

    assert client.get(integrate_url(draft)).status_code == 403
    assert client.get(trace_url(draft.modules.first())).status_code == 403


def test_an_unknown_version_or_module_is_not_found(client, case):
    client = login(client, case.coordinator)

    assert (
        client.get(reverse("staff:curriculum_version_integrate", args=[999999])).status_code == 404
    )
    assert client.get(reverse("staff:module_traceability", args=[999999])).status_code == 404


def test_a_visitor_is_sent_to_log_in(client, accepted, draft):
    for response in (
        client.get(integrate_url(draft)),
        integrate(client, draft, [accepted], []),
        client.get(trace_url(draft.modules.first())),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


# --- The version page and the module's traceability -----------------------------------------


@pytest.fixture
def integrated(case, accepted, draft):
    module = draft.modules.first()
    entry = integration.integrate_suggestions(
        version=draft,
        text="A case study at the border.",
        suggestions=[accepted],
        modules=[module],
        by=case.coordinator,
    )
    return entry, module


def test_the_version_page_lists_the_changes_and_the_suggestions_behind_them(
    client, case, accepted, draft, integrated
):
    response = login(client, case.outsider).get(version_url(draft))

    assert "Changes and the suggestions behind them" in response.text
    assert "A case study at the border." in response.text
    assert reverse("staff:suggestion_detail", args=[accepted.pk]) in response.text
    assert RATIONALE in response.text
    assert trace_url(integrated[1]) in response.text
    assert integrate_url(draft) not in response.text  # a viewer may not integrate


def test_the_version_page_links_the_integrate_form_for_a_trainer(client, case, draft):
    response = login(client, case.trainer).get(version_url(draft))

    assert integrate_url(draft) in response.text


def test_the_module_traceability_shows_the_suggestion_and_the_decision(
    client, case, accepted, integrated
):
    response = login(client, case.outsider).get(trace_url(integrated[1]))

    assert response.status_code == 200
    assert "A case study at the border." in response.text
    assert accepted.reference in response.text
    assert reverse("staff:suggestion_detail", args=[accepted.pk]) in response.text
    assert RATIONALE in response.text


def test_the_module_traceability_is_in_arabic(client, case, integrated):
    response = login(client, case.outsider).get(trace_url(integrated[1]), HTTP_ACCEPT_LANGUAGE="ar")

    assert '<html lang="ar" dir="rtl">' in response.text
    assert "A case study at the border." in response.text


def test_an_unreleased_decision_shows_only_to_the_readers_of_its_round(
    client, case, accepted, integrated
):
    # Integration waits for the release; say the committee later recorded a decision it
    # has not released yet (here: the release undone).
    accepted.decisions.update(released_at=None, rationale="Judges bring the case law.")
    module = integrated[1]

    outsider_view = login(client, case.outsider).get(trace_url(module)).text
    assert accepted.reference in outsider_view
    assert "Judges bring the case law." not in outsider_view
    member_view = login(client, case.partnership.member).get(trace_url(module)).text
    assert "Judges bring the case law." in member_view
    assert "Not released yet" in member_view


def test_an_accepted_decision_not_yet_released_is_not_offered(client, case, draft):
    suggestion = from_participant(case.enrolments[1], "Invite a judge.")
    review_round = rounds.close_round(
        review_round=open_round(case, [suggestion]), by=case.coordinator
    )
    decisions.record_decisions(
        review_round=review_round,
        suggestions=[suggestion],
        outcome=Outcome.ACCEPTED,
        rationale="Judges bring the case law.",
        by=case.coordinator,
    )

    response = login(client, case.coordinator).get(integrate_url(draft))

    assert suggestion.reference not in response.text


def test_the_blind_committee_learns_no_author_from_these_pages(
    client, case, accepted, draft, integrated
):
    participant = case.enrolments[0].participant.name_latin
    for member in (case.reviewer, case.partnership.chair, case.trainer):
        client = login(client, member)
        for url in (version_url(draft), trace_url(integrated[1]), integrate_url(draft)):
            assert participant not in client.get(url).text
