"""Security and correctness review of the clusters pages: each test names what went wrong."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mizan.assist import clusters as services
from mizan.assist.enums import ClusterStatus
from mizan.assist.models import ClusterMember, DuplicateCluster
from tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db


def make_cluster(*recommendations, status=ClusterStatus.PROPOSED) -> DuplicateCluster:
    cluster = DuplicateCluster.objects.create(status=status, similarity=0.8)
    for recommendation in recommendations:
        ClusterMember.objects.create(cluster=cluster, recommendation=recommendation)
    return cluster


@pytest.fixture
def removed_meanwhile(monkeypatch, admin_user):
    """Another coordinator splits the cluster's last pair apart while the request is on its
    way: the view has found the cluster, the service no longer does."""
    real = services.confirm_cluster

    def confirm_after_the_other(*, cluster, by, carrier=None):
        first = cluster.members.first().recommendation
        services.split_member(cluster=cluster, recommendation=first, by=admin_user)
        return real(cluster=cluster, by=by, carrier=carrier)

    monkeypatch.setattr(services, "confirm_cluster", confirm_after_the_other)


def test_a_decision_on_a_cluster_removed_meanwhile_goes_back_to_the_list(
    coordinator_client, removed_meanwhile
):
    cluster = make_cluster(*RecommendationFactory.create_batch(2))

    response = coordinator_client.post(
        reverse("staff:cluster_confirm", args=[cluster.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("staff:cluster_list")
    (message,) = get_messages(response.wsgi_request)
    assert "no longer there" in str(message)


def test_a_plain_decision_on_a_cluster_removed_meanwhile_goes_back_to_the_list(
    coordinator_client, removed_meanwhile
):
    cluster = make_cluster(*RecommendationFactory.create_batch(2))

    response = coordinator_client.post(reverse("staff:cluster_confirm", args=[cluster.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("staff:cluster_list")


def test_a_member_of_another_cluster_cannot_be_split_out_or_carry_the_actions(
    coordinator_client,
):
    mine = make_cluster(*RecommendationFactory.create_batch(3))
    stranger = RecommendationFactory()
    theirs = make_cluster(stranger, RecommendationFactory())

    for name in ("staff:cluster_split", "staff:cluster_carrier"):
        response = coordinator_client.post(reverse(name, args=[mine.pk, stranger.pk]))
        assert response.status_code == 404, name

    mine.refresh_from_db()
    assert mine.carrier is None and mine.members.count() == 3
    assert ClusterMember.objects.get(recommendation=stranger).cluster == theirs


def test_decisions_are_never_taken_by_a_get(coordinator_client):
    first, second = RecommendationFactory.create_batch(2)
    cluster = make_cluster(first, second)
    for name, args in (
        ("staff:cluster_confirm", [cluster.pk]),
        ("staff:cluster_dismiss", [cluster.pk]),
        ("staff:cluster_split", [cluster.pk, first.pk]),
        ("staff:cluster_carrier", [cluster.pk, first.pk]),
    ):
        assert coordinator_client.get(reverse(name, args=args)).status_code == 405, name
    cluster.refresh_from_db()
    assert cluster.status == ClusterStatus.PROPOSED and cluster.members.count() == 2


def test_a_members_text_is_shown_as_text_not_markup(coordinator_client):
    attack = '<img src=x onerror="alert(1)">Abolish the death penalty.'
    cluster = make_cluster(RecommendationFactory(text=attack), RecommendationFactory())

    for url in (reverse("staff:cluster_list"), reverse("staff:cluster_detail", args=[cluster.pk])):
        page = coordinator_client.get(url).content.decode()
        assert "<img src=x" not in page, url
        assert "&lt;img src=x" in page, url


def detail_queries(client, cluster) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("staff:cluster_detail", args=[cluster.pk]))
    assert response.status_code == 200
    return len(captured)


def test_a_cluster_page_takes_as_many_queries_for_five_members_as_for_two(coordinator_client):
    small = make_cluster(*RecommendationFactory.create_batch(2))
    large = make_cluster(*RecommendationFactory.create_batch(5))
    assert detail_queries(coordinator_client, large) == detail_queries(coordinator_client, small)


def test_a_suggestion_decided_meanwhile_gives_a_message_not_an_error(
    coordinator_client, monkeypatch
):
    from mizan.assist import services as assist_services
    from mizan.core.errors import MizanError
    from mizan.recommendations.enums import TaggingSource
    from mizan.recommendations.services import tag_recommendation
    from tests.factories import RecommendationFactory, TermFactory

    recommendation = RecommendationFactory()
    tagging = tag_recommendation(
        recommendation=recommendation,
        term=TermFactory(),
        source=TaggingSource.MODEL,
        model_name="m",
        confidence=0.5,
    )

    def decided_meanwhile(**kwargs):
        raise MizanError("This tag is not a suggestion waiting for a decision.")

    monkeypatch.setattr(assist_services, "accept_suggestion", decided_meanwhile)
    url = reverse("staff:suggestion_accept", args=[recommendation.pk, tagging.pk])
    response = coordinator_client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "not a suggestion waiting for a decision" in response.content.decode()
    response = coordinator_client.post(url, follow=True)
    assert response.status_code == 200
    assert "not a suggestion waiting for a decision" in response.content.decode()


def test_a_word_document_that_unpacks_too_far_is_refused(monkeypatch):
    import io
    import zipfile

    from mizan.assist import intake_readers

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>" + " " * 5000)
    monkeypatch.setattr(intake_readers, "DOCX_UNPACKED_LIMIT", 1000)
    with pytest.raises(intake_readers.UnreadableDocument, match="unpacks to more than"):
        intake_readers.read_docx(buffer.getvalue())


def test_every_cell_of_the_intake_csv_is_safe_in_a_spreadsheet():
    from mizan.assist.intake import IntakeRow, write_csv

    row = IntakeRow(paragraph="=1", text="=HYPERLINK(1)", recommending_state="+x", language="-y")
    out = write_csv([row], document="=cmd", mechanism="+x", state_under_review="@y")
    for cell in out.splitlines()[1].split(","):
        assert cell.lstrip('"')[:1] not in ("=", "+", "-", "@"), cell


def _count_detail_queries(client, members: int) -> tuple[int, str]:
    cluster = DuplicateCluster.objects.create()
    recommendations = [RecommendationFactory() for _ in range(members)]
    for recommendation in recommendations:
        ClusterMember.objects.create(cluster=cluster, recommendation=recommendation)
    url = reverse("staff:recommendation_detail", args=[recommendations[0].pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_near_duplicates_card_costs_the_same_for_any_number_of_members(viewer_client):
    few, page = _count_detail_queries(viewer_client, 2)
    assert 'id="near-duplicates"' in page
    many, page = _count_detail_queries(viewer_client, 6)
    assert page.count("staff/recommendations/") >= 5
    assert many == few
