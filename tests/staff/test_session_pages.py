"""The back office's session pages: who may open and use them, and what they show. Above
all, no participant's name reaches someone who may not see the session's roster."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mizan.accounts.enums import Role
from mizan.staff.views import sessions as session_views
from mizan.training.enums import EnrolmentStatus, SessionStatus
from mizan.training.models import Enrolment, Participant, PersonalLink, TrainingSession
from mizan.training.services import sessions as services
from tests.actions.factories import ActionFactory
from tests.factories import InstitutionFactory, user_with_role
from tests.training import builders

pytestmark = pytest.mark.django_db

NAME = "Samira Bennani"
ARABIC_NAME = "سميرة بناني"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def manager():
    """A focal point of the police, which organises the session with the NHRI."""
    return builders.organiser()


@pytest.fixture
def stranger():
    """A coordinator of customs: a member who organises nothing."""
    return builders.outsider()


@pytest.fixture
def session(manager):
    session = builders.make_session(manager, status=SessionStatus.OPEN)
    person = builders.make_participant(manager, service_number="778899")
    services.enrol(session=session, participant=person, by=manager)
    return session


@pytest.fixture
def person(session):
    return Participant.objects.get(name_latin=NAME)


def login(client, user):
    client.force_login(user)
    return client


def nominated(session, by, name="Youssef Tazi"):
    person = builders.make_participant(by, name_latin=name, name_arabic="", sex="male")
    return services.nominate(
        session=session, participant=person, institution=builders.police(), by=by
    )


# --- Reading -------------------------------------------------------------------------------


def test_every_member_sees_the_list(client, stranger, session):
    response = login(client, stranger).get(reverse("staff:session_list"))
    assert response.status_code == 200
    assert session.title in response.text


def test_an_account_without_membership_is_refused(outsider_client, session):
    assert outsider_client.get(reverse("staff:session_list")).status_code == 403
    url = reverse("staff:session_detail", args=[session.pk])
    assert outsider_client.get(url).status_code == 403


def test_a_visitor_is_sent_to_log_in(client, session):
    response = client.get(reverse("staff:session_detail", args=[session.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_list_filters_by_status(client, manager, session):
    builders.make_session(manager, version=session.version, title="Still planned")
    response = login(client, manager).get(reverse("staff:session_list"), {"status": "planned"})
    assert "Still planned" in response.text
    assert session.title not in response.text


def test_the_list_filters_by_year(client, manager, session):
    builders.make_session(
        manager, version=session.version, title="Next year", starts_on=datetime.date(2027, 5, 3)
    )
    response = login(client, manager).get(reverse("staff:session_list"), {"year": "2027"})
    assert "Next year" in response.text
    assert session.title not in response.text


def test_the_list_filters_by_action(client, manager, session):
    response = login(client, manager).get(
        reverse("staff:session_list"), {"action": ActionFactory().pk}
    )
    assert session.title not in response.text


def test_a_filter_through_htmx_gets_the_results_only(client, manager, session):
    response = login(client, manager).get(
        reverse("staff:session_list"), {"status": "open"}, headers={"HX-Request": "true"}
    )
    assert session.title in response.text
    assert "<html" not in response.text


def test_the_list_offers_planning_to_focal_points_only(client, manager, viewer, session):
    create = reverse("staff:session_create")
    assert create in login(client, manager).get(reverse("staff:session_list")).text
    assert create not in login(client, viewer).get(reverse("staff:session_list")).text


def test_the_list_takes_as_many_queries_for_three_sessions_as_for_one(client, manager, session):
    login(client, manager)
    url = reverse("staff:session_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(2):
        other = builders.make_session(manager, version=session.version, title=f"Other {n}")
        builders.enrol_people(other, 2, manager)
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert response.text.count('href="/staff/sessions/') >= 3
    assert len(three) == len(one)


def test_a_member_outside_the_organisers_sees_counts_but_no_names(client, stranger, session):
    response = login(client, stranger).get(reverse("staff:session_detail", args=[session.pk]))
    assert response.status_code == 200
    assert NAME not in response.text
    assert ARABIC_NAME not in response.text
    assert "778899" not in response.text
    assert "1 / 25" in response.text


def test_the_organiser_sees_the_roster(client, manager, session):
    response = login(client, manager).get(reverse("staff:session_detail", args=[session.pk]))
    assert NAME in response.text
    assert ARABIC_NAME in response.text


def test_a_trainer_of_the_session_sees_the_roster(client, manager):
    trainer = builders.make_trainer()
    session = builders.make_session(manager, trainers=[trainer])
    services.enrol(session=session, participant=builders.make_participant(manager), by=manager)
    response = login(client, trainer).get(reverse("staff:session_detail", args=[session.pk]))
    assert NAME in response.text


def test_the_roster_takes_as_many_queries_for_three_people_as_for_one(client, manager, session):
    login(client, manager)
    url = reverse("staff:session_detail", args=[session.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    builders.enrol_people(session, 2, manager)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one)


ROSTER_PAGES = {
    "links": lambda s, p: reverse("staff:session_links", args=[s.pk]),
    "enrol": lambda s, p: reverse("staff:session_enrol", args=[s.pk]),
    "edit": lambda s, p: reverse("staff:session_edit", args=[s.pk]),
}
PERSON_PAGES = {
    "participant": lambda s, p: reverse("staff:participant_detail", args=[p.pk]),
    "participant-edit": lambda s, p: reverse("staff:participant_edit", args=[p.pk]),
    "participant-history": lambda s, p: reverse("staff:participant_history", args=[p.pk]),
}


@pytest.mark.parametrize("url", ROSTER_PAGES.values(), ids=ROSTER_PAGES.keys())
def test_roster_pages_are_refused_to_a_member_outside_the_organisers(
    url, client, stranger, session, person
):
    assert login(client, stranger).get(url(session, person)).status_code == 403


@pytest.mark.parametrize("url", PERSON_PAGES.values(), ids=PERSON_PAGES.keys())
def test_a_participant_is_not_found_by_a_member_outside_the_organisers(
    url, client, stranger, session, person
):
    assert login(client, stranger).get(url(session, person)).status_code == 404


@pytest.mark.parametrize("url", {**ROSTER_PAGES, **PERSON_PAGES}.values())
def test_the_organiser_opens_the_roster_pages(url, client, manager, session, person):
    assert login(client, manager).get(url(session, person)).status_code == 200


def test_staff_of_an_organiser_without_a_manager_role_get_no_links(client, session):
    """A viewer of the NHRI sees the roster, but not the links that open people's pages."""
    viewer = user_with_role(Role.VIEWER, builders.nhri(), username="nhri-viewer")
    login(client, viewer)
    assert NAME in client.get(reverse("staff:session_detail", args=[session.pk])).text
    assert client.get(reverse("staff:session_links", args=[session.pk])).status_code == 403


def test_the_session_history_shows_no_names_to_a_member_outside(client, stranger, session):
    response = login(client, stranger).get(reverse("staff:session_history", args=[session.pk]))
    assert response.status_code == 200
    assert NAME not in response.text


def test_the_session_history_hides_check_in_codes(client, manager, session):
    response = login(client, manager).get(reverse("staff:session_history", args=[session.pk]))
    assert session.slots.first().check_in_code not in response.text


# --- Planning ------------------------------------------------------------------------------


def session_form(session, **changes):
    data = {
        "action": session.action_id,
        "version": session.version_id,
        "title": "Tangier, second session",
        "starts_on": "2026-04-06",
        "ends_on": "2026-04-08",
        "venue": "Police academy",
        "city": "Tangier",
        "region": "Tanger-Tetouan-Al Hoceima",
        "organisers": [builders.police().pk],
        "audience": "Border police officers",
        "capacity": "30",
        "language": "fr",
        "min_attendance_percent": "80",
        "min_post_test_percent": "60",
        "pre_test_form": "A",
        "post_test_form": "B",
    }
    data.update(changes)
    return data


def test_the_organiser_plans_a_session_through_the_form(client, manager, session):
    response = login(client, manager).post(reverse("staff:session_create"), session_form(session))
    created = TrainingSession.objects.get(title="Tangier, second session")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:session_detail", args=[created.pk])
    assert created.slots.count() == 6
    assert list(created.organisers.all()) == [builders.police()]
    assert created.created_by == manager


def test_a_refusal_shows_under_its_field(client, manager, session):
    customs = InstitutionFactory(code="customs")
    response = login(client, manager).post(
        reverse("staff:session_create"), session_form(session, organisers=[customs.pk])
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisers"] == [
        "You can organise sessions only for an institution you coordinate."
    ]
    assert not TrainingSession.objects.filter(title="Tangier, second session").exists()


def test_the_form_offers_only_training_actions(client, manager, session):
    other = ActionFactory(kind="legislation", title="Amend the law on aliens")
    response = login(client, manager).get(reverse("staff:session_create"))
    assert other.title not in response.text
    assert session.action.title in response.text


def test_a_viewer_cannot_plan_a_session(viewer_client):
    assert viewer_client.get(reverse("staff:session_create")).status_code == 403


def test_the_organiser_edits_the_session(client, manager, session):
    url = reverse("staff:session_edit", args=[session.pk])
    data = session_form(session, title="Oujda, moved", starts_on="2026-03-02")
    data["ends_on"] = "2026-03-04"
    response = login(client, manager).post(url, data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Oujda, moved"


def test_the_status_moves_with_a_button(client, manager, session):
    url = reverse("staff:session_status", args=[session.pk])
    login(client, manager).post(url, {"status": SessionStatus.RUNNING})
    session.refresh_from_db()
    assert session.status == SessionStatus.RUNNING


def test_cancelling_without_a_reason_changes_nothing(client, manager, session):
    url = reverse("staff:session_status", args=[session.pk])
    response = login(client, manager).post(url, {"status": SessionStatus.CANCELLED}, follow=True)
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN
    assert "Say why the session is cancelled." in response.text


def test_a_member_outside_cannot_move_the_status(client, stranger, session):
    url = reverse("staff:session_status", args=[session.pk])
    response = login(client, stranger).post(url, {"status": SessionStatus.RUNNING})
    assert response.status_code == 403


def test_the_hours_of_a_half_day_change(client, manager, session):
    slot = session.slots.order_by("date", "part").first()
    url = reverse("staff:slot_edit", args=[slot.pk])
    login(client, manager).post(url, {"starts_at": "08:30", "ends_at": "12:00"})
    slot.refresh_from_db()
    assert slot.starts_at == datetime.time(8, 30)


def test_a_free_half_day_is_removed(client, manager, session):
    slot = session.slots.order_by("date", "part").last()
    login(client, manager).post(reverse("staff:slot_remove", args=[slot.pk]))
    assert not session.slots.filter(pk=slot.pk).exists()


def test_a_member_outside_cannot_remove_a_half_day(client, stranger, session):
    slot = session.slots.first()
    response = login(client, stranger).post(reverse("staff:slot_remove", args=[slot.pk]))
    assert response.status_code == 403
    assert session.slots.filter(pk=slot.pk).exists()


# --- Nominations and decisions --------------------------------------------------------------


def nomination_form(**changes):
    data = {
        "name_latin": "Youssef Tazi",
        "name_arabic": "يوسف التازي",
        "sex": "male",
        "rank": "Sergeant",
        "unit": "Nador border post",
        "institution": builders.police().pk,
        "region": "Oriental",
        "service_number": "",
        "email": "y.tazi@police.example",
        "phone": "",
        "consent": "on",
    }
    data.update(changes)
    return data


def test_a_focal_point_nominates_an_officer(client, manager, session):
    url = reverse("staff:session_nominate", args=[session.pk])
    response = login(client, manager).post(url, nomination_form())
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(participant__name_latin="Youssef Tazi")
    assert enrolment.status == EnrolmentStatus.NOMINATED
    assert enrolment.nominated_by == builders.police()
    assert enrolment.participant.consent_given_at is not None


def test_a_nominator_sees_their_nominations_but_not_the_others(client, stranger, session):
    customs = InstitutionFactory(code="customs")
    url = reverse("staff:session_nominate", args=[session.pk])
    login(client, stranger).post(url, nomination_form(institution=customs.pk))
    page = client.get(reverse("staff:session_detail", args=[session.pk])).text
    assert "Youssef Tazi" in page
    assert "Nominated" in page
    assert NAME not in page


def test_one_nominates_only_for_an_institution_one_acts_for(client, stranger, session):
    url = reverse("staff:session_nominate", args=[session.pk])
    response = login(client, stranger).post(url, nomination_form())
    assert response.status_code == 200
    assert "institution" in response.context["form"].errors
    assert not Participant.objects.filter(name_latin="Youssef Tazi").exists()


def test_a_planned_session_takes_no_nomination(client, manager):
    session = builders.make_session(manager)
    url = reverse("staff:session_nominate", args=[session.pk])
    login(client, manager)
    assert "only while the session is open" in client.get(url).text
    response = client.post(url, nomination_form())
    assert response.status_code == 200
    assert not Enrolment.objects.filter(session=session).exists()


def test_a_viewer_cannot_nominate(viewer_client, session):
    url = reverse("staff:session_nominate", args=[session.pk])
    assert viewer_client.get(url).status_code == 403


def test_the_organiser_approves_a_nomination(client, manager, session):
    enrolment = nominated(session, manager)
    url = reverse("staff:enrolment_decide", args=[enrolment.pk])
    login(client, manager).post(url, {"decision": "approve"})
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.APPROVED


def test_declining_from_the_page_needs_a_note(client, manager, session):
    enrolment = nominated(session, manager)
    url = reverse("staff:enrolment_decide", args=[enrolment.pk])
    response = login(client, manager).post(url, {"decision": "decline", "note": ""}, follow=True)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.NOMINATED
    assert "Say why the nomination is declined." in response.text


def test_the_organiser_declines_with_a_note(client, manager, session):
    enrolment = nominated(session, manager)
    url = reverse("staff:enrolment_decide", args=[enrolment.pk])
    login(client, manager).post(url, {"decision": "decline", "note": "Not at a border post"})
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.DECLINED
    assert enrolment.decision_note == "Not at a border post"


def test_a_member_outside_cannot_decide(client, stranger, manager, session):
    enrolment = nominated(session, manager)
    url = reverse("staff:enrolment_decide", args=[enrolment.pk])
    assert login(client, stranger).post(url, {"decision": "approve"}).status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.NOMINATED


def test_the_organiser_withdraws_a_participant(client, manager, session, person):
    enrolment = Enrolment.objects.get(participant=person)
    url = reverse("staff:enrolment_withdraw", args=[enrolment.pk])
    login(client, manager).post(url, {"reason": "Posted abroad"})
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN


def test_the_organiser_enrols_a_new_participant(client, manager, session):
    url = reverse("staff:session_enrol", args=[session.pk])
    response = login(client, manager).post(url, nomination_form(name_latin="Nadia Idrissi"))
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(participant__name_latin="Nadia Idrissi")
    assert enrolment.status == EnrolmentStatus.APPROVED


def test_the_organiser_finds_and_enrols_someone_already_recorded(client, manager, session):
    other = builders.make_session(manager, version=session.version, title="Earlier")
    known = builders.make_participant(manager, name_latin="Hicham Berrada", name_arabic="")
    services.enrol(session=other, participant=known, by=manager)
    url = reverse("staff:session_enrol", args=[session.pk])
    login(client, manager)
    assert "Hicham Berrada" in client.get(url, {"q": "berrada"}).text
    client.post(url, {"participant": known.pk})
    assert Enrolment.objects.get(session=session, participant=known).status == "approved"


def test_one_cannot_enrol_someone_one_may_not_see(client, manager, session, stranger):
    hidden = builders.make_participant(stranger, name_latin="Hidden Person")
    url = reverse("staff:session_enrol", args=[session.pk])
    response = login(client, manager).post(url, {"participant": hidden.pk})
    assert response.status_code == 404
    assert not Enrolment.objects.filter(participant=hidden).exists()


# --- Personal links ---------------------------------------------------------------------


def test_the_links_page_issues_the_missing_links(client, manager, session, person):
    url = reverse("staff:session_links", args=[session.pk])
    login(client, manager).post(url)
    link = PersonalLink.objects.get(participant=person)
    page = client.get(url).text
    assert f"http://testserver/p/{link.token}/" in page
    assert "<svg" in page


def test_issuing_a_new_link_stops_the_old_one(client, manager, session, person):
    enrolment = Enrolment.objects.get(participant=person)
    old = services.issue_personal_link(enrolment=enrolment, by=manager)
    login(client, manager).post(reverse("staff:enrolment_link", args=[enrolment.pk]))
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert services.current_link(enrolment) is not None


def test_a_member_outside_cannot_issue_a_link(client, stranger, session, person):
    enrolment = Enrolment.objects.get(participant=person)
    url = reverse("staff:enrolment_link", args=[enrolment.pk])
    assert login(client, stranger).post(url).status_code == 403
    assert not PersonalLink.objects.exists()


# --- Participants ---------------------------------------------------------------------------


def test_the_participant_page_shows_the_personal_data(client, manager, person):
    response = login(client, manager).get(reverse("staff:participant_detail", args=[person.pk]))
    assert "778899" in response.text
    assert "Oujda, first session" in response.text


def test_the_organiser_corrects_a_participant(client, manager, person):
    url = reverse("staff:participant_edit", args=[person.pk])
    data = nomination_form(name_latin=NAME, name_arabic=ARABIC_NAME, sex="female", rank="Captain")
    response = login(client, manager).post(url, data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.rank == "Captain"


def test_a_trainer_sees_but_does_not_edit_a_participant(client, manager):
    trainer = builders.make_trainer()
    session = builders.make_session(manager, trainers=[trainer])
    person = builders.make_participant(manager)
    services.enrol(session=session, participant=person, by=manager)
    login(client, trainer)
    assert client.get(reverse("staff:participant_detail", args=[person.pk])).status_code == 200
    assert client.get(reverse("staff:participant_edit", args=[person.pk])).status_code == 403


# --- What other pages use -------------------------------------------------------------------


def test_session_tools_show_pages_that_exist_and_are_allowed(
    monkeypatch, manager, stranger, session
):
    monkeypatch.setattr(
        session_views,
        "SESSION_TOOLS",
        (
            ("staff:session_detail", "training.view_roster", "Roster"),
            ("staff:no_such_page", "training.view_session", "Nowhere"),
        ),
    )
    request = RequestFactory().get("/")
    request.user = manager
    assert session_views.session_tools(request, session) == [
        ("Roster", reverse("staff:session_detail", args=[session.pk]))
    ]
    request.user = stranger
    assert session_views.session_tools(request, session) == []


def test_the_action_page_block_lists_counts_not_names(manager, session):
    html = render_to_string(
        "staff/sessions/_action_sessions.html",
        {"sessions": session_views.action_sessions(session.action, manager)},
    )
    assert session.title in html
    assert "1 / 25" in html
    assert NAME not in html


def test_the_session_page_lists_the_tools_of_other_areas(monkeypatch, client, manager, session):
    monkeypatch.setattr(
        session_views,
        "SESSION_TOOLS",
        (("staff:session_history", "training.change_session", "Audit trail"),),
    )
    response = login(client, manager).get(reverse("staff:session_detail", args=[session.pk]))
    assert response.context["session_tools"] == [
        ("Audit trail", reverse("staff:session_history", args=[session.pk]))
    ]
    assert "Audit trail" in response.text
