"""A person's deadlines and meetings as an iCalendar feed, for their calendar program.

Deadlines are all-day events on their due date; meetings are timed events. UIDs name the
record, so a calendar program updates an event when its date moves rather than adding
another.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from mizan.reminders.digests import absolute, language_of
from mizan.reminders.models import CalendarFeed
from mizan.reminders.work import WorkItem, work_for

#: How often calendar programs are asked to fetch the feed again.
REFRESH_INTERVAL = timedelta(hours=6)


def feed_owner(token: str) -> Any | None:
    """The active user whose calendar address has ``token``, or None."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    return feed.user if feed is not None else None


def calendar_feed_of(user: Any) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def work_calendar(user: Any, now: datetime | None = None) -> bytes:
    """The iCalendar text of ``user``'s work, in their language."""
    now = now or timezone.now()
    with translation.override(language_of(user)):
        work = work_for(user, timezone.localdate(now))
        calendar = Calendar()
        calendar.add("prodid", "-//Mizan//Work calendar//EN")
        calendar.add("version", "2.0")
        name = _("Mizan: my work")
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        # Outlook's older name for the same; an X- property is written as given.
        calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL).to_ical().decode())
        for item in work.items:
            event = _event(item, now)
            if event is not None:
                calendar.add_component(event)
    return calendar.to_ical()


def _event(item: WorkItem, now: datetime) -> Event | None:
    event = Event()
    event.add("uid", f"{item.key}@{urlparse(settings.MIZAN_SITE_URL).hostname or 'mizan'}")
    event.add("dtstamp", now.astimezone(UTC))
    link = absolute(item.url)
    event.add("url", link)
    if item.is_meeting and item.starts_at is not None:
        event.add("summary", _("Meeting: %(committee)s") % {"committee": item.title})
        event.add("dtstart", item.starts_at.astimezone(UTC))
        if item.place:
            event.add("location", item.place)
        event.add("description", f"{item.detail}\n\n{link}")
        return event
    if item.due_on is None:
        return None
    event.add("summary", _("Due: %(title)s") % {"title": item.title})
    event.add("dtstart", item.due_on)
    event.add("dtend", item.due_on + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    lines = [item.kind_label]
    if item.institution is not None:
        lines.append(str(item.institution))
    lines.append(link)
    event.add("description", "\n".join(lines))
    return event
