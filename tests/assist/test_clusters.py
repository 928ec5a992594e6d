"""A coordinator's decisions on clusters of near-duplicates, each audited."""

from __future__ import annotations

import pytest

from mizan.actions.services import create_action
from mizan.assist import clusters as services
from mizan.assist.enums import ClusterStatus
from mizan.assist.models import ClusterMember, DuplicateCluster, NotDuplicate
from mizan.assist.queries import ClusterFilters, cluster_members, cluster_of, clusters_visible_to
from mizan.core.errors import MizanError
from tests.factories import (
    InstitutionFactory,
    MechanismFactory,
    RecommendationFactory,
    SourceDocumentFactory,
)

pytestmark = pytest.mark.django_db


def make_cluster(*recommendations, status=ClusterStatus.PROPOSED) -> DuplicateCluster:
    cluster = DuplicateCluster.objects.create(status=status, similarity=0.8)
    for recommendation in recommendations:
        ClusterMember.objects.create(cluster=cluster, recommendation=recommendation, similarity=0.8)
    return cluster


@pytest.fixture
def three():
    return [RecommendationFactory(text=f"Ratify the convention, text {n}.") for n in range(3)]


def pairs() -> set[tuple[int, int]]:
    return set(NotDuplicate.objects.values_list("first_id", "second_id"))


def test_confirming_records_who_and_picks_the_member_with_actions(three, coordinator):
    create_action(
        title="Ratification bill",
        kind="legislation",
        lead_institution=InstitutionFactory(),
        recommendations=[three[2]],
    )
    cluster = services.confirm_cluster(cluster=make_cluster(*three), by=coordinator)
    assert (cluster.status, cluster.carrier, cluster.decided_by) == (
        ClusterStatus.CONFIRMED,
        three[2],
        coordinator,
    )
    entry = cluster.history.first()
    assert (entry.history_user, entry.history_change_reason) == (coordinator, "cluster confirmed")


def test_confirming_keeps_the_carrier_chosen_before(three, coordinator):
    cluster = make_cluster(*three)
    services.choose_carrier(cluster=cluster, recommendation=three[1], by=coordinator)
    cluster = services.confirm_cluster(cluster=cluster, by=coordinator)
    assert cluster.carrier == three[1]


def test_linking_leaves_no_carrier(three, coordinator):
    cluster = make_cluster(*three)
    services.choose_carrier(cluster=cluster, recommendation=three[0], by=coordinator)
    cluster = services.link_cluster(cluster=cluster, by=coordinator)
    assert (cluster.status, cluster.carrier) == (ClusterStatus.LINKED, None)
    assert cluster.history.first().history_user == coordinator


def test_dismissing_remembers_every_pair(three, coordinator):
    cluster = services.dismiss_cluster(cluster=make_cluster(*three), by=coordinator)
    a, b, c = sorted(r.pk for r in three)
    assert cluster.status == ClusterStatus.DISMISSED
    assert pairs() == {(a, b), (a, c), (b, c)}
    assert NotDuplicate.objects.filter(decided_by=coordinator).count() == 3
    assert cluster.history.first().history_user == coordinator


def test_a_dismissed_cluster_cannot_be_confirmed(three, coordinator):
    cluster = services.dismiss_cluster(cluster=make_cluster(*three), by=coordinator)
    with pytest.raises(MizanError):
        services.confirm_cluster(cluster=cluster, by=coordinator)


def test_splitting_a_member_out_remembers_its_pairs_and_keeps_the_rest(three, coordinator):
    cluster = make_cluster(*three)
    services.choose_carrier(cluster=cluster, recommendation=three[0], by=coordinator)
    remaining = services.split_member(cluster=cluster, recommendation=three[0], by=coordinator)
    assert remaining is not None
    assert set(remaining.members.values_list("recommendation_id", flat=True)) == {
        three[1].pk,
        three[2].pk,
    }
    assert remaining.carrier is None
    assert pairs() == {tuple(sorted((three[0].pk, other.pk))) for other in three[1:]}
    gone = ClusterMember.history.filter(recommendation_id=three[0].pk, history_type="-").get()
    assert (gone.history_user, gone.history_change_reason) == (
        coordinator,
        "split out of the cluster",
    )


def test_a_cluster_left_with_one_member_goes(three, coordinator):
    cluster = make_cluster(three[0], three[1])
    assert services.split_member(cluster=cluster, recommendation=three[0], by=coordinator) is None
    assert not DuplicateCluster.objects.exists()
    assert not ClusterMember.objects.exists()
    assert DuplicateCluster.history.filter(history_type="-").get().history_user == coordinator


def test_only_a_member_can_be_split_out_or_carry_the_actions(three, coordinator):
    cluster = make_cluster(three[0], three[1])
    with pytest.raises(MizanError):
        services.split_member(cluster=cluster, recommendation=three[2], by=coordinator)
    with pytest.raises(MizanError):
        services.choose_carrier(cluster=cluster, recommendation=three[2], by=coordinator)


def test_choosing_the_carrier_is_audited(three, coordinator):
    cluster = services.choose_carrier(
        cluster=make_cluster(*three), recommendation=three[2], by=coordinator
    )
    assert cluster.carrier == three[2]
    entry = cluster.history.first()
    assert (entry.history_user, entry.history_change_reason) == (coordinator, "carrier chosen")


def test_a_linked_cluster_has_no_carrier_to_choose(three, coordinator):
    cluster = services.link_cluster(cluster=make_cluster(*three), by=coordinator)
    with pytest.raises(MizanError):
        services.choose_carrier(cluster=cluster, recommendation=three[0], by=coordinator)


# --- Queries -----------------------------------------------------------------------------


def test_filters_by_status_document_and_mechanism(coordinator):
    upr = SourceDocumentFactory(symbol="A/HRC/40/6", mechanism=MechanismFactory(code="UPR"))
    cmw = SourceDocumentFactory(symbol="CMW/C/MAR/CO/2")
    in_upr = make_cluster(RecommendationFactory(document=upr), RecommendationFactory(document=upr))
    in_cmw = make_cluster(
        RecommendationFactory(document=cmw),
        RecommendationFactory(document=cmw),
        status=ClusterStatus.CONFIRMED,
    )
    everything = clusters_visible_to(coordinator)
    assert list(ClusterFilters.from_query({"mechanism": "UPR"}).apply(everything)) == [in_upr]
    assert list(ClusterFilters.from_query({"document": "CMW/C/MAR/CO/2"}).apply(everything)) == [
        in_cmw
    ]
    assert list(ClusterFilters.from_query({"status": "confirmed"}).apply(everything)) == [in_cmw]
    assert ClusterFilters.from_query({"status": "nonsense"}).is_empty


def test_no_cluster_is_visible_to_an_outsider(three, outsider):
    make_cluster(*three)
    assert not clusters_visible_to(outsider).exists()


def test_members_show_their_number_of_actions_and_the_cluster_of_one(three):
    create_action(
        title="Ratification bill",
        kind="legislation",
        lead_institution=InstitutionFactory(),
        recommendations=[three[1]],
    )
    cluster = make_cluster(*three)
    assert {r.pk: r.n_actions for r in cluster_members(cluster)} == {
        three[0].pk: 0,
        three[1].pk: 1,
        three[2].pk: 0,
    }
    found, others = cluster_of(three[0])
    assert found == cluster
    assert {m.recommendation_id for m in others} == {three[1].pk, three[2].pk}
    assert cluster_of(RecommendationFactory()) is None
