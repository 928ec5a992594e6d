"""The public API, ``/api/public/v1/``: what the public portal shows, read-only, with no
account. Recommendations, actions and training figures that coordinators published, in
the same shapes as the open data files (both start from
:mod:`mizan.reports.publication`), and nothing personal.

Credentials are ignored (no authentication class): a token or a session changes
nothing here, and an expired one cannot turn a public read into a 401. Requests are
throttled per address. Errors have the API's one shape (``mizan.api.errors``). Its own
OpenAPI schema is at ``/api/public/schema/``, documented at ``/api/public/docs/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.urls import include, path
from django.utils.translation import gettext as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.throttling import AnonRateThrottle

from mizan.actions.enums import ActionStatus
from mizan.actions.models import Action
from mizan.api.pagination import MizanPagination
from mizan.recommendations.enums import ImplementationStatus
from mizan.reports import publication

#: Requests a minute from one address, unless ``MIZAN_PUBLIC_API_RATE`` says otherwise.
DEFAULT_RATE = "120/minute"

SCHEMA_SETTINGS = {
    "TITLE": "Mizan public API",
    "DESCRIPTION": (
        "Read-only, with no account: the recommendations, actions and aggregated training "
        "figures that coordinators published on the public portal, free to reuse. No "
        "personal data. In the training figures, any figure about fewer than 11 people is "
        "null with its `suppressed` flag set, and further groups are hidden where needed "
        "so that a hidden figure cannot be worked out by subtraction. Errors are "
        '`{"error": {"code", "message", "fields"}}`. Requests are limited per address; '
        "over the limit the answer is 429 with a Retry-After header."
    ),
    "VERSION": "1",
}


#: True while the public schema is being generated: the public endpoints are documented
#: there only, so the members' schema stays the members' API.
_PUBLIC_SCHEMA: ContextVar[bool] = ContextVar("public_schema", default=False)


@contextmanager
def _public_schema() -> Iterator[None]:
    token = _PUBLIC_SCHEMA.set(True)
    try:
        yield
    finally:
        _PUBLIC_SCHEMA.reset(token)


class PublicSchemaGenerator(SchemaGenerator):
    def get_schema(self, request: Any = None, public: bool = False) -> Any:
        with _public_schema():
            return super().get_schema(request=request, public=public)


class PublicAutoSchema(AutoSchema):
    def is_excluded(self) -> bool:
        return not _PUBLIC_SCHEMA.get() or super().is_excluded()


class PublicRateThrottle(AnonRateThrottle):
    scope = "public"

    def get_rate(self) -> str:
        return str(getattr(settings, "MIZAN_PUBLIC_API_RATE", DEFAULT_RATE))


# --- Shapes ---------------------------------------------------------------------------


class PublicRecommendationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    mechanism = serializers.CharField(help_text="Code of the UN mechanism, e.g. CMW or UPR.")
    mechanism_name = serializers.CharField()
    document = serializers.CharField(help_text="Symbol of the source document.")
    document_id = serializers.IntegerField()
    document_date = serializers.DateField(allow_null=True)
    state_under_review = serializers.CharField()
    paragraph = serializers.CharField()
    recommending_state = serializers.CharField(help_text="For UPR: the state that made it.")
    position = serializers.CharField(help_text="The state's position: supported, noted or empty.")
    status = serializers.CharField(help_text="The state's assessment of implementation.")
    status_label = serializers.CharField()
    nhri_status = serializers.CharField(help_text="The NHRI's assessment; empty until made.")
    nhri_status_label = serializers.CharField()
    text = serializers.CharField(help_text="The text in the requested language, else the original.")
    text_language = serializers.CharField()
    texts = serializers.DictField(
        child=serializers.CharField(), help_text="The text in each language, by language code."
    )
    actions = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the published actions answering it."
    )
    published_at = serializers.DateTimeField()


class PublicIndicatorSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    unit = serializers.CharField()
    baseline = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    latest_value = serializers.FloatField(allow_null=True)
    measured_on = serializers.DateField(allow_null=True)


class PublicActionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    lead_institution = serializers.CharField()
    partner_institutions = serializers.ListField(child=serializers.CharField())
    starts_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    recommendations = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the published recommendations."
    )
    indicators = PublicIndicatorSerializer(many=True)
    training_figures_published = serializers.BooleanField()
    published_at = serializers.DateTimeField()


class PublicGroupSerializer(serializers.Serializer[Any]):
    group = serializers.CharField()
    officers_trained = serializers.IntegerField(allow_null=True)
    completion_rate = serializers.FloatField(allow_null=True, help_text="In %.")
    suppressed = serializers.BooleanField()


class PublicBreakdownSerializer(serializers.Serializer[Any]):
    breakdown = serializers.CharField(help_text="sex, region, institution or rank.")
    title = serializers.CharField()
    groups = PublicGroupSerializer(many=True)


class PublicScoreSerializer(serializers.Serializer[Any]):
    question = serializers.CharField()
    mean = serializers.FloatField(allow_null=True, help_text="Out of 5.")


class PublicFiguresSerializer(serializers.Serializer[Any]):
    action_id = serializers.IntegerField()
    action_title = serializers.CharField()
    suppressed = serializers.BooleanField(
        help_text="True when fewer than 11 officers were trained: every figure is null."
    )
    sessions = serializers.IntegerField(allow_null=True)
    officers_trained = serializers.IntegerField(allow_null=True)
    officers_completed = serializers.IntegerField(allow_null=True)
    completion_rate = serializers.FloatField(allow_null=True)
    mean_pre_test = serializers.FloatField(allow_null=True)
    mean_post_test = serializers.FloatField(allow_null=True)
    mean_knowledge_gain = serializers.FloatField(allow_null=True, help_text="In points.")
    mean_normalised_gain = serializers.FloatField(allow_null=True, help_text="In %.")
    knowledge_gain_suppressed = serializers.BooleanField()
    reaction = PublicScoreSerializer(many=True)
    reaction_suppressed = serializers.BooleanField()
    breakdowns = PublicBreakdownSerializer(many=True)


# --- Endpoints ------------------------------------------------------------------------


class PublicViewSet(viewsets.GenericViewSet[Any]):
    """What the public endpoints share: open to all, no credentials, throttled."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    schema = PublicAutoSchema()
    throttle_classes = [PublicRateThrottle]
    pagination_class = MizanPagination
    filter_backends: list[Any] = []
    lookup_value_regex = "[0-9]{1,10}"

    def found(self, record: Any) -> Any:
        if record is None:
            raise NotFound(_("Nothing published has this id."))
        return record


def _choice(params: Any, name: str, choices: list[str]) -> None:
    value = params.get(name)
    if value and value not in choices:
        raise ValidationError({name: [_("Not one of the possible values.")]})


@extend_schema_view(
    list=extend_schema(
        summary="Published recommendations",
        parameters=[
            OpenApiParameter("document", OpenApiTypes.INT, description="Id of the document."),
            OpenApiParameter("mechanism", OpenApiTypes.STR, description="Code of the mechanism."),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=ImplementationStatus.values,
                description="The state's assessment.",
            ),
            OpenApiParameter(
                "nhri_status",
                OpenApiTypes.STR,
                enum=ImplementationStatus.values,
                description="The NHRI's assessment.",
            ),
        ],
    ),
    retrieve=extend_schema(summary="One published recommendation"),
)
class PublicRecommendationViewSet(PublicViewSet):
    serializer_class = PublicRecommendationSerializer
    queryset = publication.published_recommendations()

    def list(self, request: Request) -> Response:
        params = request.query_params
        document = params.get("document")
        if document and not (document.isdigit() and len(document) <= 10):
            raise ValidationError({"document": [_("A document is given by its number.")]})
        _choice(params, "status", ImplementationStatus.values)
        _choice(params, "nhri_status", ImplementationStatus.values)
        query = publication.RecommendationQuery.from_params(params)
        page = self.paginate_queryset(query.apply(publication.published_recommendations()))
        records = [publication.recommendation_record(item) for item in page or []]
        return self.get_paginated_response(self.get_serializer(records, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        item = self.found(publication.published_recommendations().filter(pk=pk).first())
        return Response(self.get_serializer(publication.recommendation_record(item)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Published actions",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=ActionStatus.values),
        ],
    ),
    retrieve=extend_schema(summary="One published action"),
)
class PublicActionViewSet(PublicViewSet):
    serializer_class = PublicActionSerializer
    queryset = publication.published_actions()

    def list(self, request: Request) -> Response:
        _choice(request.query_params, "status", ActionStatus.values)
        actions = publication.published_actions()
        if request.query_params.get("status"):
            actions = actions.filter(status=request.query_params["status"])
        page = self.paginate_queryset(actions)
        records = [publication.action_record(item) for item in page or []]
        return self.get_paginated_response(self.get_serializer(records, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        item = self.found(publication.published_actions().filter(pk=pk).first())
        return Response(self.get_serializer(publication.action_record(item)).data)


@extend_schema_view(
    list=extend_schema(summary="Training figures of the published training actions"),
    retrieve=extend_schema(summary="Training figures of one published action, by its id"),
)
class PublicTrainingFiguresViewSet(PublicViewSet):
    serializer_class = PublicFiguresSerializer
    queryset = Action.objects.none()

    def published(self) -> Any:
        return publication.published_actions().filter(
            training_figures_published=True, kind="training"
        )

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.published().prefetch_related(None))
        records = [
            publication.figures_record(action, publication.public_training_figures(action))
            for action in page or []
        ]
        return self.get_paginated_response(self.get_serializer(records, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        action = self.found(self.published().prefetch_related(None).filter(pk=pk).first())
        figures = publication.public_training_figures(action)
        return Response(self.get_serializer(publication.figures_record(action, figures)).data)


router = SimpleRouter()
router.register("recommendations", PublicRecommendationViewSet, basename="public-recommendation")
router.register("actions", PublicActionViewSet, basename="public-action")
router.register("training-figures", PublicTrainingFiguresViewSet, basename="public-figures")

#: Mounted under ``/api/public/v1/``.
urlpatterns = router.urls
#: The same, with its full path, for the public schema alone.
schema_patterns = [path("api/public/v1/", include(router.urls))]
