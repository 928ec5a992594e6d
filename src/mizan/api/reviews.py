"""API endpoints: review rounds of joint committees, reviewers' assignments and reviews,
and the committee's decisions on suggestions.

- ``review-rounds/``: read by the readers of the round's committee
  (``rounds_visible_to``; others get 404); created, prepared, opened, closed, decided and
  released by its chair or secretary, or a coordinator (``suggestions.add_reviewround``
  on the committee, ``suggestions.change_reviewround`` and ``suggestions.decide`` on the
  round; a plain member gets 403). ``dashboard/`` gives progress per reviewer and per
  suggestion, never who wrote a suggestion.
- ``review-assignments/``: the requester's own assignments; ``review/`` scores one
  (``suggestions.review``: one's own, while the round is open).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
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
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from mizan.api.actions import HasRulesObjectPermission
from mizan.api.partnerships import VisibleCommitteeField, VisibleMeetingField
from mizan.api.suggestions import (
    FixedChoiceField,
    OutcomeField,
    SuggestionDecisionSerializer,
    SuggestionSerializer,
    VisibleCurriculumField,
    VisibleSuggestionField,
    with_details,
)
from mizan.api.training import filter_by_ids, texts_field
from mizan.api.views import MizanViewSet
from mizan.partnerships.models import CommitteeMember, JointCommittee, Meeting
from mizan.suggestions import dashboard
from mizan.suggestions.enums import RoundStatus
from mizan.suggestions.models import (
    Criterion,
    Review,
    ReviewAssignment,
    ReviewRound,
    Suggestion,
    SuggestionGroup,
)
from mizan.suggestions.queries import assignments_of, rounds_visible_to
from mizan.suggestions.services import decisions, rounds
from mizan.training.models import Curriculum


@extend_schema_field(
    {"type": "string", "enum": list(RoundStatus.values)}, component_name="ReviewRoundStatusEnum"
)
class RoundStatusField(FixedChoiceField):
    fixed_choices = RoundStatus.choices


# --- Serializers ------------------------------------------------------------------------------


class CriterionSerializer(serializers.ModelSerializer[Criterion]):
    names = texts_field(_("Language code → name."), read_only=True)
    name = serializers.CharField(read_only=True, help_text=_("In the active language."))

    class Meta:
        model = Criterion
        fields = ["id", "order", "name", "names", "weight"]
        read_only_fields = fields


class CriterionInputSerializer(serializers.Serializer[Any]):
    names = texts_field(_("Language code → name; one language at least."))
    weight = serializers.IntegerField(help_text=_("From 1 to 10."))


class GroupSerializer(serializers.ModelSerializer[SuggestionGroup]):
    suggestions: serializers.PrimaryKeyRelatedField[Suggestion] = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    )

    class Meta:
        model = SuggestionGroup
        fields = ["id", "title", "suggestions", "created_at"]
        read_only_fields = fields


class ReviewRoundSerializer(serializers.ModelSerializer[ReviewRound]):
    status = RoundStatusField(read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    suggestions: serializers.PrimaryKeyRelatedField[Suggestion] = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    )
    groups = GroupSerializer(many=True, read_only=True)

    class Meta:
        model = ReviewRound
        fields = [
            "id",
            "committee",
            "title",
            "curriculum",
            "blind",
            "reviewers_per_suggestion",
            "review_until",
            "status",
            "criteria",
            "suggestions",
            "groups",
            "released_at",
            "created_at",
        ]
        read_only_fields = fields


class ReviewRoundUpdateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(allow_blank=True, max_length=200)
    curriculum = VisibleCurriculumField(
        queryset=Curriculum.objects.all(), allow_null=True, required=False
    )
    blind = serializers.BooleanField(
        help_text=_("Reviewers do not see who wrote a suggestion. Fixed once reviewing starts.")
    )
    reviewers_per_suggestion = serializers.IntegerField(help_text=_("From 1 to 20."))
    review_until = serializers.DateField(allow_null=True, required=False)
    criteria = CriterionInputSerializer(
        many=True,
        help_text=_("The rubric, in order; replaces the present one, while preparing only."),
    )


class ReviewRoundCreateSerializer(ReviewRoundUpdateSerializer):
    committee = VisibleCommitteeField(
        queryset=JointCommittee.objects.all(), help_text=_("Id of a committee you keep.")
    )
    blind = serializers.BooleanField(default=True)
    reviewers_per_suggestion = serializers.IntegerField(default=2, help_text=_("From 1 to 20."))
    criteria = CriterionInputSerializer(
        many=True, required=False, help_text=_("The rubric; a default one if omitted.")
    )


class SuggestionIdsSerializer(serializers.Serializer[Any]):
    suggestions = VisibleSuggestionField(
        queryset=Suggestion.objects.all(), many=True, help_text=_("Ids of suggestions.")
    )


class GroupCreateSerializer(SuggestionIdsSerializer):
    title = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, help_text=_("Optional.")
    )


class DecideSerializer(SuggestionIdsSerializer):
    outcome = OutcomeField()
    rationale = serializers.CharField(allow_blank=True, help_text=_("Why; required."))
    meeting = VisibleMeetingField(
        queryset=Meeting.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Id of the committee meeting that decided."),
    )
    merged_into = VisibleSuggestionField(
        queryset=Suggestion.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Id of the suggestion they are merged into (outcome “merged”)."),
    )


class AddedSerializer(serializers.Serializer[Any]):
    added = serializers.IntegerField()


class ReleasedSerializer(serializers.Serializer[Any]):
    released = serializers.IntegerField()


class SeatSerializer(serializers.Serializer[Any]):
    reviewer = serializers.IntegerField(help_text=_("Id of the committee seat."))
    user = serializers.CharField(help_text=_("User name."))
    name = serializers.CharField()


class ConflictSerializer(SeatSerializer):
    reasons = serializers.ListField(child=serializers.CharField())


class ShortSerializer(serializers.Serializer[Any]):
    suggestion = serializers.IntegerField()
    missing = serializers.IntegerField(help_text=_("Reviewers it needed but could not get."))
    conflicts = ConflictSerializer(
        many=True, help_text=_("Members who may not review it, and why, as far as you may know.")
    )
    hidden = serializers.IntegerField(
        help_text=_("Members with a conflict whose reason would point at the author.")
    )


class ReviewerLoadSerializer(SeatSerializer):
    assignments = serializers.IntegerField()


class AssignmentSummarySerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField()
    short = ShortSerializer(many=True)
    load = ReviewerLoadSerializer(many=True)


class ReviewerProgressSerializer(SeatSerializer):
    assigned = serializers.IntegerField()
    done = serializers.IntegerField()
    percent = serializers.IntegerField()


def _score_field(help_text: Any = "") -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=4, decimal_places=2, allow_null=True, help_text=help_text
    )


class SuggestionProgressSerializer(serializers.Serializer[Any]):
    suggestion = serializers.IntegerField()
    reference = serializers.CharField()
    group = serializers.IntegerField(allow_null=True)
    assigned = serializers.IntegerField()
    done = serializers.IntegerField()
    mean = _score_field(_("Mean weighted score."))
    low = _score_field(_("Lowest weighted score."))
    high = _score_field(_("Highest weighted score."))
    deviation = _score_field(_("Standard deviation of the weighted scores."))
    wide_spread = serializers.BooleanField(help_text=_("The reviews disagree by 2 or more."))


class CriterionMeanSerializer(serializers.Serializer[Any]):
    criterion = serializers.IntegerField()
    name = serializers.CharField()
    weight = serializers.IntegerField()
    mean = _score_field()
    count = serializers.IntegerField(help_text=_("Scores given."))


class DashboardSerializer(serializers.Serializer[Any]):
    round = serializers.IntegerField()
    status = RoundStatusField()
    assigned = serializers.IntegerField()
    done = serializers.IntegerField()
    percent = serializers.IntegerField()
    reviewers = ReviewerProgressSerializer(many=True)
    suggestions = SuggestionProgressSerializer(many=True)
    criteria = CriterionMeanSerializer(many=True)


# --- What the round's actions answer ----------------------------------------------------------


def _seat(member: CommitteeMember) -> dict[str, Any]:
    return {"reviewer": member.pk, "user": member.user.get_username(), "name": str(member.user)}


def report_data(report: dashboard.AssignmentReport) -> dict[str, Any]:
    return {
        "created": report.created,
        "short": [
            {
                "suggestion": line.suggestion.pk,
                "missing": line.missing,
                "conflicts": [
                    {**_seat(member), "reasons": reasons} for member, reasons in line.conflicts
                ],
                "hidden": line.hidden,
            }
            for line in report.short
        ],
        "load": [{**_seat(member), "assignments": count} for member, count in report.load],
    }


def dashboard_data(board: dashboard.RoundDashboard) -> dict[str, Any]:
    """Progress per reviewer and per suggestion, the spread of the weighted scores and
    the mean of each criterion. Authors are not part of it."""
    return {
        "round": board.review_round.pk,
        "status": board.review_round.status,
        "assigned": board.assigned,
        "done": board.done,
        "percent": board.percent,
        "reviewers": [
            {
                **_seat(line.member),
                "assigned": line.assigned,
                "done": line.done,
                "percent": line.percent,
            }
            for line in board.reviewers
        ],
        "suggestions": [
            {
                "suggestion": line.suggestion.pk,
                "reference": line.suggestion.reference,
                "group": line.suggestion.group_id,
                "assigned": line.assigned,
                "done": line.done,
                "mean": line.mean,
                "low": line.low,
                "high": line.high,
                "deviation": line.deviation,
                "wide_spread": line.wide_spread,
            }
            for line in board.suggestions
        ],
        "criteria": [
            {
                "criterion": line.criterion.pk,
                "name": line.criterion.name,
                "weight": line.criterion.weight,
                "mean": line.mean,
                "count": line.count,
            }
            for line in board.criteria
        ],
    }


# --- Review rounds ----------------------------------------------------------------------------


@extend_schema(tags=["reviews"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("committee", OpenApiTypes.INT, description="Only its rounds."),
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=RoundStatus.values, description="Only this status."
            ),
        ]
    )
)
class ReviewRoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MizanViewSet):
    """Review rounds of joint committees: the rubric, the suggestions under review and
    their groups. Readers of the committee read them; its chair or secretary (or a
    coordinator) prepare them, assign reviewers, open and close the review, record the
    decisions and release them."""

    serializer_class = ReviewRoundSerializer
    permission_classes = [HasRulesObjectPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"\d+"
    permission_required = {
        "list": "suggestions.view_suggestion",
        "retrieve": "suggestions.view_reviewround",
        # Checked against the committee in ``create``.
        "create": "suggestions.view_suggestion",
        "partial_update": "suggestions.change_reviewround",
        "add_suggestions": "suggestions.change_reviewround",
        "assign": "suggestions.change_reviewround",
        "open": "suggestions.change_reviewround",
        "close": "suggestions.change_reviewround",
        "groups": "suggestions.change_reviewround",
        "dashboard": "suggestions.view_reviewround",
        "decide": "suggestions.decide",
        "release": "suggestions.decide",
    }

    def get_queryset(self) -> QuerySet[ReviewRound]:
        queryset = rounds_visible_to(self.request.user)
        if self.action == "list" and not self.is_schema_generation():
            params = self.request.query_params
            queryset = filter_by_ids(queryset, params, (("committee", "committee_id"),))
            wanted = params.get("status", "")
            if wanted:
                if wanted not in RoundStatus.values:
                    raise ValidationError({"status": [_("Not a status of review rounds.")]})
                queryset = queryset.filter(status=wanted)
        return queryset.prefetch_related(
            "criteria",
            "suggestions",
            Prefetch(
                "groups",
                queryset=SuggestionGroup.objects.prefetch_related("suggestions").order_by("id"),
            ),
        ).order_by("-created_at", "-id")

    def _representation(self, review_round: ReviewRound) -> Any:
        fresh = self.get_queryset().get(pk=review_round.pk)
        return ReviewRoundSerializer(fresh, context=self.get_serializer_context()).data

    @extend_schema(request=ReviewRoundCreateSerializer, responses={201: ReviewRoundSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start a round for a committee you keep (chair, secretary or coordinator)."""
        serializer = ReviewRoundCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        committee = data.pop("committee")
        if not request.user.has_perm("suggestions.add_reviewround", committee):
            raise PermissionDenied(_("Only the committee's chair or secretary start a round."))
        criteria = data.pop("criteria", None)
        review_round = rounds.create_round(
            committee=committee,
            by=request.user,
            criteria=None if criteria is None else [(c["names"], c["weight"]) for c in criteria],
            **data,
        )
        return Response(self._representation(review_round), status=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewRoundUpdateSerializer, responses=ReviewRoundSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change the round's settings; ``criteria`` replaces the rubric (while it is
        being prepared)."""
        review_round = self.get_object()
        serializer = ReviewRoundUpdateSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        criteria = changes.pop("criteria", None)
        with transaction.atomic():
            if changes:
                review_round = rounds.update_round(
                    review_round=review_round, by=request.user, **changes
                )
            if criteria is not None:
                rounds.set_criteria(
                    review_round=review_round,
                    criteria=[(c["names"], c["weight"]) for c in criteria],
                    by=request.user,
                )
        return Response(self._representation(review_round))

    @extend_schema(request=SuggestionIdsSerializer, responses=AddedSerializer)
    @endpoint(detail=True, methods=["post"], url_path="add-suggestions")
    def add_suggestions(self, request: Request, pk: str | None = None) -> Response:
        """Put suggestions under review in the round (not those already decided)."""
        review_round = self.get_object()
        serializer = SuggestionIdsSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        added = rounds.add_suggestions(
            review_round=review_round,
            suggestions=serializer.validated_data["suggestions"],
            by=request.user,
        )
        return Response({"added": added})

    @extend_schema(request=None, responses=AssignmentSummarySerializer)
    @endpoint(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        """Give every suggestion its reviewers, balanced across members and without
        conflicts of interest; say which suggestions are short of reviewers."""
        review_round = self.get_object()
        summary = rounds.assign_reviewers(review_round=review_round, by=request.user)
        report = dashboard.assignment_report(review_round, summary, request.user)
        return Response(AssignmentSummarySerializer(report_data(report)).data)

    @extend_schema(request=None, responses=ReviewRoundSerializer)
    @endpoint(detail=True, methods=["post"])
    def open(self, request: Request, pk: str | None = None) -> Response:
        """Let the reviewers at work; the rubric is fixed from now on."""
        review_round = rounds.open_round(review_round=self.get_object(), by=request.user)
        return Response(self._representation(review_round))

    @extend_schema(request=None, responses=ReviewRoundSerializer)
    @endpoint(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """End the reviewing; the committee decides next."""
        review_round = rounds.close_round(review_round=self.get_object(), by=request.user)
        return Response(self._representation(review_round))

    @extend_schema(request=GroupCreateSerializer, responses={201: GroupSerializer})
    @endpoint(detail=True, methods=["post"])
    def groups(self, request: Request, pk: str | None = None) -> Response:
        """Group near-identical suggestions of the round: reviewed by the same reviewers
        and decided together."""
        review_round = self.get_object()
        serializer = GroupCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        group = rounds.group_suggestions(
            review_round=review_round, by=request.user, **serializer.validated_data
        )
        fresh = SuggestionGroup.objects.prefetch_related("suggestions").get(pk=group.pk)
        return Response(GroupSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=DashboardSerializer)
    @endpoint(detail=True, methods=["get"])
    def dashboard(self, request: Request, pk: str | None = None) -> Response:
        """Progress per reviewer (assigned, done) and per suggestion (reviews done, mean,
        lowest and highest weighted score, spread), and the mean of each criterion."""
        board = dashboard.round_dashboard(self.get_object())
        return Response(DashboardSerializer(dashboard_data(board)).data)

    @extend_schema(request=DecideSerializer, responses=SuggestionDecisionSerializer(many=True))
    @endpoint(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        """Record the committee's decision on one or more suggestions (with the rest of
        their groups): accepted, rejected, deferred or merged into another, with the
        rationale. Unpublished until released; recording again replaces it."""
        review_round = self.get_object()
        serializer = DecideSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        recorded = decisions.record_decisions(
            review_round=review_round,
            suggestions=data["suggestions"],
            outcome=data["outcome"],
            rationale=data["rationale"],
            meeting=data.get("meeting"),
            merged_into=data.get("merged_into"),
            by=request.user,
        )
        return Response(SuggestionDecisionSerializer(recorded, many=True).data)

    @extend_schema(request=None, responses=ReleasedSerializer)
    @endpoint(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        """Publish the round's decisions to the authors (once every suggestion is decided
        and the review closed); staff are told by e-mail."""
        released = decisions.release_decisions(review_round=self.get_object(), by=request.user)
        return Response({"released": released})


# --- Assignments and reviews ------------------------------------------------------------------


class SuggestionReviewSerializer(serializers.ModelSerializer[Review]):
    scores = serializers.SerializerMethodField(help_text=_("Criterion id → score (1 to 5)."))

    class Meta:
        model = Review
        fields = ["comment", "weighted_score", "scores", "submitted_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_scores(self, review: Review) -> dict[str, int]:
        return {str(score.criterion_id): score.value for score in review.scores.all()}


class ReviewAssignmentSerializer(serializers.ModelSerializer[ReviewAssignment]):
    round_status = RoundStatusField(source="round.status", read_only=True)
    suggestion = SuggestionSerializer(read_only=True)
    criteria = CriterionSerializer(source="round.criteria", many=True, read_only=True)
    review = serializers.SerializerMethodField(help_text=_("Null until submitted."))

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "round",
            "round_status",
            "reviewer",
            "suggestion",
            "criteria",
            "review",
            "assigned_at",
        ]
        read_only_fields = fields

    @extend_schema_field(SuggestionReviewSerializer(allow_null=True))
    def get_review(self, assignment: ReviewAssignment) -> Any:
        review = getattr(assignment, "review", None)
        return SuggestionReviewSerializer(review).data if review is not None else None


class ReviewSubmitSerializer(serializers.Serializer[Any]):
    scores = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("Criterion id → score from 1 to 5.")
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_scores(self, scores: dict[str, int]) -> dict[int, int]:
        if not all(str(key).isdigit() and len(str(key)) <= 18 for key in scores):
            raise serializers.ValidationError(_("Give the ids of the round's criteria."))
        return {int(key): value for key, value in scores.items()}


@extend_schema(tags=["reviews"])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("round", OpenApiTypes.INT, description="Only this round's."),
            OpenApiParameter(
                "done", OpenApiTypes.BOOL, description="Only reviewed (true) or to do (false)."
            ),
        ]
    )
)
class ReviewAssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MizanViewSet):
    """The suggestions you have been asked to review, with the round's rubric and your
    review. ``review/`` submits or changes it while the round is open. The round's
    keepers may read any assignment of it."""

    serializer_class = ReviewAssignmentSerializer
    permission_classes = [HasRulesObjectPermission]
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"\d+"
    permission_required = {
        "list": "suggestions.view_suggestion",
        "retrieve": "suggestions.view_review",
        "review": "suggestions.review",
    }

    def get_queryset(self) -> QuerySet[ReviewAssignment]:
        user = self.request.user
        if self.action == "list":
            queryset = assignments_of(user)
            if not self.is_schema_generation():
                params = self.request.query_params
                queryset = filter_by_ids(queryset, params, (("round", "round_id"),))
                done = params.get("done", "").lower()
                if done:
                    if done not in {"true", "false"}:
                        raise ValidationError({"done": [_("Give true or false.")]})
                    queryset = queryset.filter(review__isnull=done == "false")
        else:
            # Another reviewer's assignment in a round one reads is refused (403) rather
            # than hidden: the rule decides.
            queryset = ReviewAssignment.objects.filter(
                Q(reviewer__user_id=getattr(user, "pk", None))
                | Q(round__in=rounds_visible_to(user))
            )
        return (
            # ``select_related(None)``: a suggestion joined in would not be prefetched
            # with the details its serializer reads.
            queryset.select_related(None)
            .select_related("round", "reviewer", "review")
            .prefetch_related(
                Prefetch("round__criteria", queryset=Criterion.objects.order_by("order", "id")),
                "review__scores",
                Prefetch("suggestion", queryset=with_details(Suggestion.objects.all(), user)),
            )
            .order_by("round_id", "suggestion_id", "id")
        )

    def _representation(self, assignment: ReviewAssignment) -> Any:
        fresh = self.get_queryset().get(pk=assignment.pk)
        return ReviewAssignmentSerializer(fresh, context=self.get_serializer_context()).data

    @extend_schema(request=ReviewSubmitSerializer, responses=ReviewAssignmentSerializer)
    @endpoint(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        """Score the suggestion on every criterion of the round's rubric, with a comment."""
        assignment = self.get_object()
        serializer = ReviewSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rounds.submit_review(assignment=assignment, by=request.user, **serializer.validated_data)
        return Response(self._representation(assignment))


def register(router: SimpleRouter) -> None:
    """Add this area's viewsets to the API's router."""
    router.register("review-rounds", ReviewRoundViewSet, basename="review-round")
    router.register("review-assignments", ReviewAssignmentViewSet, basename="review-assignment")


urlpatterns: list[URLPattern] = []
