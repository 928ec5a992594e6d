"""API endpoints: attendance per half-day.

- ``GET sessions/{id}/attendance/``: the session's attendance records
  (``training.view_roster`` on the session);
- ``POST attendance/``: record one participant's attendance of one half-day;
- ``GET``/``POST slots/{id}/attendance/``: a half-day's records, and recording several at
  once, all or none (``training.view_roster`` to read, ``training.record_attendance`` to
  write).

Every member passes the first gate (``training.view_session``: sessions are seen by all
members); the session's own rule is then checked against the session. A session or slot
that does not exist is 404 for everyone.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from mizan.api.pagination import MizanPagination
from mizan.api.parsers import PARSER_CLASSES
from mizan.api.permissions import HasRulesPermission
from mizan.training.enums import ATTENDED, AttendanceMethod, AttendanceStatus, HalfDay
from mizan.training.models import Attendance, Enrolment, SessionSlot, TrainingSession
from mizan.training.queries import enrolments_visible_to, sessions_visible_to
from mizan.training.services import attendance as services

#: The gate every attendance endpoint shares: any member; the session's rule comes after.
MEMBER = "training.view_session"
#: The largest database id: a larger number names no record (and SQLite fails on it).
MAX_ID = 2**63 - 1

# --- Serializers -------------------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    participant = serializers.IntegerField(
        source="enrolment.participant_id", read_only=True, help_text=_("Id of the participant.")
    )
    participant_name = serializers.CharField(source="enrolment.participant.name", read_only=True)
    date = serializers.DateField(source="slot.date", read_only=True)
    part = serializers.ChoiceField(
        source="slot.part", choices=HalfDay.choices, read_only=True, help_text=_("Half-day.")
    )
    status = serializers.ChoiceField(choices=AttendanceStatus.choices, read_only=True)
    method = serializers.ChoiceField(choices=AttendanceMethod.choices, read_only=True)
    minutes = serializers.SerializerMethodField(
        help_text=_("Minutes attended: the half-day's duration when present or late, else 0.")
    )
    recorded_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = Attendance
        fields = [
            "id",
            "enrolment",
            "participant",
            "participant_name",
            "slot",
            "date",
            "part",
            "status",
            "method",
            "minutes",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_minutes(self, record: Attendance) -> int:
        return record.slot.duration_minutes if record.status in ATTENDED else 0


class RecordSerializer(serializers.Serializer[Any]):
    enrolment = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=_("Id of the enrolment.")
    )
    slot = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=_("Id of the half-day slot.")
    )
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)


class SlotEntrySerializer(serializers.Serializer[Any]):
    enrolment = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=_("Id of the enrolment.")
    )
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)


class SlotRecordedSerializer(serializers.Serializer[Any]):
    records = AttendanceSerializer(many=True, read_only=True)


class SlotRecordSerializer(serializers.Serializer[Any]):
    records = SlotEntrySerializer(
        many=True,
        allow_empty=False,
        help_text=_("One entry per participant; all are recorded, or none if one is refused."),
    )

    def validate_records(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = [record["enrolment"] for record in records]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError(_("Give each enrolment once."))
        return records


# --- Endpoints ---------------------------------------------------------------------------


def _with_details(records: QuerySet[Attendance]) -> QuerySet[Attendance]:
    return records.select_related("enrolment__participant", "slot", "recorded_by").order_by(
        "slot__date", "slot__part", "enrolment__participant__name_latin", "enrolment_id"
    )


class AttendanceEndpoint(generics.GenericAPIView[Attendance]):
    permission_classes = [HasRulesPermission]
    parser_classes = PARSER_CLASSES
    pagination_class = MizanPagination
    serializer_class = AttendanceSerializer
    permission_required = {"get": MEMBER, "post": MEMBER}

    def check_rule(self, permission: str, session: TrainingSession) -> None:
        """Refuse (403) unless the user holds ``permission`` on ``session``."""
        if not self.request.user.has_perm(permission, session):
            raise PermissionDenied(_("You do not have permission to do this."))

    def visible_records(self) -> QuerySet[Attendance]:
        """Records of the participants the user may see (they start from the roster)."""
        return Attendance.objects.filter(enrolment__in=enrolments_visible_to(self.request.user))

    def get_queryset(self) -> QuerySet[Attendance]:
        return Attendance.objects.none()

    def slot_of(self, pk: Any) -> SessionSlot:
        return get_object_or_404(
            SessionSlot.objects.select_related("session").filter(
                session__in=sessions_visible_to(self.request.user)
            ),
            pk=pk,
        )


@extend_schema(tags=["attendance"])
class SessionAttendanceView(generics.ListAPIView[Attendance], AttendanceEndpoint):
    def get_queryset(self) -> QuerySet[Attendance]:
        if getattr(self, "swagger_fake_view", False):
            return Attendance.objects.none()
        session = get_object_or_404(sessions_visible_to(self.request.user), pk=self.kwargs["pk"])
        self.check_rule("training.view_roster", session)
        return _with_details(self.visible_records().filter(slot__session=session))

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The session's attendance records, by half-day and participant. Rule:
        ``training.view_roster`` on the session (its organisers' staff and its trainers)."""
        return self.list(request, *args, **kwargs)


@extend_schema(tags=["attendance"])
class RecordAttendanceView(AttendanceEndpoint):
    @extend_schema(request=RecordSerializer, responses={200: AttendanceSerializer})
    def post(self, request: Request) -> Response:
        """Record (or correct) one approved participant's attendance of one half-day.
        Rule: ``training.record_attendance`` on the slot's session (its managers and its
        trainers)."""
        serializer = RecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        slot = self.slot_of(data["slot"])
        self.check_rule("training.record_attendance", slot.session)
        enrolment = Enrolment.objects.filter(
            pk=data["enrolment"], session_id=slot.session_id
        ).first()
        if enrolment is None:
            raise serializers.ValidationError(
                {"enrolment": [_("No enrolment with this id in the slot's session.")]}
            )
        record = services.record_attendance(
            enrolment=enrolment, slot=slot, status=data["status"], by=request.user
        )
        return Response(
            self.get_serializer(_with_details(Attendance.objects.all()).get(pk=record.pk)).data
        )


@extend_schema(tags=["attendance"])
class SlotAttendanceView(generics.ListAPIView[Attendance], AttendanceEndpoint):
    def get_queryset(self) -> QuerySet[Attendance]:
        if getattr(self, "swagger_fake_view", False):
            return Attendance.objects.none()
        slot = self.slot_of(self.kwargs["pk"])
        self.check_rule("training.view_roster", slot.session)
        return _with_details(self.visible_records().filter(slot=slot))

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The half-day's attendance records. Rule: ``training.view_roster`` on the session."""
        return self.list(request, *args, **kwargs)

    @extend_schema(request=SlotRecordSerializer, responses={200: SlotRecordedSerializer})
    def post(self, request: Request, pk: int) -> Response:
        """Record several participants' attendance of the half-day at once: all, or none if
        one is refused. Rule: ``training.record_attendance`` on the session."""
        slot = self.slot_of(pk)
        self.check_rule("training.record_attendance", slot.session)
        serializer = SlotRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        statuses = {
            entry["enrolment"]: entry["status"] for entry in serializer.validated_data["records"]
        }
        records = services.record_slot(slot=slot, statuses=statuses, by=request.user)
        saved = _with_details(Attendance.objects.filter(pk__in=[r.pk for r in records]))
        return Response(
            SlotRecordedSerializer({"records": saved}, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK,
        )


def register(router: SimpleRouter) -> None:
    """This area has no viewsets, only the views below."""


urlpatterns: list[URLPattern] = [
    path(
        "sessions/<int:pk>/attendance/",
        SessionAttendanceView.as_view(),
        name="session_attendance",
    ),
    path("attendance/", RecordAttendanceView.as_view(), name="attendance_record"),
    path("slots/<int:pk>/attendance/", SlotAttendanceView.as_view(), name="slot_attendance"),
]
