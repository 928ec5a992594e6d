"""The back office's partnership pages: who may open and use them, and what they show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mizan.accounts.enums import Role
from mizan.partnerships import services
from mizan.partnerships.enums import MeetingStatus
from mizan.partnerships.models import Decision, FollowUpTask, PartnershipAgreement
from tests.factories import InstitutionFactory, user_with_role
from tests.partnerships.factories import ActionFactory, build_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(nhri, coordinator):
    return build_partnership(nhri=nhri, by=coordinator)


def read_pages(p):
    return [
        reverse("staff:agreement_list"),
        reverse("staff:agreement_detail", args=[p.agreement.pk]),
        reverse("staff:agreement_history", args=[p.agreement.pk]),
        reverse("staff:committee_detail", args=[p.committee.pk]),
        reverse("staff:meeting_detail", args=[p.meeting.pk]),
        reverse("staff:meeting_history", args=[p.meeting.pk]),
    ]


def keeper_pages(p):
    """Pages for coordinators only: the agreement, its commitments and committees."""
    commitment = services.add_commitment(agreement=p.agreement, text="Train")
    return [
        reverse("staff:agreement_create"),
        reverse("staff:agreement_edit", args=[p.agreement.pk]),
        reverse("staff:agreement_document_add", args=[p.agreement.pk]),
        reverse("staff:commitment_create", args=[p.agreement.pk]),
        reverse("staff:commitment_edit", args=[commitment.pk]),
        reverse("staff:commitment_actions", args=[commitment.pk]),
        reverse("staff:committee_create", args=[p.agreement.pk]),
        reverse("staff:committee_edit", args=[p.committee.pk]),
        reverse("staff:committee_member_add", args=[p.committee.pk]),
        reverse("staff:committee_member_edit", args=[p.member_seat.pk]),
    ]


def record_pages(p):
    """Pages for the committee's chair and secretary too."""
    return [
        reverse("staff:meeting_create", args=[p.committee.pk]),
        reverse("staff:meeting_edit", args=[p.meeting.pk]),
    ]


def login(client, user):
    client.force_login(user)
    return client


# --- Who opens what --------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, partnership):
    for url in read_pages(partnership):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


def test_account_without_role_is_refused_everywhere(outsider_client, partnership):
    for url in read_pages(partnership) + keeper_pages(partnership) + record_pages(partnership):
        assert outsider_client.get(url).status_code in (403, 404), url


def test_coordinator_opens_every_page(coordinator_client, partnership):
    for url in read_pages(partnership) + keeper_pages(partnership) + record_pages(partnership):
        assert coordinator_client.get(url).status_code == 200, url


def test_viewer_of_a_party_reads_but_changes_nothing(viewer_client, partnership):
    for url in read_pages(partnership):
        assert viewer_client.get(url).status_code == 200, url
    for url in keeper_pages(partnership) + record_pages(partnership):
        assert viewer_client.get(url).status_code == 403, url
    response = viewer_client.post(
        reverse("staff:decision_create", args=[partnership.meeting.pk]), {"text": "No"}
    )
    assert response.status_code == 403


def test_viewer_of_an_unrelated_institution_sees_no_agreement(client, partnership):
    login(client, partnership.stranger)
    assert "Memorandum" not in client.get(reverse("staff:agreement_list")).content.decode()
    for url in read_pages(partnership)[1:]:
        assert client.get(url).status_code == 404, url


def test_staff_of_a_unit_of_a_party_see_the_agreement(client, partnership):
    unit_viewer = user_with_role(Role.VIEWER, partnership.police_unit, username="unit")
    login(client, unit_viewer)
    assert "Memorandum" in client.get(reverse("staff:agreement_list")).content.decode()
    for url in read_pages(partnership):
        assert client.get(url).status_code == 200, url


def test_a_seat_shows_the_agreement_to_someone_outside_the_parties(client, partnership):
    expert = user_with_role(Role.VIEWER, InstitutionFactory(code="university"), username="expert")
    services.add_committee_member(
        committee=partnership.committee, user=expert, institution=partnership.nhri
    )
    login(client, expert)
    for url in read_pages(partnership):
        assert client.get(url).status_code == 200, url


def test_secretary_may_schedule_but_not_keep_the_agreement(client, partnership):
    login(client, partnership.secretary)
    for url in record_pages(partnership):
        assert client.get(url).status_code == 200, url
    for url in keeper_pages(partnership):
        assert client.get(url).status_code == 403, url


def test_plain_member_may_not_record(client, partnership):
    login(client, partnership.member)
    for url in record_pages(partnership):
        assert client.get(url).status_code == 403, url
    meeting = partnership.meeting
    assert client.post(reverse("staff:meeting_record", args=[meeting.pk]), {}).status_code == 403
    response = client.post(reverse("staff:decision_create", args=[meeting.pk]), {"text": "Go"})
    assert response.status_code == 403
    assert meeting.decisions.count() == 1


# --- Agreements ------------------------------------------------------------------------


def test_list_marks_agreements_in_force(viewer_client, partnership, nhri):
    services.create_agreement(
        title="Expired accord",
        parties=[nhri, partnership.police],
        starts_on=timezone.localdate() - timedelta(days=900),
        ends_on=timezone.localdate() - timedelta(days=500),
        scope="Old",
    )
    html = viewer_client.get(reverse("staff:agreement_list")).content.decode()
    assert html.count("In force") == 1
    assert "Joint monitoring committee" in html


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(
    coordinator_client, nhri, django_assert_max_num_queries, count
):
    other = InstitutionFactory()
    for n in range(count):
        agreement = services.create_agreement(
            title=f"Accord {n}", parties=[nhri, other], starts_on=timezone.localdate(), scope="S"
        )
        services.create_committee(agreement=agreement, name=f"Committee {n}")
    # session, user, roles, agreements, parties, committees
    with django_assert_max_num_queries(8):
        response = coordinator_client.get(reverse("staff:agreement_list"))
    assert response.content.decode().count("Accord ") == count


def test_coordinator_creates_an_agreement(coordinator_client, coordinator, nhri):
    police = InstitutionFactory(code="police")
    response = coordinator_client.post(
        reverse("staff:agreement_create"),
        {
            "title": "Accord on training",
            "parties": [nhri.pk, police.pk],
            "starts_on": "2025-01-01",
            "scope": "Training of officers",
        },
    )
    agreement = PartnershipAgreement.objects.get()
    assert response["Location"] == reverse("staff:agreement_detail", args=[agreement.pk])
    history = coordinator_client.get(reverse("staff:agreement_history", args=[agreement.pk]))
    assert "coordinator" in history.content.decode()


def test_agreement_with_one_party_shows_the_error(coordinator_client, nhri):
    response = coordinator_client.post(
        reverse("staff:agreement_create"),
        {"title": "Alone", "parties": [nhri.pk], "starts_on": "2025-01-01", "scope": "S"},
    )
    assert response.status_code == 200
    assert "at least two parties" in response.content.decode()
    assert not PartnershipAgreement.objects.exists()


def test_commitment_with_actions_links_to_them(coordinator_client, partnership):
    commitment = services.add_commitment(agreement=partnership.agreement, text="Train officers")
    action = ActionFactory(title="Custody rights course")
    response = coordinator_client.post(
        reverse("staff:commitment_actions", args=[commitment.pk]), {"actions": [action.pk]}
    )
    assert response.status_code == 302
    assert list(commitment.actions.all()) == [action]
    html = coordinator_client.get(
        reverse("staff:agreement_detail", args=[partnership.agreement.pk])
    ).content.decode()
    assert "Custody rights course" in html


def test_document_is_uploaded_and_listed(coordinator_client, partnership, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("staff:agreement_document_add", args=[partnership.agreement.pk])
    upload = SimpleUploadedFile("signed.txt", b"The signed memorandum.\n")
    assert coordinator_client.post(url, {"file": upload}).status_code == 302
    detail = reverse("staff:agreement_detail", args=[partnership.agreement.pk])
    assert "signed.txt" in coordinator_client.get(detail).content.decode()


# --- Committees ------------------------------------------------------------------------


def test_committee_page_shows_members_and_overdue_tasks(viewer_client, partnership):
    FollowUpTask.objects.filter(pk=partnership.member_task.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    html = viewer_client.get(
        reverse("staff:committee_detail", args=[partnership.committee.pk])
    ).content.decode()
    people = [html.index(f"<td>{name}</td>") for name in ("chair", "secretary", "member")]
    assert people == sorted(people)
    assert "Plan the visits" in html
    assert html.count("Overdue") == 1


def test_member_of_a_non_party_is_refused_with_the_reason(coordinator_client, partnership):
    stranger = partnership.stranger
    response = coordinator_client.post(
        reverse("staff:committee_member_add", args=[partnership.committee.pk]),
        {"user": stranger.pk, "institution": partnership.unrelated.pk, "role": "member"},
    )
    assert response.status_code == 200
    assert not partnership.committee.members.filter(user=stranger).exists()


def test_coordinator_removes_a_seat(coordinator_client, partnership):
    seat = services.add_committee_member(
        committee=partnership.committee, user=partnership.stranger, institution=partnership.nhri
    )
    response = coordinator_client.post(reverse("staff:committee_member_remove", args=[seat.pk]))
    assert response.status_code == 302
    assert not partnership.committee.members.filter(pk=seat.pk).exists()


# --- Meetings, decisions, tasks --------------------------------------------------------


def test_secretary_schedules_and_records_a_meeting(client, partnership):
    login(client, partnership.secretary)
    response = client.post(
        reverse("staff:meeting_create", args=[partnership.committee.pk]),
        {
            "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "place": "Tangier",
            "agenda": "Follow-up",
        },
    )
    meeting = partnership.committee.meetings.get(place="Tangier")
    assert response["Location"] == reverse("staff:meeting_detail", args=[meeting.pk])
    response = client.post(
        reverse("staff:meeting_record", args=[meeting.pk]),
        {"attendees": [partnership.chair_seat.pk], "minutes": "Short meeting."},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert list(meeting.attendees.all()) == [partnership.chair_seat]
    assert meeting.history.first().history_user == partnership.secretary


def test_secretary_records_a_decision_with_a_task(client, partnership):
    login(client, partnership.secretary)
    meeting = partnership.meeting
    response = client.post(
        reverse("staff:decision_create", args=[meeting.pk]),
        {
            "text": "Publish the visit reports.",
            "task_description": "Draft the first report",
            "task_owner": partnership.member.pk,
            "task_due_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 302
    decision = meeting.decisions.get(number=2)
    assert [t.owner for t in decision.tasks.all()] == [partnership.member]
    html = client.get(reverse("staff:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Decision 2" in html and "Draft the first report" in html


def test_decision_with_half_a_task_is_refused_on_the_page(client, partnership):
    login(client, partnership.secretary)
    response = client.post(
        reverse("staff:decision_create", args=[partnership.meeting.pk]),
        {"text": "Publish.", "task_description": "Draft"},
    )
    assert response.status_code == 400
    assert "Name the person who owns the task." in response.content.decode()
    assert Decision.objects.count() == 1


def test_secretary_adds_a_task_to_a_decision(client, partnership):
    login(client, partnership.secretary)
    response = client.post(
        reverse("staff:task_create", args=[partnership.decision.pk]),
        {
            "description": "Call the stations",
            "owner": partnership.secretary.pk,
            "due_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert partnership.decision.tasks.count() == 3


def test_meeting_page_offers_the_forms_to_the_secretary_only(client, partnership):
    url = reverse("staff:meeting_detail", args=[partnership.meeting.pk])
    login(client, partnership.secretary)
    assert "Record a decision" in client.get(url).content.decode()
    login(client, partnership.member)
    assert "Record a decision" not in client.get(url).content.decode()


def test_owner_completes_own_task(client, partnership):
    login(client, partnership.member)
    task = partnership.member_task
    url = reverse("staff:task_complete", args=[task.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"done_on": timezone.localdate().isoformat(), "outcome": "Visits planned."}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_on == timezone.localdate()
    assert task.history.first().history_user == partnership.member


def test_owner_cannot_complete_anothers_task(client, partnership):
    login(client, partnership.member)
    url = reverse("staff:task_complete", args=[partnership.chair_task.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"done_on": "2025-01-01", "outcome": "x"}).status_code == 403


def test_reopen_a_task(client, partnership):
    task = partnership.member_task
    services.complete_follow_up_task(task=task, outcome="Done")
    login(client, partnership.member)
    assert client.post(reverse("staff:task_reopen", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.done_on is None


def test_cancel_a_planned_meeting(coordinator_client, partnership):
    meeting = services.schedule_meeting(
        committee=partnership.committee,
        starts_at=timezone.now() + timedelta(days=3),
        place="Fes",
        agenda="A",
    )
    response = coordinator_client.post(
        reverse("staff:meeting_cancel", args=[meeting.pk]), {"reason": "No quorum"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED


def test_meeting_history_names_who_recorded(viewer_client, partnership):
    html = viewer_client.get(
        reverse("staff:meeting_history", args=[partnership.meeting.pk])
    ).content.decode()
    assert "Plan the visits" in html
    assert "coordinator" in html


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_pages_follow_the_language(client, partnership, language):
    login(client, partnership.chair)
    for url in read_pages(partnership):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()


def _add_meetings_and_tasks(partnership, coordinator, count):
    for n in range(count):
        meeting = services.schedule_meeting(
            committee=partnership.committee,
            starts_at=timezone.now() - timedelta(days=2 + n),
            place=f"Room {n}",
            agenda="Follow-up",
            by=coordinator,
        )
        services.record_meeting(meeting=meeting, attendees=[partnership.chair_seat], by=coordinator)
        services.record_decision(
            meeting=meeting,
            text=f"Decision {n}",
            tasks=[
                {
                    "description": f"Task {n}",
                    "owner": partnership.member,
                    "institution": partnership.police_unit,
                    "due_on": timezone.localdate(),
                }
            ],
            by=coordinator,
        )


@pytest.mark.parametrize(
    "page", ["staff:committee_detail", "staff:meeting_detail", "staff:agreement_detail"]
)
def test_record_pages_query_count_does_not_grow(coordinator_client, coordinator, partnership, page):
    """At one and at three more meetings (each with a decision and a task) the page reads
    the same number of times."""
    target = {
        "staff:committee_detail": partnership.committee.pk,
        "staff:meeting_detail": partnership.meeting.pk,
        "staff:agreement_detail": partnership.agreement.pk,
    }[page]
    counts = []
    for more in (1, 2):
        _add_meetings_and_tasks(partnership, coordinator, more)
        with CaptureQueriesContext(connection) as queries:
            assert coordinator_client.get(reverse(page, args=[target])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
