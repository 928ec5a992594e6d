"""Placeholder: being written (issue 5)."""

from django.http import Http404
from django.views import View


class SuggestView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404
