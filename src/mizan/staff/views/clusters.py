"""Clusters of near-duplicate recommendations: the list with its filters, a cluster's
members side by side, and a coordinator's decisions (confirm, link, dismiss, split a
member out, choose the member that carries the actions).

Every member reads clusters (``assist.view_clusters``); deciding needs
``assist.decide_clusters`` (coordinators). The decision buttons are plain forms; with
HTMX the cluster's part of the page is swapped in place.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from mizan.assist import clusters as services
from mizan.assist.enums import ClusterStatus
from mizan.assist.models import DuplicateCluster
from mizan.assist.queries import (
    ClusterFilters,
    cluster_members,
    clusters_for_list,
    clusters_visible_to,
)
from mizan.core.errors import MizanError
from mizan.recommendations.models import Recommendation
from mizan.recommendations.queries import documents_visible_to, mechanisms_visible_to
from mizan.staff.views.mixins import ReadFirstMixin

NAV = "recommendations"
PAGE_SIZE = 25
DETAIL_TEMPLATE = "staff/clusters/cluster_detail.html"


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


class ClusterAreaMixin(ReadFirstMixin):
    """Anyone who may not read clusters is refused before any record is looked up."""

    read_permission = "assist.view_clusters"
    kwargs: dict[str, Any]


class ClusterMixin(ClusterAreaMixin):
    """The cluster named by ``pk`` (404 when there is none)."""

    @cached_property
    def cluster(self) -> DuplicateCluster:
        return get_object_or_404(
            clusters_visible_to(self.request.user).select_related(
                "carrier__document", "decided_by"
            ),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self) -> Any:
        return self.cluster


def detail_context(request: HttpRequest, cluster: DuplicateCluster) -> dict[str, Any]:
    members = cluster_members(cluster)
    return {
        "nav": NAV,
        "cluster": cluster,
        "members": members,
        "can_decide": request.user.has_perm("assist.decide_clusters"),
        "is_open": cluster.status != ClusterStatus.DISMISSED,
        "statuses": ClusterStatus,
    }


class ClusterListView(ClusterAreaMixin, TemplateView):
    """Rule: any member (``assist.view_clusters``). Filters: ``status``, ``document``
    (symbol), ``mechanism`` (code); 25 clusters a page, newest first."""

    permission_required = "assist.view_clusters"
    template_name = "staff/clusters/cluster_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        filters = ClusterFilters.from_query(self.request.GET)
        clusters = clusters_for_list(filters.apply(clusters_visible_to(user)))
        page = Paginator(clusters, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "filters": filters,
            "page": page,
            "clusters": list(page.object_list),
            "status_choices": ClusterStatus.choices,
            "documents": documents_visible_to(user).order_by("symbol"),
            "mechanisms": mechanisms_visible_to(user),
        }


class ClusterDetailView(ClusterMixin, TemplateView):
    """Rule: any member (``assist.view_clusters``); the decision buttons show only under
    ``assist.decide_clusters``."""

    permission_required = "assist.view_clusters"
    template_name = DETAIL_TEMPLATE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            **detail_context(self.request, self.cluster),
        }


class ClusterDecisionView(ClusterMixin, View):
    """A coordinator's decision on the cluster (POST only). Rule:
    ``assist.decide_clusters``. Plain requests are sent back to the cluster's page (or the
    list, when the cluster is gone) with a message; HTMX requests get the cluster's part
    of the page."""

    permission_required = "assist.decide_clusters"
    http_method_names = ["post"]
    operation: str = ""

    def member(self) -> Recommendation:
        return get_object_or_404(
            Recommendation.objects.filter(cluster_membership__cluster=self.cluster),
            pk=self.kwargs["member_pk"],
        )

    def decide(self) -> tuple[DuplicateCluster | None, str]:
        by = self.request.user
        cluster = self.cluster
        if self.operation == "confirm":
            decided = services.confirm_cluster(cluster=cluster, by=by)
            return decided, _("Confirmed: these recommendations are the same request.")
        if self.operation == "link":
            decided = services.link_cluster(cluster=cluster, by=by)
            return decided, _("Linked: these recommendations are related and followed separately.")
        if self.operation == "dismiss":
            decided = services.dismiss_cluster(cluster=cluster, by=by)
            return decided, _(
                "Dismissed: these recommendations will not be proposed together again."
            )
        if self.operation == "split":
            member = self.member()
            remaining = services.split_member(cluster=cluster, recommendation=member, by=by)
            message = _("%(recommendation)s was split out of the cluster.") % {
                "recommendation": member
            }
            return remaining, message
        member = self.member()
        decided = services.choose_carrier(cluster=cluster, recommendation=member, by=by)
        return decided, _("%(recommendation)s now carries the actions of the cluster.") % {
            "recommendation": member
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        error = ""
        remaining: DuplicateCluster | None = self.cluster
        message = ""
        try:
            remaining, message = self.decide()
        except MizanError as refusal:
            error = str(refusal.message)
            # Refused because another coordinator's decision removed the cluster meanwhile?
            remaining = DuplicateCluster.objects.filter(pk=self.cluster.pk).first()
        list_url = reverse("staff:cluster_list")
        if remaining is None:
            if error:
                messages.error(request, error)
            else:
                messages.success(request, message)
            if _is_htmx(request):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = list_url
                return response
            return HttpResponseRedirect(list_url)
        if _is_htmx(request):
            cluster = DuplicateCluster.objects.select_related(
                "carrier__document", "decided_by"
            ).get(pk=remaining.pk)
            context = {**detail_context(request, cluster), "error": error, "notice": message}
            return TemplateResponse(request, f"{DETAIL_TEMPLATE}#cluster", context)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, message)
        return HttpResponseRedirect(reverse("staff:cluster_detail", args=[remaining.pk]))
