"""API endpoints: partnership agreements, their commitments, joint committees and their
members, meetings, decisions and follow-up tasks.

Each endpoint starts from the partnerships' ``*_visible_to`` selectors and writes through
``mizan.partnerships.services``. Many rules depend on the record (a committee's secretary
records that committee's meetings; a task's owner completes that task): for those actions
the view-level check asks only for API access, and the rule is checked against the record,
or, when creating, against the record the new one belongs to.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import URLPattern
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from mizan.accounts.models import User
from mizan.actions.models import Action
from mizan.api.permissions import API_ACCESS, HasRulesPermission, required_permission
from mizan.api.serializers import request_user
from mizan.api.views import MizanViewSet
from mizan.evidence.models import EvidenceFile
from mizan.institutions.models import Institution
from mizan.partnerships import services
from mizan.partnerships.enums import CommitteeRole, MeetingStatus
from mizan.partnerships.models import (
    Commitment,
    CommitteeMember,
    Decision,
    FollowUpTask,
    JointCommittee,
    Meeting,
    PartnershipAgreement,
)
from mizan.partnerships.queries import (
    agreements_visible_to,
    commitments_visible_to,
    committees_visible_to,
    decisions_visible_to,
    follow_up_tasks_visible_to,
    is_in_force,
    meetings_visible_to,
)

# --- Permissions -----------------------------------------------------------------------


class RecordRulesPermission(HasRulesPermission):
    """``HasRulesPermission``, except that the actions a view lists in ``record_scoped``
    pass the view-level check with API access alone: their rule is checked against the
    record (``has_object_permission``) or, when creating, by the view against the parent."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if getattr(view, "action", None) not in getattr(view, "record_scoped", ()):
            return super().has_permission(request, view)
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if not user.has_perm(API_ACCESS):
            self.message = gettext_lazy("Your account has no role in any institution.")
            return False
        return required_permission(view, request) is not None


class PartnershipViewSet(MizanViewSet):
    permission_classes = [RecordRulesPermission]
    record_scoped: frozenset[str] = frozenset()

    def check_rule(self, permission: str, record: Any) -> None:
        """Refuse (403) unless the user holds ``permission`` on ``record``."""
        if not self.request.user.has_perm(permission, record):
            raise PermissionDenied(_("You do not have permission to do this."))

    def id_parameter(self, name: str) -> int | None:
        value = self.request.query_params.get(name)
        if value in (None, ""):
            return None
        if not value.isdigit() or int(value) > 2**63 - 1:
            raise ValidationError({name: [_("Give the number of a record.")]})
        return int(value)

    def yes_parameter(self, name: str) -> bool:
        return self.request.query_params.get(name, "").lower() in {"1", "true", "yes"}


# --- Serializers -----------------------------------------------------------------------


class InstitutionCodeField(serializers.SlugRelatedField[Institution]):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", queryset=Institution.objects.all(), **kwargs)


class PersonField(serializers.SlugRelatedField[User]):
    """A person, by username; only active accounts can be given work or a seat."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs
        )


class VisibleAgreementField(serializers.PrimaryKeyRelatedField[PartnershipAgreement]):
    def get_queryset(self) -> QuerySet[PartnershipAgreement]:
        return agreements_visible_to(request_user(self))


class VisibleCommitteeField(serializers.PrimaryKeyRelatedField[JointCommittee]):
    def get_queryset(self) -> QuerySet[JointCommittee]:
        return committees_visible_to(request_user(self))


class VisibleMeetingField(serializers.PrimaryKeyRelatedField[Meeting]):
    def get_queryset(self) -> QuerySet[Meeting]:
        return meetings_visible_to(request_user(self))


class VisibleDecisionField(serializers.PrimaryKeyRelatedField[Decision]):
    def get_queryset(self) -> QuerySet[Decision]:
        return decisions_visible_to(request_user(self))


# Other areas have fields named ``role`` and ``status`` with other choices; these enums
# are described where they are used, so the schema's enum names stay unambiguous.
@extend_schema_field({"type": "string", "enum": list(CommitteeRole.values)})
class CommitteeRoleField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=CommitteeRole.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": list(MeetingStatus.values), "readOnly": True})
class MeetingStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=MeetingStatus.choices, read_only=True, **kwargs)


class VisibleSeatField(serializers.PrimaryKeyRelatedField[CommitteeMember]):
    def get_queryset(self) -> QuerySet[CommitteeMember]:
        return CommitteeMember.objects.filter(
            committee__in=committees_visible_to(request_user(self))
        )


class PartnershipDocumentSerializer(serializers.ModelSerializer[EvidenceFile]):
    class Meta:
        model = EvidenceFile
        fields = ["id", "name", "content_type", "size", "description", "uploaded_at"]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer[EvidenceFile]):
    file = serializers.FileField()
    description = serializers.CharField(max_length=300, required=False, default="")


class CommitteeSummarySerializer(serializers.ModelSerializer[JointCommittee]):
    class Meta:
        model = JointCommittee
        fields = ["id", "name"]
        read_only_fields = fields


class AgreementSerializer(serializers.ModelSerializer[PartnershipAgreement]):
    parties = InstitutionCodeField(many=True, help_text=gettext_lazy("At least two codes."))
    in_force = serializers.SerializerMethodField()
    documents = PartnershipDocumentSerializer(many=True, read_only=True)
    committees = CommitteeSummarySerializer(many=True, read_only=True)

    class Meta:
        model = PartnershipAgreement
        fields = [
            "id",
            "title",
            "reference",
            "parties",
            "signed_on",
            "starts_on",
            "ends_on",
            "in_force",
            "scope",
            "documents",
            "committees",
            "created_at",
        ]

    def get_in_force(self, agreement: PartnershipAgreement) -> bool:
        return is_in_force(agreement)


class CommitmentSerializer(serializers.ModelSerializer[Commitment]):
    agreement = VisibleAgreementField(queryset=PartnershipAgreement.objects.all())
    party = InstitutionCodeField(required=False, allow_null=True)
    actions = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Action.objects.all(),
        required=False,
        help_text=gettext_lazy(
            "Ids of the actions carrying out the commitment; when changing, the list "
            "replaces the linked actions."
        ),
    )

    class Meta:
        model = Commitment
        fields = ["id", "agreement", "text", "party", "due_on", "order", "actions"]
        read_only_fields = ["order"]


class CommitteeMemberSerializer(serializers.ModelSerializer[CommitteeMember]):
    committee = VisibleCommitteeField(queryset=JointCommittee.objects.all())
    user = PersonField()
    institution = InstitutionCodeField()
    role = CommitteeRoleField(required=False)

    class Meta:
        model = CommitteeMember
        fields = ["id", "committee", "user", "institution", "role", "since", "until"]
        # The service says why a second seat is refused, more clearly than DRF would.
        validators: list[Any] = []


class CommitteeSerializer(serializers.ModelSerializer[JointCommittee]):
    agreement = VisibleAgreementField(queryset=PartnershipAgreement.objects.all())
    members = CommitteeMemberSerializer(many=True, read_only=True)

    class Meta:
        model = JointCommittee
        fields = ["id", "agreement", "name", "mandate", "members", "created_at"]


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    committee = VisibleCommitteeField(queryset=JointCommittee.objects.all())
    status = MeetingStatusField()
    documents = PartnershipDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "starts_at",
            "place",
            "agenda",
            "status",
            "attendees",
            "other_attendees",
            "minutes",
            "documents",
        ]
        read_only_fields = ["status", "attendees", "other_attendees", "minutes"]


class MeetingRecordSerializer(serializers.Serializer[Meeting]):
    attendees = VisibleSeatField(
        many=True,
        queryset=CommitteeMember.objects.all(),
        help_text=gettext_lazy("Ids of the committee seats whose holders were present."),
    )
    other_attendees = serializers.CharField(required=False, allow_blank=True, default="")
    minutes = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class TaskFieldsSerializer(serializers.ModelSerializer[FollowUpTask]):
    """A task as given with a new decision."""

    owner = PersonField()
    institution = InstitutionCodeField(required=False, allow_null=True)

    class Meta:
        model = FollowUpTask
        fields = ["description", "owner", "institution", "due_on"]


class FollowUpTaskSerializer(serializers.ModelSerializer[FollowUpTask]):
    decision = VisibleDecisionField(queryset=Decision.objects.all())
    meeting = serializers.IntegerField(source="decision.meeting_id", read_only=True)
    owner = PersonField()
    institution = InstitutionCodeField(required=False, allow_null=True)

    class Meta:
        model = FollowUpTask
        fields = [
            "id",
            "decision",
            "meeting",
            "description",
            "owner",
            "institution",
            "due_on",
            "done_on",
            "outcome",
        ]
        read_only_fields = ["done_on", "outcome"]


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    meeting = VisibleMeetingField(queryset=Meeting.objects.all())
    recorded_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    tasks = TaskFieldsSerializer(
        many=True,
        required=False,
        help_text=gettext_lazy("Follow-up tasks the decision gives (when recording it)."),
    )

    class Meta:
        model = Decision
        fields = ["id", "meeting", "number", "text", "recorded_by", "recorded_at", "tasks"]
        read_only_fields = ["number", "recorded_at"]


class TaskCompleteSerializer(serializers.Serializer[FollowUpTask]):
    outcome = serializers.CharField()
    done_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=gettext_lazy("Today if omitted.")
    )


# --- Agreements ------------------------------------------------------------------------


@extend_schema(tags=["partnerships"])
class AgreementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    PartnershipViewSet,
):
    """Partnership agreements: parties, period, scope, documents and committees."""

    serializer_class = AgreementSerializer
    record_scoped = frozenset({"retrieve"})
    permission_required = {
        "list": "partnerships.view_partnershipagreement",
        "retrieve": "partnerships.view_agreement_detail",
        "create": "partnerships.add_partnershipagreement",
        "update": "partnerships.change_partnershipagreement",
        "partial_update": "partnerships.change_partnershipagreement",
        "documents": "partnerships.change_partnershipagreement",
    }

    def get_queryset(self) -> QuerySet[PartnershipAgreement]:
        return (
            agreements_visible_to(self.request.user)
            .prefetch_related("parties", "documents", "committees")
            .order_by("-starts_on", "id")
        )

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.create_agreement(
            **serializer.validated_data, by=self.request.user
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.update_agreement(
            agreement=serializer.instance, by=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: PartnershipDocumentSerializer},
    )
    @action(detail=True, methods=["post"], serializer_class=DocumentUploadSerializer)
    def documents(self, request: Request, pk: str | None = None) -> Response:
        """Attach a document (checked by its content) to the agreement."""
        agreement = self.get_object()
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.attach_document(
            record=agreement,
            upload=serializer.validated_data["file"],
            description=serializer.validated_data["description"],
            by=request.user,
        )
        return Response(
            PartnershipDocumentSerializer(document).data, status=status.HTTP_201_CREATED
        )


# --- Commitments -----------------------------------------------------------------------


@extend_schema(tags=["partnerships"])
@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("agreement", OpenApiTypes.INT, description="Only this one's.")]
    )
)
class CommitmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    PartnershipViewSet,
):
    """What the parties undertake under an agreement, and the actions carrying it out."""

    serializer_class = CommitmentSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    record_scoped = frozenset({"retrieve"})
    permission_required = {
        "list": "partnerships.view_partnershipagreement",
        "retrieve": "partnerships.view_agreement_detail",
        "create": "partnerships.change_partnershipagreement",
        "partial_update": "partnerships.change_commitment",
        "destroy": "partnerships.change_commitment",
    }

    def get_queryset(self) -> QuerySet[Commitment]:
        queryset = commitments_visible_to(self.request.user).select_related("party")
        if self.action == "list" and not self.is_schema_generation():
            agreement = self.id_parameter("agreement")
            if agreement is not None:
                queryset = queryset.filter(agreement_id=agreement)
        return queryset.prefetch_related("actions").order_by("agreement_id", "order", "id")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        actions = data.pop("actions", [])
        self.check_rule("partnerships.change_partnershipagreement", data["agreement"])
        commitment = services.add_commitment(**data, by=self.request.user)
        services.link_actions(commitment=commitment, actions=actions, by=self.request.user)
        serializer.instance = commitment

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        commitment = self.get_object()
        serializer = self.get_serializer(commitment, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        changes.pop("agreement", None)
        actions = changes.pop("actions", None)
        services.update_commitment(commitment=commitment, by=request.user, **changes)
        if actions is not None:
            services.set_commitment_actions(commitment=commitment, actions=actions, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=commitment.pk)).data)

    def perform_destroy(self, instance: Commitment) -> None:
        services.remove_commitment(commitment=instance, by=self.request.user)


# --- Committees and members ------------------------------------------------------------


def _members() -> Prefetch:
    return Prefetch(
        "members", queryset=CommitteeMember.objects.select_related("user", "institution")
    )


@extend_schema(tags=["partnerships"])
class CommitteeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    PartnershipViewSet,
):
    """Joint committees that follow an agreement up, with their members."""

    serializer_class = CommitteeSerializer
    record_scoped = frozenset({"retrieve"})
    permission_required = {
        "list": "partnerships.view_partnershipagreement",
        "retrieve": "partnerships.view_jointcommittee",
        "create": "partnerships.add_jointcommittee",
        "partial_update": "partnerships.change_jointcommittee",
    }

    def get_queryset(self) -> QuerySet[JointCommittee]:
        return committees_visible_to(self.request.user).prefetch_related(_members())

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.create_committee(
            **serializer.validated_data, by=self.request.user
        )

    @extend_schema(request=CommitteeSerializer, responses=CommitteeSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        committee = self.get_object()
        serializer = self.get_serializer(committee, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        changes.pop("agreement", None)
        services.update_committee(committee=committee, by=request.user, **changes)
        return Response(self.get_serializer(self.get_queryset().get(pk=committee.pk)).data)


@extend_schema(tags=["partnerships"])
@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("committee", OpenApiTypes.INT, description="Only its seats.")]
    )
)
class CommitteeMemberViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    PartnershipViewSet,
):
    """Seats on joint committees: the person, whom they represent and their role."""

    serializer_class = CommitteeMemberSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_required = {
        "list": "partnerships.view_partnershipagreement",
        "create": "partnerships.change_jointcommittee",
        "partial_update": "partnerships.change_committeemember",
        "destroy": "partnerships.change_committeemember",
    }

    def get_queryset(self) -> QuerySet[CommitteeMember]:
        queryset = CommitteeMember.objects.filter(
            committee__in=committees_visible_to(self.request.user)
        ).select_related("user", "institution")
        if self.action == "list" and not self.is_schema_generation():
            committee = self.id_parameter("committee")
            if committee is not None:
                queryset = queryset.filter(committee_id=committee)
        return queryset.order_by("committee_id", "role", "id")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        self.check_rule("partnerships.change_jointcommittee", data["committee"])
        serializer.instance = services.add_committee_member(**data, by=self.request.user)

    @extend_schema(request=CommitteeMemberSerializer, responses=CommitteeMemberSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        member = self.get_object()
        serializer = self.get_serializer(member, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        for fixed in ("committee", "user"):
            if fixed in changes and changes.pop(fixed) != getattr(member, fixed):
                raise ValidationError({fixed: [_("A seat cannot move; remove it and add one.")]})
        services.update_committee_member(member=member, by=request.user, **changes)
        return Response(self.get_serializer(member).data)

    def perform_destroy(self, instance: CommitteeMember) -> None:
        services.remove_committee_member(member=instance, by=self.request.user)


# --- Meetings --------------------------------------------------------------------------


@extend_schema(tags=["partnerships"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("committee", OpenApiTypes.INT, description="Only its meetings."),
            OpenApiParameter(
                "upcoming", OpenApiTypes.BOOL, description="Only planned meetings yet to come."
            ),
        ]
    )
)
class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    PartnershipViewSet,
):
    """Meetings of joint committees: scheduling, the record (attendance, minutes) and
    cancelling."""

    serializer_class = MeetingSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    record_scoped = frozenset({"retrieve", "create", "partial_update", "record", "cancel"})
    permission_required = {
        "list": "partnerships.view_partnershipagreement",
        "retrieve": "partnerships.view_meeting",
        "create": "partnerships.add_meeting",
        "partial_update": "partnerships.change_meeting",
        "record": "partnerships.change_meeting",
        "cancel": "partnerships.change_meeting",
    }

    def get_queryset(self) -> QuerySet[Meeting]:
        queryset = meetings_visible_to(self.request.user).prefetch_related("attendees", "documents")
        if self.action == "list" and not self.is_schema_generation():
            committee = self.id_parameter("committee")
            if committee is not None:
                queryset = queryset.filter(committee_id=committee)
            if self.yes_parameter("upcoming"):
                queryset = queryset.filter(
                    status=MeetingStatus.PLANNED, starts_at__gte=timezone.now()
                ).order_by("starts_at")
        return queryset

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        self.check_rule("partnerships.add_meeting", data["committee"])
        serializer.instance = services.schedule_meeting(**data, by=self.request.user)

    @extend_schema(request=MeetingSerializer, responses=MeetingSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        meeting = self.get_object()
        serializer = self.get_serializer(meeting, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        changes.pop("committee", None)
        services.update_meeting(meeting=meeting, by=request.user, **changes)
        return Response(self._representation(meeting))

    @extend_schema(request=MeetingRecordSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], serializer_class=MeetingRecordSerializer)
    def record(self, request: Request, pk: str | None = None) -> Response:
        """Record that the meeting was held: members present, others present, minutes.
        Recording again corrects the record."""
        meeting = self.get_object()
        serializer = MeetingRecordSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.record_meeting(meeting=meeting, by=request.user, **serializer.validated_data)
        return Response(self._representation(meeting))

    @extend_schema(request=ReasonSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel a planned meeting."""
        meeting = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.cancel_meeting(meeting=meeting, by=request.user, **serializer.validated_data)
        return Response(self._representation(meeting))

    def _representation(self, meeting: Meeting) -> Any:
        fresh = self.get_queryset().get(pk=meeting.pk)
        return MeetingSerializer(fresh, context=self.get_serializer_context()).data


# --- Decisions and follow-up tasks -----------------------------------------------------


def _tasks() -> Prefetch:
    return Prefetch("tasks", queryset=FollowUpTask.objects.select_related("owner", "institution"))


@extend_schema(tags=["partnerships"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("meeting", OpenApiTypes.INT, description="Only its decisions.")
        ]
    )
)
class DecisionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    PartnershipViewSet,
):
    """Decisions of meetings, numbered in their meeting, with the tasks they give."""

    serializer_class = DecisionSerializer
    record_scoped = frozenset({"retrieve", "create"})
    permission_required = {
        "list": "partnerships.view_partnershipagreement",
        "retrieve": "partnerships.view_meeting",
        "create": "partnerships.add_decision",
    }

    def get_queryset(self) -> QuerySet[Decision]:
        queryset = decisions_visible_to(self.request.user).select_related("recorded_by")
        if self.action == "list" and not self.is_schema_generation():
            meeting = self.id_parameter("meeting")
            if meeting is not None:
                queryset = queryset.filter(meeting_id=meeting)
        return queryset.prefetch_related(_tasks()).order_by("meeting_id", "number")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        self.check_rule("partnerships.add_decision", data["meeting"])
        decision = services.record_decision(
            meeting=data["meeting"],
            text=data["text"],
            tasks=[dict(task) for task in data.get("tasks", [])],
            by=request.user,
        )
        fresh = self.get_queryset().get(pk=decision.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["partnerships"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("committee", OpenApiTypes.INT, description="Only its tasks."),
            OpenApiParameter("open", OpenApiTypes.BOOL, description="Only tasks not yet done."),
            OpenApiParameter("mine", OpenApiTypes.BOOL, description="Only my own tasks."),
        ]
    )
)
class FollowUpTaskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    PartnershipViewSet,
):
    """Follow-up tasks: the work decisions give someone, by a date."""

    serializer_class = FollowUpTaskSerializer
    record_scoped = frozenset({"retrieve", "create", "complete", "reopen"})
    permission_required = {
        "list": "partnerships.view_partnershipagreement",
        "retrieve": "partnerships.view_followuptask",
        "create": "partnerships.add_decision",
        "complete": "partnerships.change_followuptask",
        "reopen": "partnerships.change_followuptask",
    }

    def get_queryset(self) -> QuerySet[FollowUpTask]:
        queryset = follow_up_tasks_visible_to(self.request.user).select_related(
            "owner", "institution", "decision"
        )
        if self.action == "list" and not self.is_schema_generation():
            committee = self.id_parameter("committee")
            if committee is not None:
                queryset = queryset.filter(decision__meeting__committee_id=committee)
            if self.yes_parameter("open"):
                queryset = queryset.filter(done_on__isnull=True)
            if self.yes_parameter("mine"):
                queryset = queryset.filter(owner_id=self.request.user.pk)
        return queryset.order_by("due_on", "id")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        self.check_rule("partnerships.add_decision", data["decision"])
        serializer.instance = services.add_follow_up_task(**data, by=self.request.user)

    @extend_schema(request=TaskCompleteSerializer, responses=FollowUpTaskSerializer)
    @action(detail=True, methods=["post"], serializer_class=TaskCompleteSerializer)
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """Mark the task done and say what came of it (its owner, or whoever records the
        committee's meetings)."""
        task = self.get_object()
        serializer = TaskCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.complete_follow_up_task(task=task, by=request.user, **serializer.validated_data)
        return Response(FollowUpTaskSerializer(task, context=self.get_serializer_context()).data)

    @extend_schema(request=ReasonSerializer, responses=FollowUpTaskSerializer)
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """Open a task marked done again."""
        task = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.reopen_follow_up_task(task=task, by=request.user, **serializer.validated_data)
        return Response(FollowUpTaskSerializer(task, context=self.get_serializer_context()).data)


def register(router: SimpleRouter) -> None:
    """Add this area's viewsets to the API's router."""
    router.register("agreements", AgreementViewSet, basename="agreement")
    router.register("commitments", CommitmentViewSet, basename="commitment")
    router.register("committees", CommitteeViewSet, basename="committee")
    router.register("committee-members", CommitteeMemberViewSet, basename="committee-member")
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("decisions", DecisionViewSet, basename="decision")
    router.register("follow-up-tasks", FollowUpTaskViewSet, basename="follow-up-task")


urlpatterns: list[URLPattern] = []
