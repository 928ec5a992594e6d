"""API endpoints: certificates and cascades.

- ``certificates/``: a session's certificates, for its roster readers
  (``training.view_roster``); issuing one or all, revoking with a reason and reissuing,
  for its managers (``training.issue_certificate``);
- ``certificates/verify/<code>/``: the public check, with no login, answering only what
  the certificate itself shows;
- ``cascades/``: the cascade sessions descending from a session (every member; the
  names of who gave them only for roster readers), recording one on a participant's
  behalf and removing one recorded by mistake (``training.record_cascade``), and
  ``cascades/reach/``, the session's reach in counts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action as endpoint
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from mizan.api.actions import HasRulesObjectPermission
from mizan.api.views import MizanViewSet
from mizan.institutions.models import Institution
from mizan.training.cascades import Headcount, Reach, cascade_givers, reach_of
from mizan.training.models import (
    CascadeAudience,
    CascadeSession,
    Certificate,
    Enrolment,
    Module,
    TrainingSession,
)
from mizan.training.queries import sessions_visible_to, sessions_with_roster_for
from mizan.training.services import cascades as cascade_services
from mizan.training.services import certificates as services

#: The largest database id: a larger number names no record (and SQLite fails on it).
MAX_ID = 2**63 - 1

SESSION_PARAMETER = OpenApiParameter(
    "session", OpenApiTypes.INT, required=True, description="Id of the training session."
)


def session_from(request: Request, value: Any, *, field: str = "session") -> TrainingSession:
    """The session a request names (query parameter or body), among those the user sees:
    400 when missing or not an id, 404 when not visible."""
    text = str(value or "")
    if not text:
        raise ValidationError({field: [_("Give the id of a session.")]})
    if not text.isdigit() or len(text) > 18:
        raise ValidationError({field: [_("Give an id.")]})
    session = sessions_visible_to(request.user).filter(pk=int(text)).first()
    if session is None:
        raise NotFound(_("There is no such session, or you may not see it."))
    return session


def require(request: Request, permission: str, session: TrainingSession) -> None:
    if not request.user.has_perm(permission, session):
        raise PermissionDenied()


# --- Certificates -----------------------------------------------------------------------


class CertificateSerializer(serializers.ModelSerializer[Certificate]):
    session = serializers.IntegerField(source="enrolment.session_id", read_only=True)
    participant = serializers.IntegerField(source="enrolment.participant_id", read_only=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "code",
            "state",
            "enrolment",
            "session",
            "participant",
            "holder_name_latin",
            "holder_name_arabic",
            "issued_at",
            "revoked_at",
            "revocation_reason",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(help_text=_("“valid” or “revoked”.")))
    def get_state(self, certificate: Certificate) -> str:
        return services.REVOKED if certificate.is_revoked else services.VALID


class RosterEnrolmentsField(serializers.PrimaryKeyRelatedField[Enrolment]):
    def get_queryset(self) -> QuerySet[Enrolment]:
        request = self.context.get("request")
        return Enrolment.objects.filter(
            session__in=sessions_with_roster_for(getattr(request, "user", None)).values("pk")
        ).select_related("session")


class IssueOneSerializer(serializers.Serializer[Any]):
    enrolment = RosterEnrolmentsField(
        queryset=Enrolment.objects.none(), help_text=_("Id of the participant's enrolment.")
    )


class IssueAllSerializer(serializers.Serializer[Any]):
    session = serializers.IntegerField(help_text=_("Id of a completed session."))


class NotEligibleSerializer(serializers.Serializer[Any]):
    enrolment = serializers.IntegerField()
    participant = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class IssueAllResultSerializer(serializers.Serializer[Any]):
    issued = CertificateSerializer(many=True)
    not_eligible = NotEligibleSerializer(many=True)


class RevocationSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(help_text=_("Why; kept in the back office, never public."))


class RemovalSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(help_text=_("Why the cascade session is removed."))


@extend_schema(tags=["certificates"])
@extend_schema_view(list=extend_schema(parameters=[SESSION_PARAMETER]))
class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MizanViewSet):
    """Certificates of completion. A session's roster readers list and read them; its
    managers issue them (one, or all who completed a completed session), revoke them with
    a reason and reissue a revoked one under a new code."""

    serializer_class = CertificateSerializer
    permission_classes = [HasRulesObjectPermission]
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"\d+"
    permission_required = {
        "list": "training.view_session",
        "retrieve": "training.view_roster",
        "create": "training.view_session",
        "issue": "training.view_session",
        "revoke": "training.issue_certificate",
        "reissue": "training.issue_certificate",
    }

    def permission_object(self, certificate: Certificate) -> TrainingSession:
        return certificate.enrolment.session

    def get_queryset(self) -> QuerySet[Certificate]:
        queryset = (
            Certificate.objects.filter(
                enrolment__session__in=sessions_with_roster_for(self.request.user).values("pk")
            )
            .select_related("enrolment__session")
            .order_by("holder_name_latin", "holder_name_arabic", "id")
        )
        if self.action == "list" and not self.is_schema_generation():
            session = session_from(self.request, self.request.query_params.get("session"))
            require(self.request, "training.view_roster", session)
            queryset = queryset.filter(enrolment__session=session)
        return queryset

    def _representation(self, certificate: Certificate) -> Any:
        return CertificateSerializer(
            self.get_queryset().get(pk=certificate.pk), context=self.get_serializer_context()
        ).data

    @extend_schema(request=IssueOneSerializer, responses={201: CertificateSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Issue one participant's certificate (or return the valid one they hold)."""
        serializer = IssueOneSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        enrolment = serializer.validated_data["enrolment"]
        require(request, "training.issue_certificate", enrolment.session)
        certificate = services.issue_certificate(enrolment=enrolment, by=request.user)
        return Response(self._representation(certificate), status=status.HTTP_201_CREATED)

    @extend_schema(request=IssueAllSerializer, responses=IssueAllResultSerializer)
    @endpoint(detail=False, methods=["post"])
    def issue(self, request: Request) -> Response:
        """Issue a certificate to everyone who completed a completed session and has none;
        say who did not complete, and why."""
        serializer = IssueAllSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = session_from(request, serializer.validated_data["session"])
        require(request, "training.issue_certificate", session)
        issued, not_eligible = services.issue_certificates(session=session, by=request.user)
        context = self.get_serializer_context()
        return Response(
            {
                "issued": CertificateSerializer(issued, many=True, context=context).data,
                "not_eligible": [
                    {
                        "enrolment": completion.enrolment.pk,
                        "participant": completion.enrolment.participant_id,
                        "reasons": list(completion.reasons),
                    }
                    for completion in not_eligible
                ],
            }
        )

    @extend_schema(request=RevocationSerializer, responses=CertificateSerializer)
    @endpoint(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        """Revoke a certificate; the public check then says it is revoked, and since when."""
        certificate = self.get_object()
        serializer = RevocationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.revoke_certificate(
            certificate=certificate, reason=serializer.validated_data["reason"], by=request.user
        )
        return Response(self._representation(certificate))

    @extend_schema(request=None, responses=CertificateSerializer)
    @endpoint(detail=True, methods=["post"])
    def reissue(self, request: Request, pk: str | None = None) -> Response:
        """Reissue a revoked certificate under a new code."""
        certificate = services.reissue_certificate(certificate=self.get_object(), by=request.user)
        return Response(self._representation(certificate))


class VerificationSerializer(serializers.Serializer[Any]):
    """What anyone may learn from a code: for a valid certificate, what it shows; for a
    revoked one, only that, and when."""

    status = serializers.CharField(help_text=_("“valid” or “revoked”."))
    code = serializers.CharField()
    holder_name_latin = serializers.CharField(allow_null=True)
    holder_name_arabic = serializers.CharField(allow_null=True)
    course = serializers.CharField(allow_null=True, help_text=_("In the active language."))
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    city = serializers.CharField(allow_null=True)
    institutions = serializers.ListField(
        child=serializers.CharField(), help_text=_("The issuing institutions, by name.")
    )
    issued_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


def verification_data(verification: services.Verification) -> dict[str, Any]:
    valid = verification.is_valid
    return {
        "status": verification.status,
        "code": verification.code,
        "holder_name_latin": verification.holder_name_latin if valid else None,
        "holder_name_arabic": verification.holder_name_arabic if valid else None,
        "course": verification.course_title if valid else None,
        "starts_on": verification.starts_on if valid else None,
        "ends_on": verification.ends_on if valid else None,
        "city": verification.city if valid else None,
        "institutions": [i.name for i in verification.institutions] if valid else [],
        "issued_at": verification.issued_at if valid else None,
        "revoked_at": verification.revoked_at if verification.is_revoked else None,
    }


@extend_schema(tags=["certificates"], auth=[])
class VerifyCertificateView(APIView):
    """The public check of a verification code, with no login: valid (with what the
    certificate shows), revoked (with the date, not the reason), or 404."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(responses={200: VerificationSerializer})
    def get(self, request: Request, code: str) -> Response:
        verification = services.verify_certificate(code[:40])
        if verification.status == services.UNKNOWN:
            raise NotFound(_("No certificate has this code."))
        response = Response(VerificationSerializer(verification_data(verification)).data)
        response["Cache-Control"] = "no-store"
        return response


# --- Cascades -------------------------------------------------------------------------


class AudienceSerializer(serializers.Serializer[Any]):
    institution = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Institution.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("Code of the institution; null for people from elsewhere."),
    )
    women = serializers.IntegerField(min_value=0, default=0)
    men = serializers.IntegerField(min_value=0, default=0)


class CascadeSerializer(serializers.ModelSerializer[CascadeSession]):
    audience = serializers.SerializerMethodField()
    reported_by = serializers.SerializerMethodField(
        help_text=_("Who gave it: for the session's roster readers only, else null.")
    )
    notes = serializers.SerializerMethodField(
        help_text=_("For the session's roster readers only, else null.")
    )
    modules: serializers.PrimaryKeyRelatedField[Module] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = CascadeSession
        fields = [
            "id",
            "source_session",
            "parent",
            "generation",
            "held_on",
            "place",
            "modules",
            "audience",
            "reported_by",
            "notes",
            "reported_at",
        ]
        read_only_fields = fields

    def _sees_names(self) -> bool:
        return bool(self.context.get("sees_names"))

    @extend_schema_field(AudienceSerializer(many=True))
    def get_audience(self, cascade: CascadeSession) -> list[dict[str, Any]]:
        return [
            {
                "institution": row.institution.code if row.institution else None,
                "women": row.women,
                "men": row.men,
            }
            for row in cascade.audience.all()
        ]

    @extend_schema_field(
        serializers.DictField(allow_null=True, help_text=_("id and name of the participant"))
    )
    def get_reported_by(self, cascade: CascadeSession) -> dict[str, Any] | None:
        if not self._sees_names():
            return None
        return {"id": cascade.reported_by_id, "name": cascade.reported_by.name}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_notes(self, cascade: CascadeSession) -> str | None:
        return cascade.notes if self._sees_names() else None


class CascadeCreateSerializer(serializers.Serializer[Any]):
    source_session = serializers.IntegerField(help_text=_("Id of the training session."))
    reporter = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Id of the participant (or relay trainer) who gave it."),
    )
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200)
    audience = AudienceSerializer(many=True)
    modules = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )
    notes = serializers.CharField(required=False, allow_blank=True)


class HeadcountSerializer(serializers.Serializer[Any]):
    women = serializers.IntegerField()
    men = serializers.IntegerField()
    total = serializers.IntegerField()


class InstitutionReachSerializer(serializers.Serializer[Any]):
    institution = serializers.CharField(allow_null=True, help_text=_("Code; null: elsewhere."))
    direct = HeadcountSerializer()
    cascaded = HeadcountSerializer()


class GenerationReachSerializer(serializers.Serializer[Any]):
    generation = serializers.IntegerField()
    sessions = serializers.IntegerField()
    audience = HeadcountSerializer()


class ReachSerializer(serializers.Serializer[Any]):
    session = serializers.IntegerField()
    direct = HeadcountSerializer()
    cascaded = HeadcountSerializer()
    total = HeadcountSerializer()
    cascade_sessions = serializers.IntegerField()
    by_generation = GenerationReachSerializer(many=True)
    by_institution = InstitutionReachSerializer(many=True)


def _headcount(count: Headcount) -> dict[str, int]:
    return {"women": count.women, "men": count.men, "total": count.total}


def reach_data(session: TrainingSession, reach: Reach) -> dict[str, Any]:
    return {
        "session": session.pk,
        "direct": _headcount(reach.direct),
        "cascaded": _headcount(reach.cascaded),
        "total": _headcount(reach.total),
        "cascade_sessions": reach.cascade_sessions,
        "by_generation": [
            {
                "generation": row.generation,
                "sessions": row.sessions,
                "audience": _headcount(row.audience),
            }
            for row in reach.by_generation
        ],
        "by_institution": [
            {
                "institution": row.institution.code if row.institution else None,
                "direct": _headcount(row.direct),
                "cascaded": _headcount(row.cascaded),
            }
            for row in reach.by_institution
        ],
    }


@extend_schema(tags=["cascades"])
@extend_schema_view(
    list=extend_schema(parameters=[SESSION_PARAMETER]),
    reach=extend_schema(parameters=[SESSION_PARAMETER], responses=ReachSerializer),
)
class CascadeViewSet(mixins.ListModelMixin, MizanViewSet):
    """Cascade sessions descending from a training session, every generation. Every
    member lists them and reads the session's reach, in counts; who gave them, and their
    notes, only the session's roster readers. Its managers record one on a participant's
    behalf and remove one recorded by mistake, with a reason."""

    serializer_class = CascadeSerializer
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"\d+"
    permission_required = {
        "list": "training.view_session",
        "reach": "training.view_session",
        "create": "training.view_session",
        "remove": "training.view_session",
    }

    def get_queryset(self) -> QuerySet[CascadeSession]:
        queryset = (
            CascadeSession.objects.filter(
                source_session__in=sessions_visible_to(self.request.user).values("pk")
            )
            .select_related("reported_by", "source_session")
            .prefetch_related(
                Prefetch(
                    "audience",
                    queryset=CascadeAudience.objects.select_related("institution").order_by("id"),
                ),
                "modules",
            )
            .order_by("generation", "held_on", "id")
        )
        if self.action == "list" and not self.is_schema_generation():
            session = session_from(self.request, self.request.query_params.get("session"))
            self._session = session
            queryset = queryset.filter(source_session=session)
        return queryset

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        session = getattr(self, "_session", None)
        context["sees_names"] = bool(
            session is not None and self.request.user.has_perm("training.view_roster", session)
        )
        return context

    @extend_schema(request=CascadeCreateSerializer, responses={201: CascadeSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a cascade session on behalf of one of the session's participants or
        relay trainers."""
        serializer = CascadeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        session = session_from(request, data["source_session"], field="source_session")
        require(request, "training.record_cascade", session)
        reporter = cascade_givers(session).filter(pk=data["reporter"]).first()
        if reporter is None:
            raise ValidationError(
                {"reporter": [_("Choose a participant or relay trainer of this session.")]}
            )
        module_ids = data.get("modules") or []
        modules = list(Module.objects.filter(pk__in=module_ids))
        if len(modules) != len(set(module_ids)):
            raise ValidationError({"modules": [_("Give ids of existing modules.")]})
        cascade = cascade_services.report_cascade(
            reporter=reporter,
            held_on=data["held_on"],
            place=data["place"],
            audience=[
                cascade_services.AudienceCount(row.get("institution"), row["women"], row["men"])
                for row in data["audience"]
            ],
            modules=modules,
            notes=data.get("notes", ""),
            source_session=session,
            by=request.user,
        )
        self._session = session
        created = self.get_queryset().get(pk=cascade.pk)
        return Response(
            CascadeSerializer(created, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=RemovalSerializer, responses={204: None})
    @endpoint(detail=True, methods=["post"])
    def remove(self, request: Request, pk: str | None = None) -> Response:
        """Remove a cascade session recorded by mistake (refused while later cascade
        sessions or relay trainers descend from it)."""
        cascade = self.get_object()
        require(request, "training.record_cascade", cascade.source_session)
        serializer = RemovalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cascade_services.remove_cascade(
            cascade=cascade, reason=serializer.validated_data["reason"], by=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @endpoint(detail=False, methods=["get"])
    def reach(self, request: Request) -> Response:
        """How many people the session reached: directly (approved participants who
        attended at least one half-day) and in cascade (all generations), women and men,
        by generation and by institution. Counts only."""
        session = session_from(request, request.query_params.get("session"))
        return Response(ReachSerializer(reach_data(session, reach_of(session))).data)


def register(router: SimpleRouter) -> None:
    """Register this area's viewsets."""
    router.register("certificates", CertificateViewSet, basename="certificate")
    router.register("cascades", CascadeViewSet, basename="cascade")


urlpatterns: list[URLPattern] = [
    path(
        "certificates/verify/<str:code>/",
        VerifyCertificateView.as_view(),
        name="certificate-verify",
    ),
]
