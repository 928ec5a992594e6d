"""The committee's decisions on a round's suggestions and their release: who may read and
record them, bulk decisions and groups, merged suggestions, the release (refused while a
suggestion is undecided), and that no page here names an author during blind review."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mizan.accounts.enums import Role
from mizan.suggestions.enums import Outcome, RoundStatus
from mizan.suggestions.models import SuggestionDecision
from mizan.suggestions.queries import released_decisions
from mizan.suggestions.services import decisions, rounds
from tests.factories import user_with_role
from tests.suggestions.builders import (
    build_review_case,
    from_participant,
    from_staff,
    open_round,
    review_everything,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(nhri, coordinator):
    return build_review_case(nhri=nhri, coordinator=coordinator)


@pytest.fixture
def staff_author(case):
    """A focal point of the police who organised the session, writing as themselves."""
    return user_with_role(
        Role.FOCAL_POINT, case.partnership.police, username="karim", display_name="Karim Haddad"
    )


@pytest.fixture
def suggestions(case, staff_author):
    return [
        from_participant(case.enrolments[0], "Add a case study on a family stopped at the border."),
        from_participant(case.enrolments[1], "Longer breaks between modules.", anonymous=True),
        from_staff(staff_author, "Send the guide in Arabic a week before.", session=case.session),
    ]


@pytest.fixture
def review_round(case, suggestions):
    """A blind round, reviewed (every score 4) and closed."""
    review_round = open_round(case, suggestions)
    review_everything(review_round)
    return rounds.close_round(review_round=review_round, by=case.coordinator)


def page(review_round) -> str:
    return reverse("staff:review_round_decisions", args=[review_round.pk])


def release_page(review_round) -> str:
    return reverse("staff:review_round_release", args=[review_round.pk])


def login(client, user):
    client.force_login(user)
    return client


def decide(client, review_round, suggestions, **data):
    payload = {
        "suggestions": [s.pk for s in suggestions],
        "outcome": Outcome.ACCEPTED,
        "rationale": "It fits the module on detention.",
        "meeting": "",
        **data,
    }
    return client.post(page(review_round), payload)


# --- Reading ----------------------------------------------------------------------------


def test_a_committee_member_reads_the_suggestions_with_their_review_figures(
    client, case, review_round, suggestions
):
    response = login(client, case.partnership.member).get(page(review_round))

    assert response.status_code == 200
    assert suggestions[0].reference in response.text
    assert "Longer breaks between modules." in response.text
    assert "4.00" in response.text  # every review scored 4 on each criterion
    assert "Not decided yet" in response.text
    assert "These decisions are not published yet." in response.text


def test_a_plain_committee_member_gets_no_decision_form(client, case, review_round):
    response = login(client, case.partnership.member).get(page(review_round))

    assert 'name="rationale"' not in response.text
    assert 'name="suggestions"' not in response.text


def test_the_chair_gets_the_decision_form(client, case, review_round):
    response = login(client, case.partnership.chair).get(page(review_round))

    assert 'name="rationale"' in response.text
    assert response.text.count('name="suggestions"') == 3


def test_the_page_is_in_arabic_right_to_left(client, case, review_round):
    response = login(client, case.partnership.chair).get(
        page(review_round), HTTP_ACCEPT_LANGUAGE="ar"
    )

    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.text
    assert "القرارات" in response.text  # "Decisions"


def test_no_one_on_the_blind_committee_learns_an_author_here(
    client, case, review_round, staff_author
):
    participant = case.enrolments[0].participant.name_latin
    decide(
        login(client, case.partnership.chair), review_round, list(review_round.suggestions.all())
    )
    for member in (case.reviewer, case.partnership.chair, case.partnership.member):
        for url in (page(review_round), release_page(review_round)):
            text = login(client, member).get(url).text
            assert participant not in text
            assert "Karim Haddad" not in text
            assert "karim" not in text


def test_an_outsider_gets_404(client, case, review_round, suggestions):
    client = login(client, case.outsider)

    assert client.get(page(review_round)).status_code == 404
    assert decide(client, review_round, suggestions).status_code == 404
    assert client.get(release_page(review_round)).status_code == 404
    assert client.post(release_page(review_round)).status_code == 404


def test_a_visitor_is_sent_to_log_in(client, review_round, suggestions):
    for response in (
        client.get(page(review_round)),
        decide(client, review_round, suggestions),
        client.get(release_page(review_round)),
        client.post(release_page(review_round)),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def page_queries(client, user, review_round) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page(review_round)).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_one_and_three_suggestions(client, case, suggestions):
    one = open_round(case, suggestions[:1], per=1)
    client = login(client, case.partnership.chair)
    three = rounds.create_round(
        committee=case.committee, title="Three", blind=True, by=case.coordinator
    )
    rounds.add_suggestions(
        review_round=three,
        suggestions=[from_participant(case.enrolments[2], f"Idea {n}") for n in range(3)],
        by=case.coordinator,
    )
    rounds.assign_reviewers(review_round=three, by=case.coordinator)
    three = rounds.open_round(review_round=three, by=case.coordinator)
    for review_round in (one, three):
        decisions.record_decisions(
            review_round=review_round,
            suggestions=list(review_round.suggestions.all()),
            outcome=Outcome.DEFERRED,
            rationale="Later.",
            meeting=case.meeting,
            by=case.coordinator,
        )

    assert page_queries(client, case.partnership.chair, one) == page_queries(
        client, case.partnership.chair, three
    )


# --- Recording ---------------------------------------------------------------------------


def test_a_plain_committee_member_may_not_decide(client, case, review_round, suggestions):
    response = decide(login(client, case.partnership.member), review_round, suggestions)

    assert response.status_code == 403
    assert not SuggestionDecision.objects.exists()


def test_the_chair_decides_several_suggestions_at_once(client, case, review_round, suggestions):
    client = login(client, case.partnership.chair)
    response = decide(
        client,
        review_round,
        suggestions[:2],
        outcome=Outcome.REJECTED,
        rationale="Out of the course's scope.",
        meeting=case.meeting.pk,
    )

    assert response.status_code == 302
    recorded = SuggestionDecision.objects.filter(round=review_round).order_by("suggestion_id")
    assert [d.suggestion_id for d in recorded] == [s.pk for s in suggestions[:2]]
    assert {(d.outcome, d.rationale, d.meeting_id) for d in recorded} == {
        (Outcome.REJECTED, "Out of the course's scope.", case.meeting.pk)
    }
    assert not any(d.is_released for d in recorded)
    text = client.get(page(review_round)).text
    assert "Decision recorded for 2 suggestions." in text
    assert "Out of the course&#x27;s scope." in text
    assert "Not released yet" in text


def test_a_group_is_decided_together(client, case, review_round, suggestions):
    rounds.group_suggestions(
        review_round=review_round,
        suggestions=suggestions[:2],
        title="Case studies",
        by=case.coordinator,
    )
    client = login(client, case.partnership.secretary)
    assert "Case studies" in client.get(page(review_round)).text

    decide(client, review_round, suggestions[:1])

    decided = set(review_round.decisions.values_list("suggestion_id", flat=True))
    assert decided == {suggestions[0].pk, suggestions[1].pk}


def test_merging_needs_the_suggestion_merged_into(client, case, review_round, suggestions):
    client = login(client, case.partnership.chair)
    response = decide(client, review_round, suggestions[:1], outcome=Outcome.MERGED)

    assert response.status_code == 400
    assert "Choose the suggestion these are merged into." in response.text
    assert not SuggestionDecision.objects.exists()

    decide(
        client, review_round, suggestions[:1], outcome=Outcome.MERGED, merged_into=suggestions[2].pk
    )
    decision = SuggestionDecision.objects.get()
    assert decision.merged_into == suggestions[2]


def test_a_decision_needs_a_rationale(client, case, review_round, suggestions):
    response = decide(
        login(client, case.partnership.chair), review_round, suggestions[:1], rationale=" "
    )

    assert response.status_code == 400
    assert not SuggestionDecision.objects.exists()


# --- Releasing ---------------------------------------------------------------------------


def test_the_release_is_refused_while_a_suggestion_is_undecided(
    client, case, review_round, suggestions
):
    client = login(client, case.partnership.chair)
    decide(client, review_round, suggestions[:2])
    confirm = client.get(release_page(review_round))
    assert confirm.status_code == 200
    assert suggestions[2].reference in confirm.text

    response = client.post(release_page(review_round), follow=True)

    assert "Decide every suggestion of the round first." in response.text
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.CLOSED
    assert not released_decisions(suggestions[0]).exists()


def test_after_the_release_the_author_sees_the_decision(client, case, review_round, suggestions):
    client = login(client, case.partnership.chair)
    decide(client, review_round, suggestions)

    response = client.post(release_page(review_round), follow=True)

    assert "3 decisions released" in response.text
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.RELEASED
    (seen,) = released_decisions(suggestions[0])
    assert seen.rationale == "It fits the module on detention."
    assert "Not released yet" not in response.text


def test_a_plain_committee_member_may_not_release(client, case, review_round, suggestions):
    decide(login(client, case.partnership.chair), review_round, suggestions)
    client = login(client, case.partnership.member)

    assert client.get(release_page(review_round)).status_code == 403
    assert client.post(release_page(review_round)).status_code == 403
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.CLOSED


# --- The meeting page -------------------------------------------------------------------


def test_the_meeting_page_links_the_minutes_in_each_language(client, case):
    response = login(client, case.partnership.member).get(
        reverse("staff:meeting_detail", args=[case.meeting.pk])
    )

    url = reverse("staff:meeting_minutes_pdf", args=[case.meeting.pk])
    for language in ("ar", "fr", "en"):
        assert f"{url}?language={language}" in response.text
