"""The back office's suggestion pages: the list and its export, making a suggestion, one's
own suggestions, a suggestion's page and history, and a session's suggestions. Who may
open them, and who sees an author (never a member of a committee reviewing blind)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mizan.suggestions.enums import AuthorKind, Outcome, SuggestionStatus
from mizan.suggestions.models import Suggestion
from mizan.suggestions.services import decisions, rounds
from tests.factories import UserFactory, pdf_document
from tests.suggestions.builders import (
    ReviewCase,
    build_review_case,
    decide_and_release,
    from_participant,
    from_staff,
    open_round,
)

pytestmark = pytest.mark.django_db

CHAIR_NAME = "Nadia Benjelloun"


@pytest.fixture
def case(nhri, coordinator) -> ReviewCase:
    case = build_review_case(nhri=nhri, coordinator=coordinator)
    # A name that shows nowhere on a page unless it is the author's.
    case.partnership.chair.display_name = CHAIR_NAME
    case.partnership.chair.save()
    return case


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def named(case) -> Suggestion:
    """A participant's suggestion, signed."""
    return from_participant(case.enrolments[0], "Add a case study on a family at the border.")


@pytest.fixture
def by_chair(case) -> Suggestion:
    """A committee member's suggestion about the session."""
    return from_staff(
        case.partnership.chair,
        "Send the Arabic guide a week before.",
        author_kind=AuthorKind.COMMITTEE_MEMBER,
        session=case.session,
    )


def participant_name(case) -> str:
    return case.enrolments[0].participant.name_latin


def login(client, user):
    client.force_login(user)
    return client


def list_url() -> str:
    return reverse("staff:suggestion_list")


def detail_url(suggestion) -> str:
    return reverse("staff:suggestion_detail", args=[suggestion.pk])


def history_url(suggestion) -> str:
    return reverse("staff:suggestion_history", args=[suggestion.pk])


def session_url(session) -> str:
    return reverse("staff:session_suggestions", args=[session.pk])


def export_url(fmt: str = "csv") -> str:
    return reverse("staff:suggestion_export", args=[fmt])


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


# --- Who may open the pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["list", "create", "mine", "detail", "history", "session", "export"],
)
def test_anonymous_visitors_are_sent_to_log_in(client, case, named, name):
    url = {
        "list": list_url(),
        "create": reverse("staff:suggestion_create"),
        "mine": reverse("staff:my_suggestions"),
        "detail": detail_url(named),
        "history": history_url(named),
        "session": session_url(case.session),
        "export": export_url(),
    }[name]
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["list", "create", "mine", "detail", "session", "export"])
def test_an_account_without_membership_is_refused(client, case, named, name):
    url = {
        "list": list_url(),
        "create": reverse("staff:suggestion_create"),
        "mine": reverse("staff:my_suggestions"),
        "detail": detail_url(named),
        "session": session_url(case.session),
        "export": export_url(),
    }[name]
    nobody = UserFactory(username="no.membership")
    assert login(client, nobody).get(url).status_code == 403


def test_an_unknown_suggestion_is_not_found(client, case):
    assert login(client, case.outsider).get("/staff/suggestions/999999/").status_code == 404


def test_an_unknown_export_format_is_not_found(client, case, named):
    assert login(client, case.coordinator).get(export_url("json")).status_code == 404


# --- The list ------------------------------------------------------------------------------


def test_a_member_of_an_unrelated_ministry_reads_suggestions_but_no_author(
    client, case, named, by_chair
):
    anonymous = from_participant(case.enrolments[1], "Longer breaks, please.", anonymous=True)
    response = login(client, case.outsider).get(list_url())

    assert response.status_code == 200
    assert "Add a case study on a family at the border." in response.text
    assert anonymous.reference in response.text
    assert "Anonymous" in response.text
    assert participant_name(case) not in response.text
    assert CHAIR_NAME not in response.text


def test_a_coordinator_sees_the_authors(client, case, named, by_chair):
    response = login(client, case.coordinator).get(list_url())

    assert participant_name(case) in response.text
    assert CHAIR_NAME in response.text


def test_filters_narrow_the_list(client, case, named, by_chair):
    client = login(client, case.coordinator)

    logistics = client.get(list_url(), {"subject": "logistics"})
    by_words = client.get(list_url(), {"q": "family at the border"})
    by_reference = client.get(list_url(), {"q": by_chair.reference})

    assert by_chair.reference in logistics.text and named.reference not in logistics.text
    assert named.reference in by_words.text and by_chair.reference not in by_words.text
    assert by_chair.reference in by_reference.text and named.reference not in by_reference.text


def test_searching_an_authors_name_finds_nothing(client, case, named):
    response = login(client, case.coordinator).get(list_url(), {"q": participant_name(case)})

    assert named.reference not in response.text
    assert "0 suggestions found" in response.text


def test_a_round_the_reader_may_not_read_filters_to_nothing(client, case, named):
    review_round = open_round(case, [named])
    response = login(client, case.outsider).get(list_url(), {"round": review_round.pk})
    readers_view = login(client, case.reviewer).get(list_url(), {"round": review_round.pk})

    assert named.reference not in response.text
    assert named.reference in readers_view.text


def test_the_list_shows_a_released_outcome_to_everyone(client, case, named):
    decide_and_release(case, open_round(case, [named]), outcome=Outcome.DEFERRED)
    response = login(client, case.outsider).get(list_url())

    assert "Deferred" in response.text


def test_an_unreleased_outcome_shows_only_to_the_rounds_readers(client, case, named):
    review_round = rounds.close_round(review_round=open_round(case, [named]), by=case.coordinator)
    decisions.record_decisions(
        review_round=review_round,
        suggestions=[named],
        outcome=Outcome.REJECTED,
        rationale="Out of scope.",
        by=case.coordinator,
    )

    assert "Rejected" not in login(client, case.outsider).get(list_url()).text
    assert "Rejected" in login(client, case.coordinator).get(list_url()).text


def test_the_list_links_to_the_exports(client, case, named):
    response = login(client, case.outsider).get(list_url(), {"status": "received"})

    assert export_url("csv") + "?status=received" in response.text
    assert export_url("xlsx") + "?status=received" in response.text


def test_the_list_page_is_in_arabic_right_to_left(client, case, named):
    response = login(client, case.outsider).get(list_url(), HTTP_ACCEPT_LANGUAGE="ar")

    assert '<html lang="ar" dir="rtl">' in response.text


@pytest.mark.parametrize("page", ["list", "session", "mine"])
def test_a_list_takes_as_many_queries_for_one_suggestion_as_for_three(
    client, case, page, django_assert_max_num_queries
):
    def add(n: int) -> None:
        from_participant(case.enrolments[n % 3], f"Suggestion number {n}.")
        from_staff(case.partnership.chair, f"Staff idea {n}.", session=case.session)

    url = {
        "list": list_url(),
        "session": session_url(case.session),
        "mine": reverse("staff:my_suggestions"),
    }[page]
    client = login(client, case.partnership.chair if page == "mine" else case.coordinator)
    add(0)
    with django_assert_max_num_queries(30) as one:
        client.get(url)
    add(1)
    add(2)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.text.count("Staff idea") == 3


# --- Blind review ------------------------------------------------------------------------------


def test_before_blind_review_the_reviewer_of_an_organising_institution_sees_the_author(
    client, case, named
):
    # The reviewer is NHRI staff, and the NHRI organised the session.
    assert participant_name(case) in login(client, case.reviewer).get(detail_url(named)).text


@pytest.mark.parametrize("reader", ["reviewer", "secretary"])
def test_a_blind_reviewer_learns_no_author_from_any_page_or_the_export(
    client, case, named, by_chair, reader
):
    open_round(case, [named, by_chair])
    user = case.reviewer if reader == "reviewer" else case.partnership.secretary
    client = login(client, user)

    pages = [
        client.get(list_url()),
        client.get(detail_url(named)),
        client.get(detail_url(by_chair)),
        client.get(session_url(case.session)),
    ]
    search = client.get(list_url(), {"q": participant_name(case)})
    export = csv_rows(client.get(export_url("csv")))

    for response in pages:
        assert response.status_code == 200
        assert participant_name(case) not in response.text
        assert CHAIR_NAME not in response.text
    assert "0 suggestions found" in search.text
    assert len(export) == 3
    assert all(
        participant_name(case) not in cell and CHAIR_NAME not in cell
        for cell in export[1] + export[2]
    )
    assert client.get(history_url(named)).status_code == 403
    assert client.get(history_url(by_chair)).status_code == 403
    assert history_url(named) not in pages[1].text


def test_the_author_still_sees_their_own_name_in_a_blind_round(client, case, by_chair):
    open_round(case, [by_chair])
    response = login(client, case.partnership.chair).get(detail_url(by_chair))

    assert CHAIR_NAME in response.text


# --- Making a suggestion ---------------------------------------------------------------------


def test_the_form_groups_modules_under_their_curriculum_version(client, case):
    response = login(client, case.trainer).get(reverse("staff:suggestion_create"))
    module = case.session.version.modules.first()

    assert response.status_code == 200
    assert f'<optgroup label="{case.session.version}">' in response.text
    assert f'value="{module.pk}"' in response.text
    # A trainer writes as a trainer unless they say otherwise.
    assert re.search(r'<input[^>]*value="trainer"[^>]*checked', response.text)
    assert not re.search(r'<input[^>]*value="staff"[^>]*checked', response.text)


def test_a_trainer_makes_a_suggestion_about_a_module_with_an_attachment(client, case, media_root):
    module = case.session.version.modules.first()
    response = login(client, case.trainer).post(
        reverse("staff:suggestion_create"),
        {
            "subject": "module",
            "module": module.pk,
            "category": "method",
            "text": "Use a role play for the interview at the border post.",
            "language": "en",
            "session": case.session.pk,
            "author_kind": "trainer",
            "attachments": [SimpleUploadedFile("role-play.pdf", pdf_document(), "application/pdf")],
        },
    )

    suggestion = Suggestion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(suggestion)
    assert suggestion.author_user == case.trainer
    assert suggestion.module == module and suggestion.session == case.session
    assert suggestion.author_kind == AuthorKind.TRAINER
    assert [f.name for f in suggestion.attachments.all()] == ["attachment-1.pdf"]
    assert suggestion.history.first().history_user == case.trainer


def test_a_refused_attachment_shows_on_its_field_and_records_nothing(client, case, media_root):
    response = login(client, case.partnership.member).post(
        reverse("staff:suggestion_create"),
        {
            "subject": "logistics",
            "category": "organisation",
            "text": "A bigger room.",
            "language": "en",
            "author_kind": "committee_member",
            "attachments": [SimpleUploadedFile("tool.exe", b"MZ\x90\x00\x03" + b"\x00" * 200)],
        },
    )

    assert response.status_code == 200
    assert "Attach photos (JPEG, PNG or WebP) or PDF files." in response.text
    assert not Suggestion.objects.exists()


def test_a_module_suggestion_without_its_module_is_refused_on_the_field(client, case):
    response = login(client, case.reviewer).post(
        reverse("staff:suggestion_create"),
        {
            "subject": "module",
            "category": "content",
            "text": "More on appeals.",
            "language": "fr",
            "author_kind": "committee_member",
        },
    )

    assert response.status_code == 200
    assert "Choose the module." in response.text
    assert not Suggestion.objects.exists()


# --- One's own suggestions -------------------------------------------------------------------


def test_my_suggestions_show_the_released_outcome_and_rationale(client, case, by_chair):
    other = from_staff(case.reviewer, "Shorter lunch.")
    decide_and_release(case, open_round(case, [by_chair]), outcome=Outcome.ACCEPTED)
    response = login(client, case.partnership.chair).get(reverse("staff:my_suggestions"))

    assert by_chair.reference in response.text
    assert other.reference not in response.text
    assert "Accepted" in response.text
    assert "The committee agreed." in response.text


def test_my_suggestions_hide_a_decision_not_yet_released(client, case, by_chair):
    review_round = rounds.close_round(
        review_round=open_round(case, [by_chair]), by=case.coordinator
    )
    decisions.record_decisions(
        review_round=review_round,
        suggestions=[by_chair],
        outcome=Outcome.REJECTED,
        rationale="Too costly for now.",
        by=case.coordinator,
    )
    response = login(client, case.partnership.chair).get(reverse("staff:my_suggestions"))

    assert "Too costly for now." not in response.text
    assert "Not released yet." in response.text


# --- A suggestion's page and history ---------------------------------------------------------


def test_the_page_shows_the_suggestion_and_its_rounds(client, case, by_chair):
    review_round = open_round(case, [by_chair])
    response = login(client, case.reviewer).get(detail_url(by_chair))

    assert response.status_code == 200
    assert "Send the Arabic guide a week before." in response.text
    assert case.session.title in response.text
    assert reverse("staff:review_round", args=[review_round.pk]) in response.text
    assert str(SuggestionStatus.IN_REVIEW.label) in response.text


def test_an_outsider_does_not_see_the_rounds_or_an_unreleased_decision(client, case, by_chair):
    review_round = rounds.close_round(
        review_round=open_round(case, [by_chair]), by=case.coordinator
    )
    decisions.record_decisions(
        review_round=review_round,
        suggestions=[by_chair],
        outcome=Outcome.REJECTED,
        rationale="Too costly for now.",
        by=case.coordinator,
    )
    outsider = login(client, case.outsider).get(detail_url(by_chair)).text
    coordinator = login(client, case.coordinator).get(detail_url(by_chair)).text

    assert "Too costly for now." not in outsider
    assert reverse("staff:review_round", args=[review_round.pk]) not in outsider
    assert "Too costly for now." in coordinator


def test_attachments_link_to_their_download(client, case, media_root):
    suggestion = from_staff(
        case.reviewer, uploads=[SimpleUploadedFile("agenda.pdf", pdf_document(), "application/pdf")]
    )
    response = login(client, case.outsider).get(detail_url(suggestion))
    evidence = suggestion.attachments.get()

    assert reverse("staff:evidence_download", args=[evidence.pk]) in response.text
    assert "attachment-1.pdf" in response.text


def test_the_history_names_who_made_it_for_a_coordinator(client, case, by_chair):
    response = login(client, case.coordinator).get(history_url(by_chair))

    assert response.status_code == 200
    assert CHAIR_NAME in response.text
    assert "Send the Arabic guide a week before." in response.text


def test_the_history_is_refused_to_who_may_not_see_the_author(client, case, by_chair):
    response = login(client, case.outsider).get(history_url(by_chair))
    page = login(client, case.outsider).get(detail_url(by_chair))

    assert response.status_code == 403
    assert history_url(by_chair) not in page.text


# --- A session's suggestions -----------------------------------------------------------------


def test_the_session_page_links_to_its_suggestions(client, case):
    response = login(client, case.outsider).get(
        reverse("staff:session_detail", args=[case.session.pk])
    )

    assert session_url(case.session) in response.text


def test_a_sessions_suggestions_with_their_released_decisions(client, case, named, by_chair):
    unrelated = from_staff(case.reviewer, "Meet in Rabat next time.")
    decide_and_release(case, open_round(case, [named, by_chair]))
    response = login(client, case.coordinator).get(session_url(case.session))

    assert response.status_code == 200
    assert named.reference in response.text and by_chair.reference in response.text
    assert unrelated.reference not in response.text
    assert "The committee agreed." in response.text
    assert participant_name(case) in response.text


def test_the_sessions_suggestions_show_no_author_to_an_outsider(client, case, named, by_chair):
    response = login(client, case.outsider).get(session_url(case.session))

    assert named.reference in response.text
    assert participant_name(case) not in response.text
    assert CHAIR_NAME not in response.text


# --- The export ------------------------------------------------------------------------------


def test_the_export_has_a_row_per_filtered_suggestion(client, case, named, by_chair):
    response = login(client, case.coordinator).get(export_url("csv"), {"subject": "curriculum"})
    rows = csv_rows(response)

    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    assert [row[0] for row in rows[1:]] == [named.reference]
    assert rows[1][-1] == participant_name(case)


def test_the_xlsx_export_downloads(client, case, named):
    from openpyxl import load_workbook

    response = login(client, case.outsider).get(export_url("xlsx"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))

    assert rows[1][0] == named.reference
    assert rows[1][-1] is None
