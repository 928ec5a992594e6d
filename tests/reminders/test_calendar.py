"""The calendar feed: a person's deadlines and meetings, by secret address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from mizan.reminders.calendar import feed_owner
from mizan.reminders.models import CalendarFeed
from mizan.reminders.services import reset_calendar_feed
from tests.reminders.conftest import make_action, make_committee, make_meeting

pytestmark = pytest.mark.django_db


def feed_url(user):
    return reverse("staff:calendar_feed", args=[reset_calendar_feed(user=user).token])


def events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_feed_lists_the_user_s_deadlines_and_meetings(client, focal_point, police, justice):
    today = timezone.localdate()
    make_action(police, today + timedelta(days=3), title="Police action")
    make_action(justice, today + timedelta(days=3), title="Justice action")
    committee = make_committee(focal_point, institution=police)
    meeting = make_meeting(committee, today + timedelta(days=5), place="Rabat, room 2")
    response = client.get(feed_url(focal_point))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = events(response)
    assert set(found) == {"Due: Police action", "Meeting: Joint committee"}
    due = found["Due: Police action"]
    assert due.decoded("dtstart") == today + timedelta(days=3)  # an all-day event
    timed = found["Meeting: Joint committee"]
    assert timed.decoded("dtstart") == meeting.starts_at
    assert str(timed["location"]) == "Rabat, room 2"
    assert "Follow-up of the visit reports" in str(timed["description"])
    assert "dtstamp" in timed
    assert b"X-PUBLISHED-TTL:PT6H" in response.content


def test_event_uids_stay_the_same_between_fetches(client, focal_point, police):
    make_action(police, timezone.localdate() + timedelta(days=3))
    url = feed_url(focal_point)
    first = [str(e["uid"]) for e in events(client.get(url)).values()]
    assert first == [str(e["uid"]) for e in events(client.get(url)).values()]


def test_another_user_s_feed_does_not_show_my_work(
    client, focal_point, justice_focal_point, police
):
    make_action(police, timezone.localdate() + timedelta(days=3), title="Police action")
    assert events(client.get(feed_url(justice_focal_point))) == {}


def test_the_feed_is_written_in_the_user_s_language(client, monkeypatch, focal_point):
    focal_point.preferred_language = "fr"
    focal_point.save()
    languages = []
    real_override = translation.override

    def spy(language, *args, **kwargs):
        languages.append(language)
        return real_override(language, *args, **kwargs)

    monkeypatch.setattr("mizan.reminders.calendar.translation.override", spy)
    calendar = Calendar.from_ical(client.get(feed_url(focal_point)).content)
    assert languages == ["fr"]
    assert calendar["X-WR-CALNAME"]


def test_an_unknown_token_is_not_found(client, focal_point):
    reset_calendar_feed(user=focal_point)
    assert client.get(reverse("staff:calendar_feed", args=["not-a-token"])).status_code == 404


def test_a_deactivated_account_s_feed_is_not_found(client, focal_point):
    url = feed_url(focal_point)
    focal_point.is_active = False
    focal_point.save()
    assert client.get(url).status_code == 404


def test_an_account_without_membership_gets_no_feed(client, outsider):
    assert client.get(feed_url(outsider)).status_code == 404


def test_resetting_ends_the_old_address(client, focal_point):
    old = reset_calendar_feed(user=focal_point).token
    new = reset_calendar_feed(user=focal_point).token
    assert old != new
    assert feed_owner(old) is None
    assert feed_owner(new) == focal_point
    assert CalendarFeed.objects.filter(user=focal_point).count() == 1
