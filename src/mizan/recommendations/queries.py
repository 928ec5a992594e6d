"""Read-side selectors: what a user may see, filtering and facet counts.

List pages, detail pages, exports and the API all start from
:func:`recommendations_visible_to`, so they never disagree about who sees what.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet

from mizan.accounts.enums import Role
from mizan.institutions.enums import InstitutionKind
from mizan.institutions.models import Institution
from mizan.institutions.queries import institutions_acted_for
from mizan.recommendations.enums import AssessmentVoice
from mizan.recommendations.models import (
    Assessment,
    Mechanism,
    Recommendation,
    SourceDocument,
    Tagging,
    Term,
    Vocabulary,
)
from mizan.recommendations.rules import can_view_registry, is_focal_point_of_assignee
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


#: The ``nhri_status`` filter value for recommendations the NHRI has not assessed yet.
NOT_ASSESSED = "not_assessed"
#: Recommendations where both voices have spoken and say different things.
DISAGREE = Q(~Q(nhri_status=""), ~Q(status=F("nhri_status")))
_TRUE = {"1", "true", "yes", "on"}


@dataclass
class RecommendationFilters:
    """The filters of the list page, the export and the API, read from query parameters."""

    q: str = ""
    mechanism: list[str] = field(default_factory=list)
    document: list[str] = field(default_factory=list)
    state: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    #: the NHRI's assessment; ``NOT_ASSESSED`` for none yet
    nhri_status: list[str] = field(default_factory=list)
    position: list[str] = field(default_factory=list)
    institution: list[str] = field(default_factory=list)
    #: only where the state's and the NHRI's assessments differ
    disagree: bool = False
    #: vocabulary code → term codes
    terms: dict[str, list[str]] = field(default_factory=dict)

    SIMPLE = ("mechanism", "document", "state", "status", "nhri_status", "position", "institution")

    @classmethod
    def from_query(cls, params: Any) -> RecommendationFilters:
        getlist = (
            params.getlist
            if hasattr(params, "getlist")
            else (lambda key: _as_list(params.get(key)))
        )
        filters = cls(
            q=(params.get("q") or "").strip(),
            disagree=str(params.get("disagree") or "").strip().lower() in _TRUE,
        )
        for name in cls.SIMPLE:
            setattr(filters, name, [v for v in getlist(name) if v])
        for key in params:
            if key.startswith("tag:"):
                values = [v for v in getlist(key) if v]
                if values:
                    filters.terms[key[4:]] = values
        return filters

    def is_empty(self) -> bool:
        return not (
            self.q or self.terms or self.disagree or any(getattr(self, n) for n in self.SIMPLE)
        )

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
            "nhri_status": "nhri_status__in",
            "position": "position__in",
            "institution": "assignments__institution__code__in",
        }
        for name, lookup in lookups.items():
            values = getattr(self, name)
            if name == "nhri_status":
                values = ["" if v == NOT_ASSESSED else v for v in values]
            if values and name != skip:
                queryset = queryset.filter(**{lookup: values})
        if self.disagree and skip != "disagree":
            queryset = queryset.filter(DISAGREE)
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
        "nhri_status": "nhri_status",
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
        values = []
        for row in rows:
            value = row[field_name]
            if key == "nhri_status" and value == "":
                value = NOT_ASSESSED
            if value in (None, ""):
                continue
            values.append(
                FacetValue(
                    str(value),
                    labels.get(key, {}).get(value, str(value)),
                    row["n"],
                    str(value) in selected,
                )
            )
        if values:
            facets.append(Facet(key, titles.get(key, key), values))
        if key == "nhri_status":
            facets.extend(_disagree_facet(base, filters, titles))
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


def _disagree_facet(
    base: QuerySet[Recommendation], filters: RecommendationFilters, titles: Mapping[str, str]
) -> list[Facet]:
    """The one-value facet of recommendations whose two assessments differ (one COUNT)."""
    count = filters.apply(base, skip="disagree").filter(DISAGREE).order_by().count()
    if not count and not filters.disagree:
        return []
    title = titles.get("disagree", "disagree")
    return [Facet("disagree", title, [FacetValue("1", title, count, filters.disagree)])]


def assessments_by_voice(recommendation: Recommendation) -> dict[str, list[Assessment]]:
    """Each voice's assessments, latest first (by date, then by order of recording), with
    who recorded them, for which institution, and their evidence: three queries."""
    found: dict[str, list[Assessment]] = {voice: [] for voice in AssessmentVoice.values}
    assessments = (
        Assessment.objects.filter(recommendation=recommendation)
        .select_related("recorded_by", "institution")
        .prefetch_related("evidence")
        .order_by("-assessed_on", "-id")
    )
    for assessment in assessments:
        found[assessment.voice].append(assessment)
    return found


def institutions_for_assessment(
    user: Any, recommendation: Recommendation, voice: str
) -> QuerySet[Institution]:
    """The institutions ``user`` may record ``voice``'s assessment for: the NHRI for its
    voice; for the state's, the institutions the recommendation is assigned to (a focal
    point: only those they act for; a coordinator: any state institution)."""
    if voice == AssessmentVoice.NHRI:
        return Institution.objects.filter(kind=InstitutionKind.NHRI)
    state_institutions = Institution.objects.exclude(kind=InstitutionKind.NHRI)
    if user.has_perm("recommendations.change_recommendation"):
        return state_institutions
    if not is_focal_point_of_assignee(user, recommendation):
        return Institution.objects.none()
    acted_for = institutions_acted_for(user, Role.FOCAL_POINT)
    return state_institutions.filter(
        id__in=[a.institution_id for a in recommendation.assignments.all()]
    ).filter(id__in=acted_for)
