"""Tag suggestions in the back office: beside a recommendation's confirmed tags, accepted
or rejected in one click (HTMX swaps the tags box; without JavaScript the form posts and
comes back), and a review queue of the recommendations that have suggestions waiting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from mizan.assist import services
from mizan.core.errors import MizanError
from mizan.recommendations.enums import TaggingSource
from mizan.recommendations.models import Recommendation, Tagging, Vocabulary
from mizan.recommendations.queries import (
    documents_visible_to,
    recommendations_visible_to,
    vocabularies_visible_to,
    with_list_details,
)

BOX_TEMPLATE = "staff/tag_suggestions/box.html"
REVIEW_PAGE_SIZE = 20

#: Taggings a model proposed that nobody has accepted or rejected yet.
PENDING = Q(source=TaggingSource.MODEL, confirmed_at__isnull=True)


def is_pending_suggestion(tagging: Tagging) -> bool:
    return tagging.source == TaggingSource.MODEL and not tagging.is_confirmed


def pending_suggestions() -> QuerySet[Tagging]:
    return Tagging.objects.filter(PENDING)


@dataclass
class SuggestionGroup:
    vocabulary: Vocabulary
    #: highest confidence first
    suggestions: list[Tagging]


@dataclass
class TagsBox:
    """What the tags box of one recommendation shows, on its page or in the review queue."""

    recommendation: Recommendation
    #: every tag that is not a suggestion waiting for a decision
    tags: list[Tagging]
    groups: list[SuggestionGroup]
    #: may accept and reject suggestions
    can_review: bool
    #: may remove and confirm tags (only offered on the recommendation's page)
    can_edit: bool
    #: where a form without JavaScript comes back to ("" for the recommendation's page)
    next_url: str = ""
    #: only this vocabulary's suggestions (the review queue's filter)
    vocabulary: str = ""
    #: what just happened, announced after an HTMX swap
    notice: str = ""

    @property
    def suggestion_count(self) -> int:
        return sum(len(group.suggestions) for group in self.groups)


def tags_box(
    user: Any,
    recommendation: Recommendation,
    *,
    can_edit: bool = False,
    next_url: str = "",
    vocabulary: str = "",
    notice: str = "",
) -> TagsBox:
    """Build the box from ``recommendation.taggings.all()`` (prefetched with their terms
    and vocabularies by :func:`with_list_details`, so a list of boxes costs no query)."""
    taggings = list(recommendation.taggings.all())
    tags = [t for t in taggings if not is_pending_suggestion(t)]
    groups: dict[int, SuggestionGroup] = {}
    if user.has_perm("assist.view_suggestions"):
        for tagging in taggings:
            if not is_pending_suggestion(tagging):
                continue
            term_vocabulary = tagging.term.vocabulary
            if vocabulary and term_vocabulary.code != vocabulary:
                continue
            groups.setdefault(
                term_vocabulary.pk, SuggestionGroup(term_vocabulary, [])
            ).suggestions.append(tagging)
    for group in groups.values():
        group.suggestions.sort(key=lambda t: (-(t.confidence or 0), t.term.position, t.term.code))
    return TagsBox(
        recommendation=recommendation,
        tags=tags,
        groups=list(groups.values()),  # in vocabulary order, as the taggings come
        can_review=user.has_perm("assist.review_suggestions"),
        can_edit=can_edit,
        next_url=next_url,
        vocabulary=vocabulary,
        notice=notice,
    )


def _safe_next(request: HttpRequest) -> str:
    value = request.POST.get("next", "")
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


class SuggestionDecisionView(PermissionRequiredMixin, View):
    """Accept or reject one suggestion. Rule: ``assist.review_suggestions`` (coordinators).
    A tagging of another recommendation, or one that is not a suggestion waiting for a
    decision, is not found. HTMX gets the tags box back; a plain form is redirected."""

    permission_required = "assist.review_suggestions"
    http_method_names = ["post"]

    def decide(self, tagging: Tagging, user: Any) -> str:
        """Call the service; return the notice."""
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int, tagging_pk: int) -> HttpResponse:
        recommendation = get_object_or_404(recommendations_visible_to(request.user), pk=pk)
        tagging = get_object_or_404(
            Tagging.objects.filter(PENDING).select_related("term__vocabulary"),
            pk=tagging_pk,
            recommendation=recommendation,
        )
        try:
            notice = self.decide(tagging, request.user)
            failed = False
        except MizanError as error:
            # Someone decided on it meanwhile: say so, and show the tags as they are now.
            notice, failed = str(error), True
        next_url = _safe_next(request)
        if getattr(request, "htmx", False):
            fresh = get_object_or_404(
                with_list_details(Recommendation.objects.all()), pk=recommendation.pk
            )
            box = tags_box(
                request.user,
                fresh,
                # The recommendation's own page offers removing tags; the queue does not.
                can_edit=not next_url
                and request.user.has_perm("recommendations.change_recommendation"),
                next_url=next_url,
                vocabulary=request.POST.get("vocabulary", "")[:40],
                notice=notice,
            )
            return HttpResponse(render_to_string(BOX_TEMPLATE, {"box": box}, request=request))
        (messages.error if failed else messages.success)(request, notice)
        if next_url:
            return HttpResponseRedirect(next_url)
        return HttpResponseRedirect(
            reverse("staff:recommendation_detail", args=[recommendation.pk]) + "#tags"
        )


class SuggestionAcceptView(SuggestionDecisionView):
    """The suggested term becomes a confirmed tag, confirmed by the user."""

    def decide(self, tagging: Tagging, user: Any) -> str:
        services.accept_suggestion(tagging=tagging, by=user)
        return _("Suggestion accepted: %(term)s.") % {"term": tagging.term.display}


class SuggestionRejectView(SuggestionDecisionView):
    """The suggestion goes, and is remembered so the term is not proposed again."""

    def decide(self, tagging: Tagging, user: Any) -> str:
        term = tagging.term.display
        services.reject_suggestion(tagging=tagging, by=user)
        return _("Suggestion rejected: %(term)s.") % {"term": term}


class SuggestionReviewView(PermissionRequiredMixin, TemplateView):
    """Recommendations with suggestions waiting, filtered by vocabulary and document, each
    with its suggestions to accept or reject. Rule: ``assist.view_suggestions`` (members);
    the buttons show to those with ``assist.review_suggestions`` (coordinators)."""

    permission_required = "assist.view_suggestions"
    template_name = "staff/tag_suggestions/review.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        vocabulary = self.request.GET.get("vocabulary", "").strip()[:40]
        document = self.request.GET.get("document", "").strip()[:200]
        visible = recommendations_visible_to(user)
        pending = pending_suggestions().filter(recommendation__in=visible)
        # Each filter's choices count the suggestions under the other filter.
        vocabulary_choices = (
            vocabularies_visible_to(user)
            .filter(
                terms__taggings__in=(
                    pending.filter(recommendation__document__symbol=document)
                    if document
                    else pending
                )
            )
            .annotate(n=Count("terms__taggings"))
            .order_by("position", "code")
        )
        document_choices = (
            documents_visible_to(user)
            .filter(
                recommendations__taggings__in=(
                    pending.filter(term__vocabulary__code=vocabulary) if vocabulary else pending
                )
            )
            .annotate(n=Count("recommendations__taggings"))
            .order_by("symbol")
        )
        if vocabulary:
            pending = pending.filter(term__vocabulary__code=vocabulary)
        if document:
            pending = pending.filter(recommendation__document__symbol=document)
        rows = with_list_details(
            visible.filter(id__in=pending.values("recommendation_id")).order_by(
                "document__symbol", "id"
            )
        )
        page = Paginator(rows, REVIEW_PAGE_SIZE).get_page(self.request.GET.get("page"))
        here = self.request.get_full_path()
        boxes = [
            tags_box(user, recommendation, next_url=here, vocabulary=vocabulary)
            for recommendation in page.object_list
        ]
        return {
            **super().get_context_data(**kwargs),
            "nav": "recommendations",
            "page": page,
            "boxes": boxes,
            "vocabulary": vocabulary,
            "document": document,
            "vocabulary_choices": list(vocabulary_choices),
            "document_choices": list(document_choices),
        }
