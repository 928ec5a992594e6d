"""API endpoints: actions answering recommendations, their indicators and values, and
progress reports with their review.

Each starts from the actions app's ``*_visible_to`` selectors, checks the django-rules
permission of its action and writes through ``mizan.actions.services``. Rules about one
record (a focal point changes the actions their institution leads) are checked against
that record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, reverse
from django.utils import timezone
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
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from mizan.actions import services
from mizan.actions.enums import ActionKind, ActionStatus, ProgressReportStatus
from mizan.actions.indicators import computed_figures
from mizan.actions.models import Action, Indicator, IndicatorValue, ProgressReport
from mizan.actions.queries import (
    ActionFilters,
    actions_visible_to,
    indicators_visible_to,
    latest_value,
    lead_institution_choices,
    progress_reports_visible_to,
    with_detail,
)
from mizan.api.permissions import API_ACCESS, HasRulesPermission, required_permission
from mizan.api.serializers import request_user
from mizan.api.views import MizanViewSet
from mizan.evidence.models import EvidenceFile
from mizan.institutions.models import Institution
from mizan.recommendations.models import Recommendation
from mizan.recommendations.queries import recommendations_visible_to


class HasRulesObjectPermission(HasRulesPermission):
    """``HasRulesPermission``, except that an action on one record (``detail``) is
    decided by the rule applied to that record, when the view calls ``get_object()``.
    A view's ``permission_object(obj)`` may name the record the rule is about (an
    indicator's action, for instance)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if (
            getattr(view, "detail", False)
            and user
            and user.is_authenticated
            and user.has_perm(API_ACCESS)
            and hasattr(view, (request.method or "").lower())
        ):
            return required_permission(view, request) is not None
        return super().has_permission(request, view)

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        permission = required_permission(view, request)
        target = view.permission_object(obj) if hasattr(view, "permission_object") else obj
        return permission is not None and request.user.has_perm(permission, target)


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


# --- Serializers -----------------------------------------------------------------------


class LeadInstitutionField(serializers.SlugRelatedField[Institution]):
    """An institution code, among those the user may make lead an action."""

    def get_queryset(self) -> QuerySet[Institution]:
        return lead_institution_choices(request_user(self))


class VisibleRecommendationsField(serializers.PrimaryKeyRelatedField[Recommendation]):
    def get_queryset(self) -> QuerySet[Recommendation]:
        return recommendations_visible_to(request_user(self))


class EvidenceFileSerializer(serializers.ModelSerializer[EvidenceFile]):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceFile
        fields = [
            "id",
            "name",
            "content_type",
            "size",
            "description",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, evidence: EvidenceFile) -> str:
        url = reverse("staff:evidence_download", args=[evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class ActionSerializer(serializers.ModelSerializer[Action]):
    lead_institution = LeadInstitutionField(
        slug_field="code",
        queryset=Institution.objects.all(),
        help_text=_("Code of the lead institution. A focal point names their own or a unit of it."),
    )
    partner_institutions = serializers.SlugRelatedField(
        slug_field="code", queryset=Institution.objects.all(), many=True, required=False
    )
    recommendations = VisibleRecommendationsField(
        queryset=Recommendation.objects.all(),
        many=True,
        required=False,
        help_text=_("Ids of the recommendations the action answers; the list replaces them."),
    )
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    is_overdue = serializers.BooleanField(
        read_only=True, help_text=_("Past its due date and neither completed nor cancelled.")
    )
    evidence = EvidenceFileSerializer(many=True, read_only=True)
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "status",
            "cancellation_reason",
            "lead_institution",
            "partner_institutions",
            "recommendations",
            "starts_on",
            "due_on",
            "is_overdue",
            "evidence",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "cancellation_reason", "created_at", "updated_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_created_by(self, action: Action) -> str | None:
        return _username(action.created_by)


class StatusChangeSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when cancelling; kept in the history."),
    )


class IndicatorValueSerializer(serializers.ModelSerializer[IndicatorValue]):
    recorded_by = serializers.SerializerMethodField()
    source = serializers.CharField(max_length=300)  # type: ignore[assignment]

    class Meta:
        model = IndicatorValue
        fields = ["id", "measured_on", "value", "source", "recorded_by", "recorded_at"]
        read_only_fields = ["recorded_by", "recorded_at"]
        # The service reports a second value for the same date in the API's error shape.
        validators: list[Any] = []

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_recorded_by(self, value: IndicatorValue) -> str | None:
        return _username(value.recorded_by)


class IndicatorValueCorrectionSerializer(serializers.Serializer[Any]):
    value = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("The corrected value. Default: the value as it is."),
    )
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=300,
        required=False,
        help_text=_("Where the corrected value comes from. Default: the source as it is."),
    )
    reason = serializers.CharField(
        allow_blank=True, help_text=_("Required: why the value is corrected; kept in the history.")
    )


class IndicatorValueRemovalSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        allow_blank=True,
        default="",
        help_text=_("Required: why the value is removed; kept in the history."),
    )


def _computation_help() -> str:
    names = ", ".join(figure.name for figure in computed_figures()) or "—"
    return str(_("Empty for values entered by hand, else a computed figure: %(names)s.")) % {
        "names": names
    }


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    computation = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    unit = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required unless computed: a computed indicator takes its figure's unit."),
    )
    is_computed = serializers.BooleanField(read_only=True)
    latest_value = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "action",
            "name",
            "unit",
            "baseline",
            "target",
            "frequency",
            "computation",
            "is_computed",
            "latest_value",
        ]
        read_only_fields = ["action"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["computation"].help_text = _computation_help()

    @extend_schema_field(IndicatorValueSerializer(allow_null=True))
    def get_latest_value(self, indicator: Indicator) -> Any:
        value = latest_value(indicator)
        return IndicatorValueSerializer(value).data if value is not None else None


class ComputeSerializer(serializers.Serializer[Any]):
    as_of = serializers.DateField(required=False, help_text=_("Default: today."))


class ProgressReportSerializer(serializers.ModelSerializer[ProgressReport]):
    author = serializers.SerializerMethodField()
    reviewed_by = serializers.SerializerMethodField()
    evidence = EvidenceFileSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "action",
            "period_start",
            "period_end",
            "summary",
            "difficulties",
            "next_steps",
            "status",
            "corrects",
            "author",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "evidence",
            "created_at",
        ]
        read_only_fields = [
            "action",
            "status",
            "corrects",
            "submitted_at",
            "reviewed_at",
            "review_comment",
            "created_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_author(self, report: ProgressReport) -> str | None:
        return _username(report.author)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reviewed_by(self, report: ProgressReport) -> str | None:
        return _username(report.reviewed_by)


class ReviewSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Optional when approving; required when returning."),
    )


# --- Actions ---------------------------------------------------------------------------

ACTION_FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words in the title or description."),
    OpenApiParameter("status", OpenApiTypes.STR, many=True, description="Status; repeatable."),
    OpenApiParameter("kind", OpenApiTypes.STR, many=True, description="Kind; repeatable."),
    OpenApiParameter(
        "lead", OpenApiTypes.STR, many=True, description="Lead institution code; repeatable."
    ),
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Only actions past their due date."),
]


@extend_schema(tags=["actions"])
@extend_schema_view(list=extend_schema(parameters=ACTION_FILTER_PARAMETERS))
class ActionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    MizanViewSet,
):
    """Actions (measures) answering recommendations. Every member reads them; coordinators
    change any, a focal point those their institution leads.

    The list takes the same filters as the action list page."""

    serializer_class = ActionSerializer
    permission_classes = [HasRulesObjectPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_required = {
        "list": "actions.view_action",
        "retrieve": "actions.view_action",
        "create": "actions.add_action",
        "partial_update": "actions.change_action",
        "change_status": "actions.change_action",
        "indicators": "actions.view_action",
        "add_indicator": "actions.change_action",
        "progress_reports": "actions.view_progressreport",
        "add_progress_report": "actions.add_progressreport",
    }

    def get_queryset(self) -> QuerySet[Action]:
        queryset = actions_visible_to(self.request.user)
        if self.action == "list" and not self.is_schema_generation():
            queryset = ActionFilters.from_query(self.request.query_params).apply(queryset)
        return with_detail(queryset).order_by("due_on", "id")

    def _representation(self, action: Action) -> Any:
        return self.get_serializer(self.get_queryset().get(pk=action.pk)).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        action = services.create_action(**serializer.validated_data, by=request.user)
        return Response(self._representation(action), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        action = self.get_object()
        serializer = self.get_serializer(action, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_action(action=action, by=request.user, **serializer.validated_data)
        return Response(self._representation(action))

    @extend_schema(request=StatusChangeSerializer, responses=ActionSerializer)
    @endpoint(detail=True, methods=["post"], url_path="status")
    def change_status(self, request: Request, pk: str | None = None) -> Response:
        """Move the action to another status; cancelling needs a reason."""
        action = self.get_object()
        serializer = StatusChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.change_action_status(action=action, by=request.user, **serializer.validated_data)
        return Response(self._representation(action))

    @extend_schema(responses=IndicatorSerializer(many=True))
    @endpoint(detail=True, methods=["get"], serializer_class=IndicatorSerializer)
    def indicators(self, request: Request, pk: str | None = None) -> Response:
        """The action's indicators, each with its latest value."""
        action = self.get_object()
        indicators = action.indicators.prefetch_related("values").order_by("id")
        return Response(IndicatorSerializer(indicators, many=True).data)

    @extend_schema(request=IndicatorSerializer, responses={201: IndicatorSerializer})
    @indicators.mapping.post
    def add_indicator(self, request: Request, pk: str | None = None) -> Response:
        """Add an indicator to the action."""
        action = self.get_object()
        serializer = IndicatorSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        indicator = services.add_indicator(
            action=action, by=request.user, **serializer.validated_data
        )
        return Response(IndicatorSerializer(indicator).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ProgressReportSerializer(many=True))
    @endpoint(
        detail=True,
        methods=["get"],
        url_path="progress-reports",
        serializer_class=ProgressReportSerializer,
    )
    def progress_reports(self, request: Request, pk: str | None = None) -> Response:
        """The action's progress reports, newest period first."""
        action = self.get_object()
        reports = (
            action.progress_reports.select_related("author", "reviewed_by")
            .prefetch_related("evidence")
            .order_by("-period_end", "-id")
        )
        context = self.get_serializer_context()
        return Response(ProgressReportSerializer(reports, many=True, context=context).data)

    @extend_schema(request=ProgressReportSerializer, responses={201: ProgressReportSerializer})
    @progress_reports.mapping.post
    def add_progress_report(self, request: Request, pk: str | None = None) -> Response:
        """Draft a progress report on the action."""
        action = self.get_object()
        serializer = ProgressReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.draft_progress_report(
            action=action, by=request.user, **serializer.validated_data
        )
        context = self.get_serializer_context()
        return Response(
            ProgressReportSerializer(report, context=context).data, status=status.HTTP_201_CREATED
        )


# --- Indicators ------------------------------------------------------------------------


VALUE_ID = OpenApiParameter(
    "value_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The value's id."
)


@extend_schema(tags=["actions"])
class IndicatorViewSet(mixins.RetrieveModelMixin, MizanViewSet):
    """An action's indicator and its dated values. Computed indicators take no values by
    hand: ``compute/`` computes them. A value is corrected (``PATCH``) or removed
    (``DELETE``) with a reason, kept in the history."""

    serializer_class = IndicatorSerializer
    permission_classes = [HasRulesObjectPermission]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_required = {
        "retrieve": "actions.view_action",
        "partial_update": "actions.change_action",
        "values": "actions.view_action",
        "add_value": "actions.add_indicatorvalue",
        "correct_value": "actions.add_indicatorvalue",
        "remove_value": "actions.add_indicatorvalue",
        "compute": "actions.add_indicatorvalue",
    }

    def get_queryset(self) -> QuerySet[Indicator]:
        return (
            indicators_visible_to(self.request.user)
            .select_related("action")
            .prefetch_related("values")
        )

    def permission_object(self, indicator: Indicator) -> Action:
        return indicator.action

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        indicator = self.get_object()
        serializer = self.get_serializer(indicator, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_indicator(indicator=indicator, by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=indicator.pk)).data)

    @extend_schema(responses=IndicatorValueSerializer(many=True))
    @endpoint(detail=True, methods=["get"], serializer_class=IndicatorValueSerializer)
    def values(self, request: Request, pk: str | None = None) -> Response:
        """The indicator's values, newest first."""
        indicator = self.get_object()
        values = indicator.values.select_related("recorded_by").order_by("-measured_on", "-id")
        return Response(IndicatorValueSerializer(values, many=True).data)

    @extend_schema(request=IndicatorValueSerializer, responses={201: IndicatorValueSerializer})
    @values.mapping.post
    def add_value(self, request: Request, pk: str | None = None) -> Response:
        """Record a value measured on a date, with its source (indicators entered by hand)."""
        indicator = self.get_object()
        serializer = IndicatorValueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        value = services.record_indicator_value(
            indicator=indicator, by=request.user, **serializer.validated_data
        )
        return Response(IndicatorValueSerializer(value).data, status=status.HTTP_201_CREATED)

    def _value(self, value_id: str | None) -> IndicatorValue:
        """The indicator's value ``value_id``, once the rule on its action allowed the user."""
        indicator = self.get_object()
        value = indicator.values.select_related("indicator").filter(pk=value_id).first()
        if value is None:
            raise NotFound(_("This indicator has no such value."))
        return value

    @extend_schema(
        parameters=[VALUE_ID],
        request=IndicatorValueCorrectionSerializer,
        responses=IndicatorValueSerializer,
    )
    @endpoint(
        detail=True,
        methods=["patch"],
        url_path=r"values/(?P<value_id>[0-9]+)",
        url_name="value",
        serializer_class=IndicatorValueCorrectionSerializer,
    )
    def correct_value(
        self, request: Request, pk: str | None = None, value_id: str | None = None
    ) -> Response:
        """Correct a value entered by hand (its figure, its source), saying why. Values of
        computed indicators are not corrected: ``compute/`` computes them again."""
        value = self._value(value_id)
        serializer = IndicatorValueCorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.correct_indicator_value(
            value=value,
            new_value=data.get("value", value.value),
            source=data.get("source", value.source),
            reason=data["reason"],
            by=request.user,
        )
        value.refresh_from_db()
        return Response(IndicatorValueSerializer(value).data)

    @extend_schema(
        parameters=[
            VALUE_ID,
            OpenApiParameter(
                "reason",
                OpenApiTypes.STR,
                description="Why the value is removed (or `reason` in a JSON body); required.",
            ),
        ],
        request=None,
        responses={204: None},
    )
    @correct_value.mapping.delete
    def remove_value(
        self, request: Request, pk: str | None = None, value_id: str | None = None
    ) -> Response:
        """Remove a value recorded by mistake, saying why; the history keeps it."""
        value = self._value(value_id)
        body = request.data
        if not isinstance(body, Mapping):
            raise serializers.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        reason = body.get("reason")
        if reason is None:
            reason = request.query_params.get("reason", "")
        serializer = IndicatorValueRemovalSerializer(data={"reason": reason})
        serializer.is_valid(raise_exception=True)
        services.remove_indicator_value(
            value=value, reason=serializer.validated_data["reason"], by=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ComputeSerializer, responses=IndicatorValueSerializer)
    @endpoint(detail=True, methods=["post"])
    def compute(self, request: Request, pk: str | None = None) -> Response:
        """Compute a computed indicator for a date (default today) and store the value."""
        indicator = self.get_object()
        serializer = ComputeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        as_of = serializer.validated_data.get("as_of") or timezone.localdate()
        value = services.compute_indicator(indicator=indicator, as_of=as_of, by=request.user)
        return Response(IndicatorValueSerializer(value).data)


# --- Progress reports ------------------------------------------------------------------


@extend_schema(tags=["actions"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("action", OpenApiTypes.INT, description="Only this action's."),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=ProgressReportStatus.values,
                description="Only reports in this status.",
            ),
        ]
    )
)
class ProgressReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MizanViewSet):
    """Progress reports: drafted and submitted by whoever may change the action, approved
    or returned by a coordinator who did not write them. Approved reports never change;
    ``correct/`` starts a new draft that corrects one."""

    serializer_class = ProgressReportSerializer
    permission_classes = [HasRulesObjectPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_required = {
        "list": "actions.view_progressreport",
        "retrieve": "actions.view_progressreport",
        "partial_update": "actions.change_progressreport",
        "submit": "actions.change_progressreport",
        "approve": "actions.review_progressreport",
        "return_report": "actions.review_progressreport",
        "correct": "actions.add_progressreport",
    }

    def get_queryset(self) -> QuerySet[ProgressReport]:
        queryset = (
            progress_reports_visible_to(self.request.user)
            .select_related("action__lead_institution", "author", "reviewed_by")
            .prefetch_related("evidence")
            .order_by("-period_end", "-id")
        )
        if self.action == "list" and not self.is_schema_generation():
            params = self.request.query_params
            action_id = params.get("action", "")
            if action_id:
                if not action_id.isdigit() or len(action_id) > 18:
                    raise serializers.ValidationError({"action": [_("Give an action's id.")]})
                queryset = queryset.filter(action_id=int(action_id))
            if params.get("status"):
                queryset = queryset.filter(status=params["status"])
        return queryset

    def permission_object(self, report: ProgressReport) -> Any:
        # A correction is a new report on the action: whoever may report on it may start one.
        return report.action if self.action == "correct" else report

    def _representation(self, report: ProgressReport) -> Any:
        return self.get_serializer(self.get_queryset().get(pk=report.pk)).data

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self.get_object()
        serializer = self.get_serializer(report, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_progress_report(report=report, by=request.user, **serializer.validated_data)
        return Response(self._representation(report))

    @extend_schema(request=None, responses=ProgressReportSerializer)
    @endpoint(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Send a draft or returned report for review."""
        report = services.submit_progress_report(report=self.get_object(), by=request.user)
        return Response(self._representation(report))

    @extend_schema(request=ReviewSerializer, responses=ProgressReportSerializer)
    @endpoint(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve a submitted report (a coordinator who is not its author)."""
        report = self.get_object()
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.approve_progress_report(
            report=report, by=request.user, comment=serializer.validated_data["comment"]
        )
        return Response(self._representation(report))

    @extend_schema(request=ReviewSerializer, responses=ProgressReportSerializer)
    @endpoint(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request: Request, pk: str | None = None) -> Response:
        """Return a submitted report to its author, saying what should change."""
        report = self.get_object()
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.return_progress_report(
            report=report, by=request.user, comment=serializer.validated_data["comment"]
        )
        return Response(self._representation(report))

    @extend_schema(request=None, responses={201: ProgressReportSerializer})
    @endpoint(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str | None = None) -> Response:
        """Start a correction of an approved report: a new draft that names it."""
        correction = services.correct_progress_report(report=self.get_object(), by=request.user)
        return Response(self._representation(correction), status=status.HTTP_201_CREATED)


def register(router: SimpleRouter) -> None:
    """Add this area's viewsets to the API's router."""
    router.register("actions", ActionViewSet, basename="action")
    router.register("indicators", IndicatorViewSet, basename="indicator")
    router.register("progress-reports", ProgressReportViewSet, basename="progress-report")


urlpatterns: list[URLPattern] = []
