"""Vocabularies and their term trees."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.views.generic import DetailView, ListView
from rules.contrib.views import PermissionRequiredMixin

from mizan.recommendations.models import Term, Vocabulary
from mizan.recommendations.queries import vocabularies_visible_to


class VocabularyListView(PermissionRequiredMixin, ListView):
    """Rule: any member (``recommendations.view_vocabulary``)."""

    permission_required = "recommendations.view_vocabulary"
    template_name = "staff/vocabulary_list.html"

    def get_queryset(self) -> QuerySet[Vocabulary]:
        return vocabularies_visible_to(self.request.user).annotate(n=Count("terms"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "nav": "vocabularies"}


class VocabularyDetailView(PermissionRequiredMixin, DetailView):
    """Rule: any member (``recommendations.view_vocabulary``)."""

    permission_required = "recommendations.view_vocabulary"
    template_name = "staff/vocabulary_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_queryset(self) -> QuerySet[Vocabulary]:
        return vocabularies_visible_to(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        terms = list(
            Term.objects.filter(vocabulary=self.object)
            .annotate(n=Count("taggings"))
            .order_by("position", "code")
        )
        children: dict[int | None, list[Term]] = {}
        for term in terms:
            children.setdefault(term.parent_id, []).append(term)
        tree = [(term, children.get(term.pk, [])) for term in children.get(None, [])]
        return {**super().get_context_data(**kwargs), "nav": "vocabularies", "tree": tree}
