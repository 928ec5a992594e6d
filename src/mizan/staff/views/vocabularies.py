"""Vocabularies and their term trees."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView
from rules.contrib.views import PermissionRequiredMixin

from mizan.assist.models import TagModel
from mizan.recommendations.models import Term, Vocabulary
from mizan.recommendations.queries import vocabularies_visible_to
from mizan.staff.views.tag_suggestions import pending_suggestions


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
        user = self.request.user
        can_view_suggestions = user.has_perm("assist.view_suggestions")
        tag_model = TagModel.objects.filter(vocabulary=self.object).defer("parameters").first()
        return {
            **super().get_context_data(**kwargs),
            "nav": "vocabularies",
            "tree": tree,
            "can_view_suggestions": can_view_suggestions,
            "pending_suggestions": (
                pending_suggestions().filter(term__vocabulary=self.object).count()
                if can_view_suggestions
                else 0
            ),
            "tag_model": tag_model,
            "tag_model_metrics": tag_model_metrics(tag_model),
        }


def tag_model_metrics(model: TagModel | None) -> list[tuple[str, float]]:
    """The measured quality of a vocabulary's tag model that the page names."""
    if model is None or not isinstance(model.metrics, dict):
        return []
    names = {
        "micro_f1": _("Micro-F1"),
        "macro_f1": _("Macro-F1"),
        "precision_at_3": _("Precision at 3"),
    }
    return [
        (str(name), float(model.metrics[key]))
        for key, name in names.items()
        if isinstance(model.metrics.get(key), int | float)
    ]
