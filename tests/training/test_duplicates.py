"""Probable duplicate participants: spelling variants in both scripts found, different
people told apart, blocking that keeps the search small, and the merge of two records."""

from __future__ import annotations

import datetime
import random

import pytest

from mizan.core.errors import MizanError, Refused
from mizan.training.duplicates import (
    MatchReason,
    Person,
    compare,
    find_duplicates,
    fold,
    probable_duplicates,
)
from mizan.training.enums import EnrolmentStatus
from mizan.training.models import (
    CascadeSession,
    Certificate,
    Enrolment,
    Participant,
    PersonalLink,
)
from mizan.training.queries import participants_visible_to
from mizan.training.services import sessions as session_services
from mizan.training.services.cascades import AudienceCount, report_cascade
from mizan.training.services.rosters import merge_participants
from tests.training.builders import make_session, organiser
from tests.training.roster_builders import enrolled, gendarmerie_session


def man(name_latin: str = "", name_arabic: str = "", number: str = "", id: int = 1) -> Person:
    return Person(id, name_latin, name_arabic, "male", number)


def woman(name_latin: str = "", name_arabic: str = "", number: str = "", id: int = 1) -> Person:
    return Person(id, name_latin, name_arabic, "female", number)


# --- Matching -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Mohamed El Alami", "Muhammad Alami"),
        ("Mohammed Elalami", "Mohamed Al-Alami"),
        ("Youssef Bennani", "Yusuf Bennani"),
        ("Hicham Tazi", "HISHAM TAZI"),
        ("Mustapha Idrissi", "Mustafa Idrissi"),
        ("Abdelkader Ouali", "Abd el-Kader Ouali"),
        ("Abdellah Berrada", "Abdullah Berrada"),
        ("Karim Elamrani", "Karim El Amrani"),
        ("Idriss Fassi", "Driss Fassi"),
        ("Alami Mohamed", "Mohamed Alami"),
    ],
)
def test_latin_spelling_variants_are_the_same_person(first, second):
    match = compare(man(first), man(second, id=2))
    assert match is not None and match.score >= 85
    assert match.reasons == (MatchReason.LATIN_NAME,)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("محمد العلمي", "مُحمّد العلمى"),
        ("أحمد إدريسي", "احمد ادريسي"),
        ("عبد الله بناني", "عبدالله بناني"),
        ("فاطمة الزهراء", "فاطمه الزهراء"),
        ("يـوسف آيت", "يوسف ايت"),
    ],
)
def test_arabic_spelling_variants_are_the_same_person(first, second):
    match = compare(man(name_arabic=first), man(name_arabic=second, id=2))
    assert match is not None and match.score == 100
    assert match.reasons == (MatchReason.ARABIC_NAME,)


def test_arabic_letter_variants_fold_to_one_spelling():
    assert fold("أإآٱ ة ى ـ َُِ") == fold("اااا ه ي")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (man("Mohamed Alami"), man("Mohamed Amrani", id=2)),
        (man("Nadia Chraibi"), man("Nadia Cherkaoui", id=2)),
        (man(name_arabic="محمد العلمي"), man(name_arabic="محمد العمراني", id=2)),
        # Same name, different sex.
        (man("Samir Bennani"), woman("Samir Bennani", id=2)),
        # Same name, different service numbers: two officers.
        (man("Mohamed Alami", number="1001"), man("Mohamed Alami", number="1002", id=2)),
        # Names in two scripts are not compared.
        (man("Mohamed Alami"), man(name_arabic="محمد العلمي", id=2)),
    ],
)
def test_different_people_are_not_matched(first, second):
    assert compare(first, second) is None


def test_the_same_service_number_matches_whatever_the_spelling():
    match = compare(man("M. Alami", number="00 4512-A"), man("Someone", number="4512a", id=2))
    assert match is not None
    assert match.score == 100 and match.reasons == (MatchReason.SERVICE_NUMBER,)


def test_a_service_number_match_says_when_the_sex_differs():
    match = compare(man("Samira Bennani", number="77"), woman("Samira Bennani", number="77"))
    assert match is not None
    assert MatchReason.SEX_DIFFERS in match.reasons


def test_both_scripts_must_agree_on_average():
    same = compare(
        woman("Samira Bennani", "سميرة بناني"), woman("Samira Benani", "سميره بنانى", id=2)
    )
    assert same is not None and set(same.reasons) == {
        MatchReason.LATIN_NAME,
        MatchReason.ARABIC_NAME,
    }
    assert (
        compare(
            woman("Samira Bennani", "سميرة بناني"), woman("Samira Bennani", "نادية العلوي", id=2)
        )
        is None
    )


def test_blocking_compares_few_pairs_and_finds_the_planted_duplicates():
    """10,000 people: all pairs would be 50 million comparisons."""
    rng = random.Random(7)
    syllables = ["ba", "ka", "lo", "mi", "nu", "ra", "si", "ta", "zi", "fe", "ho", "du"]
    first = ["Amina", "Karim", "Salma", "Omar", "Hind", "Yassine", "Leila", "Anas"]
    people = []
    for id in range(10_000):
        family = "".join(rng.choice(syllables) for _ in range(4)).capitalize()
        people.append(Person(id, f"{rng.choice(first)} {family}", "", rng.choice("fm"), ""))
    people.append(Person(10_000, "Mohammed Elalami Zoubir", "", "m", ""))
    people.append(Person(10_001, "Muhammad Al Alami Zoubir", "", "m", ""))
    people.append(Person(10_002, "Anyone", "", "f", "SN-99"))
    people.append(Person(10_003, "Someone Else", "", "f", "sn 99"))

    search = find_duplicates(people)

    found = {(p.first_id, p.second_id) for p in search.pairs}
    assert {(10_000, 10_001), (10_002, 10_003)} <= found
    assert search.people == 10_004
    assert search.compared < 200_000


# --- Finding duplicates in the database ------------------------------------------------


@pytest.mark.django_db
def test_probable_duplicates_are_found_only_among_visible_people():
    user = organiser()
    session = make_session(user)
    first = enrolled(session, user, name_latin="Youssef Bennani", name_arabic="")
    second = make_session(user, title="Second session", code="second")
    again = enrolled(second, user, name_latin="Yusuf Bennani", name_arabic="")
    other_session, other = gendarmerie_session()
    enrolled(other_session, other, name_latin="Youssef Benani", name_arabic="")

    search = probable_duplicates(participants_visible_to(user))

    assert [(p.first_id, p.second_id) for p in search.pairs] == [(first.pk, again.pk)]


# --- Merging ------------------------------------------------------------------------------


@pytest.fixture
def user(db):
    return organiser()


@pytest.fixture
def sessions(user):
    first = make_session(user, title="Oujda, March", starts_on=datetime.date(2026, 3, 2))
    second = make_session(
        user, title="Nador, May", starts_on=datetime.date(2026, 5, 4), code="second-course"
    )
    return first, second


def test_merge_moves_everything_to_the_kept_record(user, sessions):
    first, second = sessions
    keep = enrolled(first, user, name_latin="Youssef Bennani", name_arabic="", rank="")
    duplicate = enrolled(
        second,
        user,
        name_latin="Yusuf Bennani",
        name_arabic="يوسف بناني",
        rank="Inspector",
        service_number="P-7",
    )
    enrolment = duplicate.enrolments.get()
    link = session_services.issue_personal_link(enrolment=enrolment, by=user)
    certificate = Certificate.objects.create(enrolment=enrolment, holder_name_latin="Yusuf")
    cascade = report_cascade(
        reporter=duplicate,
        held_on=datetime.date(2026, 6, 1),
        place="Nador",
        audience=[AudienceCount(None, 3, 4)],
        by=user,
    )
    # Someone the duplicate trained in that cascade, who gives cascades in turn.
    relay = enrolled(first, user, name_latin="Karim Relay", name_arabic="", sex="male")
    relay.trained_in_cascade = cascade
    relay.save()
    # The duplicate was itself trained in a colleague's cascade session.
    colleague = enrolled(first, user, name_latin="Omar Colleague", name_arabic="", sex="male")
    colleague_cascade = report_cascade(
        reporter=colleague,
        held_on=datetime.date(2026, 4, 1),
        place="Berkane",
        audience=[AudienceCount(None, 1, 1)],
        by=user,
    )
    duplicate.trained_in_cascade = colleague_cascade
    duplicate.save()

    merged = merge_participants(keep=keep, duplicate=duplicate, by=user)

    assert not Participant.objects.filter(pk=duplicate.pk).exists()
    assert set(Enrolment.objects.filter(participant=merged).values_list("session", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert PersonalLink.objects.get(pk=link.pk).participant == merged
    assert Certificate.objects.get(pk=certificate.pk).enrolment.participant == merged
    assert CascadeSession.objects.get(pk=cascade.pk).reported_by == merged
    relay.refresh_from_db()
    assert relay.trained_in_cascade.reported_by == merged
    merged.refresh_from_db()
    assert merged.trained_in_cascade == colleague_cascade
    assert (merged.name_latin, merged.name_arabic, merged.rank, merged.service_number) == (
        "Youssef Bennani",
        "يوسف بناني",
        "Inspector",
        "P-7",
    )


def test_merge_is_refused_when_both_are_in_the_same_session(user, sessions):
    first, _second = sessions
    keep = enrolled(first, user, name_latin="Youssef Bennani")
    duplicate = enrolled(first, user, name_latin="Yusuf Bennani", name_arabic="")

    with pytest.raises(MizanError) as refused:
        merge_participants(keep=keep, duplicate=duplicate, by=user)

    assert "Oujda, March" in str(refused.value.message)
    assert refused.value.code == "shared_session"
    assert Participant.objects.filter(pk=duplicate.pk).exists()
    assert duplicate.enrolments.count() == 1


def test_merge_is_in_the_audit_trail_naming_both(user, sessions):
    first, second = sessions
    keep = enrolled(first, user, name_latin="Youssef Bennani")
    duplicate = enrolled(second, user, name_latin="Yusuf Bennani", name_arabic="")
    keep_id, duplicate_id = keep.pk, duplicate.pk
    enrolment = duplicate.enrolments.get()

    merge_participants(keep=keep, duplicate=duplicate, by=user)

    kept = keep.history.first()
    assert kept.history_user == user
    assert f"#{keep_id}" in kept.history_change_reason
    assert f"#{duplicate_id}" in kept.history_change_reason
    deleted = Participant.history.get(id=duplicate_id, history_type="-")
    assert deleted.history_user == user
    assert deleted.history_change_reason == kept.history_change_reason
    moved = enrolment.history.first()
    assert moved.participant_id == keep_id
    assert moved.history_change_reason == kept.history_change_reason


def test_merge_is_refused_to_someone_who_cannot_see_both(user, sessions):
    first, _second = sessions
    keep = enrolled(first, user, name_latin="Youssef Bennani")
    other_session, other = gendarmerie_session()
    hidden = enrolled(other_session, other, name_latin="Yusuf Bennani", name_arabic="")

    with pytest.raises(Refused):
        merge_participants(keep=keep, duplicate=hidden, by=user)
    assert Participant.objects.filter(pk=hidden.pk).exists()


def test_a_record_is_not_merged_with_itself(user, sessions):
    first, _second = sessions
    keep = enrolled(first, user, name_latin="Youssef Bennani")
    with pytest.raises(MizanError):
        merge_participants(keep=keep, duplicate=keep, by=user)
    assert keep.enrolments.get().status == EnrolmentStatus.APPROVED
