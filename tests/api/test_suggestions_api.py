"""The API's suggestions and changelog entries: reading and making suggestions, who sees
their author (never a reviewer of a blind round, through any endpoint), which decisions
show, and integrating accepted suggestions into a new curriculum version."""

from __future__ import annotations

import pytest

from mizan.accounts.enums import Role
from mizan.suggestions.enums import AuthorKind, SuggestionStatus
from mizan.suggestions.models import Suggestion
from mizan.suggestions.services import decisions, rounds
from mizan.training import services as training_services
from tests.api.assertions import assert_error_shape
from tests.factories import UserFactory, pdf_document, user_with_role
from tests.suggestions.builders import (
    ReviewCase,
    build_review_case,
    decide_and_release,
    from_participant,
    from_staff,
    open_round,
    review_everything,
)

pytestmark = pytest.mark.django_db

SUGGESTIONS = "/api/v1/suggestions/"
ENTRIES = "/api/v1/changelog-entries/"
ROUNDS = "/api/v1/review-rounds/"
ASSIGNMENTS = "/api/v1/review-assignments/"


@pytest.fixture
def case(nhri, coordinator) -> ReviewCase:
    return build_review_case(nhri=nhri, coordinator=coordinator)


@pytest.fixture
def staff_author(case):
    """A focal point of the police, not on the committee, who writes suggestions."""
    return user_with_role(
        Role.FOCAL_POINT,
        case.partnership.police,
        username="staff.author",
        display_name="Samira Bennani",
    )


def suggestion_url(suggestion: Suggestion) -> str:
    return f"{SUGGESTIONS}{suggestion.pk}/"


def new_suggestion(**changes) -> dict:
    return {
        "text": "Show the participants the new custody register.",
        "subject": "logistics",
        "category": "materials",
        "language": "fr",
        **changes,
    }


# --- Reading -------------------------------------------------------------------------


def test_a_member_lists_suggestions_with_their_texts(as_user, case):
    suggestion = from_participant(case.enrolments[0])

    response = as_user(case.outsider).get(SUGGESTIONS)

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == suggestion.pk
    assert row["reference"] == suggestion.reference
    assert row["text"] == "Add a case study on a family stopped at the border."
    assert row["session"] == case.session.pk
    assert row["status"] == "received"


def test_anonymous_callers_must_authenticate(api, case):
    suggestion = from_participant(case.enrolments[0])

    assert_error_shape(api.get(SUGGESTIONS), 401)
    assert_error_shape(api.get(suggestion_url(suggestion)), 401)
    assert_error_shape(api.post(SUGGESTIONS, new_suggestion(), format="json"), 401)


def test_an_account_without_membership_is_refused(as_user, case):
    from_participant(case.enrolments[0])
    nobody = UserFactory(username="nobody")

    assert_error_shape(as_user(nobody).get(SUGGESTIONS), 403)
    assert_error_shape(as_user(nobody).post(SUGGESTIONS, new_suggestion(), format="json"), 403)


def test_the_coordinator_sees_who_wrote_a_suggestion(as_user, case):
    suggestion = from_participant(case.enrolments[0])
    name = case.enrolments[0].participant.name_latin

    body = as_user(case.coordinator).get(suggestion_url(suggestion)).json()

    assert body["author"] == {"name": name, "kind": "participant", "institution": "police"}
    assert body["author_hidden"] is False


def test_a_member_outside_the_organisers_does_not_see_the_author(as_user, case):
    suggestion = from_participant(case.enrolments[0])

    response = as_user(case.outsider).get(suggestion_url(suggestion))

    assert response.json()["author"] is None
    assert response.json()["author_hidden"] is True
    assert case.enrolments[0].participant.name_latin.encode() not in response.content


def test_an_anonymous_suggestion_has_no_author_for_anyone(as_user, case):
    suggestion = from_participant(case.enrolments[0], "Longer breaks.", anonymous=True)

    body = as_user(case.coordinator).get(suggestion_url(suggestion)).json()

    assert body["anonymous"] is True
    assert body["author"] is None
    assert body["author_hidden"] is False


def test_an_unknown_suggestion_is_not_found(as_user, case):
    assert_error_shape(as_user(case.outsider).get(f"{SUGGESTIONS}999999/"), 404)


# --- Filters --------------------------------------------------------------------------


def test_the_list_filters_by_status_category_and_session(as_user, case, staff_author):
    named = from_participant(case.enrolments[0])
    staff = from_staff(staff_author)
    client = as_user(case.coordinator)

    def ids(**params) -> set[int]:
        response = client.get(SUGGESTIONS, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(category="content") == {named.pk}
    assert ids(subject="logistics") == {staff.pk}
    assert ids(session=case.session.pk) == {named.pk}
    assert ids(language="en", status="received") == {named.pk, staff.pk}
    assert ids(status="decided") == set()


@pytest.mark.parametrize(
    "params",
    [{"status": "lost"}, {"category": "x"}, {"session": "abc"}, {"ordering": "text"}],
)
def test_a_filter_naming_nothing_is_refused(as_user, case, params):
    from_participant(case.enrolments[0])

    error = assert_error_shape(as_user(case.coordinator).get(SUGGESTIONS, params), 400)

    assert set(error["fields"]) == set(params)


def test_the_round_filter_gives_nothing_from_a_round_one_does_not_read(as_user, case):
    suggestion = from_participant(case.enrolments[0])
    review_round = open_round(case, [suggestion])

    in_round = as_user(case.reviewer).get(SUGGESTIONS, {"round": review_round.pk}).json()
    hidden = as_user(case.outsider).get(SUGGESTIONS, {"round": review_round.pk}).json()

    assert [row["id"] for row in in_round["results"]] == [suggestion.pk]
    assert hidden["results"] == []


# --- Blind review: the author never reaches the committee ------------------------------


@pytest.fixture
def blind(case, staff_author):
    """A blind round open with a participant's and a staff member's suggestions, every
    eligible member reviewing each."""
    named = from_participant(case.enrolments[0])
    staff = from_staff(staff_author, session=case.session)
    review_round = open_round(case, [named, staff], per=5)
    return review_round, named, staff


def author_names(case, staff_author) -> list[bytes]:
    return [
        case.enrolments[0].participant.name_latin.encode(),
        b"Samira Bennani",
        staff_author.username.encode(),
    ]


def assert_no_author(response, case, staff_author) -> None:
    assert response.status_code == 200, response.content
    for name in author_names(case, staff_author):
        assert name not in response.content, (name, response.content)


@pytest.mark.parametrize("who", ["reviewer", "chair"])
def test_a_reviewer_of_a_blind_round_learns_no_author_from_any_endpoint(
    as_user, case, staff_author, blind, who
):
    review_round, named, staff = blind
    member = case.reviewer if who == "reviewer" else case.partnership.chair
    client = as_user(member)
    mine = list(review_round.assignments.filter(reviewer__user=member))
    assert mine, "the member reviews in the round"

    listed = client.get(SUGGESTIONS)
    assert_no_author(listed, case, staff_author)
    assert all(row["author"] is None and row["author_hidden"] for row in listed.json()["results"])
    for suggestion in (named, staff):
        assert_no_author(client.get(suggestion_url(suggestion)), case, staff_author)
    assert_no_author(client.get(f"{ROUNDS}{review_round.pk}/"), case, staff_author)
    assert_no_author(client.get(f"{ROUNDS}{review_round.pk}/dashboard/"), case, staff_author)
    assert_no_author(client.get(ASSIGNMENTS), case, staff_author)
    for assignment in mine:
        assert_no_author(client.get(f"{ASSIGNMENTS}{assignment.pk}/"), case, staff_author)
    scores = {str(c.pk): 4 for c in review_round.criteria.all()}
    reviewed = client.post(
        f"{ASSIGNMENTS}{mine[0].pk}/review/", {"scores": scores, "comment": "Yes."}, format="json"
    )
    assert_no_author(reviewed, case, staff_author)


def test_the_chair_learns_no_author_from_assigning_a_blind_round(as_user, case, staff_author):
    named = from_participant(case.enrolments[0])
    staff = from_staff(staff_author, session=case.session)
    review_round = rounds.create_round(
        committee=case.committee, title="Spring", reviewers_per_suggestion=5, by=case.coordinator
    )
    rounds.add_suggestions(
        review_round=review_round, suggestions=[named, staff], by=case.coordinator
    )

    response = as_user(case.partnership.chair).post(f"{ROUNDS}{review_round.pk}/assign/")

    assert_no_author(response, case, staff_author)
    reasons = [c["reasons"] for line in response.json()["short"] for c in line["conflicts"]]
    assert all(r == ["trained the session it came from"] for r in reasons)


def test_a_blind_reviewer_cannot_filter_or_order_by_author(as_user, case, staff_author, blind):
    _round, named, staff = blind
    client = as_user(case.reviewer)
    everything = {row["id"] for row in client.get(SUGGESTIONS).json()["results"]}

    for params in (
        {"author": staff_author.pk},
        {"author_user": staff_author.pk},
        {"author_enrolment": case.enrolments[0].pk},
        {"author_institution": case.partnership.police.pk},
    ):
        response = client.get(SUGGESTIONS, params)
        assert {row["id"] for row in response.json()["results"]} == everything
    for ordering in ("author_user", "-author_user", "author_enrolment__participant__name_latin"):
        assert_error_shape(client.get(SUGGESTIONS, {"ordering": ordering}), 400)
    assert everything == {named.pk, staff.pk}


def test_the_coordinator_off_the_committee_still_sees_the_authors(
    as_user, case, staff_author, blind
):
    _round, named, staff = blind

    response = as_user(case.coordinator).get(SUGGESTIONS)

    authors = {row["id"]: row["author"] for row in response.json()["results"]}
    assert authors[named.pk]["name"] == case.enrolments[0].participant.name_latin
    assert authors[staff.pk] == {"name": "Samira Bennani", "kind": "staff", "institution": "police"}


def test_without_blind_review_an_organiser_on_the_committee_sees_the_author(as_user, case):
    named = from_participant(case.enrolments[0])
    open_round(case, [named], blind=False)

    body = as_user(case.reviewer).get(suggestion_url(named)).json()

    assert body["author"]["name"] == case.enrolments[0].participant.name_latin


# --- Decisions and integration, as the suggestion shows them ----------------------------


def test_unreleased_decisions_show_only_to_the_readers_of_the_round(as_user, case):
    suggestion = from_participant(case.enrolments[0])
    review_round = open_round(case, [suggestion])
    decisions.record_decisions(
        review_round=review_round,
        suggestions=[suggestion],
        outcome="accepted",
        rationale="A real gap in the module.",
        by=case.coordinator,
    )

    for_member = as_user(case.partnership.member).get(suggestion_url(suggestion)).json()
    for_outsider = as_user(case.outsider).get(suggestion_url(suggestion)).json()

    assert [d["outcome"] for d in for_member["decisions"]] == ["accepted"]
    assert for_member["decisions"][0]["released_at"] is None
    assert for_outsider["decisions"] == []
    assert b"A real gap" not in as_user(case.outsider).get(suggestion_url(suggestion)).content


def test_released_decisions_show_to_every_member(as_user, case):
    suggestion = from_participant(case.enrolments[0])
    decide_and_release(case, open_round(case, [suggestion]))

    body = as_user(case.outsider).get(suggestion_url(suggestion)).json()

    [decision] = body["decisions"]
    assert decision["outcome"] == "accepted"
    assert decision["rationale"] == "The committee agreed."
    assert decision["released_at"] is not None


# --- Making a suggestion ----------------------------------------------------------------


def test_a_member_makes_a_suggestion_as_themselves(as_user, case, staff_author):
    response = as_user(staff_author).post(
        SUGGESTIONS, new_suggestion(session=case.session.pk), format="json"
    )

    assert response.status_code == 201, response.content
    suggestion = Suggestion.objects.get(pk=response.json()["id"])
    assert suggestion.author_user == staff_author
    assert suggestion.author_kind == AuthorKind.STAFF
    assert suggestion.session == case.session
    assert suggestion.curriculum == case.session.version.curriculum
    assert response.json()["author"]["name"] == "Samira Bennani"
    assert suggestion.history.first().history_user == staff_author


def test_a_trainer_says_they_make_it_as_a_trainer(as_user, case):
    response = as_user(case.trainer).post(
        SUGGESTIONS, new_suggestion(author_kind="trainer"), format="json"
    )

    assert response.status_code == 201, response.content
    assert Suggestion.objects.get().author_kind == AuthorKind.TRAINER


def test_an_empty_suggestion_is_refused_with_the_field(as_user, case):
    error = assert_error_shape(
        as_user(case.outsider).post(SUGGESTIONS, new_suggestion(text="   "), format="json"), 400
    )

    assert error["fields"] == {"text": ["Write your suggestion."]}
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": "module"}, "module"),
        ({"author_kind": "participant"}, "author_kind"),
        ({"category": "gossip"}, "category"),
        ({"session": 999999}, "session"),
    ],
)
def test_a_suggestion_missing_what_it_needs_is_refused(as_user, case, changes, field):
    response = as_user(case.outsider).post(SUGGESTIONS, new_suggestion(**changes), format="json")

    assert field in assert_error_shape(response, 400)["fields"]
    assert not Suggestion.objects.exists()


def test_a_suggestion_takes_attachments_as_multipart(as_user, case, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("register.pdf", pdf_document(), "application/pdf")

    response = as_user(case.outsider).post(
        SUGGESTIONS, {**new_suggestion(), "attachments": [upload]}, format="multipart"
    )

    assert response.status_code == 201, response.content
    assert [a["name"] for a in response.json()["attachments"]] == ["attachment-1.pdf"]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- Changelog entries: into a new curriculum version ------------------------------------


@pytest.fixture
def accepted(case):
    """A suggestion accepted and released, and a draft version after the session's."""
    suggestion = from_participant(case.enrolments[0])
    review_round = open_round(case, [suggestion])
    review_everything(review_round)
    decide_and_release(case, review_round)
    draft = training_services.new_version_from(
        version=case.session.version, changelog="After the spring sessions.", by=case.coordinator
    )
    return suggestion, draft


def integration_body(draft, suggestion, **changes) -> dict:
    return {
        "version": draft.pk,
        "text": "A case study of a family stopped at the border.",
        "modules": [draft.modules.first().pk],
        "suggestions": [suggestion.pk],
        **changes,
    }


def test_the_coordinator_integrates_an_accepted_suggestion(as_user, case, accepted):
    suggestion, draft = accepted

    response = as_user(case.coordinator).post(
        ENTRIES, integration_body(draft, suggestion), format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == draft.pk
    assert body["suggestions"] == [suggestion.pk]
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.INTEGRATED
    integrated = as_user(case.outsider).get(suggestion_url(suggestion)).json()["integrated_in"]
    assert integrated == [
        {
            "changelog_entry": body["id"],
            "version": draft.pk,
            "curriculum": draft.curriculum_id,
            "number": draft.number,
        }
    ]


def test_changelog_entries_are_listed_by_version(as_user, case, accepted):
    suggestion, draft = accepted
    as_user(case.coordinator).post(ENTRIES, integration_body(draft, suggestion), format="json")

    listed = as_user(case.outsider).get(ENTRIES, {"version": draft.pk}).json()["results"]
    other = as_user(case.outsider).get(ENTRIES, {"version": case.session.version.pk}).json()

    assert [row["text"] for row in listed] == ["A case study of a family stopped at the border."]
    assert other["results"] == []


def test_a_viewer_may_not_integrate(as_user, case, accepted):
    suggestion, draft = accepted

    response = as_user(case.outsider).post(
        ENTRIES, integration_body(draft, suggestion), format="json"
    )

    assert_error_shape(response, 403)
    assert not draft.changelog_entries.exists()


def test_anonymous_callers_cannot_read_changelog_entries(api, case):
    assert_error_shape(api.get(ENTRIES), 401)


def test_a_suggestion_not_accepted_cannot_be_integrated(as_user, case, accepted):
    _accepted, draft = accepted
    waiting = from_participant(case.enrolments[1], "More time for exercises.")

    error = assert_error_shape(
        as_user(case.coordinator).post(ENTRIES, integration_body(draft, waiting), format="json"),
        400,
    )

    assert error["code"] == "not_accepted"
    assert "suggestions" in error["fields"]


def test_a_frozen_version_takes_no_changelog_entry(as_user, case, accepted):
    suggestion, _draft = accepted
    used = case.session.version

    error = assert_error_shape(
        as_user(case.coordinator).post(ENTRIES, integration_body(used, suggestion), format="json"),
        400,
    )

    assert error["code"] == "frozen"


def test_an_entry_without_text_is_refused(as_user, case, accepted):
    suggestion, draft = accepted

    error = assert_error_shape(
        as_user(case.coordinator).post(
            ENTRIES, integration_body(draft, suggestion, text=""), format="json"
        ),
        400,
    )

    assert "text" in error["fields"]
