"""API endpoints: training sessions (with their half-day slots nested), their enrolments
and nominations, and participants.

Every member reads sessions' logistics and counts, never names. A session's roster is
read by those who may see it (``training.view_roster``); enrolments and participants
start from ``enrolments_visible_to`` and ``participants_visible_to``, so a nominating
institution sees the officers it nominated and no one else. Writes go through
``mizan.training.services.sessions``, whose refusals come back in the API's error shape.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import URLPattern
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
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from mizan.accounts.enums import Role
from mizan.accounts.models import User
from mizan.actions.enums import ActionKind
from mizan.actions.models import Action
from mizan.actions.queries import actions_visible_to
from mizan.api.actions import HasRulesObjectPermission
from mizan.api.serializers import request_user
from mizan.api.training import filter_by_ids
from mizan.api.views import MizanViewSet
from mizan.institutions.models import Institution
from mizan.institutions.queries import institutions_acted_for
from mizan.training.enums import EnrolmentStatus, FormCode, SessionStatus, Sex, VersionStatus
from mizan.training.models import (
    CurriculumVersion,
    Enrolment,
    Participant,
    SessionSlot,
    TrainingSession,
)
from mizan.training.queries import (
    enrolments_visible_to,
    participants_visible_to,
    sessions_visible_to,
    versions_visible_to,
)
from mizan.training.rules import MANAGING_ROLES
from mizan.training.services import sessions as services

# --- Fields limited to what the user may choose ---------------------------------------------


class TrainingActionField(serializers.PrimaryKeyRelatedField[Action]):
    def get_queryset(self) -> QuerySet[Action]:
        return actions_visible_to(request_user(self)).filter(kind=ActionKind.TRAINING)


class PublishedVersionField(serializers.PrimaryKeyRelatedField[CurriculumVersion]):
    def get_queryset(self) -> QuerySet[CurriculumVersion]:
        return versions_visible_to(request_user(self)).filter(status=VersionStatus.PUBLISHED)


class TrainerField(serializers.SlugRelatedField[User]):
    def get_queryset(self) -> QuerySet[User]:
        return User.objects.filter(is_active=True, memberships__role=Role.TRAINER).distinct()


class NominatingInstitutionField(serializers.SlugRelatedField[Institution]):
    """An institution the user nominates officers for."""

    def get_queryset(self) -> QuerySet[Institution]:
        user = request_user(self)
        if getattr(user, "is_superuser", False):
            return Institution.objects.all()
        return Institution.objects.filter(pk__in=institutions_acted_for(user, *MANAGING_ROLES))


class VisibleParticipantField(serializers.PrimaryKeyRelatedField[Participant]):
    def get_queryset(self) -> QuerySet[Participant]:
        return participants_visible_to(request_user(self))


# --- Choice fields named in the schema ------------------------------------------------------
#
# Several serializers have a ``status`` with other choices; each set here is its own named
# component, so the schema names them without guessing.


@extend_schema_field(
    {"type": "string", "enum": list(SessionStatus.values)}, component_name="SessionStatusEnum"
)
class SessionStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=SessionStatus.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(EnrolmentStatus.values)},
    component_name="EnrolmentStatusEnum",
)
class EnrolmentStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=EnrolmentStatus.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(FormCode.values)}, component_name="TestFormCodeEnum"
)
class FormCodeField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=FormCode.choices, **kwargs)


# --- Serializers -----------------------------------------------------------------------------


class SlotSerializer(serializers.ModelSerializer[SessionSlot]):
    """A half-day. Its check-in code is not given: it is shown in the room only."""

    duration_minutes = serializers.IntegerField(read_only=True)

    class Meta:
        model = SessionSlot
        fields = ["id", "date", "part", "starts_at", "ends_at", "duration_minutes"]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer[TrainingSession]):
    action = TrainingActionField(
        queryset=Action.objects.all(), help_text=_("Id of an action of kind training.")
    )
    version = PublishedVersionField(
        queryset=CurriculumVersion.objects.all(),
        help_text=_(
            "Id of a published curriculum version, frozen from then on. It changes only "
            "while the session is planned."
        ),
    )
    curriculum = serializers.CharField(source="version.curriculum.code", read_only=True)
    organisers = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        queryset=Institution.objects.all(),
        help_text=_(
            "Codes of the organising institutions: their staff see the participants. One "
            "must be an institution you coordinate."
        ),
    )
    trainers = TrainerField(
        slug_field="username",
        many=True,
        required=False,
        queryset=User.objects.all(),
        help_text=_("User names of the trainers: users holding the trainer role."),
    )
    status = SessionStatusField(read_only=True)
    pre_test_form = FormCodeField(required=False, help_text=_("Paper of the pre-test."))
    post_test_form = FormCodeField(required=False, help_text=_("Paper of the post-test."))
    approved_count = serializers.IntegerField(read_only=True, help_text=_("Approved participants."))
    nominated_count = serializers.IntegerField(
        read_only=True, help_text=_("Nominations waiting for a decision.")
    )
    slots = SlotSerializer(many=True, read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "action",
            "version",
            "curriculum",
            "title",
            "starts_on",
            "ends_on",
            "venue",
            "city",
            "region",
            "organisers",
            "trainers",
            "audience",
            "capacity",
            "language",
            "min_attendance_percent",
            "min_post_test_percent",
            "pre_test_form",
            "post_test_form",
            "status",
            "cancellation_reason",
            "approved_count",
            "nominated_count",
            "slots",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["cancellation_reason", "created_at", "updated_at"]


class SessionStatusSerializer(serializers.Serializer[Any]):
    status = SessionStatusField()
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when cancelling; kept in the history."),
    )


class ParticipantSerializer(serializers.ModelSerializer[Participant]):
    institution: serializers.SlugRelatedField[Institution] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    sex = serializers.ChoiceField(choices=Sex.choices, read_only=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "name_latin",
            "name_arabic",
            "sex",
            "rank",
            "institution",
            "unit",
            "region",
            "service_number",
            "email",
            "phone",
            "consent_given_at",
            "pseudonym",
        ]
        read_only_fields = fields


class EnrolmentSerializer(serializers.ModelSerializer[Enrolment]):
    participant = ParticipantSerializer(read_only=True)
    status = EnrolmentStatusField(read_only=True)
    nominated_by: serializers.SlugRelatedField[Institution] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "session",
            "participant",
            "status",
            "nominated_by",
            "decided_at",
            "decision_note",
            "created_at",
        ]
        read_only_fields = fields


class NewParticipantSerializer(serializers.Serializer[Any]):
    name_latin = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_arabic = serializers.CharField(max_length=200, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    rank = serializers.CharField(max_length=100, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=200, required=False, allow_blank=True)
    region = serializers.CharField(max_length=120, required=False, allow_blank=True)
    service_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    consent_given_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text=_("When the officer agreed that their data be kept for the training."),
    )


class NominationSerializer(serializers.Serializer[Any]):
    institution = NominatingInstitutionField(
        slug_field="code",
        queryset=Institution.objects.all(),
        help_text=_(
            "Code of the nominating institution, one you act for; a new participant belongs to it."
        ),
    )
    participant_id = VisibleParticipantField(
        queryset=Participant.objects.all(),
        required=False,
        help_text=_("Id of a person already recorded. Give this or `participant`."),
    )
    participant = NewParticipantSerializer(
        required=False, help_text=_("A new person. Give this or `participant_id`.")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("participant_id" in attrs) == ("participant" in attrs):
            raise serializers.ValidationError(
                {"participant": [_("Give either participant_id or participant.")]}
            )
        return attrs


class NominationDecisionSerializer(serializers.Serializer[Any]):
    approve = serializers.BooleanField(help_text=_("true approves, false declines."))
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when declining: why."),
    )


class WithdrawalSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        allow_blank=True, help_text=_("Required: why the participant withdraws.")
    )


# --- Sessions ----------------------------------------------------------------------------------

SESSION_FILTER_PARAMETERS = [
    OpenApiParameter(
        "status", OpenApiTypes.STR, enum=SessionStatus.values, description="Only this status."
    ),
    OpenApiParameter("curriculum", OpenApiTypes.INT, description="Only this curriculum's."),
    OpenApiParameter("action", OpenApiTypes.INT, description="Only this action's."),
    OpenApiParameter("year", OpenApiTypes.INT, description="Only those starting this year."),
]


def _filter_sessions(queryset: QuerySet[TrainingSession], params: Any) -> QuerySet[TrainingSession]:
    """The list page's filters; a value that names nothing is refused rather than ignored."""
    value = params.get("status", "")
    if value:
        if value not in SessionStatus.values:
            raise serializers.ValidationError({"status": [_("Not a session status.")]})
        queryset = queryset.filter(status=value)
    year = params.get("year", "")
    if year:
        if not year.isdigit() or len(year) != 4:
            raise serializers.ValidationError({"year": [_("Give a year, e.g. 2026.")]})
        queryset = queryset.filter(starts_on__year=int(year))
    return filter_by_ids(
        queryset, params, (("curriculum", "version__curriculum_id"), ("action", "action_id"))
    )


@extend_schema(tags=["sessions"])
@extend_schema_view(list=extend_schema(parameters=SESSION_FILTER_PARAMETERS))
class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MizanViewSet):
    """Training sessions with their half-day slots and counts (no names). Every member
    reads them; coordinators and focal points plan them for an institution they
    coordinate; the managers of a session change it and move its status. ``enrolments/``
    is the roster, for those who may see it; a POST there nominates an officer."""

    serializer_class = SessionSerializer
    permission_classes = [HasRulesObjectPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_required = {
        "list": "training.view_session",
        "retrieve": "training.view_session",
        "create": "training.add_session",
        "partial_update": "training.change_session",
        "change_status": "training.change_session",
        "enrolments": "training.view_roster",
        "nominate": "training.nominate",
    }

    def get_queryset(self) -> QuerySet[TrainingSession]:
        queryset = sessions_visible_to(self.request.user)
        if self.action == "list" and not self.is_schema_generation():
            queryset = _filter_sessions(queryset, self.request.query_params)
        return (
            queryset.select_related("version__curriculum")
            .prefetch_related(
                "organisers",
                "trainers",
                Prefetch("slots", queryset=SessionSlot.objects.order_by("date", "part")),
            )
            .annotate(
                approved_count=Count(
                    "enrolments", filter=Q(enrolments__status=EnrolmentStatus.APPROVED)
                ),
                nominated_count=Count(
                    "enrolments", filter=Q(enrolments__status=EnrolmentStatus.NOMINATED)
                ),
            )
            .order_by("-starts_on", "id")
        )

    def _representation(self, session: TrainingSession) -> Any:
        return SessionSerializer(
            self.get_queryset().get(pk=session.pk), context=self.get_serializer_context()
        ).data

    @extend_schema(responses={201: SessionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.create_session(**serializer.validated_data, by=request.user)
        return Response(self._representation(session), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        session = self.get_object()
        serializer = self.get_serializer(session, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_session(session=session, by=request.user, **serializer.validated_data)
        return Response(self._representation(session))

    @extend_schema(request=SessionStatusSerializer, responses=SessionSerializer)
    @endpoint(detail=True, methods=["post"], url_path="status")
    def change_status(self, request: Request, pk: str | None = None) -> Response:
        """Move the session along planned → open for nominations → running → completed,
        or cancel it with a reason."""
        session = self.get_object()
        serializer = SessionStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.change_session_status(
            session=session, by=request.user, **serializer.validated_data
        )
        return Response(self._representation(session))

    @extend_schema(
        responses=EnrolmentSerializer(many=True),
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=EnrolmentStatus.values,
                description="Only enrolments in this status.",
            )
        ],
    )
    @endpoint(detail=True, methods=["get"], serializer_class=EnrolmentSerializer)
    def enrolments(self, request: Request, pk: str | None = None) -> Response:
        """The session's roster: every nomination and enrolment, with the person's data.
        Only for staff of the organising institutions and the session's trainers."""
        session = self.get_object()
        queryset = session.enrolments.select_related(
            "participant__institution", "nominated_by"
        ).order_by("participant__name_latin", "participant__name_arabic", "id")
        wanted = request.query_params.get("status", "")
        if wanted:
            if wanted not in EnrolmentStatus.values:
                raise serializers.ValidationError({"status": [_("Not an enrolment status.")]})
            queryset = queryset.filter(status=wanted)
        page = self.paginate_queryset(queryset)
        data = EnrolmentSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(request=NominationSerializer, responses={201: EnrolmentSerializer})
    @enrolments.mapping.post
    def nominate(self, request: Request, pk: str | None = None) -> Response:
        """Nominate an officer of an institution you act for, while the session is open
        for nominations: a person already recorded (``participant_id``) or a new one
        (``participant``), who then belongs to the nominating institution."""
        session = self.get_object()
        serializer = NominationSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        institution = data["institution"]
        if "participant_id" in data:
            enrolment = services.nominate(
                session=session,
                participant=data["participant_id"],
                institution=institution,
                by=request.user,
            )
        else:
            enrolment = services.nominate_new_participant(
                session=session,
                institution=institution,
                by=request.user,
                **data["participant"],
            )
        enrolment = Enrolment.objects.select_related(
            "participant__institution", "nominated_by"
        ).get(pk=enrolment.pk)
        return Response(
            EnrolmentSerializer(enrolment, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


# --- Enrolments ----------------------------------------------------------------------------------


@extend_schema(tags=["sessions"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("session", OpenApiTypes.INT, description="Only this session's."),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=EnrolmentStatus.values,
                description="Only enrolments in this status.",
            ),
        ]
    )
)
class EnrolmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MizanViewSet):
    """Enrolments the user may see: those of sessions whose roster they see, and the
    nominations of the institutions they act for. The session's managers decide
    nominations (``decide/``) and withdraw participants (``withdraw/``)."""

    serializer_class = EnrolmentSerializer
    permission_classes = [HasRulesObjectPermission]
    http_method_names = ["get", "post", "head", "options"]
    permission_required = {
        "list": "training.view_session",
        "retrieve": "training.view_session",
        "decide": "training.decide_nomination",
        "withdraw": "training.decide_nomination",
    }

    def get_queryset(self) -> QuerySet[Enrolment]:
        queryset = (
            enrolments_visible_to(self.request.user)
            .select_related("participant__institution", "nominated_by", "session")
            .order_by("session_id", "participant__name_latin", "id")
        )
        if self.action == "list" and not self.is_schema_generation():
            params = self.request.query_params
            queryset = filter_by_ids(queryset, params, (("session", "session_id"),))
            wanted = params.get("status", "")
            if wanted:
                if wanted not in EnrolmentStatus.values:
                    raise serializers.ValidationError({"status": [_("Not an enrolment status.")]})
                queryset = queryset.filter(status=wanted)
        return queryset

    def permission_object(self, enrolment: Enrolment) -> TrainingSession:
        return enrolment.session

    def _representation(self, enrolment: Enrolment) -> Any:
        fresh = Enrolment.objects.select_related("participant__institution", "nominated_by").get(
            pk=enrolment.pk
        )
        return EnrolmentSerializer(fresh, context=self.get_serializer_context()).data

    @extend_schema(request=NominationDecisionSerializer, responses=EnrolmentSerializer)
    @endpoint(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        """Approve a nomination within the session's capacity, or decline it with a note."""
        enrolment = self.get_object()
        serializer = NominationDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.decide_nomination(
            enrolment=enrolment, by=request.user, **serializer.validated_data
        )
        return Response(self._representation(enrolment))

    @extend_schema(request=WithdrawalSerializer, responses=EnrolmentSerializer)
    @endpoint(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """A nominated or approved participant will not come: the place is freed and
        their personal links stop working."""
        enrolment = self.get_object()
        serializer = WithdrawalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.withdraw(enrolment=enrolment, by=request.user, **serializer.validated_data)
        return Response(self._representation(enrolment))


# --- Participants -------------------------------------------------------------------------------


@extend_schema(tags=["sessions"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "session", OpenApiTypes.INT, description="Only people enrolled in this session."
            )
        ]
    )
)
class ParticipantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MizanViewSet):
    """The people the user may see: enrolled in sessions whose roster they see, or
    nominated by an institution they act for."""

    serializer_class = ParticipantSerializer
    permission_required = {
        "list": "training.view_session",
        "retrieve": "training.view_session",
    }

    def get_queryset(self) -> QuerySet[Participant]:
        queryset = (
            participants_visible_to(self.request.user)
            .select_related("institution")
            .order_by("name_latin", "name_arabic", "id")
        )
        if self.action == "list" and not self.is_schema_generation():
            # Only through enrolments the user may see: being enrolled somewhere is
            # personal data too.
            enrolled = filter_by_ids(
                enrolments_visible_to(self.request.user),
                self.request.query_params,
                (("session", "session_id"),),
            )
            if self.request.query_params.get("session"):
                queryset = queryset.filter(pk__in=enrolled.values("participant_id"))
        return queryset


def register(router: SimpleRouter) -> None:
    """Add this area's viewsets to the API's router."""
    router.register("sessions", SessionViewSet, basename="session")
    router.register("enrolments", EnrolmentViewSet, basename="enrolment")
    router.register("participants", ParticipantViewSet, basename="participant")


urlpatterns: list[URLPattern] = []
