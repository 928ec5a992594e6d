"""What a coordinator decides about a cluster of near-duplicates: confirm it (the same
request, one member carries the actions), link it (related, followed separately), dismiss
it (not duplicates), split a member out, or choose the member that carries the actions.

Each operation runs in one transaction and leaves its entry in the history. Dismissing a
cluster and splitting a member out remember the pairs as ``NotDuplicate``, so the
assistant never proposes them together again.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from mizan.assist.enums import ClusterStatus
from mizan.assist.models import ClusterMember, DuplicateCluster, NotDuplicate
from mizan.audit.history import acting_user, attribute_change
from mizan.core.errors import MizanError
from mizan.recommendations.models import Recommendation


def _locked(cluster: DuplicateCluster) -> DuplicateCluster:
    """The cluster as it is now, locked until the decision is written; another coordinator
    may have split it away since the page was shown."""
    locked = DuplicateCluster.objects.select_for_update().filter(pk=cluster.pk).first()
    if locked is None:
        raise MizanError(_("This cluster is no longer there: its members were split apart."))
    return locked


def _member_ids(cluster: DuplicateCluster) -> list[int]:
    return sorted(cluster.members.values_list("recommendation_id", flat=True))


def _open(cluster: DuplicateCluster) -> None:
    if cluster.status == ClusterStatus.DISMISSED:
        raise MizanError(_("This cluster was dismissed; its recommendations are not duplicates."))


def record_not_duplicate(first: int, second: int, *, by: Any) -> NotDuplicate:
    """Remember that two recommendations (by id) are not duplicates."""
    if first == second:
        raise MizanError(_("A recommendation is always a duplicate of itself."))
    low, high = sorted((first, second))
    pair, _created = NotDuplicate.objects.get_or_create(
        first_id=low, second_id=high, defaults={"decided_by": acting_user(by)}
    )
    return pair


def default_carrier(cluster: DuplicateCluster) -> Recommendation | None:
    """The member with the most actions already (the earliest registered on a tie)."""
    return (
        Recommendation.objects.filter(cluster_membership__cluster=cluster)
        .annotate(n_actions=Count("actions"))
        .order_by("-n_actions", "pk")
        .first()
    )


def _decide(cluster: DuplicateCluster, status: str, by: Any, reason: str) -> DuplicateCluster:
    cluster.status = status
    cluster.decided_by = acting_user(by)
    cluster.decided_at = timezone.now()
    attribute_change(cluster, user=by, reason=reason)
    cluster.save()
    return cluster


@transaction.atomic
def confirm_cluster(
    *, cluster: DuplicateCluster, by: Any, carrier: Recommendation | None = None
) -> DuplicateCluster:
    """The members are the same request: one of them (``carrier``, else the one chosen
    before, else the one with the most actions) carries the actions for all."""
    cluster = _locked(cluster)
    _open(cluster)
    members = _member_ids(cluster)
    if carrier is not None and carrier.pk not in members:
        raise MizanError(_("The recommendation that carries the actions must be a member."))
    if carrier is not None:
        cluster.carrier = carrier
    elif cluster.carrier_id not in members:
        cluster.carrier = default_carrier(cluster)
    return _decide(cluster, ClusterStatus.CONFIRMED, by, "cluster confirmed")


@transaction.atomic
def link_cluster(*, cluster: DuplicateCluster, by: Any) -> DuplicateCluster:
    """The members are related (the same subject, another cycle) and each is followed on
    its own: no member carries the others' actions."""
    cluster = _locked(cluster)
    _open(cluster)
    cluster.carrier = None
    return _decide(cluster, ClusterStatus.LINKED, by, "cluster linked as related")


@transaction.atomic
def dismiss_cluster(*, cluster: DuplicateCluster, by: Any) -> DuplicateCluster:
    """The members are not duplicates: every pair of them is remembered, and the cluster
    stays, dismissed, as the record of what was decided."""
    cluster = _locked(cluster)
    _open(cluster)
    for first, second in combinations(_member_ids(cluster), 2):
        record_not_duplicate(first, second, by=by)
    cluster.carrier = None
    return _decide(cluster, ClusterStatus.DISMISSED, by, "cluster dismissed: not duplicates")


@transaction.atomic
def split_member(
    *, cluster: DuplicateCluster, recommendation: Recommendation, by: Any
) -> DuplicateCluster | None:
    """Take ``recommendation`` out of the cluster: it is remembered as no duplicate of each
    of the others. A cluster left with one member goes (returns None)."""
    cluster = _locked(cluster)
    _open(cluster)
    member = ClusterMember.objects.filter(cluster=cluster, recommendation=recommendation).first()
    if member is None:
        raise MizanError(_("This recommendation is not a member of the cluster."))
    others = [rec_id for rec_id in _member_ids(cluster) if rec_id != recommendation.pk]
    for other in others:
        record_not_duplicate(recommendation.pk, other, by=by)
    attribute_change(member, user=by, reason="split out of the cluster")
    member.delete()
    if len(others) < 2:
        for rest in cluster.members.all():
            attribute_change(rest, user=by, reason="cluster left with one member")
            rest.delete()
        attribute_change(cluster, user=by, reason="cluster left with one member")
        cluster.delete()
        return None
    if cluster.carrier_id == recommendation.pk:
        cluster.carrier = None
        attribute_change(cluster, user=by, reason="the carrier was split out")
        cluster.save()
    return cluster


@transaction.atomic
def choose_carrier(
    *, cluster: DuplicateCluster, recommendation: Recommendation, by: Any
) -> DuplicateCluster:
    """``recommendation`` carries the actions for the whole cluster; the other members
    show "actions carried by …"."""
    cluster = _locked(cluster)
    _open(cluster)
    if cluster.status == ClusterStatus.LINKED:
        raise MizanError(
            _("Related recommendations are followed separately: none carries the others' actions.")
        )
    if recommendation.pk not in _member_ids(cluster):
        raise MizanError(_("The recommendation that carries the actions must be a member."))
    cluster.carrier = recommendation
    attribute_change(cluster, user=by, reason="carrier chosen")
    cluster.save()
    return cluster
