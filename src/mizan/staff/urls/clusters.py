"""Back-office URLs of the assistant: clusters of near-duplicate recommendations."""

from django.urls import path

from mizan.staff.views.clusters import ClusterDecisionView, ClusterDetailView, ClusterListView

urlpatterns = [
    path("clusters/", ClusterListView.as_view(), name="cluster_list"),
    path("clusters/<int:pk>/", ClusterDetailView.as_view(), name="cluster_detail"),
    path(
        "clusters/<int:pk>/confirm/",
        ClusterDecisionView.as_view(operation="confirm"),
        name="cluster_confirm",
    ),
    path(
        "clusters/<int:pk>/link/",
        ClusterDecisionView.as_view(operation="link"),
        name="cluster_link",
    ),
    path(
        "clusters/<int:pk>/dismiss/",
        ClusterDecisionView.as_view(operation="dismiss"),
        name="cluster_dismiss",
    ),
    path(
        "clusters/<int:pk>/members/<int:member_pk>/split/",
        ClusterDecisionView.as_view(operation="split"),
        name="cluster_split",
    ),
    path(
        "clusters/<int:pk>/members/<int:member_pk>/carrier/",
        ClusterDecisionView.as_view(operation="carrier"),
        name="cluster_carrier",
    ),
]
