"""Making a suggestion: what must be said, what it may be about, who may stay anonymous,
and what is kept (or not) about the author."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from mizan.core.errors import MizanError, Refused
from mizan.evidence.models import EvidenceFile
from mizan.suggestions.enums import AuthorKind, Category, Subject, SuggestionStatus
from mizan.suggestions.models import Suggestion
from mizan.suggestions.services.intake import author_name, make_suggestion
from mizan.training import services as training_services
from mizan.training.services import sessions as session_services
from tests.actions.factories import pdf_upload
from tests.factories import pdf_document
from tests.suggestions.builders import from_participant, from_staff
from tests.training.builders import build_version

#: The start of a Linux program: what a renamed executable looks like inside.
EXECUTABLE = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200


def _refusal(**kwargs) -> MizanError:
    with pytest.raises(MizanError) as refused:
        make_suggestion(**kwargs)
    return refused.value


def _staff_kwargs(case, **changes):
    values = {
        "text": "Shorter lectures, more exercises.",
        "subject": Subject.CURRICULUM,
        "category": Category.METHOD,
        "language": "fr",
        "by": case.partnership.chair,
        "author_kind": AuthorKind.COMMITTEE_MEMBER,
    }
    values.update(changes)
    return values


# --- What must be said ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": "   "}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"subject": ""}, "subject"),
        ({"subject": "weather"}, "subject"),
        ({"category": ""}, "category"),
        ({"language": "de"}, "language"),
        ({"author_kind": "minister"}, "author_kind"),
        ({"subject": Subject.MODULE}, "module"),
        ({"subject": Subject.OBJECTIVE}, "objective"),
    ],
)
def test_a_missing_or_wrong_field_is_named(case, changes, field):
    error = _refusal(**_staff_kwargs(case, **changes))
    assert error.field == field
    assert not Suggestion.objects.exists()


def test_an_empty_text_says_write_your_suggestion(case):
    error = _refusal(**_staff_kwargs(case, text=""))
    assert (error.field, error.code, str(error.message)) == (
        "text",
        "required",
        "Write your suggestion.",
    )


def test_a_staff_suggestion_keeps_its_author_and_their_unit(case):
    suggestion = make_suggestion(**_staff_kwargs(case, text="  Shorter lectures.  "))
    assert suggestion.text == "Shorter lectures."
    assert suggestion.status == SuggestionStatus.RECEIVED
    assert suggestion.author_user == case.partnership.chair
    assert suggestion.author_institution == case.partnership.nhri
    assert suggestion.recorded_by == case.partnership.chair
    assert author_name(suggestion) == str(case.partnership.chair)


# --- What it is about ----------------------------------------------------------------------


def test_a_module_of_another_version_of_the_curriculum_is_refused_for_the_session(case):
    """The participant was taught the session's version: a module they never saw (of the
    next draft) is not what they can comment on."""
    draft = training_services.new_version_from(
        version=case.session.version, changelog="Next year.", by=case.coordinator
    )
    with pytest.raises(MizanError) as refused:
        from_participant(case.enrolments[0], subject=Subject.MODULE, module=draft.modules.first())
    assert refused.value.field == "module"
    assert "version the session used" in str(refused.value.message)
    assert not Suggestion.objects.exists()


def test_a_module_of_another_curriculum_is_refused(case):
    other = build_version(case.coordinator, code="gender-based-violence")
    error = _refusal(
        **_staff_kwargs(
            case,
            subject=Subject.MODULE,
            curriculum=case.session.version.curriculum,
            module=other.modules.first(),
        )
    )
    assert error.field == "module"
    assert "not part of that curriculum" in str(error.message)


def test_a_module_of_the_session_is_accepted_with_its_curriculum(case):
    module = case.session.version.modules.order_by("id").last()
    suggestion = from_participant(case.enrolments[0], subject=Subject.MODULE, module=module)
    assert suggestion.module == module
    assert suggestion.curriculum == case.session.version.curriculum
    assert suggestion.objective is None
    assert suggestion.session == case.session


def test_an_objective_brings_its_module_and_curriculum(case):
    first, second = case.session.version.modules.order_by("id")
    objective = second.objectives.order_by("id").first()
    suggestion = make_suggestion(
        **_staff_kwargs(case, subject=Subject.OBJECTIVE, objective=objective, module=first)
    )
    assert suggestion.objective == objective
    assert suggestion.module == second, "the objective's module, not the one given"
    assert suggestion.curriculum == case.session.version.curriculum


def test_logistics_are_about_no_module(case):
    module = case.session.version.modules.first()
    suggestion = from_participant(case.enrolments[0], subject=Subject.LOGISTICS, module=module)
    assert suggestion.module is None and suggestion.objective is None
    assert suggestion.curriculum == case.session.version.curriculum, "from the session"


# --- Who the author is --------------------------------------------------------------------


def test_a_participant_suggestion_names_their_enrolment_and_unit(case):
    enrolment = case.enrolments[0]
    suggestion = from_participant(enrolment, author_kind=AuthorKind.STAFF)
    assert suggestion.author_kind == AuthorKind.PARTICIPANT
    assert suggestion.author_enrolment == enrolment
    assert suggestion.author_user is None
    assert suggestion.author_institution == enrolment.participant.institution
    assert suggestion.session == case.session
    assert author_name(suggestion) == enrolment.participant.name_latin


def test_an_anonymous_participant_leaves_no_trace_of_who_they_are(case):
    suggestion = from_participant(case.enrolments[0], "Longer breaks.", anonymous=True)
    suggestion.refresh_from_db()
    assert suggestion.anonymous
    assert (suggestion.author_user, suggestion.author_enrolment) == (None, None)
    assert (suggestion.author_institution, suggestion.recorded_by) == (None, None)
    assert suggestion.session == case.session, "the source session is still recorded"
    assert author_name(suggestion) == ""
    [row] = suggestion.history.all()
    assert row.history_user is None
    assert (row.author_enrolment_id, row.author_institution_id, row.author_user_id) == (
        None,
        None,
        None,
    )


def test_the_database_refuses_an_anonymous_suggestion_with_an_author(case):
    suggestion = from_participant(case.enrolments[0], anonymous=True)
    suggestion.author_user = case.partnership.chair
    with pytest.raises(IntegrityError), transaction.atomic():
        suggestion.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Suggestion.objects.filter(pk=suggestion.pk).update(author_enrolment=case.enrolments[0])
    suggestion.refresh_from_db()
    assert suggestion.author_user is None and suggestion.author_enrolment is None


def test_participant_as_author_kind_needs_their_personal_link(case):
    error = _refusal(**_staff_kwargs(case, author_kind=AuthorKind.PARTICIPANT))
    assert error.field == "author_kind"
    assert not Suggestion.objects.exists()


def test_staff_cannot_stay_anonymous(case):
    error = _refusal(**_staff_kwargs(case, author_kind=AuthorKind.STAFF, anonymous=True))
    assert error.field == "anonymous"
    assert str(error.message) == "Only participants may stay anonymous."
    assert not Suggestion.objects.exists()


def test_nobody_signed_in_and_no_enrolment_is_refused(case):
    with pytest.raises(Refused):
        make_suggestion(**_staff_kwargs(case, by=None))
    assert not Suggestion.objects.exists()


def test_a_withdrawn_participant_can_no_longer_make_suggestions(case):
    enrolment = session_services.withdraw(
        enrolment=case.enrolments[2], reason="Posted elsewhere.", by=case.coordinator
    )
    with pytest.raises(Refused) as refused:
        from_participant(enrolment)
    assert "Only participants of the session" in str(refused.value.message)
    assert not Suggestion.objects.exists()


# --- Attachments ----------------------------------------------------------------------------


def test_a_pdf_is_attached_to_an_anonymous_suggestion_without_naming_anyone(case, media_root):
    suggestion = from_participant(
        case.enrolments[0],
        anonymous=True,
        uploads=[pdf_upload("photo-of-room.pdf", pdf_document("Samira Bennani"))],
    )
    [attachment] = suggestion.attachments.all()
    assert attachment.name == "attachment-1.pdf"
    assert attachment.uploaded_by is None
    assert {row.history_user for row in suggestion.history.all()} == {None}
    assert {row.history_user for row in attachment.history.all()} == {None}
    with attachment.file.open("rb") as stored:
        assert b"Samira" not in stored.read()


def test_an_executable_named_pdf_is_refused_and_nothing_is_kept(case, media_root):
    upload = SimpleUploadedFile("programme.pdf", EXECUTABLE, content_type="application/pdf")
    with pytest.raises(MizanError) as refused:
        from_participant(case.enrolments[0], uploads=[upload])
    assert refused.value.field == "attachments"
    assert not Suggestion.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_at_most_five_attachments(case, media_root):
    uploads = [pdf_upload(f"page-{n}.pdf", pdf_document(pages=n + 1)) for n in range(6)]
    error = _refusal(**_staff_kwargs(case, uploads=uploads))
    assert error.field == "attachments"
    assert not Suggestion.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_the_history_of_a_signed_suggestion_names_its_author(case, media_root):
    suggestion = from_staff(
        case.partnership.secretary, uploads=[pdf_upload("report.pdf", pdf_document())]
    )
    rows = suggestion.history.all()
    assert rows.count() == 2, "created, then its attachment added"
    assert {row.history_user for row in rows} == {case.partnership.secretary}
    assert suggestion.attachments.get().history.get().history_user == case.partnership.secretary
