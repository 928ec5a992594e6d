"""A person's interface language follows them from one browser to another.

Django picks the language from the language cookie, else the browser's preference. For a
logged-in person with a preferred language and no cookie yet (a new browser), the
preferred language wins over the browser's. Choosing a language with the switcher sets
the cookie and, for a logged-in person, also saves it as their preferred language, which
their reminder e-mails and calendar feed use too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from mizan.core.languages import INTERFACE_LANGUAGES


class PreferredLanguageMiddleware:
    """Place after ``AuthenticationMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        preferred = getattr(user, "preferred_language", "") if user is not None else ""
        if (
            preferred
            and preferred in INTERFACE_LANGUAGES
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and getattr(user, "is_authenticated", False)
        ):
            translation.activate(preferred)
            request.LANGUAGE_CODE = preferred
        return self.get_response(request)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language``, which also saves the choice as the person's preference."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if (
        language in INTERFACE_LANGUAGES
        and user.is_authenticated
        and getattr(user, "preferred_language", None) != language
    ):
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return response
