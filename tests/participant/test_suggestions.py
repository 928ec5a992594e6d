"""Making a suggestion from the participant's phone, and seeing the committee's released
decision on the home page: languages, what is stored (and, for an anonymous suggestion,
what is not), refused input, refused links, and decisions before and after release."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mizan.evidence.models import EvidenceFile
from mizan.suggestions.enums import AuthorKind, Outcome, Subject
from mizan.suggestions.models import Suggestion
from mizan.suggestions.services import decisions, rounds
from mizan.training.enums import SessionStatus
from mizan.training.models import PersonalLink
from mizan.training.services import sessions as session_services
from tests.factories import pdf_document
from tests.suggestions.builders import (
    build_review_case,
    decide_and_release,
    from_participant,
    from_staff,
    open_round,
    review_everything,
)
from tests.training.builders import build_version, make_participant, make_session

pytestmark = pytest.mark.django_db

PDF = pdf_document()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case(nhri, coordinator):
    """The review case, its session in English (unless a test says otherwise)."""
    case = build_review_case(nhri=nhri, coordinator=coordinator)
    session_services.update_session(session=case.session, language="en", by=coordinator)
    return case


@pytest.fixture
def link(case):
    """The personal link of the first officer of the case's running session."""
    return session_services.issue_personal_link(enrolment=case.enrolments[0])


def page(link, name="suggest"):
    return reverse(f"participant:{name}", args=[link.token])


def text(response) -> str:
    return response.content.decode()


def form(**changes):
    data = {
        "subject": Subject.CURRICULUM,
        "category": "content",
        "text": "Add a case study on a family stopped at the border.",
        "language": "en",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def field_errors(body: str, field: str) -> str:
    """The errors shown next to a field (empty if none)."""
    found = re.search(rf'<ul class="field-error" id="id_{field}_error">(.*?)</ul>', body, re.S)
    return found.group(1) if found else ""


# --- The form ------------------------------------------------------------------------------


def test_the_form_opens_in_the_sessions_language(client, case, link):
    session_services.update_session(session=case.session, language="ar", by=case.coordinator)
    body = text(client.get(page(link)))
    assert 'lang="ar" dir="rtl"' in body
    assert "الوحدة 1" in body  # the module's title in Arabic
    assert '<option value="ar" selected>' in body  # written in the page's language


def test_the_form_works_without_javascript(client, link):
    body = text(client.get(page(link)))
    assert '<form method="post" enctype="multipart/form-data"' in body
    assert "csrfmiddlewaretoken" in body
    assert "<script" not in body


def test_the_form_offers_only_the_modules_of_the_sessions_version(client, case, link):
    build_version(code="another-course")
    body = text(client.get(page(link)))
    select = re.search(r'<select name="module".*?</select>', body, re.S)
    assert select is not None
    offered = re.findall(r'<option value="(\d+)">([^<]*)</option>', select.group(0))
    modules = case.session.version.modules.order_by("order")
    assert offered == [(str(module.pk), module.titles["en"]) for module in modules]


def test_the_anonymous_choice_is_explained(client, link):
    body = text(client.get(page(link)))
    assert "Stay anonymous" in body
    assert "Nothing that identifies you is kept" in body
    assert "you will not see the committee&#x27;s answer on this page" in body


# --- Making a suggestion -------------------------------------------------------------------


def test_a_named_suggestion_is_stored_with_the_enrolment_and_institution(client, case, link):
    module = case.session.version.modules.get(order=2)
    response = client.post(
        page(link),
        form(
            subject=Subject.MODULE,
            module=module.pk,
            attachments=SimpleUploadedFile("programme.pdf", PDF, "application/pdf"),
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == page(link, "home")
    suggestion = Suggestion.objects.get()
    enrolment = case.enrolments[0]
    assert suggestion.author_enrolment == enrolment
    assert suggestion.author_institution == enrolment.participant.institution
    assert suggestion.author_kind == AuthorKind.PARTICIPANT
    assert suggestion.session == case.session
    assert suggestion.module == module
    assert [f.name for f in suggestion.attachments.all()] == ["attachment-1.pdf"]


def test_after_sending_the_home_page_thanks_with_the_reference(client, link):
    response = client.post(page(link), form(), follow=True)
    suggestion = Suggestion.objects.get()
    body = text(response)
    assert f"Your suggestion was received under the reference {suggestion.reference}" in body
    assert "My training" in body


def test_a_learning_objective_is_stored_with_its_module(client, case, link):
    module = case.session.version.modules.get(order=1)
    objective = module.objectives.order_by("order").first()
    response = client.post(page(link), form(subject=Subject.OBJECTIVE, objective=objective.pk))
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.objective, suggestion.module) == (objective, module)


def test_the_text_may_be_written_in_another_language(client, link):
    client.post(page(link), form(text="Ajouter une étude de cas.", language="fr"))
    assert Suggestion.objects.get().language == "fr"


def test_an_anonymous_suggestion_keeps_nothing_that_identifies_its_author(client, case, link):
    name = case.enrolments[0].participant.name_latin
    response = client.post(
        page(link),
        form(
            anonymous="on",
            text="Longer breaks between the sessions.",
            attachments=SimpleUploadedFile(f"{name} notes.pdf", PDF, "application/pdf"),
        ),
        follow=True,
    )
    suggestion = Suggestion.objects.get()
    assert suggestion.anonymous
    assert suggestion.author_enrolment is None
    assert suggestion.author_institution is None
    assert suggestion.author_user is None
    assert suggestion.recorded_by is None
    attachment = suggestion.attachments.get()
    assert name not in attachment.name
    assert attachment.uploaded_by is None
    body = text(response)
    assert "received anonymously" in body
    assert "Longer breaks" not in body
    assert "Longer breaks" not in text(client.get(page(link, "home")))


def test_an_account_signed_in_on_the_phone_is_not_recorded(client, case, link):
    """A trainer signed in on the phone the participant uses: their account must not be
    written into the audit trail of an anonymous suggestion."""
    client.force_login(case.trainer)
    client.post(page(link), form(anonymous="on"))
    suggestion = Suggestion.objects.get()
    assert suggestion.anonymous
    assert [row.history_user_id for row in suggestion.history.all()] == [None]
    assert suggestion.recorded_by is None


# --- Refused input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"text": "   "}, "text", "This field is required."),
        ({"subject": Subject.MODULE}, "module", "Choose the module."),
        ({"subject": Subject.OBJECTIVE}, "objective", "Choose the learning objective."),
        ({"category": ""}, "category", "This field is required."),
        (
            {"attachments": SimpleUploadedFile("guide.pdf", EXE, "application/pdf")},
            "attachments",
            "Attach photos (JPEG, PNG or WebP) or PDF files.",
        ),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_stores_nothing(
    client, link, changes, field, message
):
    response = client.post(page(link), form(**changes))
    assert response.status_code == 400
    assert message in field_errors(text(response), field)
    assert not Suggestion.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_a_module_of_another_curriculum_is_refused(client, link):
    other = build_version(code="another-course").modules.get(order=1)
    response = client.post(page(link), form(subject=Subject.MODULE, module=other.pk))
    assert response.status_code == 400
    assert "Select a valid choice" in field_errors(text(response), "module")
    assert not Suggestion.objects.exists()


def test_a_good_file_with_a_bad_one_stores_nothing(client, link):
    response = client.post(
        page(link),
        form(
            attachments=[
                SimpleUploadedFile("photo.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("guide.pdf", EXE, "application/pdf"),
            ]
        ),
    )
    assert response.status_code == 400
    assert not Suggestion.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_too_many_files_are_refused(client, link):
    files = [SimpleUploadedFile(f"page{n}.pdf", pdf_document(pages=n + 1)) for n in range(6)]
    response = client.post(page(link), form(attachments=files))
    assert response.status_code == 400
    assert "Attach at most 5 files." in field_errors(text(response), "attachments")
    assert not Suggestion.objects.exists()


def test_field_errors_come_in_the_page_language(client, case, link):
    session_services.update_session(session=case.session, language="fr", by=case.coordinator)
    response = client.post(page(link), form(text=""))
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in field_errors(text(response), "text")


def test_sending_needs_the_csrf_token(link):
    client = Client(enforce_csrf_checks=True)
    assert client.post(page(link), form()).status_code == 403
    assert not Suggestion.objects.exists()


# --- Who may make one ----------------------------------------------------------------------


def test_unknown_expired_and_revoked_links_get_the_same_404(client, case, link):
    expired = session_services.issue_personal_link(
        enrolment=case.enrolments[1], expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    session_services.revoke_personal_link(link=link)
    not_found = text(client.get("/p/no-such-token-at-all/"))
    for url in (page(link), page(expired), "/p/no-such-token-at-all/suggest/"):
        response = client.get(url)
        assert response.status_code == 404
        assert text(response) == not_found
    assert client.post(page(link), form()).status_code == 404
    assert not Suggestion.objects.exists()


def test_a_nominated_but_not_approved_participant_is_refused(client, coordinator):
    session = make_session(by=coordinator, status=SessionStatus.OPEN, code="nominations")
    participant = make_participant(name_latin="Nadia Amrani")
    enrolment = session_services.nominate(
        session=session, participant=participant, institution=participant.institution
    )
    session_services.change_session_status(
        session=session, status=SessionStatus.RUNNING, by=coordinator
    )
    # No service issues a link to a nominee; one made anyway opens nothing.
    stray = PersonalLink.objects.create(
        participant=participant,
        enrolment=enrolment,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    assert client.get(page(stray)).status_code == 404
    assert client.post(page(stray), form()).status_code == 404
    assert not Suggestion.objects.exists()


def test_a_relay_trainers_link_has_no_suggestion_page(client, case):
    relay = session_services.issue_personal_link(participant=case.enrolments[0].participant)
    assert client.get(page(relay)).status_code == 404


def test_before_the_course_suggestions_are_not_open_yet(client, coordinator):
    session = make_session(
        by=coordinator, status=SessionStatus.OPEN, code="next-course", language="en"
    )
    enrolment = session_services.enrol(session=session, participant=make_participant())
    early = session_services.issue_personal_link(enrolment=enrolment)
    assert "from the first day of the course" in text(client.get(page(early)))
    assert client.post(page(early), form()).status_code == 400
    assert not Suggestion.objects.exists()
    assert page(early) not in text(client.get(page(early, "home")))


def test_after_the_course_suggestions_are_still_taken(client, case, link):
    session_services.change_session_status(
        session=case.session, status=SessionStatus.COMPLETED, by=case.coordinator
    )
    assert page(link) in text(client.get(page(link, "home")))
    assert client.post(page(link), form()).status_code == 302


# --- The home page -------------------------------------------------------------------------


def test_home_offers_to_make_a_suggestion_and_lists_my_named_ones(client, case, link):
    mine = from_participant(case.enrolments[0], "Translate the handouts into Arabic.")
    from_participant(case.enrolments[0], "Hold it in a bigger room.", anonymous=True)
    from_participant(case.enrolments[1], "Invite a prosecutor.")
    body = text(client.get(page(link, "home")))
    assert page(link) in body
    assert mine.reference in body
    assert "Translate the handouts into Arabic." in body
    assert "Received" in body
    assert "Hold it in a bigger room." not in body
    assert "Invite a prosecutor." not in body


def test_the_outcome_appears_on_home_only_once_released(client, case, link):
    mine = from_participant(case.enrolments[0])
    review_round = open_round(case, [mine])
    review_everything(review_round)
    review_round = rounds.close_round(review_round=review_round, by=case.coordinator)
    decisions.record_decisions(
        review_round=review_round,
        suggestions=[mine],
        outcome=Outcome.ACCEPTED,
        rationale="It fills a gap the trainers also saw.",
        meeting=case.meeting,
        by=case.coordinator,
    )
    before = text(client.get(page(link, "home")))
    assert "It fills a gap the trainers also saw." not in before
    assert "Accepted" not in before
    assert "Being reviewed by the committee" in before
    decisions.release_decisions(review_round=review_round, by=case.coordinator)
    after = text(client.get(page(link, "home")))
    assert "Accepted" in after
    assert "It fills a gap the trainers also saw." in after


def test_a_merged_suggestion_names_the_one_it_was_merged_into(client, case, link):
    mine = from_participant(case.enrolments[0])
    other = from_staff(case.coordinator, session=case.session)
    review_round = open_round(case, [mine, other])
    review_round = rounds.close_round(review_round=review_round, by=case.coordinator)
    for suggestions, outcome, merged_into in (
        ([other], Outcome.ACCEPTED, None),
        ([mine], Outcome.MERGED, other),
    ):
        decisions.record_decisions(
            review_round=review_round,
            suggestions=suggestions,
            outcome=outcome,
            rationale="Both ask for the same case study.",
            merged_into=merged_into,
            by=case.coordinator,
        )
    decisions.release_decisions(review_round=review_round, by=case.coordinator)
    body = text(client.get(page(link, "home")))
    assert f"It was merged into suggestion {other.reference}" in body
    assert "Both ask for the same case study." in body


def test_an_anonymous_suggestion_shows_no_outcome_on_home(client, case, link):
    anonymous = from_participant(case.enrolments[0], "Longer breaks.", anonymous=True)
    decide_and_release(case, open_round(case, [anonymous]))
    body = text(client.get(page(link, "home")))
    assert "Longer breaks." not in body
    assert "The committee agreed." not in body


def test_home_reads_the_suggestions_in_the_same_number_of_queries_for_1_and_3(client, case, link):
    def home_queries(count: int) -> int:
        client.get(page(link, "home"))  # the link's day of use is stamped once a day
        with CaptureQueriesContext(connection) as queries:
            body = text(client.get(page(link, "home")))
        assert body.count("The committee agreed.") == count
        return len(queries)

    first = from_participant(case.enrolments[0], "Suggestion number 1.")
    decide_and_release(case, open_round(case, [first]))
    with_one = home_queries(1)
    more = [from_participant(case.enrolments[0], f"Suggestion number {n}.") for n in (2, 3)]
    decide_and_release(case, open_round(case, more))
    assert home_queries(3) == with_one
