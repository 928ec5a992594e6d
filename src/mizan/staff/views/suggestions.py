"""Suggestions in the back office: the list with its filters and export, making a
suggestion signed in, one's own suggestions, a suggestion's page with where it ended up
(traceability), its history, and a session's suggestions with the later sessions that
used the versions integrating them.

Every member reads suggestions. Who wrote one shows only under
``suggestions.view_author`` (never to a member of a committee reviewing it blind), through
``exports.authors_shown_to`` on lists; its history only under
``suggestions.view_history``. Decisions show once released, and before that to the
round's readers (``decisions_visible_to``).
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from mizan.audit.history import history_of, history_of_related
from mizan.core.errors import MizanError
from mizan.partnerships.queries import evidence_visible_to
from mizan.staff.forms.errors import add_service_error
from mizan.staff.forms.suggestions import SuggestionForm
from mizan.staff.views.mixins import ReadFirstMixin
from mizan.staff.views.training import ServiceFormView
from mizan.suggestions import traceability
from mizan.suggestions.enums import Category, Subject, SuggestionStatus
from mizan.suggestions.exports import (
    EXPORT_CONTENT_TYPES,
    SuggestionFilters,
    authors_shown_to,
    export_suggestions,
    for_reading,
    latest_decision,
    subject_label,
)
from mizan.suggestions.models import Suggestion, SuggestionDecision
from mizan.suggestions.queries import rounds_visible_to, suggestions_visible_to
from mizan.suggestions.services import intake
from mizan.training.models import TrainingSession
from mizan.training.queries import curricula_visible_to, sessions_visible_to

NAV = "suggestions"
PAGE_SIZE = 25


class SuggestionAreaMixin(ReadFirstMixin):
    """Anyone who may not read suggestions is refused before any record is looked up."""

    read_permission = "suggestions.view_suggestion"
    kwargs: dict[str, Any]


class SuggestionMixin(SuggestionAreaMixin):
    """The suggestion named by ``pk``, among those the user may read (404 otherwise)."""

    @cached_property
    def suggestion(self) -> Suggestion:
        return get_object_or_404(
            suggestions_visible_to(self.request.user).select_related(
                "curriculum",
                "module__version__curriculum",
                "objective__module",
                "session",
                "author_user",
                "author_enrolment__participant",
                "author_institution",
            ),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self) -> Any:
        return self.suggestion


def list_rows(suggestions: list[Suggestion], user: Any) -> list[dict[str, Any]]:
    """What a list shows of each suggestion (after ``for_reading``): the author only
    where ``user`` may see them."""
    authors = authors_shown_to(user, suggestions)
    return [
        {
            "suggestion": suggestion,
            "about": subject_label(suggestion),
            "decision": latest_decision(suggestion),
            "author": authors.get(suggestion.pk, ""),
        }
        for suggestion in suggestions
    ]


# --- The list and its export -----------------------------------------------------------


class SuggestionListView(SuggestionAreaMixin, TemplateView):
    """Rule: any member (``suggestions.view_suggestion``). Filters: ``q`` (words of the
    text, or a reference), ``status``, ``subject``, ``category``, ``language``,
    ``session``, ``curriculum``, ``round`` (ids; a round the user may not read matches
    nothing). No filter by author. HTMX requests get the results only."""

    permission_required = "suggestions.view_suggestion"
    template_name = "staff/suggestions/suggestion_list.html"

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:  # type: ignore[attr-defined]
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        filters = SuggestionFilters.from_query(self.request.GET)
        visible = suggestions_visible_to(user)
        queryset = for_reading(filters.apply(visible, user), user)
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "filters": filters,
            "page": page,
            "rows": list_rows(list(page.object_list), user),
            "statuses": SuggestionStatus.choices,
            "subjects": Subject.choices,
            "categories": Category.choices,
            "language_choices": Suggestion._meta.get_field("language").choices,
            "sessions": sessions_visible_to(user)
            .filter(pk__in=visible.filter(session__isnull=False).values("session_id"))
            .order_by("-starts_on", "-id"),
            "curricula": curricula_visible_to(user)
            .filter(pk__in=visible.filter(curriculum__isnull=False).values("curriculum_id"))
            .order_by("code"),
            "rounds": rounds_visible_to(user).order_by("-created_at", "-id"),
            "can_add": user.has_perm("suggestions.add_suggestion"),
            "query_string": query.urlencode(),
        }


class SuggestionExportView(SuggestionAreaMixin, View):
    """Rule: any member (``suggestions.view_suggestion``). The list's filtered
    suggestions, one row each, as ``fmt`` (csv or xlsx; anything else is 404); authors
    only where the user may see them."""

    permission_required = "suggestions.view_suggestion"
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        file_format = self.kwargs["fmt"]
        if file_format not in EXPORT_CONTENT_TYPES:
            raise Http404
        user = request.user
        filters = SuggestionFilters.from_query(request.GET)
        queryset = filters.apply(suggestions_visible_to(user), user).order_by("submitted_at", "pk")
        # Spooled: small exports stay in memory, large ones go to a temporary file.
        buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
        export_suggestions(queryset, user=user, format=file_format, output=buffer)  # type: ignore[arg-type]
        buffer.seek(0)
        content_type, extension = EXPORT_CONTENT_TYPES[file_format]
        filename = f"mizan-suggestions-{timezone.localdate().isoformat()}.{extension}"
        response = FileResponse(
            buffer, as_attachment=True, filename=filename, content_type=content_type
        )
        # It may name people: not for shared caches.
        response["Cache-Control"] = "private, no-store"
        return response


# --- Making a suggestion, and one's own ---------------------------------------------------


class SuggestionCreateView(SuggestionAreaMixin, ServiceFormView):
    """Rule: ``suggestions.add_suggestion`` (any member: staff, trainers, committee
    members). The suggestion is signed by the user; attachments are checked by their
    content."""

    permission_required = "suggestions.add_suggestion"
    form_class = SuggestionForm
    template_name = "staff/suggestions/suggestion_form.html"

    @property
    def page_title(self) -> str:  # type: ignore[override]
        return _("Make a suggestion")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "nav": NAV}

    def back_url(self) -> str:
        return reverse("staff:suggestion_list")

    def save(self, form: SuggestionForm) -> Suggestion:
        self.success_message = _("Thank you: your suggestion is recorded.")
        return intake.make_suggestion(**form.suggestion_data(), by=self.request.user)

    def form_valid(self, form: SuggestionForm) -> HttpResponse:
        try:
            saved = self.save(form)
        except MizanError as error:
            # A refused file is the service's "file"; the form calls it "attachments".
            add_service_error(form, error, {"file": "attachments"})
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.success_url_for(saved))

    def success_url_for(self, saved: Suggestion) -> str:
        return reverse("staff:suggestion_detail", args=[saved.pk])


class MySuggestionsView(SuggestionAreaMixin, TemplateView):
    """Rule: any member (``suggestions.view_suggestion``): the suggestions the user made,
    with their status and, once released, the committee's outcome and rationale."""

    permission_required = "suggestions.view_suggestion"
    template_name = "staff/suggestions/my_suggestions.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        released = (
            SuggestionDecision.objects.filter(released_at__isnull=False)
            .select_related("merged_into")
            .order_by("-decided_at", "-pk")
        )
        mine = (
            suggestions_visible_to(user)
            .filter(author_user_id=user.pk)
            .select_related("curriculum", "module", "objective", "session")
            .prefetch_related(Prefetch("decisions", queryset=released, to_attr="released"))
        )
        page = Paginator(mine, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "page": page,
            "rows": [(s, subject_label(s)) for s in page.object_list],
            "can_add": user.has_perm("suggestions.add_suggestion"),
        }


# --- A suggestion ------------------------------------------------------------------------


class SuggestionDetailView(SuggestionMixin, TemplateView):
    """Rule: any member (``suggestions.view_suggestion``). The author shows only under
    ``suggestions.view_author``; a decision not yet released only to readers of its round
    (``suggestions.view_reviewround``); the history link under
    ``suggestions.view_history``."""

    permission_required = "suggestions.view_suggestion"
    template_name = "staff/suggestions/suggestion_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        suggestion = self.suggestion
        trail = traceability.for_suggestion(suggestion, include_unreleased=True)
        decisions = [
            decision
            for decision in trail.decisions
            if decision.is_released or user.has_perm("suggestions.view_reviewround", decision.round)
        ]
        attachments = list(suggestion.attachments.order_by("name", "pk"))
        downloadable = set(
            evidence_visible_to(user)
            .filter(pk__in=[a.pk for a in attachments])
            .values_list("pk", flat=True)
        )
        sees_author = user.has_perm("suggestions.view_author", suggestion)
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "suggestion": suggestion,
            "about": subject_label(suggestion),
            "sees_author": sees_author,
            "author": intake.author_name(suggestion) if sees_author else "",
            "attachments": [(a, a.pk in downloadable) for a in attachments],
            "rounds": list(
                rounds_visible_to(user)
                .filter(suggestions=suggestion)
                .select_related("committee")
                .order_by("-created_at", "-pk")
            ),
            "decisions": decisions,
            "integrations": trail.integrations,
            "can_history": user.has_perm("suggestions.view_history", suggestion),
        }


class SuggestionHistoryView(SuggestionMixin, TemplateView):
    """Rule: ``suggestions.view_history`` (who sees the author: its entries name the
    person who made the suggestion), else 403. The suggestion, and the decisions on it
    of rounds the user reads (``suggestions.view_reviewround``)."""

    permission_required = "suggestions.view_history"
    template_name = "staff/sessions/history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        suggestion = self.suggestion
        entries = history_of(suggestion)
        for entry in entries:
            entry.label = _("Suggestion")
        readable = [
            decision.pk
            for decision in suggestion.decisions.select_related("round__committee")
            if user.has_perm("suggestions.view_reviewround", decision.round)
        ]
        if readable:
            records = SuggestionDecision.history.filter(id__in=readable).select_related(
                "history_user"
            )
            entries += history_of_related(records, _("Decision"))
        entries.sort(key=lambda e: e.when, reverse=True)
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "subject": suggestion.reference,
            "back_url": reverse("staff:suggestion_detail", args=[suggestion.pk]),
            "entries": entries,
        }


# --- A session's suggestions -------------------------------------------------------------


class SessionSuggestionsView(ReadFirstMixin, TemplateView):
    """Rule: any member (``training.view_session``). The suggestions the session
    produced (authors only under ``suggestions.view_author``), the decisions on them the
    user may read, and the later sessions that used a version integrating them."""

    read_permission = "training.view_session"
    permission_required = "training.view_session"
    template_name = "staff/suggestions/session_suggestions.html"
    kwargs: dict[str, Any]

    @cached_property
    def session(self) -> TrainingSession:
        return get_object_or_404(
            sessions_visible_to(self.request.user).select_related("version__curriculum"),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self) -> Any:
        return self.session

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        trail = traceability.for_session(self.session)
        ids = [s.pk for s in trail.suggestions]
        # The trail's suggestions, with what the rows show.
        suggestions = list(
            for_reading(suggestions_visible_to(user).filter(pk__in=ids), user).order_by("pk")
        )
        return {
            **super().get_context_data(**kwargs),
            "nav": "sessions",
            "session": self.session,
            "rows": list_rows(suggestions, user),
            "versions": list(trail.versions.items()),
            "decided": _decided_counts(suggestions),
        }


def _decided_counts(suggestions: list[Suggestion]) -> list[tuple[str, int]]:
    """(outcome, count) of the latest decision the reader sees on each suggestion."""
    counts: dict[str, int] = defaultdict(int)
    for suggestion in suggestions:
        decision = latest_decision(suggestion)
        if decision is not None:
            counts[str(decision.get_outcome_display())] += 1
    return sorted(counts.items())
