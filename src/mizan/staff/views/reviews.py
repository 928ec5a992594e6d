"""Review rounds of a joint committee in the back office: the list, creating and editing a
round with its rubric, choosing its suggestions, assigning reviewers, opening and closing
it, its dashboard, groups of near-identical suggestions, and a reviewer's own reviews.

A round is looked up among ``rounds_visible_to`` (someone who cannot read its committee
gets 404), then the view's rule is checked on it (403): its readers
(``suggestions.view_reviewround``) see the dashboard; its keepers — the committee's chair
and secretary, or a coordinator (``suggestions.change_reviewround``) — prepare and run it.

Blind review: in a blind round no page here names a suggestion's author, its kind or its
unit, and a conflict of interest that would point at the author is only counted.
Elsewhere an author shows only under ``suggestions.view_author``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from mizan.core.errors import MizanError
from mizan.partnerships.models import JointCommittee
from mizan.partnerships.queries import committees_visible_to
from mizan.staff.forms.errors import add_service_error
from mizan.staff.forms.reviews import (
    CandidateFilterForm,
    ChooseSuggestionsForm,
    GroupForm,
    ReviewForm,
    RoundForm,
    ThresholdForm,
    criteria_formset,
    criteria_from,
)
from mizan.suggestions.dashboard import assignment_report, round_dashboard
from mizan.suggestions.enums import Outcome, RoundStatus
from mizan.suggestions.grouping import DEFAULT_THRESHOLD, groupable_suggestions, propose_groups
from mizan.suggestions.models import ReviewAssignment, ReviewRound, Suggestion
from mizan.suggestions.queries import (
    assignments_of,
    authors_visible_to,
    rounds_visible_to,
    suggestions_visible_to,
)
from mizan.suggestions.services import rounds
from mizan.suggestions.services.intake import author_name
from mizan.training.models import Curriculum, TrainingSession

NAV = "reviews"
PAGE_SIZE = 50
#: Outcomes after which a suggestion is not reviewed again.
FINAL_OUTCOMES = (Outcome.ACCEPTED, Outcome.REJECTED, Outcome.MERGED)


def keepable_committees(user: Any) -> list[JointCommittee]:
    """The committees whose review rounds ``user`` may start."""
    if not user.is_authenticated:
        return []
    return [
        committee
        for committee in committees_visible_to(user).order_by("name")
        if user.has_perm("suggestions.add_reviewround", committee)
    ]


def shown_authors(user: Any, review_round: ReviewRound, ids: list[int]) -> dict[int, str]:
    """The authors ``user`` may see among the round's suggestions ``ids``: none in a blind
    round, else those under ``suggestions.view_author``."""
    if review_round.blind or not ids:
        return {}
    suggestions = list(
        Suggestion.objects.filter(pk__in=ids, anonymous=False).select_related(
            "author_user", "author_enrolment__participant"
        )
    )
    visible = authors_visible_to(user, suggestions)
    return {s.pk: author_name(s) for s in suggestions if s.pk in visible and author_name(s)}


class RoundMixin(PermissionRequiredMixin):
    """A view of one round: found among those the user reads (else 404), then checked
    against the view's rule (else 403). Anonymous users are sent to log in."""

    request: HttpRequest
    kwargs: dict[str, Any]

    @cached_property
    def review_round(self) -> ReviewRound:
        return get_object_or_404(
            rounds_visible_to(self.request.user).select_related("committee", "curriculum"),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self) -> ReviewRound | None:
        if not self.request.user.is_authenticated:
            return None
        return self.review_round

    def dashboard(self) -> HttpResponseRedirect:
        return redirect("staff:review_round", pk=self.review_round.pk)

    def page(self, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
        return render(
            self.request,
            f"staff/reviews/{template}",
            {"nav": NAV, "round": self.review_round, **context},
            status=status,
        )


# --- The list, a new round, its settings ------------------------------------------------------


class RoundListView(PermissionRequiredMixin, TemplateView):
    """Rule: any member (``suggestions.view_suggestion``); each sees the rounds of the
    committees they read (``rounds_visible_to``)."""

    permission_required = "suggestions.view_suggestion"
    template_name = "staff/reviews/round_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        review_rounds = list(
            rounds_visible_to(user)
            .select_related("committee", "curriculum")
            .annotate(
                assignment_count=Count("assignments"),
                review_count=Count("assignments__review"),
            )
        )
        # Counted apart, so the suggestions do not multiply the assignments' rows.
        suggestion_counts = dict(
            ReviewRound.objects.filter(pk__in=[r.pk for r in review_rounds])
            .annotate(count=Count("suggestions"))
            .values_list("pk", "count")
        )
        for review_round in review_rounds:
            review_round.suggestion_count = suggestion_counts.get(review_round.pk, 0)  # type: ignore[attr-defined]
        to_do = assignments_of(user).filter(
            round__status=RoundStatus.REVIEWING, review__isnull=True
        )
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "rounds": review_rounds,
            "can_create": bool(keepable_committees(user)),
            "to_do": to_do.count(),
        }


class RoundCreateView(PermissionRequiredMixin, View):
    """Rule: whoever keeps a committee (``suggestions.add_reviewround`` on it: its chair
    and secretary, coordinators); the committee is chosen among those. The round starts
    with the default rubric."""

    request: HttpRequest

    def has_permission(self) -> bool:
        return bool(self.committees)

    @cached_property
    def committees(self) -> list[JointCommittee]:
        return keepable_committees(self.request.user)

    def render_form(self, form: RoundForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "staff/reviews/round_form.html",
            {"nav": NAV, "form": form, "round": None},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"committee": self.committees[0]} if len(self.committees) == 1 else {}
        return self.render_form(RoundForm(committees=self.committees, initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RoundForm(request.POST, committees=self.committees)
        if form.is_valid():
            try:
                review_round = rounds.create_round(by=request.user, **form.cleaned_data)
            except MizanError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Review round created with the default rubric."))
                return redirect("staff:review_round_edit", pk=review_round.pk)
        return self.render_form(form, status=400)


class RoundEditView(RoundMixin, View):
    """Rule: the round's keepers (``suggestions.change_reviewround``). The settings at any
    time before the release (blind review only while the round is prepared); the rubric
    only while it is prepared, so that every review is scored against the same one."""

    permission_required = "suggestions.change_reviewround"

    @property
    def preparing(self) -> bool:
        return self.review_round.status == RoundStatus.PREPARING

    def render_page(self, form: RoundForm, rubric: Any, status: int = 200) -> HttpResponse:
        return self.page(
            "round_form.html",
            {
                "form": form,
                "rubric": rubric,
                "criteria": self.review_round.criteria.all(),
                "preparing": self.preparing,
            },
            status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        review_round = self.review_round
        form = RoundForm(
            blind_editable=self.preparing,
            initial={
                "title": review_round.title,
                "curriculum": review_round.curriculum,
                "blind": review_round.blind,
                "reviewers_per_suggestion": review_round.reviewers_per_suggestion,
                "review_until": review_round.review_until,
            },
        )
        rubric = criteria_formset(criteria=review_round.criteria.all()) if self.preparing else None
        return self.render_page(form, rubric)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        review_round = self.review_round
        if review_round.status == RoundStatus.RELEASED:
            messages.error(request, _("The decisions of this round are released; it is final."))
            return self.dashboard()
        form = RoundForm(
            request.POST,
            blind_editable=self.preparing,
            initial={"blind": review_round.blind},
        )
        rubric = criteria_formset(request.POST) if self.preparing else None
        if form.is_valid() and (rubric is None or rubric.is_valid()):
            try:
                with transaction.atomic():
                    rounds.update_round(
                        review_round=review_round, by=request.user, **form.cleaned_data
                    )
                    if rubric is not None:
                        rounds.set_criteria(
                            review_round=review_round,
                            criteria=[
                                (names, weight or 0) for names, weight in criteria_from(rubric)
                            ],
                            by=request.user,
                        )
            except MizanError as error:
                # A refused rubric shows above the form, like any error without a field.
                add_service_error(form, error)
            else:
                messages.success(request, _("Round saved."))
                return self.dashboard()
        return self.render_page(form, rubric, status=400)


# --- The suggestions under review ---------------------------------------------------------


class RoundSuggestionsView(RoundMixin, View):
    """Rule: the round's keepers (``suggestions.change_reviewround``). Adds suggestions
    not yet decided (filtered by session, curriculum and status) and removes one not yet
    reviewed. No author is shown here."""

    permission_required = "suggestions.change_reviewround"

    def candidates(self) -> QuerySet[Suggestion]:
        """Suggestions that may join the round: not decided for good, not under review in
        another round whose decisions are not out, and about the round's curriculum."""
        review_round = self.review_round
        queryset = (
            suggestions_visible_to(self.request.user)
            .exclude(review_rounds=review_round)
            .exclude(decisions__outcome__in=FINAL_OUTCOMES)
            .exclude(review_rounds__in=ReviewRound.objects.exclude(status=RoundStatus.RELEASED))
        )
        if review_round.curriculum_id is not None:
            queryset = queryset.filter(
                Q(curriculum_id=review_round.curriculum_id) | Q(curriculum__isnull=True)
            )
        return queryset

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        candidates = self.candidates()
        filters = CandidateFilterForm(
            request.GET or None,
            sessions=TrainingSession.objects.filter(
                pk__in=candidates.values("session_id")
            ).order_by("-starts_on"),
            curricula=Curriculum.objects.filter(pk__in=candidates.values("curriculum_id")),
        )
        shown = candidates
        if filters.is_bound and filters.is_valid():
            data = filters.cleaned_data
            if data["session"]:
                shown = shown.filter(session=data["session"])
            if data["curriculum"]:
                shown = shown.filter(curriculum=data["curriculum"])
            if data["status"]:
                shown = shown.filter(status=data["status"])
        page = Paginator(
            shown.select_related("session", "curriculum").order_by("-submitted_at", "-id"),
            PAGE_SIZE,
        ).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        in_round = self.review_round.suggestions.select_related("session", "group").annotate(
            review_count=Count(
                "assignments__review",
                filter=Q(assignments__round=self.review_round),
                distinct=True,
            )
        )
        return self.page(
            "round_suggestions.html",
            {
                "filters": filters,
                "page": page,
                "query_string": query.urlencode(),
                "in_round": in_round.order_by("id"),
                "may_change": self.review_round.status
                in (RoundStatus.PREPARING, RoundStatus.REVIEWING),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        review_round = self.review_round
        back = HttpResponseRedirect(reverse("staff:review_round_suggestions", args=[pk]))
        try:
            if "remove" in request.POST:
                suggestion = review_round.suggestions.filter(
                    pk=_int(request.POST.get("remove"))
                ).first()
                if suggestion is None:
                    raise Http404
                rounds.remove_suggestion(
                    review_round=review_round, suggestion=suggestion, by=request.user
                )
                messages.success(
                    request,
                    _("%(reference)s removed from the round.")
                    % {"reference": suggestion.reference},
                )
                return back
            form = ChooseSuggestionsForm(request.POST, offered=self.candidates())
            if not form.is_valid():
                for error in form.errors.get("suggestions", []):
                    messages.error(request, str(error))
                return back
            added = rounds.add_suggestions(
                review_round=review_round,
                suggestions=list(form.cleaned_data["suggestions"]),
                by=request.user,
            )
        except MizanError as error:
            messages.error(request, str(error.message))
            return back
        messages.success(
            request,
            ngettext(
                "%(count)d suggestion added to the round.",
                "%(count)d suggestions added to the round.",
                added,
            )
            % {"count": added},
        )
        return back


def _int(value: Any) -> int:
    """A posted id, or 0 (which no record has)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- Assigning, opening, closing ----------------------------------------------------------


class RoundAssignView(RoundMixin, View):
    """Rule: the round's keepers (``suggestions.change_reviewround``). Gives each
    suggestion its reviewers, balanced across members and without conflicts of interest,
    and shows what came of it: how many were made, the suggestions short of reviewers
    and why, and each member's load."""

    permission_required = "suggestions.change_reviewround"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        review_round = self.review_round
        load = {
            row["reviewer_id"]: row["count"]
            for row in review_round.assignments.values("reviewer_id").annotate(count=Count("id"))
        }
        members = [
            (member, load.get(member.pk, 0))
            for member in rounds.active_members(review_round.committee)
        ]
        return self.page(
            "round_assign.html",
            {
                "members": members,
                "suggestion_count": review_round.suggestions.count(),
                "report": None,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        review_round = self.review_round
        try:
            summary = rounds.assign_reviewers(review_round=review_round, by=request.user)
        except MizanError as error:
            messages.error(request, str(error.message))
            return redirect("staff:review_round_assign", pk=pk)
        report = assignment_report(review_round, summary, request.user)
        return self.page(
            "round_assign.html",
            {"report": report, "suggestion_count": review_round.suggestions.count()},
        )


class RoundStepView(RoundMixin, View):
    """Asks to confirm a step that changes what reviewers may do (GET), then takes it
    (POST); a refusal shows as a message on the dashboard."""

    permission_required = "suggestions.change_reviewround"
    template_name = "round_confirm.html"
    step_name = ""

    def facts(self) -> dict[str, Any]:
        review_round = self.review_round
        return {
            "suggestion_count": review_round.suggestions.count(),
            "assignment_count": review_round.assignments.count(),
            "review_count": review_round.assignments.filter(review__isnull=False).count(),
            "criterion_count": review_round.criteria.count(),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(self.template_name, {"step": self.step_name, **self.facts()})

    def act(self) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            done = self.act()
        except MizanError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, done)
        return self.dashboard()


class RoundOpenView(RoundStepView):
    """Rule: the round's keepers (``suggestions.change_reviewround``). Lets reviewers at
    work; the rubric and blind review are fixed from then on."""

    step_name = "open"

    def act(self) -> str:
        rounds.open_round(review_round=self.review_round, by=self.request.user)
        return _("The round is open: reviewers can score their suggestions.")


class RoundCloseView(RoundStepView):
    """Rule: the round's keepers (``suggestions.change_reviewround``). Ends the reviewing;
    the committee decides next."""

    step_name = "close"

    def act(self) -> str:
        rounds.close_round(review_round=self.review_round, by=self.request.user)
        return _("The review is closed: the committee can decide.")


# --- The dashboard ----------------------------------------------------------------------


class RoundDashboardView(RoundMixin, TemplateView):
    """Rule: the round's readers (``suggestions.view_reviewround``): progress per reviewer
    and per suggestion, the scores' spread, the mean per criterion, the groups. Keepers
    (``suggestions.change_reviewround``) get the next steps and read every review's comment
    (``suggestions.view_review``); a reviewer reads their own. In a blind round comments
    name no reviewer, and no author is ever shown."""

    permission_required = "suggestions.view_reviewround"
    template_name = "staff/reviews/round_dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        review_round = self.review_round
        board = round_dashboard(review_round)
        keeper = user.has_perm("suggestions.change_reviewround", review_round)
        authors = shown_authors(user, review_round, [s.suggestion.pk for s in board.suggestions])
        rows = []
        for line in board.suggestions:
            readable = [
                assignment
                for assignment in line.assignments
                if hasattr(assignment, "review")
                and (
                    keeper
                    or (
                        assignment.reviewer.user_id == user.pk
                        and user.has_perm("suggestions.view_review", assignment)
                    )
                )
            ]
            rows.append((line, authors.get(line.suggestion.pk, ""), readable))
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "round": review_round,
            "board": board,
            "rows": rows,
            "keeper": keeper,
            "statuses": RoundStatus,
        }


# --- Groups -----------------------------------------------------------------------------


class RoundGroupsView(RoundMixin, View):
    """Rule: the round's keepers (``suggestions.change_reviewround``). Proposals of
    near-identical suggestions to confirm as groups, groups made by hand, ungrouping.
    A group is reviewed by the same reviewers and decided together."""

    permission_required = "suggestions.change_reviewround"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        review_round = self.review_round
        threshold_form = ThresholdForm(request.GET or None)
        threshold = DEFAULT_THRESHOLD
        if threshold_form.is_bound and threshold_form.is_valid():
            threshold = threshold_form.cleaned_data["threshold"]
        groups = review_round.groups.prefetch_related(
            Prefetch("suggestions", queryset=Suggestion.objects.order_by("id"))
        ).order_by("id")
        return self.page(
            "round_groups.html",
            {
                "threshold_form": threshold_form,
                "threshold": threshold,
                "proposals": propose_groups(review_round, threshold=threshold),
                "groups": groups,
                "ungrouped": groupable_suggestions(review_round),
                "may_group": review_round.status != RoundStatus.RELEASED,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        review_round = self.review_round
        back = HttpResponseRedirect(reverse("staff:review_round_groups", args=[pk]))
        try:
            if "ungroup" in request.POST:
                group = review_round.groups.filter(pk=_int(request.POST.get("ungroup"))).first()
                if group is None:
                    raise Http404
                rounds.ungroup(group=group, by=request.user)
                messages.success(request, _("Group undone."))
                return back
            offered = Suggestion.objects.filter(
                pk__in=[s.pk for s in groupable_suggestions(review_round)]
            )
            form = GroupForm(request.POST, offered=offered)
            if not form.is_valid():
                messages.error(request, _("Tick at least two suggestions to group."))
                return back
            group = rounds.group_suggestions(
                review_round=review_round,
                suggestions=list(form.cleaned_data["suggestions"].order_by("id")),
                title=form.cleaned_data["title"],
                by=request.user,
            )
        except MizanError as error:
            messages.error(request, str(error.message))
            return back
        messages.success(request, _("Group “%(title)s” made.") % {"title": group.title})
        return back


# --- A reviewer's own reviews ------------------------------------------------------------


class MyReviewsView(PermissionRequiredMixin, TemplateView):
    """Rule: any member (``suggestions.view_suggestion``); each sees the suggestions they
    have been asked to review, in every round (``assignments_of``)."""

    permission_required = "suggestions.view_suggestion"
    template_name = "staff/reviews/my_reviews.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        assignments = (
            assignments_of(self.request.user)
            .select_related("round__committee", "suggestion", "review")
            .order_by("-round__created_at", "round_id", "suggestion_id")
        )
        rows = list(assignments)
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "assignments": rows,
            "to_do": sum(
                1
                for a in rows
                if a.round.status == RoundStatus.REVIEWING and not hasattr(a, "review")
            ),
            "reviewing": RoundStatus.REVIEWING,
        }


class ReviewFormView(PermissionRequiredMixin, View):
    """Rule: to read, the reviewer and the round's keepers (``suggestions.view_review``);
    to score, the reviewer while the round is open (``suggestions.review``). The author is
    never shown in a blind round, and otherwise only under ``suggestions.view_author``."""

    request: HttpRequest
    kwargs: dict[str, Any]

    def get_permission_required(self) -> tuple[str, ...]:
        if self.request.method == "POST":
            return ("suggestions.review",)
        return ("suggestions.view_review",)

    @cached_property
    def assignment(self) -> ReviewAssignment:
        queryset = ReviewAssignment.objects.filter(
            round__in=rounds_visible_to(self.request.user)
        ).select_related(
            "round__committee",
            "reviewer__user",
            "suggestion__session",
            "suggestion__group",
            "suggestion__module",
            "suggestion__objective",
            "suggestion__curriculum",
        )
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_permission_object(self) -> ReviewAssignment | None:
        if not self.request.user.is_authenticated:
            return None
        return self.assignment

    def render_page(self, form: ReviewForm, status: int = 200) -> HttpResponse:
        assignment = self.assignment
        suggestion = assignment.suggestion
        review_round = assignment.round
        group_mates = (
            list(suggestion.group.suggestions.exclude(pk=suggestion.pk).order_by("id"))
            if suggestion.group is not None
            else []
        )
        return render(
            self.request,
            "staff/reviews/review_form.html",
            {
                "nav": NAV,
                "assignment": assignment,
                "round": review_round,
                "suggestion": suggestion,
                "attachments": suggestion.attachments.all(),
                "group_mates": group_mates,
                "author": shown_authors(self.request.user, review_round, [suggestion.pk]).get(
                    suggestion.pk, ""
                ),
                "form": form,
                "may_score": self.request.user.has_perm("suggestions.review", assignment),
                "review": getattr(assignment, "review", None),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        criteria = list(self.assignment.round.criteria.all())
        initial: dict[str, Any] = {}
        review = getattr(self.assignment, "review", None)
        if review is not None:
            initial["comment"] = review.comment
            for score in review.scores.all():
                initial[f"criterion_{score.criterion_id}"] = score.value
        return self.render_page(ReviewForm(criteria=criteria, initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assignment = self.assignment
        form = ReviewForm(request.POST, criteria=list(assignment.round.criteria.all()))
        if form.is_valid():
            try:
                rounds.submit_review(
                    assignment=assignment,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                )
            except MizanError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("Your review of %(reference)s is saved.")
                    % {"reference": assignment.suggestion.reference},
                )
                return redirect("staff:my_reviews")
        return self.render_page(form, status=400)
