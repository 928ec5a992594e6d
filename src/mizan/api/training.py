"""API endpoints: curricula, their versions (with modules and learning objectives nested),
modules and learning objectives on their own, and the question bank.

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
    module_terms,
    modules_visible_to,
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


class VisibleVersionsField(serializers.PrimaryKeyRelatedField[CurriculumVersion]):
    def get_queryset(self) -> QuerySet[CurriculumVersion]:
        request = self.context.get("request")
        return versions_visible_to(getattr(request, "user", None))


class VisibleModulesField(serializers.PrimaryKeyRelatedField[Module]):
    def get_queryset(self) -> QuerySet[Module]:
        request = self.context.get("request")
        return modules_visible_to(getattr(request, "user", None))


class ModuleTermsField(serializers.PrimaryKeyRelatedField[Term]):
    def get_queryset(self) -> QuerySet[Term]:
        return module_terms()


class ModuleEditSerializer(ModuleSerializer):
    """A module on its own: its version, and the fields a coordinator or trainer writes."""

    version = VisibleVersionsField(
        queryset=CurriculumVersion.objects.all(),
        help_text=_("Id of the curriculum version; it cannot change."),
    )
    titles = texts_field(_("Language code → title; one language at least."))
    day = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Course day, or null for none.")
    )
    duration_minutes = serializers.IntegerField(help_text=_("Duration in minutes."))
    methods = serializers.ListField(
        child=serializers.ChoiceField(choices=TeachingMethod.choices), required=False
    )
    summary = serializers.CharField(required=False, allow_blank=True)
    term_ids = ModuleTermsField(
        source="terms",
        many=True,
        required=False,
        write_only=True,
        queryset=Term.objects.all(),
        help_text=_(
            "Ids of the guidelines, GCM objectives and SDG targets the module links to; "
            "given on a change, they replace the links."
        ),
    )

    class Meta(ModuleSerializer.Meta):
        fields = [
            "id",
            "version",
            "order",
            "title",
            "titles",
            "day",
            "duration_minutes",
            "methods",
            "summary",
            "terms",
            "term_ids",
            "materials",
            "objectives",
        ]
        read_only_fields = ["id", "order", "title", "terms", "materials", "objectives"]


class ObjectiveEditSerializer(ObjectiveSerializer):
    """A learning objective on its own: its module, code and texts."""

    module = VisibleModulesField(
        queryset=Module.objects.all(), help_text=_("Id of the module; it cannot change.")
    )
    code = serializers.CharField(
        max_length=20, help_text=_("Short and unique in the version, for example 3.2.")
    )
    texts = texts_field(_("Language code → text; one language at least."))

    class Meta(ObjectiveSerializer.Meta):
        fields = ["id", "module", "order", "code", "text", "texts"]
        read_only_fields = ["id", "order", "text"]


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


def filter_by_ids(
    queryset: QuerySet[Any], params: Any, lookups: tuple[tuple[str, str], ...]
) -> QuerySet[Any]:
    """Apply the list's id filters (query parameter → lookup); a value that is not an id is
    refused rather than ignored."""
    for name, lookup in lookups:
        value = params.get(name, "")
        if value:
            if not value.isdigit() or len(value) > 18:
                raise serializers.ValidationError({name: [_("Give an id.")]})
            queryset = queryset.filter(**{lookup: int(value)})
    return queryset


@extend_schema(tags=["training"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("version", OpenApiTypes.INT, description="Only this version's."),
        ]
    )
)
class ModuleViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, MizanViewSet
):
    """Modules of curriculum versions, in course order, each with its learning objectives,
    materials and vocabulary links. Every member reads them; coordinators and trainers
    add, change and remove them. A module is added at the end of its version; removing it
    removes its objectives and their questions. A frozen version's modules never change."""

    serializer_class = ModuleEditSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_required = {
        "list": "training.view_curriculum",
        "retrieve": "training.view_curriculum",
        "create": "training.change_curriculum",
        "partial_update": "training.change_curriculum",
        "destroy": "training.change_curriculum",
    }

    def get_queryset(self) -> QuerySet[Module]:
        queryset = (
            modules_visible_to(self.request.user)
            .select_related("version")
            .prefetch_related(
                Prefetch("objectives", queryset=LearningObjective.objects.order_by("order", "id")),
                "materials",
                Prefetch("terms", queryset=Term.objects.select_related("vocabulary")),
            )
            .order_by("version_id", "order", "id")
        )
        if self.action == "list" and not self.is_schema_generation():
            queryset = filter_by_ids(
                queryset, self.request.query_params, (("version", "version_id"),)
            )
        return queryset

    def _representation(self, module: Module) -> Any:
        return self.get_serializer(self.get_queryset().get(pk=module.pk)).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        module = services.add_module(**serializer.validated_data, by=request.user)
        return Response(self._representation(module), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        module = self.get_object()
        serializer = self.get_serializer(module, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.pop("version", module.version) != module.version:
            raise MizanError(_("A module cannot move to another version."), field="version")
        services.update_module(module=module, by=request.user, **data)
        return Response(self._representation(module))

    def perform_destroy(self, instance: Module) -> None:
        services.remove_module(module=instance, by=self.request.user)


@extend_schema(tags=["training"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("module", OpenApiTypes.INT, description="Only this module's."),
        ]
    )
)
class ObjectiveViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, MizanViewSet
):
    """Learning objectives of modules, in course order. Every member reads them;
    coordinators and trainers add, change and remove them. An objective is added at the
    end of its module; removing it removes its questions. A frozen version's objectives
    never change."""

    serializer_class = ObjectiveEditSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_required = {
        "list": "training.view_curriculum",
        "retrieve": "training.view_curriculum",
        "create": "training.change_curriculum",
        "partial_update": "training.change_curriculum",
        "destroy": "training.change_curriculum",
    }

    def get_queryset(self) -> QuerySet[LearningObjective]:
        queryset = (
            objectives_visible_to(self.request.user)
            .select_related("module__version")
            .order_by("module__version_id", "module__order", "module_id", "order", "id")
        )
        if self.action == "list" and not self.is_schema_generation():
            queryset = filter_by_ids(
                queryset, self.request.query_params, (("module", "module_id"),)
            )
        return queryset

    def _representation(self, objective: LearningObjective) -> Any:
        return self.get_serializer(self.get_queryset().get(pk=objective.pk)).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objective = services.add_objective(**serializer.validated_data, by=request.user)
        return Response(self._representation(objective), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        objective = self.get_object()
        serializer = self.get_serializer(objective, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.pop("module", objective.module) != objective.module:
            raise MizanError(_("An objective cannot move to another module."), field="module")
        services.update_objective(objective=objective, by=request.user, **data)
        return Response(self._representation(objective))

    def perform_destroy(self, instance: LearningObjective) -> None:
        services.remove_objective(objective=instance, by=self.request.user)


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
            queryset = filter_by_ids(
                queryset,
                self.request.query_params,
                (("version", "objective__module__version_id"), ("objective", "objective_id")),
            )
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
    router.register("curriculum-modules", ModuleViewSet, basename="curriculum-module")
    router.register("learning-objectives", ObjectiveViewSet, basename="learning-objective")
    router.register("questions", QuestionViewSet, basename="question")


urlpatterns: list[URLPattern] = []
