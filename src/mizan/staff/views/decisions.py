"""Placeholder: being written (issue 5)."""

from django.http import Http404
from django.views import View


class IntegrateSuggestionsView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class MeetingMinutesPDFView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class ModuleTraceabilityView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class RoundDecisionsView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class RoundReleaseView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404
