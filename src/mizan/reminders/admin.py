"""The reminder records in Django's admin: what was sent (read only) and calendar
addresses (which an administrator may delete, ending the address)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mizan.reminders.models import CalendarFeed, SentReminder


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin[SentReminder]):
    list_display = ["sent_on", "kind", "recipient", "items", "sent_at"]
    list_filter = ["kind", "sent_on"]
    date_hierarchy = "sent_on"
    search_fields = ["recipient__username", "recipient__email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin[CalendarFeed]):
    list_display = ["user", "created_at"]
    search_fields = ["user__username", "user__email"]
    # The token is a password for the feed: not shown, not editable.
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
