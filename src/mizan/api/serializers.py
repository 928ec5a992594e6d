"""What the API reads and writes. Serializers validate shapes and types only; the business
rules (duplicate paragraphs, original texts, confirmed tags) stay in the domain services.

Some fields share a name with an attribute of DRF's ``Field`` (``label``, ``source``,
``parent``); DRF's metaclass takes declared fields off the class, so only the type checker
sees a clash, and those lines tell it so.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mizan.accounts.models import Membership, User
from mizan.api.permissions import REPORTED_PERMISSIONS
from mizan.core.languages import CONTENT_LANGUAGES
from mizan.evidence.models import EvidenceFile
from mizan.institutions.models import Institution
from mizan.recommendations.enums import (
    AssessmentVoice,
    ImplementationStatus,
    Position,
    TaggingSource,
)
from mizan.recommendations.models import (
    Assessment,
    Assignment,
    Mechanism,
    Recommendation,
    RecommendationText,
    SourceDocument,
    Tagging,
    Term,
    Vocabulary,
)
from mizan.recommendations.queries import documents_visible_to, recommendations_visible_to


def request_user(field: serializers.Field[Any, Any, Any, Any]) -> Any:
    """The user of the request a serializer field is used in (None outside a request)."""
    request = field.context.get("request")
    return getattr(request, "user", None)


# The class-level querysets name the model (for the schema); what a user may pick is what
# the domain's selector lets them see.
class VisibleDocumentField(serializers.SlugRelatedField[SourceDocument]):
    def get_queryset(self) -> QuerySet[SourceDocument]:
        return documents_visible_to(request_user(self))


class VisibleRecommendationField(serializers.PrimaryKeyRelatedField[Recommendation]):
    def get_queryset(self) -> QuerySet[Recommendation]:
        return recommendations_visible_to(request_user(self))


def _username(user: User | None) -> str | None:
    return user.get_username() if user is not None else None


class MechanismSerializer(serializers.ModelSerializer[Mechanism]):
    name = serializers.CharField(read_only=True, help_text=_("In the active language."))
    names = serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text=_("Language code → text.")
    )

    class Meta:
        model = Mechanism
        fields = ["code", "name", "names", "kind"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer[SourceDocument]):
    mechanism = serializers.SlugRelatedField(slug_field="code", queryset=Mechanism.objects.all())

    class Meta:
        model = SourceDocument
        fields = ["id", "symbol", "mechanism", "title", "date", "cycle", "state_under_review"]
        # The service checks the symbol (also ignoring case) and reports it as a MizanError.
        extra_kwargs: dict[str, dict[str, Any]] = {"symbol": {"validators": []}}


class RecommendationTextSerializer(serializers.ModelSerializer[RecommendationText]):
    language = serializers.ChoiceField(choices=CONTENT_LANGUAGES)
    is_original = serializers.BooleanField(default=False)

    class Meta:
        model = RecommendationText
        fields = ["language", "text", "is_original"]


class TagSerializer(serializers.ModelSerializer[Tagging]):
    """A tag as shown inside a recommendation."""

    vocabulary = serializers.CharField(source="term.vocabulary.code", read_only=True)
    term = serializers.CharField(source="term.code", read_only=True)
    label = serializers.CharField(source="term.label", read_only=True)  # type: ignore[assignment]
    confirmed = serializers.BooleanField(source="is_confirmed", read_only=True)

    class Meta:
        model = Tagging
        fields = ["id", "vocabulary", "term", "label", "confirmed"]


class AssignmentSerializer(serializers.ModelSerializer[Assignment]):
    institution = serializers.CharField(source="institution.code", read_only=True)
    name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = Assignment
        fields = ["institution", "name", "role", "due_date"]
        read_only_fields = fields


# An inline enum: a second component for the same choices as ``status`` would make
# drf-spectacular warn about two names for one choice set.
@extend_schema_field({"type": "string", "enum": [*ImplementationStatus.values, ""]})
class OptionalStatusField(serializers.CharField):
    """An implementation status, or "" where none is recorded yet."""


class RecommendationSerializer(serializers.ModelSerializer[Recommendation]):
    document = VisibleDocumentField(slug_field="symbol", queryset=SourceDocument.objects.all())
    mechanism = serializers.CharField(source="document.mechanism.code", read_only=True)
    state_under_review = serializers.CharField(source="document.state_under_review", read_only=True)
    position = serializers.ChoiceField(choices=Position.choices, allow_blank=True, required=False)
    status = serializers.ChoiceField(
        choices=ImplementationStatus.choices,
        required=False,
        help_text=_(
            "The state's assessment of implementation, as last recorded. Setting it here "
            "records no dated assessment; POST to the assessments endpoint for that."
        ),
    )
    nhri_status = OptionalStatusField(
        read_only=True,
        help_text=_(
            "The NHRI's independent assessment, as last recorded; empty until made. "
            "Changed only by recording an assessment."
        ),
    )
    texts = RecommendationTextSerializer(
        many=True,
        help_text=_(
            "Every language of the text. When changing a recommendation, the list replaces "
            "its texts: a language left out is removed."
        ),
    )
    tags = TagSerializer(source="taggings", many=True, read_only=True)
    institutions = AssignmentSerializer(source="assignments", many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "external_id",
            "document",
            "mechanism",
            "state_under_review",
            "paragraph",
            "recommending_state",
            "position",
            "status",
            "nhri_status",
            "texts",
            "tags",
            "institutions",
            "created_at",
            "updated_at",
        ]
        # The service reports a duplicate paragraph itself, with a clearer message than the
        # unique-together validator DRF would add.
        validators: list[Any] = []

    def validate_texts(self, texts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not texts:
            raise serializers.ValidationError(
                _("A recommendation needs its text in at least one language.")
            )
        languages = [text["language"] for text in texts]
        if len(set(languages)) != len(languages):
            raise serializers.ValidationError(_("Give each language only once."))
        if sum(1 for text in texts if text.get("is_original")) > 1:
            raise serializers.ValidationError(_("Only one text can be the original."))
        return texts


class EvidenceSerializer(serializers.ModelSerializer[EvidenceFile]):
    class Meta:
        model = EvidenceFile
        fields = ["id", "name", "content_type", "size", "description", "uploaded_at"]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    """One dated assessment of a recommendation's implementation, by one voice."""

    institution = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Institution.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Code of the institution the assessment is made for."),
    )
    recorded_by = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "voice",
            "status",
            "assessed_on",
            "rationale",
            "institution",
            "evidence",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["id", "evidence", "recorded_by", "recorded_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_recorded_by(self, assessment: Assessment) -> str | None:
        return _username(assessment.recorded_by)


class AssessmentCreateSerializer(AssessmentSerializer):
    """Record an assessment. Evidence files come as ``evidence`` parts of a
    multipart/form-data body (repeat for several)."""

    voice = serializers.ChoiceField(choices=AssessmentVoice.choices)
    status = serializers.ChoiceField(choices=ImplementationStatus.choices)
    rationale = serializers.CharField(trim_whitespace=True, allow_blank=True)
    evidence = serializers.ListField(  # type: ignore[assignment]
        child=serializers.FileField(), required=False, write_only=True, default=list
    )

    class Meta(AssessmentSerializer.Meta):
        read_only_fields = ["id", "recorded_by", "recorded_at"]


class TaggingSerializer(serializers.ModelSerializer[Tagging]):
    vocabulary = serializers.CharField(source="term.vocabulary.code", read_only=True)
    term = serializers.CharField(source="term.code", read_only=True)
    term_label = serializers.CharField(source="term.label", read_only=True)
    confirmed = serializers.BooleanField(source="is_confirmed", read_only=True)
    tagged_by = serializers.SerializerMethodField()
    confirmed_by = serializers.SerializerMethodField()

    class Meta:
        model = Tagging
        fields = [
            "id",
            "recommendation",
            "vocabulary",
            "term",
            "term_label",
            "source",
            "model_name",
            "confidence",
            "tagged_by",
            "tagged_at",
            "confirmed",
            "confirmed_by",
            "confirmed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_tagged_by(self, tagging: Tagging) -> str | None:
        return _username(tagging.tagged_by)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_confirmed_by(self, tagging: Tagging) -> str | None:
        return _username(tagging.confirmed_by)


class TaggingCreateSerializer(serializers.Serializer[Tagging]):
    """Tag a recommendation with a term, named by its vocabulary's code and its own."""

    recommendation = VisibleRecommendationField(queryset=Recommendation.objects.all())
    vocabulary = serializers.SlugField(max_length=40)
    term = serializers.CharField(max_length=40)
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[TaggingSource.PERSON, TaggingSource.MODEL],
        default=TaggingSource.PERSON,
        help_text=_("A model's tag waits for a person to confirm it; a person's is confirmed."),
    )
    model_name = serializers.CharField(max_length=100, required=False, default="")
    confidence = serializers.FloatField(
        min_value=0, max_value=1, required=False, allow_null=True, default=None
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        term = (
            Term.objects.filter(vocabulary__code=attrs["vocabulary"], code=attrs["term"])
            .select_related("vocabulary")
            .first()
        )
        if term is None:
            raise serializers.ValidationError(
                {
                    "term": [
                        _("Vocabulary %(vocabulary)s has no term %(term)s.")
                        % {"vocabulary": attrs["vocabulary"], "term": attrs["term"]}
                    ]
                }
            )
        attrs["term"] = term
        return attrs


class VocabularySerializer(serializers.ModelSerializer[Vocabulary]):
    name = serializers.CharField(read_only=True, help_text=_("In the active language."))
    names = serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text=_("Language code → text.")
    )
    term_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Vocabulary
        fields = [
            "code",
            "name",
            "names",
            "description",
            "source_note",
            "is_facet",
            "position",
            "term_count",
        ]
        read_only_fields = fields


class TermSerializer(serializers.ModelSerializer[Term]):
    label = serializers.CharField(read_only=True, help_text=_("In the active language."))  # type: ignore[assignment]
    labels = serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text=_("Language code → text.")
    )
    parent = serializers.CharField(  # type: ignore[assignment]
        source="parent.code",
        read_only=True,
        allow_null=True,
        help_text=_("Code of the broader term, if any."),
    )

    class Meta:
        model = Term
        fields = ["code", "label", "labels", "parent", "position"]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    institution = serializers.CharField(source="institution.code", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["institution", "institution_name", "role"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer[User]):
    """The view passes the memberships, with their institutions, in ``context``."""

    memberships = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField(
        help_text=_("What this user may do, so a client can offer only that.")
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "email",
            "preferred_language",
            "memberships",
            "roles",
            "permissions",
        ]
        read_only_fields = fields

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, user: User) -> Any:
        return MembershipSerializer(self.context["memberships"], many=True).data

    def get_roles(self, user: User) -> list[str]:
        return sorted(user.roles())

    def get_permissions(self, user: User) -> list[str]:
        return [name for name in REPORTED_PERMISSIONS if user.has_perm(name)]
