"""The endpoints of ``/api/v1/``. Each starts from the domain's ``*_visible_to`` selector,
checks the django-rules permission of its action and writes through the domain services,
so the audit trail names the API user exactly as it names a page's user."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mizan.accounts.models import Membership, User
from mizan.api.pagination import MizanPagination
from mizan.api.parsers import PARSER_CLASSES
from mizan.api.permissions import API_ACCESS, HasRulesPermission
from mizan.api.serializers import (
    AssessmentCreateSerializer,
    AssessmentSerializer,
    DocumentSerializer,
    MechanismSerializer,
    MeSerializer,
    RecommendationSerializer,
    TaggingCreateSerializer,
    TaggingSerializer,
    TermSerializer,
    VocabularySerializer,
)
from mizan.assist.queries import closest_in_meaning
from mizan.recommendations import services
from mizan.recommendations.enums import AssessmentVoice
from mizan.recommendations.models import (
    Assessment,
    Mechanism,
    Recommendation,
    SourceDocument,
    Tagging,
    Term,
    Vocabulary,
)
from mizan.recommendations.queries import (
    NOT_ASSESSED,
    RecommendationFilters,
    assessments_by_voice,
    documents_visible_to,
    institutions_for_assessment,
    mechanisms_visible_to,
    recommendations_visible_to,
    vocabularies_visible_to,
    with_list_details,
)

#: Longer search queries are refused rather than sent to the search index.
MAX_QUERY_LENGTH = 500


class MizanViewSet(viewsets.GenericViewSet[Any]):
    """What every endpoint shares: the rules check, the page size and no implicit filters."""

    permission_classes = [HasRulesPermission]
    parser_classes = PARSER_CLASSES
    pagination_class = MizanPagination
    filter_backends: list[Any] = []
    #: action → django-rules permission; an action missing here is refused.
    permission_required: dict[str, str] = {}

    def is_schema_generation(self) -> bool:
        return getattr(self, "swagger_fake_view", False)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        params = request.query_params
        for key in params:
            # PostgreSQL cannot hold a NUL character in a query parameter (a 500 otherwise).
            if "\x00" in key or any("\x00" in value for value in params.getlist(key)):
                raise ValidationError(
                    {key: [_("The filter holds a character that is not allowed.")]}
                )


# --- Mechanisms -----------------------------------------------------------------------


@extend_schema(tags=["mechanisms"])
class MechanismViewSet(mixins.ListModelMixin, MizanViewSet):
    """The UN and regional mechanisms that issue recommendations."""

    serializer_class = MechanismSerializer
    # Mechanisms are part of the registry: whoever may read its documents may read them.
    permission_required = {"list": "recommendations.view_sourcedocument"}

    def get_queryset(self) -> QuerySet[Mechanism]:
        return mechanisms_visible_to(self.request.user).order_by("code")


# --- Source documents ------------------------------------------------------------------


@extend_schema(tags=["documents"])
class DocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    MizanViewSet,
):
    """Source documents: concluding observations, UPR reports, visit reports."""

    serializer_class = DocumentSerializer
    permission_required = {
        "list": "recommendations.view_sourcedocument",
        "retrieve": "recommendations.view_sourcedocument",
        "create": "recommendations.add_sourcedocument",
        "update": "recommendations.change_sourcedocument",
        "partial_update": "recommendations.change_sourcedocument",
    }

    def get_queryset(self) -> QuerySet[SourceDocument]:
        return documents_visible_to(self.request.user)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.create_document(
            **serializer.validated_data, by=self.request.user
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.update_document(
            document=serializer.instance, by=self.request.user, **serializer.validated_data
        )


# --- Recommendations -------------------------------------------------------------------


def _list_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, many=True, description=description)


RECOMMENDATION_FILTER_PARAMETERS = [
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description=(
            "Words to find in any language of the text, or a document symbol. "
            f"At most {MAX_QUERY_LENGTH} characters."
        ),
    ),
    _list_parameter("mechanism", "Mechanism code, e.g. CMW. Repeat for more."),
    _list_parameter("document", "Document symbol, e.g. CMW/C/MAR/CO/2. Repeat for more."),
    _list_parameter("state", "State under review. Repeat for more."),
    _list_parameter("status", "The state's assessment of implementation. Repeat for more."),
    _list_parameter(
        "nhri_status",
        f"The NHRI's assessment of implementation, or `{NOT_ASSESSED}` for none yet. "
        "Repeat for more.",
    ),
    OpenApiParameter(
        "disagree",
        OpenApiTypes.BOOL,
        description="Only recommendations whose state's and NHRI's assessments differ.",
    ),
    _list_parameter("position", "Position of the state (UPR). Repeat for more."),
    _list_parameter("institution", "Code of a responsible institution. Repeat for more."),
    OpenApiParameter(
        "mode",
        OpenApiTypes.STR,
        enum=["words", "meaning"],
        description=(
            "How `q` searches: `words` (default, full text) or `meaning` (in any language: "
            "an Arabic or French query finds English texts), closest first."
        ),
    ),
]
TAG_FILTER_NOTE = (
    "Filter by confirmed tags with `tag:<vocabulary code>=<term code>`, e.g. "
    "`tag:sdg_goals=5`; repeat for more. Values that match nothing give an empty list."
)


#: As on the list page: at most this many, down to this similarity.


@extend_schema(tags=["recommendations"])
@extend_schema_view(
    list=extend_schema(parameters=RECOMMENDATION_FILTER_PARAMETERS, description=TAG_FILTER_NOTE),
    partial_update=extend_schema(
        description="Change some fields. `texts`, when given, replaces all the texts."
    ),
)
class RecommendationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    MizanViewSet,
):
    """Recommendations with their texts in each language, tags and responsible institutions.

    The list takes the same filters as the recommendation list page.
    """

    serializer_class = RecommendationSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_required = {
        "list": "recommendations.view_recommendation",
        "retrieve": "recommendations.view_recommendation",
        "create": "recommendations.add_recommendation",
        "partial_update": "recommendations.change_recommendation",
        "destroy": "recommendations.delete_recommendation",
        "assessments": "recommendations.view_assessment",
        # Then the voice's own permission, checked on the recommendation once the body
        # names the voice.
        "record_assessment": "recommendations.view_recommendation",
    }

    def get_queryset(self) -> QuerySet[Recommendation]:
        queryset = recommendations_visible_to(self.request.user)
        if self.action == "list" and not self.is_schema_generation():
            filters = self.filters()
            if (
                self.request.query_params.get("mode") == "meaning"
                and filters.q
                and self.request.user.has_perm("assist.search_by_meaning")
            ):
                queryset = closest_in_meaning(queryset, filters.q)
                filters = replace(filters, q="")
            queryset = filters.apply(queryset)
        return with_list_details(queryset)

    def filters(self) -> RecommendationFilters:
        """The list page's filters, read from the query string the same way."""
        filters = RecommendationFilters.from_query(self.request.query_params)
        if len(filters.q) > MAX_QUERY_LENGTH:
            raise ValidationError(
                {
                    "q": [
                        _("Search for at most %(length)s characters.")
                        % {"length": MAX_QUERY_LENGTH}
                    ]
                }
            )
        return filters

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        texts = {item["language"]: item["text"] for item in data["texts"]}
        original = next(
            (item["language"] for item in data["texts"] if item.get("is_original")), None
        )
        recommendation = services.create_recommendation(
            document=data["document"],
            paragraph=data["paragraph"],
            texts=texts,
            original_language=original,
            recommending_state=data.get("recommending_state", ""),
            position=data.get("position", ""),
            status=data.get("status", ""),
            external_id=data.get("external_id"),
            by=request.user,
        )
        return Response(self._representation(recommendation), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        recommendation = self.get_object()
        serializer = self.get_serializer(recommendation, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        items = changes.pop("texts", None)
        texts, original = (None, None) if items is None else _replacing_texts(recommendation, items)
        services.update_recommendation(
            recommendation=recommendation,
            by=request.user,
            texts=texts,
            original_language=original,
            **changes,
        )
        return Response(self._representation(recommendation))

    def perform_destroy(self, instance: Recommendation) -> None:
        services.delete_recommendation(recommendation=instance, by=self.request.user)

    @extend_schema(
        responses=AssessmentSerializer(many=True),
        description="Every assessment of the recommendation, both voices, latest first.",
    )
    @action(detail=True, methods=["get"], serializer_class=AssessmentSerializer)
    def assessments(self, request: Request, pk: str | None = None) -> Response:
        recommendation = self.get_object()
        by_voice = assessments_by_voice(recommendation)
        found = sorted(
            (a for items in by_voice.values() for a in items),
            key=lambda a: (a.assessed_on, a.pk),
            reverse=True,
        )
        page = self.paginate_queryset(found)
        serializer = AssessmentSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        request={
            "application/json": AssessmentCreateSerializer,
            "multipart/form-data": AssessmentCreateSerializer,
        },
        responses={201: AssessmentSerializer},
        description=(
            "Record a dated assessment by one voice: `state` needs the permission to "
            "assess as the state (coordinators, focal points of an assigned institution), "
            "`nhri` the NHRI's (its coordinators). The recommendation's `status` or "
            "`nhri_status` becomes that voice's latest assessment by date. Evidence files "
            "go in a multipart body, as repeated `evidence` parts."
        ),
    )
    @assessments.mapping.post
    def record_assessment(self, request: Request, pk: str | None = None) -> Response:
        recommendation = self.get_object()
        serializer = AssessmentCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        voice = AssessmentVoice(data["voice"])
        permission = {
            AssessmentVoice.STATE: "recommendations.assess_as_state",
            AssessmentVoice.NHRI: "recommendations.assess_as_nhri",
        }[voice]
        if not request.user.has_perm(permission, recommendation):
            raise PermissionDenied(_("You may not record this voice's assessment."))
        institution = data.get("institution")
        allowed = institutions_for_assessment(request.user, recommendation, voice)
        if institution is not None and not allowed.filter(pk=institution.pk).exists():
            raise ValidationError(
                {"institution": [_("You may not record an assessment for this institution.")]}
            )
        assessment = services.record_assessment(
            recommendation=recommendation,
            voice=voice,
            status=data["status"],
            assessed_on=data["assessed_on"],
            rationale=data["rationale"],
            institution=institution,
            evidence=data.get("evidence") or (),
            by=request.user,
        )
        fresh = (
            Assessment.objects.select_related("recorded_by", "institution")
            .prefetch_related("evidence")
            .get(pk=assessment.pk)
        )
        return Response(
            AssessmentSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def _representation(self, recommendation: Recommendation) -> Any:
        # Read back with the list's prefetches, so the answer shows what is now stored.
        fresh = with_list_details(Recommendation.objects.filter(pk=recommendation.pk)).get()
        return self.get_serializer(fresh).data


def _replacing_texts(
    recommendation: Recommendation, items: list[dict[str, Any]]
) -> tuple[dict[str, str], str | None]:
    """The service's ``texts`` and ``original_language`` for a list that replaces all texts."""
    texts = {item["language"]: item["text"] for item in items}
    current = list(recommendation.texts.all())
    for text in current:
        texts.setdefault(text.language, "")  # the service removes a language given as ""
    # A partial update applies no defaults, not even inside the nested texts.
    original = next((item["language"] for item in items if item.get("is_original")), None)
    current_original = next((t.language for t in current if t.is_original), None)
    if original is None and current_original not in {item["language"] for item in items}:
        # The original is being removed and no new one named: the first text takes its place.
        original = items[0]["language"]
    return texts, original


# --- Vocabularies and terms ------------------------------------------------------------


@extend_schema(tags=["vocabularies"])
class VocabularyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MizanViewSet):
    """Vocabularies (SDG targets, UHRI themes, …) whose terms tag recommendations."""

    serializer_class = VocabularySerializer
    lookup_field = "code"
    # Vocabulary codes are slugs; anything else cannot name one.
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    permission_required = {
        "list": "recommendations.view_vocabulary",
        "retrieve": "recommendations.view_vocabulary",
        "terms": "recommendations.view_vocabulary",
    }

    def get_queryset(self) -> QuerySet[Vocabulary]:
        # With an aggregate, Django no longer applies Meta.ordering: say it again.
        return (
            vocabularies_visible_to(self.request.user)
            .annotate(term_count=Count("terms"))
            .order_by("position", "code")
        )

    @extend_schema(responses=TermSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=TermSerializer)
    def terms(self, request: Request, code: str | None = None) -> Response:
        """The vocabulary's terms, broader terms before narrower ones in their given order."""
        vocabulary = self.get_object()
        terms = Term.objects.filter(vocabulary=vocabulary).select_related("parent")
        page = self.paginate_queryset(terms.order_by("position", "code"))
        serializer = TermSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)


# --- Taggings --------------------------------------------------------------------------


class TaggingFilter(django_filters.FilterSet):
    # The bounds of a database id: SQLite fails on a larger number rather than finding none.
    recommendation = django_filters.NumberFilter(
        field_name="recommendation_id",
        min_value=1,
        max_value=2**63 - 1,
        help_text="Only the tags of this recommendation.",
    )
    vocabulary = django_filters.CharFilter(
        field_name="term__vocabulary__code", help_text="Only the terms of this vocabulary."
    )
    confirmed = django_filters.BooleanFilter(
        field_name="confirmed_at",
        lookup_expr="isnull",
        exclude=True,
        help_text="Only confirmed (true) or only awaiting confirmation (false).",
    )

    class Meta:
        model = Tagging
        fields = ["recommendation", "vocabulary", "confirmed"]


@extend_schema(tags=["taggings"])
@extend_schema_view(
    create=extend_schema(
        request=TaggingCreateSerializer,
        responses={201: TaggingSerializer, 200: TaggingSerializer},
        description=(
            "Tag a recommendation. Answers 201 with the new tag, or 200 with the existing "
            "one (a person tagging again confirms a model's suggestion)."
        ),
    ),
)
class TaggingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    MizanViewSet,
):
    """Terms put on recommendations by people, imports and models."""

    serializer_class = TaggingSerializer
    filter_backends = [django_filters.DjangoFilterBackend]
    filterset_class = TaggingFilter
    permission_required = {
        "list": "recommendations.view_tagging",
        "retrieve": "recommendations.view_tagging",
        "create": "recommendations.add_tagging",
        "confirm": "recommendations.confirm_tagging",
        "reject": "assist.review_suggestions",
        "destroy": "recommendations.delete_tagging",
    }

    def get_queryset(self) -> QuerySet[Tagging]:
        return (
            Tagging.objects.filter(recommendation__in=recommendations_visible_to(self.request.user))
            .select_related("term__vocabulary", "tagged_by", "confirmed_by")
            .order_by("id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = TaggingCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = Tagging.objects.filter(
            recommendation=data["recommendation"], term=data["term"]
        ).exists()
        tagging = services.tag_recommendation(
            recommendation=data["recommendation"],
            term=data["term"],
            source=data["source"],
            model_name=data["model_name"],
            confidence=data["confidence"],
            by=request.user,
        )
        return Response(
            self._representation(tagging),
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=TaggingSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """Confirm a model's suggested tag; a confirmed tag stays as it is."""
        tagging = services.confirm_tagging(tagging=self.get_object(), by=request.user)
        return Response(self._representation(tagging))

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Reject a model's suggested tag: it is removed and never proposed again for this
        recommendation, and the vocabulary's model learns from the refusal."""
        from mizan.assist.services import reject_suggestion

        reject_suggestion(tagging=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def perform_destroy(self, instance: Tagging) -> None:
        services.remove_tagging(tagging=instance, by=self.request.user)

    def _representation(self, tagging: Tagging) -> Any:
        return TaggingSerializer(
            self.get_queryset().get(pk=tagging.pk), context=self.get_serializer_context()
        ).data


# --- The signed-in user ----------------------------------------------------------------


@extend_schema(tags=["me"])
class MeView(APIView):
    """The user the request is authenticated as, their memberships, roles and permissions."""

    permission_classes = [HasRulesPermission]
    parser_classes = PARSER_CLASSES
    permission_required = {"get": API_ACCESS}

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # the permission check let only members through
        memberships = (
            Membership.objects.filter(user=user)
            .select_related("institution")
            .order_by("institution__code", "role")
        )
        context = {"request": request, "memberships": memberships}
        return Response(MeSerializer(user, context=context).data)


# --- Anything else under /api/ ---------------------------------------------------------


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
def not_found(request: Request, *args: Any, **kwargs: Any) -> Response:
    """A path under /api/ that names no endpoint: the API's error shape, not an HTML page."""
    raise NotFound(_("There is no API endpoint at this address."))
