"""Checking in for a half-day by scanning its QR code (``/p/check-in/<code>/``).

The phone knows whose it is from the signed cookie its owner's personal link set
(:mod:`mizan.participant.identity`); without it, the page asks for the link. Opening the
address only shows a button: checking in is a POST with its CSRF token, so a messaging
app's link preview checks no one in. Pages open in the session's language unless the
participant chose another, with the same choice (and cookie) as the personal link pages.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from mizan.core.errors import MizanError
from mizan.core.languages import INTERFACE_LANGUAGES
from mizan.participant.identity import link_from_request, remember_link
from mizan.participant.views.pages import (
    LANGUAGE_COOKIE,
    LANGUAGE_COOKIE_AGE,
    LANGUAGE_COOKIE_PATH,
    LANGUAGE_PARAM,
)
from mizan.training.enums import ATTENDED
from mizan.training.models import Attendance, PersonalLink, SessionSlot
from mizan.training.services.attendance import check_in
from mizan.training.services.sessions import open_personal_link

#: A personal link's token, on its own or inside the link's address (``…/p/<token>/``).
PERSONAL_LINK_PATTERN = r"[A-Za-z0-9_-]{20,64}"
TOKEN_IN_ADDRESS = re.compile(rf"/p/({PERSONAL_LINK_PATTERN})(?:[/?#]|$)")
TOKEN_ALONE = re.compile(PERSONAL_LINK_PATTERN)


def token_from(text: str) -> str:
    """The token in what a participant pasted or typed: the whole link or the token."""
    text = (text or "").strip()
    found = TOKEN_IN_ADDRESS.search(text)
    if found:
        return found.group(1)
    return text if TOKEN_ALONE.fullmatch(text) else ""


@method_decorator(never_cache, name="dispatch")
class CheckInView(View):
    """GET: who is checking in for which half-day, and a button. POST: the check-in (or,
    from a phone without the cookie, the personal link pasted and the check-in at once).
    Unknown codes are 404; refusals (another session, outside the hours) say why."""

    http_method_names = ["get", "post"]
    slot: SessionSlot
    language: str

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        code = kwargs["code"]
        slot = (
            SessionSlot.objects.select_related("session").filter(check_in_code=code).first()
            if len(code) <= 64
            else None
        )
        if slot is None:
            raise Http404
        self.slot = slot
        asked = request.GET.get(LANGUAGE_PARAM, "")
        chosen = asked if asked in INTERFACE_LANGUAGES else ""
        kept = request.COOKIES.get(LANGUAGE_COOKIE, "")
        self.language = chosen or (kept if kept in INTERFACE_LANGUAGES else "")
        if not self.language:
            session_language = slot.session.language
            self.language = session_language if session_language in INTERFACE_LANGUAGES else "en"
        with translation.override(self.language):
            response = super().dispatch(request, *args, **kwargs)
        if chosen:
            # The same choice as on the personal link pages, kept for the next scan too.
            response.set_cookie(
                LANGUAGE_COOKIE,
                chosen,
                max_age=LANGUAGE_COOKIE_AGE,
                path=LANGUAGE_COOKIE_PATH,
                samesite="Lax",
                httponly=True,
            )
        response["Content-Language"] = self.language
        return response

    def page_url(self) -> str:
        return reverse("participant:check_in", args=[self.slot.check_in_code])

    def render_page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        names = dict(settings.LANGUAGES)
        language_links = [
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"],
                "url": f"{self.request.path}?{urlencode({LANGUAGE_PARAM: code})}",
                "current": code == self.language,
            }
            for code in INTERFACE_LANGUAGES
            if code in names
        ]
        return render(
            self.request,
            template,
            {
                "slot": self.slot,
                "session": self.slot.session,
                "language_links": language_links,
                "action_url": self.page_url(),
                **context,
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        link = link_from_request(request)
        if link is None:
            return self.render_page("participant/check_in_identify.html")
        if link.enrolment is None or link.enrolment.session_id != self.slot.session_id:
            return self.render_page(
                "participant/check_in_refused.html",
                message=_("This QR code is for another session than yours."),
            )
        return self.render_page("participant/check_in.html", participant=link.participant)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        pasted = "link" in request.POST
        if pasted:
            link = open_personal_link(token_from(request.POST.get("link", "")))
            if link is None:
                return self.render_page(
                    "participant/check_in_identify.html",
                    status=400,
                    error=_(
                        "This personal link does not work. Check that you copied all of it, "
                        "or ask the trainer for a new one."
                    ),
                    pasted=request.POST.get("link", ""),
                )
        else:
            link = link_from_request(request)
            if link is None:
                return self.render_page("participant/check_in_identify.html")
        response = self._check_in(link)
        if pasted:
            # From now on this phone is theirs, for the next half-days too.
            remember_link(response, link)
        return response

    def _check_in(self, link: PersonalLink) -> HttpResponse:
        try:
            check_in(link=link, code=self.slot.check_in_code)
        except MizanError as refusal:
            if refusal.code == "unknown_code":
                raise Http404 from refusal
            return self.render_page(
                "participant/check_in_refused.html", message=str(refusal.message)
            )
        return HttpResponseRedirect(
            reverse("participant:check_in_done", args=[self.slot.check_in_code])
        )


class CheckInDoneView(CheckInView):
    """After checking in: "You are checked in for <session>, <date> <half-day>"."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        link = link_from_request(request)
        record = (
            Attendance.objects.filter(enrolment_id=link.enrolment_id, slot=self.slot).first()
            if link is not None and link.enrolment_id is not None
            else None
        )
        if record is None or record.status not in ATTENDED:
            return HttpResponseRedirect(self.page_url())
        return self.render_page("participant/check_in_done.html", record=record)
