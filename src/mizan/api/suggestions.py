"""API endpoints: suggestions for the training, and the changelog entries that integrate
accepted ones into a curriculum version.

- ``suggestions/``: every member reads them and makes one as themselves
  (``intake.make_suggestion``). Who wrote one is shown only to those holding
  ``suggestions.view_author`` on it: during blind review, a member of the reviewing
  committee gets ``author: null`` and ``author_hidden: true``, and cannot filter or
  order by author. Decisions: released ones, and unreleased ones to the round's readers.
- ``changelog-entries/``: every member reads them; coordinators and trainers write one
  on a version not yet used by sessions, linking the accepted suggestions it integrates
  (``integration.integrate_suggestions``).

Review rounds, reviews and decisions are in ``mizan.api.reviews``.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.db.models import Prefetch, QuerySet
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
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from mizan.api.actions import EvidenceFileSerializer, HasRulesObjectPermission
from mizan.api.serializers import request_user
from mizan.api.training import filter_by_ids
from mizan.api.views import MizanViewSet
from mizan.suggestions.enums import AuthorKind, Category, Outcome, Subject, SuggestionStatus
from mizan.suggestions.models import Suggestion, SuggestionDecision
from mizan.suggestions.queries import (
    authors_visible_to,
    decisions_visible_to,
    rounds_visible_to,
    suggestions_visible_to,
)
from mizan.suggestions.services import intake, integration
from mizan.training.models import (
    ChangelogEntry,
    Curriculum,
    CurriculumVersion,
    LearningObjective,
    Module,
    TrainingSession,
)
from mizan.training.queries import (
    curricula_visible_to,
    modules_visible_to,
    objectives_visible_to,
    sessions_visible_to,
    versions_visible_to,
)

# --- Choice fields named in the schema --------------------------------------------------------
#
# ``status``, ``subject``, ``category`` and ``outcome`` have other choices elsewhere in the
# API; each set here is its own named component.


class FixedChoiceField(serializers.ChoiceField):
    """A choice field whose choices are the class's ``fixed_choices``."""

    fixed_choices: Any = ()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=self.fixed_choices, **kwargs)


def _enum(choices: Any) -> dict[str, Any]:
    return {"type": "string", "enum": [value for value, _label in choices]}


@extend_schema_field(_enum(Subject.choices), component_name="SuggestionSubjectEnum")
class SubjectField(FixedChoiceField):
    fixed_choices = Subject.choices


@extend_schema_field(_enum(Category.choices), component_name="SuggestionCategoryEnum")
class CategoryField(FixedChoiceField):
    fixed_choices = Category.choices


@extend_schema_field(_enum(SuggestionStatus.choices), component_name="SuggestionStatusEnum")
class SuggestionStatusField(FixedChoiceField):
    fixed_choices = SuggestionStatus.choices


@extend_schema_field(_enum(Outcome.choices), component_name="SuggestionOutcomeEnum")
class OutcomeField(FixedChoiceField):
    fixed_choices = Outcome.choices


@extend_schema_field(_enum(AuthorKind.choices), component_name="SuggestionAuthorKindEnum")
class AuthorKindField(FixedChoiceField):
    fixed_choices = AuthorKind.choices


#: Who may make a suggestion signed in: participants make theirs through their link.
SIGNED_IN_KINDS = [(v, label) for v, label in AuthorKind.choices if v != AuthorKind.PARTICIPANT]


@extend_schema_field(_enum(SIGNED_IN_KINDS), component_name="SignedInAuthorKindEnum")
class SignedInKindField(FixedChoiceField):
    fixed_choices = SIGNED_IN_KINDS


@extend_schema_field(_enum(settings.LANGUAGES), component_name="SuggestionLanguageEnum")
class LanguageField(FixedChoiceField):
    fixed_choices = settings.LANGUAGES


# --- Fields limited to what the user may choose -----------------------------------------------


class VisibleSuggestionField(serializers.PrimaryKeyRelatedField[Suggestion]):
    def get_queryset(self) -> QuerySet[Suggestion]:
        return suggestions_visible_to(request_user(self))


class VisibleCurriculumField(serializers.PrimaryKeyRelatedField[Curriculum]):
    def get_queryset(self) -> QuerySet[Curriculum]:
        return curricula_visible_to(request_user(self))


class VisibleVersionField(serializers.PrimaryKeyRelatedField[CurriculumVersion]):
    def get_queryset(self) -> QuerySet[CurriculumVersion]:
        return versions_visible_to(request_user(self))


class VisibleModuleField(serializers.PrimaryKeyRelatedField[Module]):
    def get_queryset(self) -> QuerySet[Module]:
        return modules_visible_to(request_user(self)).select_related("version__curriculum")


class VisibleObjectiveField(serializers.PrimaryKeyRelatedField[LearningObjective]):
    def get_queryset(self) -> QuerySet[LearningObjective]:
        return objectives_visible_to(request_user(self)).select_related(
            "module__version__curriculum"
        )


class VisibleSessionField(serializers.PrimaryKeyRelatedField[TrainingSession]):
    def get_queryset(self) -> QuerySet[TrainingSession]:
        return sessions_visible_to(request_user(self)).select_related("version__curriculum")


# --- Serializers ------------------------------------------------------------------------------


class AuthorSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    kind = AuthorKindField()
    institution = serializers.CharField(
        allow_null=True, help_text=_("Code of the author's unit, if known.")
    )


class SuggestionDecisionSerializer(serializers.ModelSerializer[SuggestionDecision]):
    outcome = OutcomeField(read_only=True)

    class Meta:
        model = SuggestionDecision
        fields = [
            "id",
            "round",
            "outcome",
            "rationale",
            "merged_into",
            "meeting",
            "decided_at",
            "released_at",
        ]
        read_only_fields = fields


class IntegrationSerializer(serializers.Serializer[Any]):
    changelog_entry = serializers.IntegerField()
    version = serializers.IntegerField()
    curriculum = serializers.IntegerField()
    number = serializers.IntegerField(help_text=_("The version's number."))


def _page_of(serializer: Any, suggestion: Suggestion) -> list[Suggestion]:
    """The suggestions being serialized together with ``suggestion``: those of the list
    page it is on (a page of suggestions, or of records that each have one, such as
    review assignments), or just it."""
    node = serializer
    while node is not None:
        instances = node.instance if isinstance(node, serializers.ListSerializer) else None
        if isinstance(instances, list | tuple):
            found = [
                item if isinstance(item, Suggestion) else getattr(item, "suggestion", None)
                for item in instances
            ]
            page = [item for item in found if isinstance(item, Suggestion)]
            if suggestion in page:
                return page
        node = getattr(node, "parent", None)
    return [suggestion]


def sees_author(serializer: serializers.Field[Any, Any, Any, Any], suggestion: Suggestion) -> bool:
    """Whether the requester may see who wrote ``suggestion``: the rule
    ``suggestions.view_author``, answered for a whole page at once
    (``queries.authors_visible_to``), so a list costs no query per suggestion. An
    anonymous suggestion has no author to see."""
    if suggestion.anonymous:
        return False
    user = request_user(serializer)
    if user is None:
        return False
    context = cast(dict[str, Any], serializer.context)
    asked: set[int] = context.setdefault("_authors_asked", set())
    visible: set[int] = context.setdefault("_authors_visible", set())
    if suggestion.pk not in asked:
        page = _page_of(serializer, suggestion)
        visible |= authors_visible_to(user, page)
        asked.update(s.pk for s in page)
    return suggestion.pk in visible


class SuggestionSerializer(serializers.ModelSerializer[Suggestion]):
    """A suggestion as the requester may see it. Nothing here names the author unless
    ``suggestions.view_author`` allows it (not even the unit, or who recorded it)."""

    subject = SubjectField(read_only=True)
    category = CategoryField(read_only=True)
    language = LanguageField(read_only=True)
    status = SuggestionStatusField(read_only=True)
    author = serializers.SerializerMethodField(
        help_text=_("Who wrote it, for those who may know; otherwise null.")
    )
    author_hidden = serializers.SerializerMethodField(
        help_text=_("True when the suggestion has an author you may not see (blind review).")
    )
    attachments = EvidenceFileSerializer(many=True, read_only=True)
    decisions = serializers.SerializerMethodField(
        help_text=_("Released decisions; unreleased ones too for the readers of the round.")
    )
    integrated_in = serializers.SerializerMethodField(
        help_text=_("The changelog entries, and their versions, that integrate it.")
    )

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "reference",
            "subject",
            "curriculum",
            "module",
            "objective",
            "category",
            "text",
            "language",
            "session",
            "anonymous",
            "author",
            "author_hidden",
            "status",
            "group",
            "attachments",
            "decisions",
            "integrated_in",
            "submitted_at",
        ]
        read_only_fields = fields

    @extend_schema_field(AuthorSerializer(allow_null=True))
    def get_author(self, suggestion: Suggestion) -> dict[str, Any] | None:
        if not sees_author(self, suggestion):
            return None
        institution = suggestion.author_institution
        return {
            "name": intake.author_name(suggestion),
            "kind": suggestion.author_kind,
            "institution": institution.code if institution is not None else None,
        }

    @extend_schema_field(serializers.BooleanField())
    def get_author_hidden(self, suggestion: Suggestion) -> bool:
        return not suggestion.anonymous and not sees_author(self, suggestion)

    @extend_schema_field(SuggestionDecisionSerializer(many=True))
    def get_decisions(self, suggestion: Suggestion) -> Any:
        decisions = getattr(suggestion, "visible_decisions", None)
        if decisions is None:
            decisions = list(
                decisions_visible_to(request_user(self))
                .filter(suggestion=suggestion)
                .order_by("decided_at", "pk")
            )
        return SuggestionDecisionSerializer(decisions, many=True).data

    @extend_schema_field(IntegrationSerializer(many=True))
    def get_integrated_in(self, suggestion: Suggestion) -> list[dict[str, int]]:
        return [
            {
                "changelog_entry": entry.pk,
                "version": entry.version_id,
                "curriculum": entry.version.curriculum_id,
                "number": entry.version.number,
            }
            for entry in suggestion.changelog_entries.all()
        ]


def with_details(queryset: QuerySet[Suggestion], user: Any) -> QuerySet[Suggestion]:
    """What ``SuggestionSerializer`` reads, in a fixed number of queries (the session is
    prefetched so that suggestions of one session share it, and the rules' cache of its
    organisers)."""
    return queryset.select_related(
        "author_user", "author_enrolment__participant", "author_institution"
    ).prefetch_related(
        "session",
        "attachments",
        Prefetch(
            "decisions",
            queryset=decisions_visible_to(user).order_by("decided_at", "pk"),
            to_attr="visible_decisions",
        ),
        Prefetch(
            "changelog_entries",
            queryset=ChangelogEntry.objects.select_related("version").order_by(
                "version_id", "order", "pk"
            ),
        ),
    )


class SuggestionCreateSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)
    subject = SubjectField(help_text=_("What it is about; a module or objective needs its id."))
    category = CategoryField()
    language = LanguageField(help_text=_("The language it is written in."))
    author_kind = SignedInKindField(
        required=False, default=AuthorKind.STAFF, help_text=_("You make it as a…")
    )
    curriculum = VisibleCurriculumField(
        queryset=Curriculum.objects.all(), required=False, allow_null=True
    )
    module = VisibleModuleField(queryset=Module.objects.all(), required=False, allow_null=True)
    objective = VisibleObjectiveField(
        queryset=LearningObjective.objects.all(), required=False, allow_null=True
    )
    session = VisibleSessionField(
        queryset=TrainingSession.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Id of the session it comes from, if any."),
    )
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=_("Files (multipart only), at most five."),
    )


# --- Suggestions ------------------------------------------------------------------------------

#: The orders a list may be asked in; never by author.
ORDERINGS = ("submitted_at", "-submitted_at", "id", "-id", "status", "-status")

SUGGESTION_FILTER_PARAMETERS = [
    OpenApiParameter(
        "status", OpenApiTypes.STR, enum=SuggestionStatus.values, description="Only this status."
    ),
    OpenApiParameter("subject", OpenApiTypes.STR, enum=Subject.values, description="About."),
    OpenApiParameter(
        "category", OpenApiTypes.STR, enum=Category.values, description="Only this category."
    ),
    OpenApiParameter(
        "language",
        OpenApiTypes.STR,
        enum=[code for code, _name in settings.LANGUAGES],
        description="Only those written in this language.",
    ),
    OpenApiParameter("session", OpenApiTypes.INT, description="Only those from this session."),
    OpenApiParameter("curriculum", OpenApiTypes.INT, description="Only this curriculum's."),
    OpenApiParameter(
        "round", OpenApiTypes.INT, description="Only those under review in this round."
    ),
    OpenApiParameter(
        "ordering", OpenApiTypes.STR, enum=list(ORDERINGS), description="Newest first if omitted."
    ),
]

_CHOICE_FILTERS = (
    ("status", SuggestionStatus.values, _("Not a status of suggestions.")),
    ("subject", Subject.values, _("Not a subject of suggestions.")),
    ("category", Category.values, _("Not a category of suggestions.")),
    ("language", [code for code, _name in settings.LANGUAGES], _("Not a language of the site.")),
)


def filter_suggestions(
    queryset: QuerySet[Suggestion], params: Any, user: Any
) -> QuerySet[Suggestion]:
    """The list's filters. Nothing filters or orders by author: during blind review that
    would name them by elimination. A value that names nothing is refused."""
    for name, allowed, message in _CHOICE_FILTERS:
        value = params.get(name, "")
        if value:
            if value not in allowed:
                raise serializers.ValidationError({name: [message]})
            queryset = queryset.filter(**{name: value})
    queryset = filter_by_ids(
        queryset, params, (("session", "session_id"), ("curriculum", "curriculum_id"))
    )
    if params.get("round"):
        # Which suggestions a round reviews is for those who read the round: another
        # round's id gives an empty list.
        readable = filter_by_ids(rounds_visible_to(user), params, (("round", "pk"),))
        queryset = queryset.filter(review_rounds__in=readable)
    ordering = params.get("ordering", "")
    if ordering:
        if ordering not in ORDERINGS:
            raise serializers.ValidationError(
                {"ordering": [_("Order by one of: %(orders)s.") % {"orders": ", ".join(ORDERINGS)}]}
            )
        queryset = queryset.order_by(ordering, "-id" if ordering.startswith("-") else "id")
    return queryset


@extend_schema(tags=["suggestions"])
@extend_schema_view(list=extend_schema(parameters=SUGGESTION_FILTER_PARAMETERS))
class SuggestionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, MizanViewSet
):
    """Suggestions for the training. Every member reads them and makes one as themselves
    (trainer, committee member or staff); participants make theirs through their
    personal link. The author is shown only under ``suggestions.view_author``."""

    serializer_class = SuggestionSerializer
    permission_classes = [HasRulesObjectPermission]
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"\d+"
    permission_required = {
        "list": "suggestions.view_suggestion",
        "retrieve": "suggestions.view_suggestion",
        "create": "suggestions.add_suggestion",
    }

    def get_queryset(self) -> QuerySet[Suggestion]:
        user = self.request.user
        queryset = suggestions_visible_to(user)
        if self.action == "list" and not self.is_schema_generation():
            queryset = filter_suggestions(queryset, self.request.query_params, user)
        return with_details(queryset, user)

    @extend_schema(
        request={
            "application/json": SuggestionCreateSerializer,
            "multipart/form-data": SuggestionCreateSerializer,
        },
        responses={201: SuggestionSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Make a suggestion, as yourself (only participants may stay anonymous)."""
        serializer = SuggestionCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        suggestion = intake.make_suggestion(
            text=data["text"],
            subject=data["subject"],
            category=data["category"],
            language=data["language"],
            author_kind=data["author_kind"],
            curriculum=data.get("curriculum"),
            module=data.get("module"),
            objective=data.get("objective"),
            session=data.get("session"),
            uploads=data.get("attachments") or [],
            by=request.user,
        )
        created = with_details(suggestions_visible_to(request.user), request.user).get(
            pk=suggestion.pk
        )
        return Response(
            SuggestionSerializer(created, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


# --- Changelog entries ------------------------------------------------------------------------


class ChangelogEntrySerializer(serializers.ModelSerializer[ChangelogEntry]):
    modules: serializers.PrimaryKeyRelatedField[Module] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    suggestions: serializers.PrimaryKeyRelatedField[Suggestion] = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    )

    class Meta:
        model = ChangelogEntry
        fields = ["id", "version", "order", "text", "modules", "suggestions", "created_at"]
        read_only_fields = fields


class IntegrationCreateSerializer(serializers.Serializer[Any]):
    version = VisibleVersionField(
        queryset=CurriculumVersion.objects.all(),
        help_text=_("Id of a version not yet used by sessions."),
    )
    text = serializers.CharField(allow_blank=True, help_text=_("What changes."))
    modules = VisibleModuleField(
        queryset=Module.objects.all(),
        many=True,
        required=False,
        default=list,
        help_text=_("Ids of the version's modules it changes."),
    )
    suggestions = VisibleSuggestionField(
        queryset=Suggestion.objects.all(),
        many=True,
        required=False,
        default=list,
        help_text=_("Ids of the accepted suggestions it integrates."),
    )


@extend_schema(tags=["suggestions"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("version", OpenApiTypes.INT, description="Only this version's.")
        ]
    )
)
class ChangelogEntryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, MizanViewSet
):
    """What each curriculum version changes, with the accepted suggestions it integrates.
    Every member reads them; coordinators and trainers write one
    (``suggestions.integrate_suggestion``) on a version not yet used by sessions."""

    serializer_class = ChangelogEntrySerializer
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"\d+"
    permission_required = {
        "list": "training.view_curriculum",
        "retrieve": "training.view_curriculum",
        "create": "suggestions.integrate_suggestion",
    }

    def get_queryset(self) -> QuerySet[ChangelogEntry]:
        queryset = ChangelogEntry.objects.filter(version__in=versions_visible_to(self.request.user))
        if self.action == "list" and not self.is_schema_generation():
            params = self.request.query_params
            queryset = filter_by_ids(queryset, params, (("version", "version_id"),))
        return queryset.prefetch_related("modules", "suggestions").order_by(
            "version_id", "order", "id"
        )

    @extend_schema(request=IntegrationCreateSerializer, responses={201: ChangelogEntrySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Write a changelog entry of a version and link the accepted suggestions it
        integrates."""
        serializer = IntegrationCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        entry = integration.integrate_suggestions(**serializer.validated_data, by=request.user)
        return Response(
            ChangelogEntrySerializer(self.get_queryset().get(pk=entry.pk)).data,
            status=status.HTTP_201_CREATED,
        )


def register(router: SimpleRouter) -> None:
    """Add this area's viewsets to the API's router."""
    router.register("suggestions", SuggestionViewSet, basename="suggestion")
    router.register("changelog-entries", ChangelogEntryViewSet, basename="changelog-entry")


urlpatterns: list[URLPattern] = []
