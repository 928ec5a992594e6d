"""The committee's decisions on the suggestions of a review round, recorded one by one or
in bulk and released; the minutes of a meeting as a PDF; integrating accepted suggestions
into a curriculum version, and a module's traceability back to them.

A round is looked up among ``rounds_visible_to`` (404 otherwise); its readers
(``suggestions.view_reviewround``) see the decisions, its keepers (``suggestions.decide``:
the committee's chair and secretary, coordinators) record and release them (403 for the
other readers). No page here names a suggestion's author: the committee may be reviewing
blind, and the minutes go beyond the committee.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from mizan.core.errors import MizanError
from mizan.core.languages import INTERFACE_LANGUAGES, active_language
from mizan.partnerships.enums import MeetingStatus
from mizan.partnerships.models import Meeting
from mizan.partnerships.queries import meetings_visible_to
from mizan.staff.forms.decisions import DecisionForm, IntegrateForm
from mizan.staff.forms.errors import add_service_error
from mizan.staff.views.certificates import pdf_response
from mizan.staff.views.training import ModuleMixin, VersionMixin
from mizan.suggestions import traceability
from mizan.suggestions.enums import Outcome, RoundStatus, SuggestionStatus
from mizan.suggestions.minutes_pdf import minutes_pdf
from mizan.suggestions.models import ReviewRound, Suggestion, SuggestionDecision
from mizan.suggestions.queries import decisions_visible_to, rounds_visible_to
from mizan.suggestions.services import decisions as decision_services
from mizan.suggestions.services import integration
from mizan.training.models import CurriculumVersion
from mizan.training.services.curricula import refuse_frozen

DECIDING = (RoundStatus.REVIEWING, RoundStatus.CLOSED)


class RoundMixin(PermissionRequiredMixin):
    """A round the user sees (else 404), then the view's rule on it (else 403). Anonymous
    users are sent to log in before any lookup."""

    request: HttpRequest
    kwargs: dict[str, Any]

    @cached_property
    def review_round(self) -> ReviewRound:
        return get_object_or_404(
            rounds_visible_to(self.request.user).select_related("committee__agreement"),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self) -> ReviewRound | None:
        if not self.request.user.is_authenticated:
            return None
        return self.review_round

    def decisions_url(self) -> str:
        return reverse("staff:review_round_decisions", args=[self.review_round.pk])


def round_rows(review_round: ReviewRound) -> list[Suggestion]:
    """The round's suggestions, the members of a group next to each other, each with its
    number of reviews, their mean weighted score and the round's decision on it."""
    in_round = Q(assignments__round=review_round)
    return list(
        review_round.suggestions.select_related("group")
        .annotate(
            review_count=Count("assignments__review", filter=in_round),
            mean_score=Avg("assignments__review__weighted_score", filter=in_round),
        )
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=SuggestionDecision.objects.filter(round=review_round).select_related(
                    "meeting", "merged_into"
                ),
                to_attr="round_decisions",
            )
        )
        .order_by(F("group_id").asc(nulls_last=True), "pk")
    )


def committee_meetings(review_round: ReviewRound) -> QuerySet[Meeting]:
    return review_round.committee.meetings.exclude(status=MeetingStatus.CANCELLED).order_by(
        "-starts_at"
    )


class RoundDecisionsView(RoundMixin, View):
    """Rule: the round's readers (``suggestions.view_reviewround``) see the decisions; its
    keepers (``suggestions.decide``) record them, for one or many ticked suggestions (a
    group is decided together). Authors are never shown here."""

    permission_required = "suggestions.view_reviewround"
    template_name = "staff/decisions/round_decisions.html"

    def may_decide(self) -> bool:
        return self.request.user.has_perm("suggestions.decide", self.review_round)

    def form(self, data: Any = None) -> DecisionForm:
        meetings = committee_meetings(self.review_round)
        held = meetings.filter(starts_at__lte=timezone.now()).first()
        return DecisionForm(
            data,
            suggestions=self.review_round.suggestions.order_by("pk"),
            meetings=meetings,
            initial={"meeting": held},
        )

    def page(self, form: DecisionForm | None, status: int = 200) -> HttpResponse:
        review_round = self.review_round
        rows = round_rows(review_round)
        decided = len([row for row in rows if getattr(row, "round_decisions", None)])
        may_decide = self.may_decide()
        ticked: set[int] = set()
        if form is not None and form.is_bound:
            picked = self.request.POST.getlist("suggestions")
            ticked = {int(value) for value in picked if value.isdigit()}
        context = {
            "nav": "reviews",
            "round": review_round,
            "committee": review_round.committee,
            "rows": rows,
            "decided_count": decided,
            "ticked": ticked,
            "may_decide": may_decide,
            "form": form if may_decide and review_round.status in DECIDING else None,
            "may_release": may_decide and review_round.status == RoundStatus.CLOSED,
            "is_released": review_round.status == RoundStatus.RELEASED,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.page(self.form() if self.may_decide() else None)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.may_decide():
            raise PermissionDenied
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                decisions = decision_services.record_decisions(
                    review_round=self.review_round,
                    suggestions=list(data["suggestions"]),
                    outcome=data["outcome"],
                    rationale=data["rationale"],
                    meeting=data["meeting"],
                    merged_into=data["merged_into"],
                    by=request.user,
                )
            except MizanError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Decision recorded for %(count)d suggestion. It stays unpublished "
                        "until the committee releases the round's decisions.",
                        "Decision recorded for %(count)d suggestions. It stays unpublished "
                        "until the committee releases the round's decisions.",
                        len(decisions),
                    )
                    % {"count": len(decisions)},
                )
                return redirect(self.decisions_url())
        return self.page(form, status=400)


class RoundReleaseView(RoundMixin, View):
    """Rule: the round's keepers (``suggestions.decide``). GET asks to confirm; POST
    releases every decision of the round (each suggestion needs one first)."""

    permission_required = "suggestions.decide"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        review_round = self.review_round
        undecided = list(
            review_round.suggestions.exclude(decisions__round=review_round).order_by("pk")
        )
        counts = dict(
            review_round.decisions.values_list("outcome").annotate(n=Count("pk")).order_by()
        )
        context = {
            "nav": "reviews",
            "round": review_round,
            "undecided": undecided,
            "outcomes": [(label, counts.get(value, 0)) for value, label in Outcome.choices],
            "total": sum(counts.values()),
            "is_closed": review_round.status == RoundStatus.CLOSED,
        }
        return render(request, "staff/decisions/round_release.html", context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            released = decision_services.release_decisions(
                review_round=self.review_round, by=request.user
            )
        except MizanError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d decision released: authors now see it.",
                    "%(count)d decisions released: authors now see them.",
                    released,
                )
                % {"count": released},
            )
        return redirect(self.decisions_url())


class MeetingMinutesPDFView(PermissionRequiredMixin, View):
    """Rule: whoever may read the meeting (``partnerships.view_meeting``). The minutes in
    ``?language=ar|fr|en`` (default: the page's language), without authors' names."""

    permission_required = "partnerships.view_meeting"
    http_method_names = ["get", "head"]
    request: HttpRequest
    kwargs: dict[str, Any]

    @cached_property
    def meeting(self) -> Meeting:
        return get_object_or_404(meetings_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self) -> Meeting | None:
        if not self.request.user.is_authenticated:
            return None
        return self.meeting

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = request.GET.get("language") or active_language()
        if language not in INTERFACE_LANGUAGES:
            raise Http404
        meeting = self.meeting
        pdf = minutes_pdf(meeting, language)
        day = timezone.localtime(meeting.starts_at).date().isoformat()
        return pdf_response(pdf, f"minutes-{day}-{meeting.pk}-{language}.pdf")


# --- Into the curriculum -----------------------------------------------------------------


def integrable_suggestions(version: CurriculumVersion) -> QuerySet[Suggestion]:
    """Suggestions about the version's curriculum that the committee accepted and
    released (the service integrates no other), and that no version integrates yet."""
    accepted = SuggestionDecision.objects.filter(
        outcome=Outcome.ACCEPTED, released_at__isnull=False
    )
    return (
        Suggestion.objects.filter(
            curriculum_id=version.curriculum_id, decisions__in=accepted.values("pk")
        )
        .exclude(status=SuggestionStatus.INTEGRATED)
        .distinct()
        .order_by("pk")
    )


class IntegrateSuggestionsView(VersionMixin, View):
    """Rule: coordinators and trainers (``training.change_curriculum`` and
    ``suggestions.integrate_suggestion``), on a version no session uses yet (the service
    refuses a frozen one). Writes a changelog entry, its modules and the accepted
    suggestions behind it."""

    permission_required = ("training.change_curriculum", "suggestions.integrate_suggestion")
    template_name = "staff/decisions/integrate.html"

    def get_permission_object(self) -> Any:
        return self.version.curriculum

    def form(self, data: Any = None) -> IntegrateForm:
        version = self.version
        return IntegrateForm(
            data,
            modules=version.modules.order_by("order", "pk"),
            suggestions=integrable_suggestions(version),
        )

    def page(self, form: IntegrateForm, status: int = 200) -> HttpResponse:
        context = {
            "nav": "curricula",
            "version": self.version,
            "curriculum": self.version.curriculum,
            "form": form,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            refuse_frozen(self.version)
        except MizanError as error:
            messages.error(request, str(error.message))
            return self.back()
        return self.page(self.form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            try:
                entry = integration.integrate_suggestions(
                    version=self.version,
                    text=form.cleaned_data["text"],
                    modules=list(form.cleaned_data["modules"]),
                    suggestions=list(form.cleaned_data["suggestions"]),
                    by=request.user,
                )
            except MizanError as error:
                add_service_error(form, error)
            else:
                count = entry.suggestions.count()
                messages.success(
                    request,
                    ngettext(
                        "Change recorded, with %(count)d suggestion behind it.",
                        "Change recorded, with %(count)d suggestions behind it.",
                        count,
                    )
                    % {"count": count},
                )
                return self.changes()
        return self.page(form, status=400)

    def changes(self) -> HttpResponseRedirect:
        url = reverse("staff:curriculum_version_detail", args=[self.version.pk])
        return redirect(f"{url}#changes")


class ModuleTraceabilityView(ModuleMixin, TemplateView):
    """Rule: any member (``training.view_curriculum``). The changelog entries that changed
    the module, the suggestions behind them and the committee's decisions on them: the
    released ones, and the others only for readers of their round."""

    permission_required = "training.view_curriculum"
    template_name = "staff/decisions/module_traceability.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        module = self.module
        trails = traceability.for_module(module, include_unreleased=True)
        decision_ids = [d.pk for trail in trails for d in trail.decisions]
        readable = set(
            decisions_visible_to(self.request.user)
            .filter(pk__in=decision_ids)
            .values_list("pk", flat=True)
        )
        for trail in trails:
            trail.decisions = [d for d in trail.decisions if d.pk in readable]
        return {
            **super().get_context_data(**kwargs),
            "nav": "curricula",
            "module": module,
            "version": module.version,
            "curriculum": module.version.curriculum,
            "trails": trails,
        }
