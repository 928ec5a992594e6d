"""Reading clusters of near-duplicates: who sees them, the list's filters, and a cluster's
members with what the page shows of each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, QuerySet, Value, When

from mizan.assist.enums import ClusterStatus
from mizan.assist.models import ClusterMember, DuplicateCluster
from mizan.recommendations.models import Recommendation


def clusters_visible_to(user: Any) -> QuerySet[DuplicateCluster]:
    """Every cluster for those who may read them (every member), none for anyone else."""
    if not user.has_perm("assist.view_clusters"):
        return DuplicateCluster.objects.none()
    return DuplicateCluster.objects.all()


@dataclass
class ClusterFilters:
    """The clusters page's filters: ``status``, ``document`` (symbol) and ``mechanism``
    (code); a cluster matches a document or mechanism when one of its members does."""

    status: str = ""
    document: str = ""
    mechanism: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> ClusterFilters:
        status = (query.get("status") or "").strip()
        return cls(
            status=status if status in ClusterStatus.values else "",
            document=(query.get("document") or "").strip(),
            mechanism=(query.get("mechanism") or "").strip(),
        )

    def apply(self, clusters: QuerySet[DuplicateCluster]) -> QuerySet[DuplicateCluster]:
        if self.status:
            clusters = clusters.filter(status=self.status)
        if self.document:
            clusters = clusters.filter(
                pk__in=ClusterMember.objects.filter(
                    recommendation__document__symbol=self.document
                ).values("cluster_id")
            )
        if self.mechanism:
            clusters = clusters.filter(
                pk__in=ClusterMember.objects.filter(
                    recommendation__document__mechanism__code=self.mechanism
                ).values("cluster_id")
            )
        return clusters

    @property
    def is_empty(self) -> bool:
        return not (self.status or self.document or self.mechanism)


def _members() -> QuerySet[ClusterMember]:
    return (
        ClusterMember.objects.select_related("recommendation__document__mechanism")
        .prefetch_related("recommendation__texts")
        .order_by("recommendation__document__symbol", "recommendation_id")
    )


def clusters_for_list(clusters: QuerySet[DuplicateCluster]) -> QuerySet[DuplicateCluster]:
    """What a row of the clusters list shows, in a fixed number of queries."""
    return (
        clusters.select_related("carrier__document")
        .annotate(n_members=Count("members"))
        .prefetch_related(Prefetch("members", queryset=_members()))
        .order_by("-found_at", "-pk")
    )


def cluster_members(cluster: DuplicateCluster) -> list[Recommendation]:
    """The recommendations of a cluster, each with its document, texts, membership
    (``cluster_membership.similarity``) and number of actions (``n_actions``)."""
    return list(
        Recommendation.objects.filter(cluster_membership__cluster=cluster)
        .select_related("document__mechanism", "cluster_membership")
        .prefetch_related("texts")
        .annotate(n_actions=Count("actions", distinct=True))
        .order_by("document__symbol", "pk")
    )


def cluster_of(
    recommendation: Recommendation,
) -> tuple[DuplicateCluster, list[ClusterMember]] | None:
    """The cluster a recommendation belongs to and its other members, or None."""
    member = (
        ClusterMember.objects.filter(recommendation=recommendation)
        .select_related("cluster__carrier__document")
        .first()
    )
    if member is None:
        return None
    others = list(
        _members().filter(cluster_id=member.cluster_id).exclude(recommendation=recommendation)
    )
    return member.cluster, others


#: Search by meaning: at most this many results, each at least this close (cosine).
MEANING_LIMIT = 200
MEANING_MINIMUM = 0.25


def closest_in_meaning(queryset: QuerySet[Recommendation], query: str) -> QuerySet[Recommendation]:
    """``queryset`` narrowed to the recommendations closest in meaning to ``query`` (in any
    language), closest first."""
    from mizan.assist.embeddings import search_by_meaning

    found = search_by_meaning(query, limit=MEANING_LIMIT, minimum=MEANING_MINIMUM)
    ranked = [rec_id for rec_id, _score in found]
    if not ranked:
        return queryset.none()
    closeness = Case(
        *(When(pk=rec_id, then=Value(rank)) for rank, rec_id in enumerate(ranked)),
        output_field=IntegerField(),
    )
    return queryset.filter(pk__in=ranked).annotate(closeness=closeness).order_by("closeness")
