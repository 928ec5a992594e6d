"""Placeholder: being written (issue 5)."""

from django.http import Http404
from django.views import View


class MySuggestionsView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class SessionSuggestionsView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class SuggestionCreateView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class SuggestionDetailView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class SuggestionExportView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class SuggestionHistoryView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class SuggestionListView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404
