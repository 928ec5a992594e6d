"""Who is holding the phone: the personal link a participant last opened.

Opening ``/p/<token>/`` remembers the link in a signed cookie, so that scanning a half-day's
QR code (``/p/check-in/<code>/``) knows whom to check in. The cookie holds the token,
signed (``django.core.signing``), HttpOnly, SameSite=Lax, for as long as the link lives,
and only for the participant pages (path ``/p/``): the staff pages, the API and the
public pages never receive it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from mizan.training.models import PersonalLink
from mizan.training.services.sessions import open_personal_link

COOKIE = "mizan_participant"
SALT = "mizan.participant.link"
#: The participant pages, where the check-in reads the cookie.
COOKIE_PATH = "/p/"


def remember_link(response: HttpResponse, link: PersonalLink) -> None:
    max_age = max(0, int((link.expires_at - timezone.now()).total_seconds()))
    response.set_signed_cookie(
        COOKIE,
        link.token,
        salt=SALT,
        max_age=max_age,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG and getattr(settings, "SESSION_COOKIE_SECURE", False),
    )


def link_from_request(request: HttpRequest) -> PersonalLink | None:
    token = request.get_signed_cookie(COOKIE, default=None, salt=SALT)
    if not token:
        return None
    return open_personal_link(token)


def forget_link(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
