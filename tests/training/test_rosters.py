"""Importing a session's roster: CSV (UTF-8, Windows-1256) and XLSX, headers in three
languages, every problem with its line, nothing written on error, the session's
capacity, files judged by their content, and rows that are people already recorded."""

from __future__ import annotations

import io

import openpyxl
import pytest

from mizan.recommendations.importers import ImportRejected
from mizan.training.enums import EnrolmentStatus, SessionStatus, Sex
from mizan.training.models import Enrolment, Participant
from mizan.training.rosters import COLUMNS, RowDecision, decode_text, read_roster, roster_template
from mizan.training.services.rosters import DuplicatesUndecided, import_roster
from tests.training.builders import enrol_people, make_session, organiser, police
from tests.training.roster_builders import (
    csv_bytes,
    enrolled,
    gendarmerie_session,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

ARABIC_HEADER = ("الاسم بالحروف اللاتينية", "الاسم", "الجنس", "الرتبة", "الرقم المهني")
FRENCH_HEADER = ("Nom (caractères latins)", "Sexe", "Grade", "Matricule", "Consentement")


@pytest.fixture
def user():
    return organiser()


@pytest.fixture
def session(user):
    return make_session(user, capacity=10)


def problems_of(error: ImportRejected) -> list[tuple[int | None, str]]:
    return [(p.line, p.column) for p in error.problems]


# --- Reading files ------------------------------------------------------------------------


def test_csv_roster_enrols_everyone_as_approved(session, user):
    result = import_roster(session=session, file=csv_bytes(), by=user)

    assert result.created == 3
    enrolments = Enrolment.objects.filter(session=session)
    assert sorted(enrolments.values_list("status", flat=True)) == [EnrolmentStatus.APPROVED] * 3
    samira = Participant.objects.get(service_number="P-1001")
    assert (samira.name_arabic, samira.sex, samira.institution) == (
        "سميرة بناني",
        Sex.FEMALE,
        police(),
    )
    assert Participant.objects.get(name_latin="Youssef Tazi").sex == Sex.MALE
    assert Participant.objects.get(name_latin="Nadia Alaoui").sex == Sex.FEMALE


def test_xlsx_roster_is_read_like_csv(session, user):
    rows = [("Karim Idrissi", "", "male", "Officer", "police", 40123, "")]

    import_roster(session=session, file=xlsx_bytes(rows), by=user)

    karim = Participant.objects.get(name_latin="Karim Idrissi")
    assert karim.service_number == "40123"
    assert karim.enrolments.get().session == session


def test_windows_1256_csv_with_arabic_headers_and_names(session, user):
    rows = [
        ("Samira Bennani", "سميرة بناني", "أنثى", "مفتشة", "12345"),
        ("Omar Fassi", "عمر الفاسي", "ذكر", "ضابط", "67890"),
    ]
    data = csv_bytes(rows, ARABIC_HEADER, encoding="cp1256")
    assert decode_text(data)[1] == "windows-1256"

    import_roster(session=session, file=data, by=user)

    samira = Participant.objects.get(name_latin="Samira Bennani")
    assert (samira.name_arabic, samira.sex, samira.rank, samira.service_number) == (
        "سميرة بناني",
        Sex.FEMALE,
        "مفتشة",
        "12345",
    )
    assert Participant.objects.get(name_arabic="عمر الفاسي").sex == Sex.MALE


def test_arabic_indic_digits_are_stored_as_ascii(session, user):
    rows = [("Samira Bennani", "سميرة بناني", "انثى", "", "٠٦١٢٣٤٥")]
    import_roster(session=session, file=csv_bytes(rows, ARABIC_HEADER), by=user)
    assert Participant.objects.get().service_number == "0612345"


def test_french_headers_semicolons_and_consent(session, user):
    rows = [
        ("Leïla Chraïbi", "F", "Brigadier", "A-77", "oui"),
        ("Hicham Berrada", "H", "Lieutenant", "A-78", "non"),
    ]
    data = csv_bytes(rows, FRENCH_HEADER, encoding="utf-8-sig", delimiter=";")

    import_roster(session=session, file=data, by=user)

    leila = Participant.objects.get(service_number="A-77")
    assert leila.name_latin == "Leïla Chraïbi" and leila.consent_given_at is not None
    hicham = Participant.objects.get(service_number="A-78")
    assert hicham.sex == Sex.MALE and hicham.consent_given_at is None


def test_windows_1252_is_recognised_for_latin_accents():
    data = "name_latin,sex\r\nJosé García,male\r\n".encode("cp1252")
    assert decode_text(data) == ("name_latin,sex\r\nJosé García,male\r\n", "windows-1252")


def test_lines_of_another_encoding_in_a_utf8_file_are_reported(session, user):
    rows = [("Samira Bennani", "سميرة بناني", "female", "", "", "", "")]
    data = csv_bytes(rows) + "Omar Fassi,عمر الفاسي,male,,,,\r\n".encode("cp1256")
    with pytest.raises(ImportRejected) as rejected:
        import_roster(session=session, file=data, by=user)
    assert problems_of(rejected.value) == [(3, "")]
    assert "UTF-8" in rejected.value.problems[0].reason


def test_every_header_label_names_one_column():
    seen: dict[str, str] = {}
    for column in COLUMNS:
        for spelling in column.spellings():
            assert seen.setdefault(spelling, column.key) == column.key, spelling


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_a_filled_template_imports(session, user, file_format, language):
    """The downloadable template, filled in, is a roster the import reads."""
    template = roster_template(file_format=file_format, language=language)
    sex = {"en": "female", "fr": "femme", "ar": "أنثى"}[language]
    if file_format == "csv":
        data = template + f"Amina Sqalli,,{sex},,,,,,,,\r\n".encode()
    else:
        workbook = openpyxl.load_workbook(io.BytesIO(template))
        workbook.active.append(["Amina Sqalli", None, sex])
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()

    import_roster(session=session, file=data, by=user)

    assert Participant.objects.get(name_latin="Amina Sqalli").sex == Sex.FEMALE


# --- Problems -----------------------------------------------------------------------------


def test_bad_rows_are_all_reported_with_line_and_column_and_nothing_is_written(session, user):
    rows = [
        ("Samira Bennani", "", "female", "", "police", "", ""),
        ("Youssef Tazi", "", "x", "", "police", "", ""),
        ("", "", "male", "", "police", "", ""),
        ("Nadia Alaoui", "", "female", "", "ministry-of-nowhere", "", "not-an-address"),
        ("محمد العلمي", "", "male", "", "", "", ""),
    ]
    with pytest.raises(ImportRejected) as rejected:
        import_roster(session=session, file=csv_bytes(rows), by=user)

    assert problems_of(rejected.value) == [
        (3, "sex"),
        (4, "name_latin"),
        (5, "institution"),
        (5, "email"),
        (6, "name_latin"),
    ]
    assert not Participant.objects.exists()
    assert not Enrolment.objects.exists()


def test_problems_name_the_column_as_the_file_writes_it(session, user):
    rows = [("Samira Bennani", "", "؟", "", "")]
    with pytest.raises(ImportRejected) as rejected:
        import_roster(session=session, file=csv_bytes(rows, ARABIC_HEADER), by=user)
    assert problems_of(rejected.value) == [(2, "الجنس")]
    assert "؟" in rejected.value.problems[0].reason


def test_a_missing_required_column_is_reported(session, user):
    data = csv_bytes([("Samira Bennani", "Inspector")], ("name_latin", "rank"))
    with pytest.raises(ImportRejected) as rejected:
        import_roster(session=session, file=data, by=user)
    assert problems_of(rejected.value) == [(1, "sex")]


def test_the_same_person_twice_in_the_file_is_refused(session, user):
    rows = [
        ("Samira Bennani", "", "female", "", "", "P-1", ""),
        ("Karim Idrissi", "", "male", "", "", "P-2", ""),
        ("Samira Benani", "", "female", "", "", "p 1", ""),
        ("Karim Idrissi", "", "male", "", "", "", ""),
        ("Karim  IDRISSI", "", "male", "", "", "", ""),
    ]
    with pytest.raises(ImportRejected) as rejected:
        import_roster(session=session, file=csv_bytes(rows), by=user)
    assert problems_of(rejected.value) == [(4, "service_number"), (6, "")]


def test_capacity_is_checked_for_the_whole_file(user):
    session = make_session(user, capacity=4)
    enrol_people(session, 2, by=user)

    with pytest.raises(ImportRejected) as rejected:
        import_roster(session=session, file=csv_bytes(), by=user)

    [problem] = rejected.value.problems
    assert problem.line is None
    assert "2 places left" in problem.reason and "needs 3" in problem.reason
    assert Enrolment.objects.filter(session=session).count() == 2
    assert Participant.objects.count() == 2


def test_people_already_enrolled_take_no_new_place(user):
    session = make_session(user, capacity=4)
    samira = enrolled(session, user, name_latin="Samira Bennani", service_number="P-1001")
    enrolled(session, user, name_latin="Hassan Amrani", name_arabic="", sex="male")

    result = import_roster(
        session=session,
        file=csv_bytes(),
        by=user,
        merge_decisions={2: RowDecision.same_person(samira.pk)},
    )

    assert (result.created, result.matched, result.already_enrolled) == (2, 1, 1)
    assert session.enrolments.filter(status=EnrolmentStatus.APPROVED).count() == 4


def test_html_renamed_csv_is_refused_by_its_content(session, user):
    page = b"<!DOCTYPE html>\n<html><body><table><tr><td>name_latin</td></tr></table></body></html>"
    with pytest.raises(ImportRejected) as rejected:
        import_roster(session=session, file=page, by=user)
    [problem] = rejected.value.problems
    assert "text/html" in problem.reason
    assert not Participant.objects.exists()


def test_a_workbook_is_read_as_one_whatever_its_name(session, user):
    reading = read_roster(session=session, data=xlsx_bytes())
    assert reading.file_format == "xlsx"
    assert not reading.problems and len(reading.rows) == 3


def test_a_file_without_rows_is_refused(session, user):
    with pytest.raises(ImportRejected) as rejected:
        import_roster(session=session, file=csv_bytes([]), by=user)
    assert "no participants" in rejected.value.problems[0].reason


def test_a_completed_session_takes_no_roster(user):
    session = make_session(user, status=SessionStatus.COMPLETED)
    with pytest.raises(ImportRejected):
        import_roster(session=session, file=csv_bytes(), by=user)
    assert not Participant.objects.exists()


# --- Writing ------------------------------------------------------------------------------


def test_the_import_is_in_the_audit_trail(session, user):
    import_roster(session=session, file=csv_bytes(), by=user)

    samira = Participant.objects.get(service_number="P-1001")
    created = samira.history.get()
    assert created.history_user == user
    assert session.title in created.history_change_reason
    enrolment = samira.enrolments.get().history.get()
    assert enrolment.history_user == user and session.title in enrolment.history_change_reason


def test_a_dry_run_writes_nothing(session, user):
    result = import_roster(session=session, file=csv_bytes(), by=user, dry_run=True)
    assert result.dry_run and result.created == 3
    assert not Participant.objects.exists()
    assert not Participant.history.exists()


# --- People already recorded --------------------------------------------------------------


def test_a_row_that_may_be_someone_known_waits_for_a_decision(session, user):
    earlier = make_session(user, title="Earlier session", code="earlier")
    known = enrolled(earlier, user, name_latin="Samira Benani", name_arabic="سميره بنانى")

    with pytest.raises(DuplicatesUndecided) as undecided:
        import_roster(session=session, file=csv_bytes(), by=user)

    [row] = undecided.value.rows
    assert row.line == 2
    assert [c.participant_id for c in row.candidates] == [known.pk]
    assert not Enrolment.objects.filter(session=session).exists()
    assert Participant.objects.count() == 1


def test_same_person_enrols_the_known_record_and_fills_its_blanks(session, user):
    earlier = make_session(user, title="Earlier session", code="earlier")
    known = enrolled(
        earlier, user, name_latin="Samira Benani", name_arabic="", rank="", service_number=""
    )

    result = import_roster(
        session=session,
        file=csv_bytes(),
        by=user,
        merge_decisions={2: RowDecision.same_person(known.pk, fill_blanks=True)},
    )

    assert (result.created, result.matched, result.filled) == (2, 1, 1)
    known.refresh_from_db()
    assert known.enrolments.filter(session=session).exists()
    assert (known.name_latin, known.name_arabic, known.rank, known.service_number) == (
        "Samira Benani",
        "سميرة بناني",
        "Inspector",
        "P-1001",
    )
    assert session.title in known.history.first().history_change_reason


def test_same_person_without_filling_keeps_the_record_as_it_is(session, user):
    earlier = make_session(user, title="Earlier session", code="earlier")
    known = enrolled(earlier, user, name_latin="Samira Benani", name_arabic="", rank="")

    import_roster(
        session=session,
        file=csv_bytes(),
        by=user,
        merge_decisions={2: RowDecision.same_person(known.pk)},
    )

    known.refresh_from_db()
    assert (known.name_arabic, known.rank) == ("", "")
    assert known.enrolments.filter(session=session).exists()


def test_new_person_makes_a_second_record(session, user):
    earlier = make_session(user, title="Earlier session", code="earlier")
    known = enrolled(earlier, user, name_latin="Samira Benani")

    import_roster(
        session=session,
        file=csv_bytes(),
        by=user,
        merge_decisions={2: RowDecision.new_person()},
    )

    assert Participant.objects.filter(name_latin__startswith="Samira").count() == 2
    assert not known.enrolments.filter(session=session).exists()


def test_people_the_user_cannot_see_are_neither_candidates_nor_choices(session, user):
    other_session, other = gendarmerie_session()
    hidden = enrolled(other_session, other, name_latin="Samira Bennani", service_number="P-1001")

    reading = read_roster(
        session=session,
        data=csv_bytes(),
        among=Participant.objects.filter(pk__in=[]),
    )
    assert not reading.rows_with_candidates
    with pytest.raises(ImportRejected) as rejected:
        import_roster(
            session=session,
            file=csv_bytes(),
            by=user,
            merge_decisions={2: RowDecision.same_person(hidden.pk)},
        )
    assert problems_of(rejected.value) == [(2, "")]

    import_roster(session=session, file=csv_bytes(), by=user)
    assert not hidden.enrolments.filter(session=session).exists()


def test_decisions_for_lines_that_are_not_rows_are_refused(session, user):
    with pytest.raises(ImportRejected) as rejected:
        import_roster(
            session=session,
            file=csv_bytes(),
            by=user,
            merge_decisions={9: RowDecision.new_person()},
        )
    assert problems_of(rejected.value) == [(9, "")]
