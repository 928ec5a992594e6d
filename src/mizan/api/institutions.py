"""API endpoints: the institution directory. Every member reads it, with each
institution's members and roles; coordinators add and change institutions. Memberships are
read-only here (the staff pages manage them)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import URLPattern
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from mizan.accounts.models import Membership
from mizan.api.views import MizanViewSet
from mizan.institutions import services
from mizan.institutions.enums import InstitutionKind
from mizan.institutions.models import Institution


class InstitutionMemberSerializer(serializers.ModelSerializer[Membership]):
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.CharField(source="user.__str__", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "name", "email", "role"]
        read_only_fields = fields


class InstitutionSerializer(serializers.ModelSerializer[Institution]):
    name = serializers.CharField(read_only=True, help_text=_("In the active language."))
    names = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text=_("Language code (ar, fr, en) → name; at least one."),
    )
    kind = serializers.ChoiceField(choices=InstitutionKind.choices)
    parent = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code",
        queryset=Institution.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Code of the institution this is a unit of."),
    )
    members = InstitutionMemberSerializer(
        source="memberships",
        many=True,
        read_only=True,
        help_text=_("Who belongs to the institution, in which role; read-only."),
    )

    class Meta:
        model = Institution
        fields = ["id", "code", "name", "names", "acronym", "kind", "parent", "members"]
        # The service checks the code's uniqueness and reports it as a MizanError.
        extra_kwargs: dict[str, dict[str, Any]] = {"code": {"validators": []}}


@extend_schema(tags=["institutions"])
class InstitutionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    MizanViewSet,
):
    """Institutions: the NHRI, police and gendarmerie directorates and their units,
    ministries, UN agencies, NGOs, academies. One institution's page lists its members."""

    serializer_class = InstitutionSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_required = {
        "list": "institutions.view_institution",
        "retrieve": "institutions.view_institution",
        "create": "institutions.add_institution",
        "partial_update": "institutions.change_institution",
    }

    def get_queryset(self) -> QuerySet[Institution]:
        return (
            Institution.objects.select_related("parent")
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=Membership.objects.select_related("user").order_by(
                        "role", "user__username"
                    ),
                )
            )
            .order_by("code")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        institution = services.create_institution(
            code=data["code"],
            names=data["names"],
            kind=data["kind"],
            acronym=data.get("acronym", ""),
            parent=data.get("parent"),
            by=request.user,
        )
        return Response(self._representation(institution), status=201)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        institution = self.get_object()
        serializer = self.get_serializer(institution, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        services.update_institution(institution=institution, by=request.user, **changes)
        return Response(self._representation(institution))

    def _representation(self, institution: Institution) -> Any:
        return self.get_serializer(self.get_queryset().get(pk=institution.pk)).data


def register(router: SimpleRouter) -> None:
    """Add this area's viewsets to the API's router."""
    router.register("institutions", InstitutionViewSet, basename="institution")


urlpatterns: list[URLPattern] = []
