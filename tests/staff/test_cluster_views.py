"""The clusters pages: who may read and decide, what a coordinator sees and does."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mizan.assist.enums import ClusterStatus
from mizan.assist.models import ClusterMember, DuplicateCluster, NotDuplicate
from tests.factories import RecommendationFactory, SourceDocumentFactory

pytestmark = pytest.mark.django_db

ENGLISH = "Establish a national human rights institution in line with the Paris Principles."
ARABIC = "إنشاء مؤسسة وطنية لحقوق الإنسان وفقاً لمبادئ باريس."


def make_cluster(*recommendations, status=ClusterStatus.PROPOSED) -> DuplicateCluster:
    cluster = DuplicateCluster.objects.create(status=status, similarity=0.81)
    for recommendation in recommendations:
        ClusterMember.objects.create(
            cluster=cluster, recommendation=recommendation, similarity=0.81
        )
    return cluster


@pytest.fixture
def twins():
    return [
        RecommendationFactory(
            document=SourceDocumentFactory(symbol="A/HRC/25/5"), paragraph="186.6", text=ENGLISH
        ),
        RecommendationFactory(
            document=SourceDocumentFactory(symbol="A/HRC/40/6"),
            paragraph="28.9",
            text=ARABIC,
            text__language="ar",
        ),
    ]


@pytest.fixture
def cluster(twins):
    return make_cluster(*twins)


def read_urls(cluster):
    return [reverse("staff:cluster_list"), reverse("staff:cluster_detail", args=[cluster.pk])]


def decision_urls(cluster, member):
    return [
        reverse("staff:cluster_confirm", args=[cluster.pk]),
        reverse("staff:cluster_link", args=[cluster.pk]),
        reverse("staff:cluster_dismiss", args=[cluster.pk]),
        reverse("staff:cluster_carrier", args=[cluster.pk, member.pk]),
        reverse("staff:cluster_split", args=[cluster.pk, member.pk]),
    ]


def test_anonymous_is_sent_to_login(client, cluster, twins):
    for url in read_urls(cluster):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))
    for url in decision_urls(cluster, twins[0]):
        response = client.post(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


def test_an_outsider_is_refused_everything(outsider_client, cluster, twins):
    for url in read_urls(cluster):
        assert outsider_client.get(url).status_code == 403, url
    for url in decision_urls(cluster, twins[0]):
        assert outsider_client.post(url).status_code == 403, url


def test_a_member_reads_but_cannot_decide(viewer_client, cluster, twins):
    for url in read_urls(cluster):
        assert viewer_client.get(url).status_code == 200, url
    page = viewer_client.get(reverse("staff:cluster_detail", args=[cluster.pk])).content.decode()
    assert "Confirm: the same request" not in page
    for url in decision_urls(cluster, twins[0]):
        assert viewer_client.post(url).status_code == 403, url
    cluster.refresh_from_db()
    assert cluster.status == ClusterStatus.PROPOSED
    assert ClusterMember.objects.count() == 2


def test_an_unknown_cluster_is_not_found(viewer_client):
    assert viewer_client.get(reverse("staff:cluster_detail", args=[999])).status_code == 404


def test_the_cluster_page_shows_the_members_side_by_side(coordinator_client, cluster):
    page = coordinator_client.get(
        reverse("staff:cluster_detail", args=[cluster.pk])
    ).content.decode()
    assert "A/HRC/25/5 ¶186.6" in page
    assert "A/HRC/40/6 ¶28.9" in page
    assert f'<p dir="auto" lang="ar">{ARABIC}</p>' in page
    assert "0.81" in page
    assert "Confirm: the same request" in page


def test_confirming_with_a_plain_form_comes_back_to_the_cluster(
    coordinator_client, cluster, coordinator
):
    response = coordinator_client.post(reverse("staff:cluster_confirm", args=[cluster.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:cluster_detail", args=[cluster.pk])
    cluster.refresh_from_db()
    assert (cluster.status, cluster.decided_by) == (ClusterStatus.CONFIRMED, coordinator)
    assert cluster.carrier is not None


def test_dismissing_with_htmx_swaps_the_cluster_in_place(coordinator_client, cluster):
    response = coordinator_client.post(
        reverse("staff:cluster_dismiss", args=[cluster.pk]), headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="cluster">')
    assert "Dismissed" in page
    assert NotDuplicate.objects.count() == 1


def test_choosing_the_carrier_shows_on_the_other_members_page(coordinator_client, cluster, twins):
    coordinator_client.post(reverse("staff:cluster_carrier", args=[cluster.pk, twins[1].pk]))
    page = coordinator_client.get(
        reverse("staff:recommendation_detail", args=[twins[0].pk])
    ).content.decode()
    assert "Near-duplicates" in page
    assert "Actions carried by A/HRC/40/6 ¶28.9." in page
    assert reverse("staff:recommendation_detail", args=[twins[1].pk]) in page


def test_splitting_the_last_pair_apart_returns_to_the_list(coordinator_client, cluster, twins):
    response = coordinator_client.post(
        reverse("staff:cluster_split", args=[cluster.pk, twins[0].pk])
    )
    assert response["Location"] == reverse("staff:cluster_list")
    assert not DuplicateCluster.objects.exists()
    assert NotDuplicate.objects.count() == 1


def test_a_refused_decision_is_shown_as_an_error(coordinator_client, twins):
    dismissed = make_cluster(*twins, status=ClusterStatus.DISMISSED)
    response = coordinator_client.post(
        reverse("staff:cluster_confirm", args=[dismissed.pk]), follow=True
    )
    assert "was dismissed" in response.content.decode()
    dismissed.refresh_from_db()
    assert dismissed.status == ClusterStatus.DISMISSED


def test_a_recommendation_in_no_cluster_shows_no_card(viewer_client):
    lonely = RecommendationFactory()
    page = viewer_client.get(reverse("staff:recommendation_detail", args=[lonely.pk]))
    assert "Near-duplicates" not in page.content.decode()


def test_the_list_filters_by_status(viewer_client, cluster, twins):
    other = make_cluster(
        RecommendationFactory(text="Other text one."),
        RecommendationFactory(text="Other text two."),
        status=ClusterStatus.LINKED,
    )
    response = viewer_client.get(reverse("staff:cluster_list"), {"status": "linked"})
    assert [c.pk for c in response.context["clusters"]] == [other.pk]
    assert "1 cluster found" in response.content.decode()


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("staff:cluster_list"))
    assert response.status_code == 200
    return len(captured)


def test_the_list_takes_as_many_queries_for_three_clusters_as_for_one(viewer_client):
    make_cluster(RecommendationFactory(), RecommendationFactory())
    one = list_queries(viewer_client)
    for _n in range(2):
        make_cluster(RecommendationFactory(), RecommendationFactory(), RecommendationFactory())
    assert list_queries(viewer_client) == one
