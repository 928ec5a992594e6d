"""A person's own work ("my work"), and their private calendar feed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from mizan.reminders.calendar import calendar_feed_of, feed_owner, work_calendar
from mizan.reminders.services import reset_calendar_feed
from mizan.reminders.work import work_for

MY_WORK_TEMPLATE = "staff/work/my_work.html"


def _feed_context(request: HttpRequest) -> dict[str, Any]:
    feed = calendar_feed_of(request.user)
    url = None
    if feed is not None:
        url = request.build_absolute_uri(reverse("staff:calendar_feed", args=[feed.token]))
    return {"feed": feed, "feed_url": url}


class MyWorkView(PermissionRequiredMixin, TemplateView):
    """Rule: any member (``reminders.view_work``); shows only the user's own work."""

    permission_required = "reminders.view_work"
    template_name = MY_WORK_TEMPLATE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        work = work_for(self.request.user)
        horizon = settings.MIZAN_REMINDER_HORIZON_DAYS
        return {
            **super().get_context_data(**kwargs),
            "nav": "my_work",
            "work": work,
            "horizon": horizon,
            "overdue": work.overdue,
            "due_soon": work.due_within(horizon),
            "later": work.later(horizon),
            "meetings": work.meetings,
            **_feed_context(self.request),
        }


class CalendarFeedResetView(PermissionRequiredMixin, View):
    """Rule: any member (``reminders.manage_calendar_feed``), for their own feed only:
    the view takes no user, it always acts on the one logged in. HTMX requests get the
    calendar section back; others are redirected to "my work"."""

    permission_required = "reminders.manage_calendar_feed"
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        had_feed = calendar_feed_of(request.user) is not None
        reset_calendar_feed(user=request.user)
        if had_feed:
            notice = _("Your calendar has a new address; the old one no longer works.")
        else:
            notice = _("Your calendar address is ready.")
        if getattr(request, "htmx", False):
            context = {**_feed_context(request), "notice": notice}
            return render(request, f"{MY_WORK_TEMPLATE}#calendar-feed", context)
        messages.success(request, notice)
        return redirect("staff:my_work")


class CalendarFeedView(View):
    """Rule: none but the secret token in the address, since calendar programs cannot log
    in. An unknown token, or one of a deactivated account, is a 404."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        user = feed_owner(token)
        if user is None or not user.has_perm("reminders.view_work"):
            raise Http404
        response = HttpResponse(work_calendar(user), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="mizan.ics"'
        response["Cache-Control"] = "private, no-store"
        # The address is the password: keep it out of other sites' Referer headers.
        response["Referrer-Policy"] = "no-referrer"
        return response
