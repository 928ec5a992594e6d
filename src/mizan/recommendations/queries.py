"""Read-side selectors: what a user may see, filtering and facet counts.

List pages, detail pages, exports and the API all start from
:func:`recommendations_visible_to`, so they never disagree about who sees what.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from mizan.recommendations.models import (
    Mechanism,
    Recommendation,
    SourceDocument,
    Tagging,
    Term,
    Vocabulary,
)
from mizan.recommendations.rules import can_view_registry
from mizan.recommendations.search import matching_recommendations


def recommendations_visible_to(user: Any) -> QuerySet[Recommendation]:
    if not can_view_registry(user):
        return Recommendation.objects.none()
    return Recommendation.objects.all()


def documents_visible_to(user: Any) -> QuerySet[SourceDocument]:
    if not can_view_registry(user):
        return SourceDocument.objects.none()
    return SourceDocument.objects.select_related("mechanism")


def mechanisms_visible_to(user: Any) -> QuerySet[Mechanism]:
    if not can_view_registry(user):
        return Mechanism.objects.none()
    return Mechanism.objects.all()


def vocabularies_visible_to(user: Any) -> QuerySet[Vocabulary]:
    if not can_view_registry(user):
        return Vocabulary.objects.none()
    return Vocabulary.objects.all()


#: Beyond this many results a list says "more than …" rather than counting every match:
#: an exact count of a common word's 20,000 matches costs more than the search itself.
RESULT_COUNT_CAP = 1000


def count_up_to(queryset: QuerySet[Any], cap: int = RESULT_COUNT_CAP) -> int:
    """The number of rows, counting no further than ``cap + 1``."""
    return queryset.order_by()[: cap + 1].count()


def with_list_details(queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Everything a list row shows, fetched in a fixed number of queries."""
    return queryset.select_related("document__mechanism").prefetch_related(
        "texts",
        Prefetch(
            "taggings",
            queryset=Tagging.objects.select_related("term__vocabulary").order_by(
                "term__vocabulary__position", "term__position"
            ),
        ),
        "assignments__institution",
    )


@dataclass
class RecommendationFilters:
    """The filters of the list page, the export and the API, read from query parameters."""

    q: str = ""
    mechanism: list[str] = field(default_factory=list)
    document: list[str] = field(default_factory=list)
    state: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    position: list[str] = field(default_factory=list)
    institution: list[str] = field(default_factory=list)
    #: vocabulary code → term codes
    terms: dict[str, list[str]] = field(default_factory=dict)

    SIMPLE = ("mechanism", "document", "state", "status", "position", "institution")

    @classmethod
    def from_query(cls, params: Any) -> RecommendationFilters:
        getlist = (
            params.getlist
            if hasattr(params, "getlist")
            else (lambda key: _as_list(params.get(key)))
        )
        filters = cls(q=(params.get("q") or "").strip())
        for name in cls.SIMPLE:
            setattr(filters, name, [v for v in getlist(name) if v])
        for key in params:
            if key.startswith("tag:"):
                values = [v for v in getlist(key) if v]
                if values:
                    filters.terms[key[4:]] = values
        return filters

    def is_empty(self) -> bool:
        return not (self.q or self.terms or any(getattr(self, n) for n in self.SIMPLE))

    def apply(
        self, queryset: QuerySet[Recommendation], *, skip: str | None = None
    ) -> QuerySet[Recommendation]:
        """Filter ``queryset``; ``skip`` leaves one facet out (for that facet's own counts)."""
        if self.q:
            # A document symbol finds that document; anything else is a full-text search.
            # (One OR of both would defeat the full-text index.)
            documents = list(
                SourceDocument.objects.filter(symbol__iexact=self.q).values_list("id", flat=True)
            )
            subquery = None if documents else matching_recommendations(self.q)
            if documents:
                queryset = queryset.filter(document_id__in=documents)
            elif subquery is not None:
                queryset = queryset.filter(id__in=subquery)
            else:
                queryset = queryset.none()
        lookups = {
            "mechanism": "document__mechanism__code__in",
            "document": "document__symbol__in",
            "state": "document__state_under_review__in",
            "status": "status__in",
            "position": "position__in",
            "institution": "assignments__institution__code__in",
        }
        for name, lookup in lookups.items():
            values = getattr(self, name)
            if values and name != skip:
                queryset = queryset.filter(**{lookup: values})
        for vocabulary_code, term_codes in self.terms.items():
            if f"tag:{vocabulary_code}" == skip:
                continue
            queryset = queryset.filter(
                id__in=Tagging.objects.filter(
                    term__vocabulary__code=vocabulary_code,
                    term__code__in=term_codes,
                    confirmed_at__isnull=False,
                ).values("recommendation_id")
            )
        return queryset.distinct() if self.institution else queryset


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    key: str
    title: str
    values: list[FacetValue]


def recommendation_facets(
    base: QuerySet[Recommendation],
    filters: RecommendationFilters,
    vocabularies: Sequence[Vocabulary],
    labels: Mapping[str, Mapping[str, str]],
    titles: Mapping[str, str],
    limit: int = 30,
) -> list[Facet]:
    """Counts per value of each facet, each computed with the other facets' filters applied.

    ``labels`` maps a simple facet to {value: label}; ``titles`` gives each facet's heading.
    """
    facets: list[Facet] = []
    fields = {
        "mechanism": "document__mechanism__code",
        "document": "document__symbol",
        "state": "document__state_under_review",
        "status": "status",
        "position": "position",
        "institution": "assignments__institution__code",
    }
    # Only a filter on institutions (a join on assignments) can repeat a recommendation.
    distinct = bool(filters.institution)
    for key, field_name in fields.items():
        rows = (
            filters.apply(base, skip=key)
            .order_by()
            .values(field_name)
            .annotate(n=Count("id", distinct=distinct or key == "institution"))
            .order_by("-n", field_name)[:limit]
        )
        selected = set(getattr(filters, key))
        values = [
            FacetValue(
                str(row[field_name]),
                labels.get(key, {}).get(row[field_name], str(row[field_name])),
                row["n"],
                str(row[field_name]) in selected,
            )
            for row in rows
            if row[field_name] not in (None, "")
        ]
        if values:
            facets.append(Facet(key, titles.get(key, key), values))
    for vocabulary in vocabularies:
        key = f"tag:{vocabulary.code}"
        scope = filters.apply(base, skip=key)
        conditions: dict[str, Any] = {"taggings__confirmed_at__isnull": False}
        if scope.query.where:
            # Without any filter every recommendation counts: no need to list their ids.
            conditions["taggings__recommendation_id__in"] = scope.order_by().values("id")
        # One filter() call: two would join the taggings twice (multi-valued relation).
        terms = Term.objects.filter(vocabulary=vocabulary, **conditions)
        # A term tags a recommendation at most once (unique constraint): no DISTINCT needed.
        rows = terms.annotate(n=Count("taggings")).order_by("-n", "position")[:limit]
        selected = set(filters.terms.get(vocabulary.code, []))
        values = [
            FacetValue(
                t.code,
                t.display,
                t.n,
                t.code in selected,
            )
            for t in rows
        ]
        if values:
            facets.append(Facet(key, vocabulary.name, values))
    return facets
