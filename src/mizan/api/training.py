"""API endpoints: curricula, their versions (with modules and learning objectives nested),
and the question bank.

Each starts from the training app's ``*_visible_to`` selectors, checks the django-rules
permission of its action and writes through ``mizan.training.services``. Every member
reads curricula; coordinators and trainers change them; the question bank, with its
correct answers, is for coordinators and trainers only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import URLPattern
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action as endpoint
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from mizan.api.actions import EvidenceFileSerializer
from mizan.api.views import MizanViewSet
from mizan.core.errors import MizanError
from mizan.institutions.models import Institution
from mizan.recommendations.models import Term
from mizan.training import services
from mizan.training.enums import QuestionKind, TeachingMethod, VersionStatus
from mizan.training.models import (
    Choice,
    Curriculum,
    CurriculumVersion,
    LearningObjective,
    Module,
    Question,
)
from mizan.training.queries import (
    curricula_visible_to,
    objectives_visible_to,
    questions_visible_to,
    versions_visible_to,
    with_list_details,
    with_modules,
)


def texts_field(help_text: Any, **kwargs: Any) -> serializers.DictField:
    return serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=True),
        help_text=help_text,
        **kwargs,
    )


# --- Serializers -----------------------------------------------------------------------


class VersionSummarySerializer(serializers.ModelSerializer[CurriculumVersion]):
    status = serializers.ChoiceField(choices=VersionStatus.choices, read_only=True)

    class Meta:
        model = CurriculumVersion
        fields = ["id", "number", "status", "published_at", "frozen_at"]
        read_only_fields = fields


class CurriculumSerializer(serializers.ModelSerializer[Curriculum]):
    code = serializers.SlugField(
        max_length=60, help_text=_("Lower-case letters, digits and hyphens; it cannot change.")
    )
    titles = texts_field(_("Language code → title; one language at least."))
    title = serializers.CharField(read_only=True, help_text=_("In the active language."))
    keeper = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Institution.objects.all(),
        help_text=_("Code of the institution that keeps the curriculum."),
    )
    versions = VersionSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Curriculum
        fields = ["id", "code", "titles", "title", "summary", "keeper", "versions", "created_at"]
        read_only_fields = ["created_at"]


class TermLinkSerializer(serializers.ModelSerializer[Term]):
    vocabulary = serializers.CharField(source="vocabulary.code", read_only=True)
    label = serializers.CharField(read_only=True, help_text=_("In the active language."))  # type: ignore[assignment]

    class Meta:
        model = Term
        fields = ["vocabulary", "code", "label"]
        read_only_fields = fields


class ObjectiveSerializer(serializers.ModelSerializer[LearningObjective]):
    texts = texts_field(_("Language code → text."), read_only=True)
    text = serializers.CharField(read_only=True, help_text=_("In the active language."))

    class Meta:
        model = LearningObjective
        fields = ["id", "order", "code", "text", "texts"]
        read_only_fields = fields


class ModuleSerializer(serializers.ModelSerializer[Module]):
    titles = texts_field(_("Language code → title."), read_only=True)
    title = serializers.CharField(read_only=True, help_text=_("In the active language."))
    methods = serializers.ListField(
        child=serializers.ChoiceField(choices=TeachingMethod.choices), read_only=True
    )
    terms = TermLinkSerializer(many=True, read_only=True)
    materials = EvidenceFileSerializer(many=True, read_only=True)
    objectives = ObjectiveSerializer(many=True, read_only=True)

    class Meta:
        model = Module
        fields = [
            "id",
            "order",
            "title",
            "titles",
            "day",
            "duration_minutes",
            "methods",
            "summary",
            "terms",
            "materials",
            "objectives",
        ]
        read_only_fields = fields


class VersionSerializer(serializers.ModelSerializer[CurriculumVersion]):
    curriculum = serializers.CharField(source="curriculum.code", read_only=True)
    status = serializers.ChoiceField(choices=VersionStatus.choices, read_only=True)
    modules = ModuleSerializer(many=True, read_only=True)

    class Meta:
        model = CurriculumVersion
        fields = [
            "id",
            "curriculum",
            "number",
            "status",
            "changelog",
            "based_on",
            "published_at",
            "frozen_at",
            "created_at",
            "modules",
        ]
        read_only_fields = fields


class NewVersionSerializer(serializers.Serializer[Any]):
    changelog = serializers.CharField(help_text=_("What the new version changes, and why."))


class ChoiceSerializer(serializers.ModelSerializer[Choice]):
    texts = texts_field(_("Language code → text."))

    class Meta:
        model = Choice
        fields = ["texts", "is_correct"]


class VisibleObjectivesField(serializers.PrimaryKeyRelatedField[LearningObjective]):
    def get_queryset(self) -> QuerySet[LearningObjective]:
        request = self.context.get("request")
        return objectives_visible_to(getattr(request, "user", None))


class QuestionSerializer(serializers.ModelSerializer[Question]):
    objective = VisibleObjectivesField(
        queryset=LearningObjective.objects.all(),
        help_text=_("Id of the learning objective; it cannot change."),
    )
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    prompts = texts_field(_("Language code → question; one language at least."))
    model_answers = texts_field(
        _("Language code → model answer; for a short open answer only."), required=False
    )
    choices = ChoiceSerializer(
        many=True,
        required=False,
        help_text=_(
            "Single choice and true/false: exactly one correct; multiple choice: at least "
            "one; short answer: none. Given on a change, they replace the choices."
        ),
    )

    class Meta:
        model = Question
        fields = ["id", "objective", "kind", "prompts", "model_answers", "is_active", "choices"]


# --- Endpoints -------------------------------------------------------------------------


@extend_schema(tags=["training"])
class CurriculumViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MizanViewSet):
    """Curricula with their versions. Every member reads them; coordinators and trainers
    create and change them. A new curriculum starts with an empty draft version 1."""

    serializer_class = CurriculumSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_required = {
        "list": "training.view_curriculum",
        "retrieve": "training.view_curriculum",
        "create": "training.add_curriculum",
        "partial_update": "training.change_curriculum",
    }

    def get_queryset(self) -> QuerySet[Curriculum]:
        return with_list_details(curricula_visible_to(self.request.user)).order_by("code")

    def _representation(self, curriculum: Curriculum) -> Any:
        return self.get_serializer(self.get_queryset().get(pk=curriculum.pk)).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        curriculum = services.create_curriculum(**serializer.validated_data, by=request.user)
        return Response(self._representation(curriculum), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        curriculum = self.get_object()
        serializer = self.get_serializer(curriculum, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.pop("code", curriculum.code) != curriculum.code:
            raise MizanError(_("The code of a curriculum cannot change."), field="code")
        services.update_curriculum(curriculum=curriculum, by=request.user, **data)
        return Response(self._representation(curriculum))


@extend_schema(tags=["training"])
class CurriculumVersionViewSet(mixins.RetrieveModelMixin, MizanViewSet):
    """A curriculum version with its modules in order, each with its learning objectives,
    methods, materials and vocabulary links. ``new-version/`` copies it into the
    curriculum's next version, a draft; ``publish/`` makes a draft available to sessions.
    A frozen version (used by sessions) never changes."""

    serializer_class = VersionSerializer
    http_method_names = ["get", "post", "head", "options"]
    permission_required = {
        "retrieve": "training.view_curriculum",
        "new_version": "training.change_curriculum",
        "publish": "training.change_curriculum",
    }

    def get_queryset(self) -> QuerySet[CurriculumVersion]:
        return with_modules(versions_visible_to(self.request.user))

    def _representation(self, version: CurriculumVersion) -> Any:
        return VersionSerializer(
            self.get_queryset().get(pk=version.pk), context=self.get_serializer_context()
        ).data

    @extend_schema(request=NewVersionSerializer, responses={201: VersionSerializer})
    @endpoint(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request: Request, pk: str | None = None) -> Response:
        """Start the curriculum's next version from this one, saying what changes and why."""
        version = self.get_object()
        serializer = NewVersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = services.new_version_from(
            version=version, changelog=serializer.validated_data["changelog"], by=request.user
        )
        return Response(self._representation(new), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=VersionSerializer)
    @endpoint(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Publish a draft version, so that sessions may use it."""
        version = services.publish_version(version=self.get_object(), by=request.user)
        return Response(self._representation(version))


@extend_schema(tags=["training"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("version", OpenApiTypes.INT, description="Only this version's."),
            OpenApiParameter(
                "objective", OpenApiTypes.INT, description="Only this learning objective's."
            ),
        ]
    )
)
class QuestionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MizanViewSet):
    """The question bank, with the correct answers: coordinators and trainers only. A
    question belongs to a learning objective; questions of a frozen version never change."""

    serializer_class = QuestionSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_required = {
        "list": "training.view_question",
        "retrieve": "training.view_question",
        "create": "training.change_question",
        "partial_update": "training.change_question",
    }

    def get_queryset(self) -> QuerySet[Question]:
        queryset = (
            questions_visible_to(self.request.user)
            .select_related("objective__module__version")
            .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order", "id")))
            .order_by("objective__module__order", "objective__order", "id")
        )
        if self.action == "list" and not self.is_schema_generation():
            for name, lookup in (
                ("version", "objective__module__version_id"),
                ("objective", "objective_id"),
            ):
                value = self.request.query_params.get(name, "")
                if value:
                    if not value.isdigit() or len(value) > 18:
                        raise serializers.ValidationError({name: [_("Give an id.")]})
                    queryset = queryset.filter(**{lookup: int(value)})
        return queryset

    def _representation(self, question: Question) -> Any:
        return self.get_serializer(self.get_queryset().get(pk=question.pk)).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = services.add_question(**serializer.validated_data, by=request.user)
        return Response(self._representation(question), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        question = self.get_object()
        serializer = self.get_serializer(question, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.pop("objective", question.objective) != question.objective:
            raise MizanError(_("A question cannot move to another objective."), field="objective")
        services.update_question(question=question, by=request.user, **data)
        return Response(self._representation(question))


def register(router: SimpleRouter) -> None:
    """Add this area's viewsets to the API's router."""
    router.register("curricula", CurriculumViewSet, basename="curriculum")
    router.register("curriculum-versions", CurriculumVersionViewSet, basename="curriculum-version")
    router.register("questions", QuestionViewSet, basename="question")


urlpatterns: list[URLPattern] = []
