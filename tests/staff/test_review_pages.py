"""The back office's review-round pages: who may open and use them, what they show, and
that a blind round's pages never name a suggestion's author."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from mizan.accounts.enums import Role
from mizan.suggestions.enums import RoundStatus
from mizan.suggestions.models import (
    Criterion,
    Review,
    ReviewAssignment,
    ReviewRound,
    Suggestion,
    SuggestionGroup,
)
from mizan.suggestions.services import rounds
from tests.factories import user_with_role
from tests.suggestions.builders import (
    ReviewCase,
    build_review_case,
    from_participant,
    from_staff,
    open_round,
)

pytestmark = pytest.mark.django_db

STAFF_AUTHOR = "Samira Haddad"


@pytest.fixture
def case(nhri, coordinator) -> ReviewCase:
    return build_review_case(nhri=nhri, coordinator=coordinator)


@pytest.fixture
def staff_author(case):
    """NHRI staff, not on the committee, with a name to look for."""
    return user_with_role(Role.FOCAL_POINT, case.partnership.nhri, display_name=STAFF_AUTHOR)


@pytest.fixture
def participant_name(case) -> str:
    return case.enrolments[0].participant.name_latin


@pytest.fixture
def suggestions(case, staff_author) -> list[Suggestion]:
    return [
        from_participant(case.enrolments[0], "Add a case study on families at the border."),
        from_participant(case.enrolments[1], "Longer breaks between the modules."),
        from_participant(case.enrolments[2], "Give the handouts in Arabic."),
        from_staff(staff_author, "A role play on questioning a child.", session=case.session),
    ]


@pytest.fixture
def preparing(case, suggestions) -> ReviewRound:
    review_round = rounds.create_round(
        committee=case.committee,
        title="Suggestions of the spring sessions",
        curriculum=case.session.version.curriculum,
        by=case.coordinator,
    )
    rounds.add_suggestions(review_round=review_round, suggestions=suggestions, by=case.coordinator)
    return review_round


@pytest.fixture
def reviewing(case, suggestions) -> ReviewRound:
    return open_round(case, suggestions)


def login(client, user):
    client.force_login(user)
    return client


def url(name: str, *args) -> str:
    return reverse(f"staff:{name}", args=args)


def keeper_pages(review_round: ReviewRound) -> list[str]:
    return [
        url(name, review_round.pk)
        for name in (
            "review_round_edit",
            "review_round_suggestions",
            "review_round_assign",
            "review_round_open",
            "review_round_close",
            "review_round_groups",
        )
    ]


def score_all(assignment: ReviewAssignment, value: int, comment: str = "") -> Review:
    return rounds.submit_review(
        assignment=assignment,
        scores={c.pk: value for c in assignment.round.criteria.all()},
        comment=comment,
        by=assignment.reviewer.user,
    )


def review_post(review_round: ReviewRound, value: int = 4, comment: str = "Clear.") -> dict:
    data = {f"criterion_{c.pk}": str(value) for c in review_round.criteria.all()}
    data["comment"] = comment
    return data


# --- Who opens what ----------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, reviewing):
    assignment = reviewing.assignments.first()
    pages = [
        url("review_rounds"),
        url("review_round_create"),
        url("my_reviews"),
        url("review_round", reviewing.pk),
        url("review_form", assignment.pk),
        *keeper_pages(reviewing),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("accounts:login")), page


def test_an_outsider_gets_404_on_a_round_of_a_committee_they_cannot_read(client, case, reviewing):
    login(client, case.outsider)
    assignment = reviewing.assignments.first()
    for page in [url("review_round", reviewing.pk), url("review_form", assignment.pk)]:
        assert client.get(page).status_code == 404, page
    for page in keeper_pages(reviewing):
        assert client.get(page).status_code == 404, page
        assert client.post(page).status_code == 404, page
    assert "Suggestions of the spring sessions" not in client.get(url("review_rounds")).text


def test_a_plain_member_reads_the_dashboard_but_may_not_run_the_round(client, case, preparing):
    login(client, case.reviewer)
    assert client.get(url("review_round", preparing.pk)).status_code == 200
    for page in keeper_pages(preparing):
        assert client.get(page).status_code == 403, page
        assert client.post(page).status_code == 403, page
    assert client.get(url("review_round_create")).status_code == 403
    preparing.refresh_from_db()
    assert preparing.status == RoundStatus.PREPARING
    assert not preparing.assignments.exists()


def test_each_page_opens_in_english_for_the_chair(client, case, reviewing):
    login(client, case.partnership.chair)
    mine = reviewing.assignments.filter(reviewer__user=case.partnership.chair).first()
    expected = {
        url("review_rounds"): "Review rounds",
        url("review_round_create"): "New review round",
        url("my_reviews"): "My reviews",
        url("review_round", reviewing.pk): "Progress per reviewer",
        url("review_round_edit", reviewing.pk): "Edit the round",
        url("review_round_suggestions", reviewing.pk): "suggestions under review",
        url("review_round_assign", reviewing.pk): "Assign reviewers",
        url("review_round_open", reviewing.pk): "Open the round",
        url("review_round_close", reviewing.pk): "Close the review",
        url("review_round_groups", reviewing.pk): "Proposed groups",
        url("review_form", mine.pk): "Submit my review",
    }
    for page, text in expected.items():
        response = client.get(page, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, page
        assert text in response.text, page


def test_the_dashboard_in_arabic(client, case, reviewing):
    login(client, case.partnership.chair)
    response = client.get(url("review_round", reviewing.pk), HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.text
    assert "الملاءمة" in response.text  # the first criterion, in Arabic


# --- The list and a new round ------------------------------------------------------------


def test_the_list_shows_the_round_with_its_progress(client, case, reviewing):
    score_all(reviewing.assignments.first(), 4)
    response = login(client, case.reviewer).get(url("review_rounds"))
    assert "Suggestions of the spring sessions" in response.text
    assert f"1 of {reviewing.assignments.count()}" in response.text  # reviews done of assigned


def test_the_list_s_queries_do_not_grow_with_the_rounds(
    client, case, suggestions, django_assert_max_num_queries
):
    login(client, case.partnership.chair)
    open_round(case, suggestions[:1])
    with django_assert_max_num_queries(40) as captured:
        client.get(url("review_rounds"))
    open_round(case, suggestions[1:2])
    open_round(case, suggestions[2:3])
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = client.get(url("review_rounds"))
    assert response.text.count("Suggestions of the spring sessions") == 3


def test_my_reviews_queries_do_not_grow_with_the_assignments(
    client, case, suggestions, django_assert_max_num_queries
):
    login(client, case.reviewer)
    one = open_round(case, suggestions[:1], per=1)
    ReviewAssignment.objects.filter(round=one).update(reviewer=case.seats["reviewer"])
    with django_assert_max_num_queries(40) as captured:
        client.get(url("my_reviews"))
    three = open_round(case, suggestions[1:3], per=3)
    assert three.assignments.filter(reviewer__user=case.reviewer).count() == 2
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = client.get(url("my_reviews"))
    assert response.text.count(">To do<") == 3


def test_the_chair_creates_a_round_with_the_default_rubric(client, case):
    login(client, case.partnership.chair)
    response = client.post(
        url("review_round_create"),
        {
            "committee": case.committee.pk,
            "title": "Autumn round",
            "blind": "on",
            "reviewers_per_suggestion": "3",
            "review_until": "2030-01-31",
        },
    )
    review_round = ReviewRound.objects.get(title="Autumn round")
    assert response.status_code == 302
    assert response["Location"] == url("review_round_edit", review_round.pk)
    assert review_round.committee == case.committee
    assert review_round.blind and review_round.reviewers_per_suggestion == 3
    assert review_round.criteria.count() == 3


def test_a_round_cannot_be_made_for_a_committee_one_does_not_keep(client, case, coordinator):
    other = build_other_committee(case, coordinator)
    login(client, case.partnership.chair)
    response = client.post(
        url("review_round_create"),
        {"committee": other.pk, "title": "Not mine", "reviewers_per_suggestion": "2"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not ReviewRound.objects.filter(title="Not mine").exists()


def build_other_committee(case, coordinator):
    from mizan.partnerships import services

    return services.create_committee(
        agreement=case.partnership.agreement, name="Another committee", by=coordinator
    )


# --- Settings and rubric -----------------------------------------------------------------


def rubric_post(review_round: ReviewRound, lines: list[tuple[str, str, bool]], **settings):
    data = {
        "title": settings.get("title", review_round.title),
        "curriculum": review_round.curriculum_id or "",
        "reviewers_per_suggestion": settings.get("per", "2"),
        "review_until": "",
        "criteria-TOTAL_FORMS": str(len(lines)),
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "20",
    }
    if settings.get("blind", True):
        data["blind"] = "on"
    for n, (name, weight, remove) in enumerate(lines):
        # One input per interface language: Arabic, French, English.
        data[f"criteria-{n}-names_0"] = ""
        data[f"criteria-{n}-names_1"] = ""
        data[f"criteria-{n}-names_2"] = name
        data[f"criteria-{n}-weight"] = weight
        if remove:
            data[f"criteria-{n}-remove"] = "on"
    return data


def test_the_chair_edits_the_settings_and_the_rubric(client, case, preparing):
    login(client, case.partnership.chair)
    response = client.post(
        url("review_round_edit", preparing.pk),
        rubric_post(
            preparing,
            [
                ("Relevance", "3", False),
                ("Feasibility", "2", True),
                ("Cost", "5", False),
                ("", "", False),
            ],
            title="Spring, revised",
            per="3",
        ),
    )
    assert response.status_code == 302
    preparing.refresh_from_db()
    assert preparing.title == "Spring, revised"
    assert preparing.reviewers_per_suggestion == 3
    assert [(c.names, c.weight) for c in Criterion.objects.filter(round=preparing)] == [
        ({"en": "Relevance"}, 3),
        ({"en": "Cost"}, 5),
    ]


def test_a_weight_out_of_range_is_refused_on_the_form(client, case, preparing):
    login(client, case.partnership.chair)
    response = client.post(
        url("review_round_edit", preparing.pk), rubric_post(preparing, [("Cost", "11", False)])
    )
    assert response.status_code == 400
    assert "less than or equal to 10" in response.text
    assert preparing.criteria.count() == 3


def test_an_empty_rubric_is_refused(client, case, preparing):
    login(client, case.partnership.chair)
    response = client.post(
        url("review_round_edit", preparing.pk), rubric_post(preparing, [("Cost", "2", True)])
    )
    assert response.status_code == 400
    assert "The rubric needs at least one criterion." in response.text


def test_once_open_the_rubric_and_blind_review_are_fixed(client, case, reviewing):
    login(client, case.partnership.chair)
    page = client.get(url("review_round_edit", reviewing.pk)).text
    assert "The rubric is fixed once the round is open" in page
    response = client.post(
        url("review_round_edit", reviewing.pk),
        rubric_post(reviewing, [("Cost", "2", False)], blind=False, title="Renamed"),
    )
    assert response.status_code == 302
    reviewing.refresh_from_db()
    assert reviewing.title == "Renamed"
    assert reviewing.blind
    assert reviewing.criteria.count() == 3


# --- The suggestions of a round ------------------------------------------------------------


def test_suggestions_are_added_with_checkboxes_and_filtered_by_session(client, case, staff_author):
    review_round = rounds.create_round(committee=case.committee, title="Empty", by=case.coordinator)
    from_session = from_participant(case.enrolments[0], "From the session.")
    without = from_staff(staff_author, "Without a session.")
    login(client, case.partnership.chair)
    page = client.get(
        url("review_round_suggestions", review_round.pk), {"session": case.session.pk}
    ).text
    assert "From the session." in page
    assert "Without a session." not in page
    response = client.post(
        url("review_round_suggestions", review_round.pk),
        {"add": "1", "suggestions": [from_session.pk, without.pk]},
    )
    assert response.status_code == 302
    assert set(review_round.suggestions.all()) == {from_session, without}
    assert "2 suggestions added to the round." in client.get(response["Location"]).text


def test_a_suggestion_not_yet_reviewed_is_removed(client, case, preparing, suggestions):
    login(client, case.partnership.chair)
    response = client.post(
        url("review_round_suggestions", preparing.pk), {"remove": suggestions[0].pk}
    )
    assert response.status_code == 302
    assert suggestions[0] not in preparing.suggestions.all()


def test_a_reviewed_suggestion_stays_with_a_message(client, case, reviewing, suggestions):
    assignment = reviewing.assignments.filter(suggestion=suggestions[0]).first()
    score_all(assignment, 3)
    login(client, case.partnership.chair)
    response = client.post(
        url("review_round_suggestions", reviewing.pk),
        {"remove": suggestions[0].pk},
        follow=True,
    )
    assert "has been reviewed already" in response.text
    assert suggestions[0] in reviewing.suggestions.all()


# --- Assigning, opening, closing ----------------------------------------------------------


def test_assigning_shows_the_summary_with_balance_and_conflicts(client, case, preparing):
    preparing.reviewers_per_suggestion = 4
    preparing.save()
    login(client, case.partnership.chair)
    response = client.post(url("review_round_assign", preparing.pk))
    assert response.status_code == 200
    created = preparing.assignments.count()
    assert f"{created} assignments made." in response.text
    assert "Suggestions short of reviewers" in response.text
    # The trainer trained the session every suggestion came from.
    assert "session.trainer: trained the session it came from" in response.text
    assert "Load per member" in response.text
    loads = {
        a["reviewer__user__username"]
        for a in preparing.assignments.values("reviewer__user__username")
    }
    assert "session.trainer" not in loads


def test_opening_asks_to_confirm_then_opens(client, case, preparing):
    rounds.assign_reviewers(review_round=preparing, by=case.coordinator)
    login(client, case.partnership.chair)
    page = client.get(url("review_round_open", preparing.pk)).text
    assert "The rubric and blind review cannot change afterwards." in page
    preparing.refresh_from_db()
    assert preparing.status == RoundStatus.PREPARING
    response = client.post(url("review_round_open", preparing.pk), follow=True)
    preparing.refresh_from_db()
    assert preparing.status == RoundStatus.REVIEWING
    assert "The round is open" in response.text


def test_opening_without_reviewers_is_refused_with_a_message(client, case, preparing):
    login(client, case.partnership.chair)
    response = client.post(url("review_round_open", preparing.pk), follow=True)
    assert "Assign reviewers first." in response.text
    preparing.refresh_from_db()
    assert preparing.status == RoundStatus.PREPARING


def test_closing_ends_the_reviewing(client, case, reviewing):
    login(client, case.partnership.secretary)
    assigned = reviewing.assignments.count()
    assert (
        f"0 of {assigned} reviews done." in client.get(url("review_round_close", reviewing.pk)).text
    )
    client.post(url("review_round_close", reviewing.pk))
    reviewing.refresh_from_db()
    assert reviewing.status == RoundStatus.CLOSED


# --- The dashboard -----------------------------------------------------------------------


def test_the_dashboard_shows_scores_spread_and_comments_to_the_keeper(
    client, case, reviewing, suggestions
):
    first, second = reviewing.assignments.filter(suggestion=suggestions[0]).order_by("id")
    score_all(first, 5, "Very useful for the border units.")
    score_all(second, 2, "Already covered in module 3.")
    login(client, case.partnership.chair)
    page = client.get(url("review_round", reviewing.pk)).text
    assert f"2 of {reviewing.assignments.count()} reviews done" in page
    assert str(first.reviewer.user) in page  # reviewers are named
    assert "3.50" in page and "2.00–5.00" in page and "1.50" in page
    assert 'class="badge status-disagree"' in page
    assert "Very useful for the border units." in page
    assert staff_link(reviewing) in page


def staff_link(review_round: ReviewRound) -> str:
    return url("review_round_decisions", review_round.pk)


def test_a_plain_member_sees_progress_but_only_their_own_comments(
    client, case, reviewing, suggestions
):
    others = reviewing.assignments.exclude(reviewer__user=case.reviewer)
    score_all(others.first(), 3, "Someone else's opinion.")
    mine = reviewing.assignments.filter(reviewer__user=case.reviewer).first()
    score_all(mine, 4, "My own opinion.")
    page = login(client, case.reviewer).get(url("review_round", reviewing.pk)).text
    assert "Progress per reviewer" in page
    assert "My own opinion." in page
    assert "Someone else&#x27;s opinion." not in page
    assert "Someone else's opinion." not in page
    assert "Next steps" not in page


def test_a_blind_round_s_pages_do_not_name_the_authors(
    client, case, reviewing, suggestions, participant_name
):
    for assignment in reviewing.assignments.all():
        score_all(assignment, 4)
    keeper_only = [
        url("review_round_suggestions", reviewing.pk),
        url("review_round_groups", reviewing.pk),
        url("review_round_assign", reviewing.pk),
        url("review_round_edit", reviewing.pk),
    ]
    # The chair keeps the round; the member reviews the staff author's suggestion.
    for user in (case.partnership.chair, case.reviewer, case.partnership.member):
        login(client, user)
        pages = [
            url("review_round", reviewing.pk),
            url("my_reviews"),
            *[url("review_form", a.pk) for a in reviewing.assignments.filter(reviewer__user=user)],
            *(keeper_only if user == case.partnership.chair else []),
        ]
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, (user, page)
            assert participant_name not in response.text, (user, page)
            assert STAFF_AUTHOR not in response.text, (user, page)
    # Nor does the summary of an assignment run.
    response = login(client, case.partnership.chair).post(url("review_round_assign", reviewing.pk))
    assert response.status_code == 200
    assert participant_name not in response.text
    assert STAFF_AUTHOR not in response.text


def test_an_open_round_shows_the_author_to_whoever_may_see_them(
    client, case, suggestions, participant_name
):
    """The chair is NHRI staff, which organised the session: outside blind review they
    see who wrote a suggestion."""
    review_round = open_round(case, suggestions, blind=False)
    page = login(client, case.partnership.chair).get(url("review_round", review_round.pk)).text
    assert participant_name in page
    assert STAFF_AUTHOR in page


def test_the_dashboard_s_queries_do_not_grow_with_the_suggestions(
    client, case, staff_author, django_assert_max_num_queries
):
    login(client, case.partnership.chair)
    one = open_round(case, [from_participant(case.enrolments[0], "One.")])
    score_all(one.assignments.first(), 4)
    with django_assert_max_num_queries(40) as captured:
        client.get(url("review_round", one.pk))
    three = open_round(
        case, [from_participant(e, f"Idea {n}.") for n, e in enumerate(case.enrolments)]
    )
    for assignment in three.assignments.all():
        score_all(assignment, 4)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = client.get(url("review_round", three.pk))
    assert response.text.count("4.00–4.00") == 3


# --- My reviews and the review form -------------------------------------------------------


def test_my_reviews_lists_what_is_to_do_and_done(client, case, reviewing):
    mine = list(reviewing.assignments.filter(reviewer__user=case.reviewer).order_by("id"))
    score_all(mine[0], 4)
    page = login(client, case.reviewer).get(url("my_reviews")).text
    waiting = len(mine) - 1
    assert f"{waiting} suggestion" in page
    assert page.count(">Done<") == 1
    assert page.count(">To do<") == waiting
    for assignment in mine:
        assert url("review_form", assignment.pk) in page


def test_the_review_form_shows_the_suggestion_and_saves_the_scores(client, case, reviewing):
    mine = reviewing.assignments.filter(reviewer__user=case.reviewer).first()
    login(client, case.reviewer)
    page = client.get(url("review_form", mine.pk)).text
    assert mine.suggestion.text in page
    assert case.session.title in page and case.session.city in page
    assert "(weight 3)" in page
    response = client.post(url("review_form", mine.pk), review_post(reviewing, 4, "Clear."))
    assert response.status_code == 302
    review = Review.objects.get(assignment=mine)
    assert review.weighted_score == Decimal("4.00")
    assert review.comment == "Clear."
    assert review.history.first().history_user == case.reviewer


def test_a_missing_score_is_refused_on_the_form(client, case, reviewing):
    mine = reviewing.assignments.filter(reviewer__user=case.reviewer).first()
    data = review_post(reviewing)
    data.pop(next(k for k in data if k.startswith("criterion_")))
    response = login(client, case.reviewer).post(url("review_form", mine.pk), data)
    assert response.status_code == 400
    assert "Give a score from 1 to 5." in response.text
    assert not Review.objects.exists()


def test_the_review_form_refuses_another_member_s_assignment(client, case, reviewing):
    other = reviewing.assignments.exclude(reviewer__user=case.reviewer).first()
    login(client, case.reviewer)
    assert client.get(url("review_form", other.pk)).status_code == 403
    assert client.post(url("review_form", other.pk), review_post(reviewing)).status_code == 403
    assert not Review.objects.exists()


def test_a_closed_round_is_read_not_scored(client, case, reviewing):
    mine = reviewing.assignments.filter(reviewer__user=case.reviewer).first()
    score_all(mine, 2, "Too long.")
    rounds.close_round(review_round=reviewing, by=case.coordinator)
    login(client, case.reviewer)
    page = client.get(url("review_form", mine.pk)).text
    assert "can be read, not changed" in page
    assert "Too long." in page
    response = client.post(url("review_form", mine.pk), review_post(reviewing, 5))
    assert response.status_code == 403
    assert Review.objects.get(assignment=mine).weighted_score == Decimal("2.00")


# --- Groups ------------------------------------------------------------------------------


def test_a_proposed_group_is_confirmed_and_undone(client, case, staff_author):
    texts = [
        "Add a case study on families at the border.",
        "add a case-study on families at the border",
        "Longer breaks between the modules.",
    ]
    made = [from_participant(e, t) for e, t in zip(case.enrolments, texts, strict=True)]
    review_round = rounds.create_round(committee=case.committee, title="G", by=case.coordinator)
    rounds.add_suggestions(review_round=review_round, suggestions=made, by=case.coordinator)
    login(client, case.partnership.chair)
    page = client.get(url("review_round_groups", review_round.pk)).text
    assert "Similarity: 100 out of 100" in page
    response = client.post(
        url("review_round_groups", review_round.pk),
        {"confirm": "1", "suggestions": [made[0].pk, made[1].pk], "title": "Families"},
    )
    assert response.status_code == 302
    group = SuggestionGroup.objects.get(round=review_round)
    assert group.title == "Families"
    assert set(group.suggestions.all()) == {made[0], made[1]}
    client.post(url("review_round_groups", review_round.pk), {"ungroup": group.pk})
    assert not SuggestionGroup.objects.exists()
    assert not Suggestion.objects.filter(group__isnull=False).exists()


def test_a_group_is_made_by_hand(client, case, preparing, suggestions):
    login(client, case.partnership.chair)
    response = client.post(
        url("review_round_groups", preparing.pk),
        {"group": "1", "suggestions": [suggestions[1].pk, suggestions[2].pk], "title": ""},
        follow=True,
    )
    group = SuggestionGroup.objects.get(round=preparing)
    assert set(group.suggestions.all()) == {suggestions[1], suggestions[2]}
    assert group.title == suggestions[1].text
    assert "made." in response.text


def test_one_ticked_suggestion_is_not_a_group(client, case, preparing, suggestions):
    login(client, case.partnership.chair)
    response = client.post(
        url("review_round_groups", preparing.pk),
        {"group": "1", "suggestions": [suggestions[1].pk]},
        follow=True,
    )
    assert "Choose at least two suggestions to group." in response.text
    assert not SuggestionGroup.objects.exists()
