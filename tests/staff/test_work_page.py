"""The "my work" page and its calendar address button: who may use them, what they show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mizan.accounts.enums import Role
from mizan.partnerships import services as partnership_services
from mizan.reminders.models import CalendarFeed
from mizan.reminders.work import work_for
from tests.factories import InstitutionFactory, user_with_role
from tests.partnerships.factories import build_partnership
from tests.reminders.conftest import assign, make_action

pytestmark = pytest.mark.django_db

URL = "/staff/my-work/"
RESET_URL = "/staff/my-work/calendar/"


@pytest.fixture
def police(db):
    return InstitutionFactory(code="police", names={"en": "Police"}, kind="law_enforcement")


@pytest.fixture
def focal_client(client, focal_point):
    client.force_login(focal_point)
    return client


def test_url_names():
    assert reverse("staff:my_work") == URL
    assert reverse("staff:calendar_feed_reset") == RESET_URL


def test_a_member_sees_their_work_overdue_first(focal_client, police):
    today = timezone.localdate()
    make_action(police, today + timedelta(days=2), title="Soon action")
    make_action(police, today - timedelta(days=3), title="Late action")
    make_action(police, None, title="Undated action")
    response = focal_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Late action") < html.index("Soon action") < html.index("Undated action")
    assert "3 days overdue" in html


def test_empty_states(viewer_client):
    html = viewer_client.get(URL).content.decode()
    assert "Nothing is overdue." in html
    assert "No meetings planned for your committees." in html


def test_a_member_does_not_see_another_institution_s_work(client):
    justice = InstitutionFactory(code="justice")
    client.force_login(user_with_role(Role.FOCAL_POINT, justice, username="justice-focal"))
    assign(InstitutionFactory(code="interior"), timezone.localdate())
    make_action(InstitutionFactory(code="health"), timezone.localdate(), title="Health action")
    assert "Health action" not in client.get(URL).content.decode()


def test_an_account_without_membership_is_refused(outsider_client):
    assert outsider_client.get(URL).status_code == 403


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_creating_the_calendar_address_shows_it(focal_client, focal_point):
    response = focal_client.post(RESET_URL, follow=True)
    feed = CalendarFeed.objects.get(user=focal_point)
    assert f"/staff/calendar/{feed.token}.ics" in response.content.decode()


def test_resetting_replaces_the_address(focal_client, focal_point):
    focal_client.post(RESET_URL)
    old = CalendarFeed.objects.get(user=focal_point).token
    focal_client.post(RESET_URL)
    assert CalendarFeed.objects.get(user=focal_point).token != old


def test_with_htmx_the_calendar_section_comes_back(focal_client, focal_point):
    response = focal_client.post(RESET_URL, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="calendar-feed"')
    assert CalendarFeed.objects.get(user=focal_point).token in html


def test_the_calendar_address_cannot_be_made_by_get(focal_client):
    assert focal_client.get(RESET_URL).status_code == 405


def test_an_account_without_membership_gets_no_calendar_address(outsider_client, outsider):
    assert outsider_client.post(RESET_URL).status_code == 403
    assert not CalendarFeed.objects.filter(user=outsider).exists()


def test_anonymous_cannot_make_a_calendar_address(client):
    assert client.post(RESET_URL).status_code == 302
    assert not CalendarFeed.objects.exists()


def test_page_queries_do_not_grow_with_items(focal_client, police, django_assert_max_num_queries):
    today = timezone.localdate()
    make_action(police, today)
    assign(police, today)
    focal_client.get(URL)
    with django_assert_max_num_queries(20) as one:
        focal_client.get(URL)
    for n in range(3):
        make_action(police, today + timedelta(days=n))
        assign(police, today + timedelta(days=n))
    with django_assert_max_num_queries(len(one.captured_queries)):
        focal_client.get(URL)


def test_a_task_owner_outside_the_agreement_gets_a_link_they_may_open(client, coordinator):
    """The task links to its meeting for those who read the agreement; for an owner who
    may not, to the page where they mark it done (never to a page that refuses them)."""
    partnership = build_partnership(nhri=coordinator.memberships.get().institution, by=coordinator)
    task = partnership_services.add_follow_up_task(
        decision=partnership.decision,
        description="Send the health ministry's figures",
        owner=partnership.stranger,
        due_on=timezone.localdate(),
        by=coordinator,
    )
    (item,) = [i for i in work_for(partnership.stranger).items if i.pk == task.pk]
    client.force_login(partnership.stranger)
    assert client.get(item.url).status_code == 200
    assert (
        client.get(reverse("staff:meeting_detail", args=[partnership.meeting.pk])).status_code
        == 404
    )
