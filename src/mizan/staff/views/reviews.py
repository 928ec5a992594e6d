"""Placeholder: being written (issue 5)."""

from django.http import Http404
from django.views import View


class MyReviewsView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class ReviewFormView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class RoundAssignView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class RoundCloseView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class RoundCreateView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class RoundDashboardView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class RoundEditView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class RoundGroupsView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class RoundListView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class RoundOpenView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404


class RoundSuggestionsView(View):
    def dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise Http404
