"""The recommendation registry: list with search and facets, detail, forms, history,
tagging, assignment, bulk actions and export."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet, TextChoices
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from mizan.assist import queries as assist_queries
from mizan.assist.queries import cluster_of
from mizan.audit.history import history_of, history_of_related
from mizan.core.errors import MizanError
from mizan.institutions.models import Institution
from mizan.recommendations import services
from mizan.recommendations.enums import AssessmentVoice, ImplementationStatus, Position
from mizan.recommendations.exporters import EXPORT_CONTENT_TYPES, export_recommendations
from mizan.recommendations.models import (
    Assessment,
    Assignment,
    Mechanism,
    Recommendation,
    RecommendationText,
    Tagging,
    Vocabulary,
)
from mizan.recommendations.queries import (
    NOT_ASSESSED,
    RESULT_COUNT_CAP,
    RecommendationFilters,
    assessments_by_voice,
    count_up_to,
    institutions_for_assessment,
    recommendation_facets,
    recommendations_visible_to,
    with_list_details,
)
from mizan.staff.forms import AssignForm, BulkForm, RecommendationForm, TagForm
from mizan.staff.forms.errors import add_service_error
from mizan.staff.forms.registry import AssessmentForm
from mizan.staff.views.tag_suggestions import tags_box

PAGE_SIZE = 25


class CappedPaginator(Paginator):
    """A paginator that stops counting at ``RESULT_COUNT_CAP`` (the list then says “more
    than …” and offers the pages up to there)."""

    cap = RESULT_COUNT_CAP

    @cached_property
    def count(self) -> int:
        return count_up_to(self.object_list, self.cap)  # type: ignore[arg-type]

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap


def facet_titles() -> dict[str, str]:
    return {
        "mechanism": _("Mechanism"),
        "document": _("Document"),
        "state": _("State under review"),
        "status": _("State's assessment"),
        "nhri_status": _("NHRI's assessment"),
        "disagree": _("Assessments disagree"),
        "position": _("Position of the state"),
        "institution": _("Institution"),
    }


def facet_labels() -> dict[str, dict[str, str]]:
    return {
        "mechanism": {m.code: f"{m.code} · {m.name}" for m in Mechanism.objects.all()},
        "status": {str(v): str(label) for v, label in ImplementationStatus.choices},
        "nhri_status": {
            **{str(v): str(label) for v, label in ImplementationStatus.choices},
            NOT_ASSESSED: _("Not assessed yet"),
        },
        "position": {str(v): str(label) for v, label in Position.choices},
        "institution": {i.code: i.name for i in Institution.objects.all()},
    }


class SearchMode(TextChoices):
    """The list's ``mode`` parameter (the page labels the choices itself)."""

    #: Today's full-text search, or a document symbol.
    WORDS = "words"
    #: By meaning, in any language (the assistant's sentence embeddings).
    MEANING = "meaning"


#: Recommendations a search by meaning offers at most, and the similarity below which a
#: recommendation is no longer close (short queries score lower than sentences).


def search_mode(request: HttpRequest) -> str:
    """``mode=meaning`` in the query string, for those allowed to search by meaning."""
    if request.GET.get("mode") == SearchMode.MEANING and request.user.has_perm(
        "assist.search_by_meaning"
    ):
        return SearchMode.MEANING
    return SearchMode.WORDS


def closest_in_meaning(
    base: QuerySet[Recommendation], filters: RecommendationFilters
) -> tuple[QuerySet[Recommendation], RecommendationFilters]:
    """``base`` narrowed to the recommendations closest in meaning to ``filters.q``, closest
    first, and the filters without the words (the facets still apply)."""
    return assist_queries.closest_in_meaning(base, filters.q), replace(filters, q="")


class RecommendationListView(PermissionRequiredMixin, TemplateView):
    """Rule: any member (``recommendations.view_recommendation``). HTMX requests get the
    results partial only."""

    permission_required = "recommendations.view_recommendation"
    template_name = "staff/recommendation_list.html"

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:  # type: ignore[attr-defined]
            return ["staff/recommendation_list.html#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        filters = RecommendationFilters.from_query(self.request.GET)
        mode = search_mode(self.request)
        base = recommendations_visible_to(user)
        if mode == SearchMode.MEANING and filters.q:
            base, scope = closest_in_meaning(base, filters)
            filtered = with_list_details(scope.apply(base))
            # Facets count within the closest recommendations, the words aside.
            filters_for_facets = scope
        else:
            # Search results in registration order: sorting every match by document would
            # cost more than the search itself on a large registry.
            ordering = ("id",) if filters.q else ("document__symbol", "id")
            filtered = with_list_details(filters.apply(base).order_by(*ordering))
            filters_for_facets = filters
        paginator = CappedPaginator(filtered, PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        rows = list(page.object_list)
        vocabularies = list(Vocabulary.objects.filter(is_facet=True))
        can_edit = user.has_perm("recommendations.change_recommendation")
        return {
            **super().get_context_data(**kwargs),
            "nav": "recommendations",
            "filters": filters,
            "page": page,
            "rows": rows,
            "facets": recommendation_facets(
                base, filters_for_facets, vocabularies, facet_labels(), facet_titles()
            ),
            "mode": mode,
            "can_search_by_meaning": user.has_perm("assist.search_by_meaning"),
            "suggestions_waiting": user.has_perm("assist.view_suggestions"),
            "can_edit": can_edit,
            "bulk_form": BulkForm(visible_ids=[]) if can_edit else None,
            "query_string": self.request.GET.urlencode(),
        }


#: voice → the permission to record its assessment
ASSESS_PERMISSIONS = {
    AssessmentVoice.STATE: "recommendations.assess_as_state",
    AssessmentVoice.NHRI: "recommendations.assess_as_nhri",
}


def assessment_form(
    request: HttpRequest, recommendation: Recommendation, voice: str, data: Any = None
) -> AssessmentForm:
    return AssessmentForm(
        data,
        request.FILES if data is not None else None,
        voice=voice,
        institutions=institutions_for_assessment(request.user, recommendation, voice),
    )


def detail_context(
    request: HttpRequest,
    recommendation: Recommendation,
    bound: AssessmentForm | None = None,
) -> dict[str, Any]:
    """What the detail page shows; ``bound`` is an assessment form sent back with errors."""
    user = request.user
    can_edit = user.has_perm("recommendations.change_recommendation")
    timelines = assessments_by_voice(recommendation)
    voices = []
    for voice, label in AssessmentVoice.choices:
        assessments = timelines[voice]
        status = (
            recommendation.status if voice == AssessmentVoice.STATE else recommendation.nhri_status
        )
        form: AssessmentForm | None = None
        if user.has_perm(ASSESS_PERMISSIONS[AssessmentVoice(voice)], recommendation):
            form = bound if bound is not None and bound.voice == voice else None
            form = form or assessment_form(request, recommendation, voice)
        voices.append(
            {
                "voice": voice,
                "label": label,
                "status": status,
                "status_label": ImplementationStatus(status).label if status else "",
                "latest": assessments[0] if assessments else None,
                "earlier": assessments[1:],
                "form": form,
            }
        )
    return {
        "nav": "recommendations",
        "recommendation": recommendation,
        "texts": sorted(recommendation.texts.all(), key=lambda t: (not t.is_original, t.language)),
        "taggings": recommendation.taggings.all(),
        "tags_box": tags_box(user, recommendation, can_edit=can_edit),
        "assignments": recommendation.assignments.all(),
        "actions": recommendation.actions.select_related("lead_institution").order_by(
            "due_on", "id"
        ),
        "can_plan_action": user.has_perm("actions.add_action"),
        "voices": voices,
        "disagree": bool(
            recommendation.nhri_status and recommendation.nhri_status != recommendation.status
        ),
        "can_edit": can_edit,
        "tag_form": TagForm() if can_edit else None,
        "assign_form": AssignForm() if can_edit else None,
        "near_duplicates": cluster_of(recommendation),
    }


class RecommendationDetailView(PermissionRequiredMixin, TemplateView):
    """Rule: any member (``recommendations.view_recommendation``). Each voice's assessment
    form shows only to those who may record it (``assess_as_state``, ``assess_as_nhri``)."""

    permission_required = "recommendations.view_recommendation"
    template_name = "staff/recommendation_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        recommendation = get_object_or_404(
            with_list_details(recommendations_visible_to(self.request.user)), pk=kwargs["pk"]
        )
        return {
            **super().get_context_data(**kwargs),
            **detail_context(self.request, recommendation),
        }


class AssessmentCreateView(PermissionRequiredMixin, View):
    """Rule: ``recommendations.assess_as_state`` for the state's voice (coordinators, focal
    points of an institution the recommendation is assigned to), ``assess_as_nhri`` for the
    NHRI's (the NHRI's coordinators and administrators), both on the recommendation.
    A form with errors comes back on the detail page."""

    http_method_names = ["post"]

    def get_permission_required(self) -> list[str]:
        voice = self.kwargs["voice"]
        if voice not in AssessmentVoice.values:
            raise Http404
        return [ASSESS_PERMISSIONS[AssessmentVoice(voice)]]

    def get_permission_object(self) -> Recommendation:
        if not hasattr(self, "_recommendation"):
            self._recommendation = get_object_or_404(
                with_list_details(recommendations_visible_to(self.request.user)),
                pk=self.kwargs["pk"],
            )
        return self._recommendation

    def post(self, request: HttpRequest, pk: int, voice: str) -> HttpResponse:
        recommendation = self.get_permission_object()
        form = assessment_form(request, recommendation, voice, data=request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_assessment(
                    recommendation=recommendation,
                    voice=voice,
                    status=data["status"],
                    assessed_on=data["assessed_on"],
                    rationale=data["rationale"],
                    institution=data["institution"],
                    evidence=data["evidence"],
                    by=request.user,
                )
            except MizanError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Assessment recorded."))
                url = reverse("staff:recommendation_detail", args=[recommendation.pk])
                return redirect(f"{url}#assessments")
        return render(
            request,
            "staff/recommendation_detail.html",
            detail_context(request, recommendation, bound=form),
            status=400,
        )


class RecommendationFormMixin(PermissionRequiredMixin, FormView):
    template_name = "staff/recommendation_form.html"
    form_class = RecommendationForm
    recommendation: Recommendation | None = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "nav": "recommendations",
            "recommendation": self.recommendation,
        }

    def save(self, form: RecommendationForm) -> Recommendation:
        raise NotImplementedError

    def form_valid(self, form: RecommendationForm) -> HttpResponse:
        try:
            recommendation = self.save(form)
        except MizanError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Recommendation saved."))
        return redirect("staff:recommendation_detail", pk=recommendation.pk)


class RecommendationCreateView(RecommendationFormMixin):
    """Rule: coordinators and administrators (``recommendations.add_recommendation``)."""

    permission_required = "recommendations.add_recommendation"

    def get_initial(self) -> dict[str, Any]:
        return {"status": ImplementationStatus.NOT_STARTED, "original_language": "en"}

    def save(self, form: RecommendationForm) -> Recommendation:
        data = form.cleaned_data
        return services.create_recommendation(
            document=data["document"],
            paragraph=data["paragraph"],
            texts=form.texts(),
            original_language=data["original_language"],
            recommending_state=data["recommending_state"],
            position=data["position"],
            status=data["status"],
            by=self.request.user,
        )


class RecommendationEditView(RecommendationFormMixin):
    """Rule: coordinators and administrators (``recommendations.change_recommendation``)."""

    permission_required = "recommendations.change_recommendation"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.has_permission():
            return self.handle_no_permission()
        self.recommendation = get_object_or_404(
            recommendations_visible_to(request.user), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        recommendation = self.recommendation
        assert recommendation is not None
        initial: dict[str, Any] = {
            "document": recommendation.document,
            "paragraph": recommendation.paragraph,
            "recommending_state": recommendation.recommending_state,
            "position": recommendation.position,
            "status": recommendation.status,
            "original_language": "en",
        }
        for text in recommendation.texts.all():
            initial[f"text_{text.language}"] = text.text
            if text.is_original:
                initial["original_language"] = text.language
        return initial

    def save(self, form: RecommendationForm) -> Recommendation:
        data = form.cleaned_data
        assert self.recommendation is not None
        return services.update_recommendation(
            recommendation=self.recommendation,
            texts=form.texts(),
            original_language=data["original_language"],
            document=data["document"],
            paragraph=data["paragraph"],
            recommending_state=data["recommending_state"],
            position=data["position"],
            status=data["status"],
            by=self.request.user,
        )


class RecommendationHistoryView(PermissionRequiredMixin, TemplateView):
    """Rule: any member (``recommendations.view_history``). Who changed what, and when:
    the record, its texts, tags, assignments and assessments."""

    permission_required = "recommendations.view_history"
    template_name = "staff/recommendation_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        recommendation = get_object_or_404(
            recommendations_visible_to(self.request.user).select_related("document"),
            pk=kwargs["pk"],
        )
        entries = history_of(recommendation)
        for entry in entries:
            entry.label = _("Recommendation")
        related = [
            (RecommendationText, _("Text")),
            (Tagging, _("Tag")),
            (Assignment, _("Assignment")),
            (Assessment, _("Assessment")),
        ]
        for model, label in related:
            records = model.history.filter(recommendation_id=recommendation.pk)  # type: ignore[attr-defined]
            entries += history_of_related(records.select_related("history_user"), str(label))
        entries.sort(key=lambda e: e.when, reverse=True)
        return {
            **super().get_context_data(**kwargs),
            "nav": "recommendations",
            "recommendation": recommendation,
            "entries": entries,
        }


class RecommendationActionView(PermissionRequiredMixin, View):
    """Base for the small POST-only actions of the detail page."""

    http_method_names = ["post"]

    def get_recommendation(self) -> Recommendation:
        return get_object_or_404(
            recommendations_visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def back(self, recommendation: Recommendation) -> HttpResponseRedirect:
        return redirect("staff:recommendation_detail", pk=recommendation.pk)


class TagView(RecommendationActionView):
    """Rule: ``recommendations.tag_recommendation`` (coordinators, administrators)."""

    permission_required = "recommendations.tag_recommendation"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        recommendation = self.get_recommendation()
        form = TagForm(request.POST)
        if form.is_valid():
            for term in form.cleaned_data["terms"]:
                services.tag_recommendation(
                    recommendation=recommendation, term=term, by=request.user
                )
            messages.success(request, _("Tags added."))
        else:
            messages.error(request, _("Choose at least one term."))
        return self.back(recommendation)


class TaggingConfirmView(RecommendationActionView):
    """Rule: ``recommendations.confirm_tagging`` (coordinators, administrators)."""

    permission_required = "recommendations.confirm_tagging"

    def post(self, request: HttpRequest, pk: int, tagging_pk: int) -> HttpResponse:
        recommendation = self.get_recommendation()
        tagging = get_object_or_404(recommendation.taggings, pk=tagging_pk)
        services.confirm_tagging(tagging=tagging, by=request.user)
        messages.success(request, _("Tag confirmed."))
        return self.back(recommendation)


class TaggingRemoveView(RecommendationActionView):
    """Rule: ``recommendations.delete_tagging`` (coordinators, administrators)."""

    permission_required = "recommendations.delete_tagging"

    def post(self, request: HttpRequest, pk: int, tagging_pk: int) -> HttpResponse:
        recommendation = self.get_recommendation()
        tagging = get_object_or_404(recommendation.taggings, pk=tagging_pk)
        services.remove_tagging(tagging=tagging, by=request.user)
        messages.success(request, _("Tag removed."))
        return self.back(recommendation)


class AssignView(RecommendationActionView):
    """Rule: ``recommendations.assign_recommendation`` (coordinators, administrators)."""

    permission_required = "recommendations.assign_recommendation"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        recommendation = self.get_recommendation()
        form = AssignForm(request.POST)
        if form.is_valid():
            services.assign_recommendation(
                recommendation=recommendation, by=request.user, **form.cleaned_data
            )
            messages.success(request, _("Institution assigned."))
        else:
            messages.error(request, _("Choose an institution and a role."))
        return self.back(recommendation)


class UnassignView(RecommendationActionView):
    """Rule: ``recommendations.assign_recommendation`` (coordinators, administrators)."""

    permission_required = "recommendations.assign_recommendation"

    def post(self, request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
        recommendation = self.get_recommendation()
        assignment = get_object_or_404(recommendation.assignments, pk=assignment_pk)
        services.unassign_recommendation(assignment=assignment, by=request.user)
        messages.success(request, _("Assignment removed."))
        return self.back(recommendation)


class BulkActionView(PermissionRequiredMixin, View):
    """Rule: ``recommendations.tag_recommendation`` and ``assign_recommendation``
    (coordinators, administrators). Applies to the ticked recommendations."""

    permission_required = (
        "recommendations.tag_recommendation",
        "recommendations.assign_recommendation",
    )
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        visible = recommendations_visible_to(request.user)
        ids = [int(i) for i in request.POST.getlist("selected") if i.isdigit()]
        form = BulkForm(
            request.POST, visible_ids=list(visible.filter(pk__in=ids).values_list("pk", flat=True))
        )
        back = reverse("staff:recommendation_list") + "?" + request.POST.get("query", "")
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
            if "selected" in form.errors:
                messages.error(request, _("Tick at least one recommendation."))
            return redirect(back)
        selected = visible.filter(pk__in=form.cleaned_data["selected"])
        data = form.cleaned_data
        if data["action"] == "tag":
            count = services.bulk_tag(
                recommendations=selected, terms=data["terms"], by=request.user
            )
            messages.success(
                request,
                ngettext("%(count)d tag added.", "%(count)d tags added.", count) % {"count": count},
            )
        else:
            count = services.bulk_assign(
                recommendations=selected,
                institution=data["institution"],
                role=data["role"] or "lead",
                by=request.user,
            )
            messages.success(
                request,
                _("%(count)d recommendations assigned to %(institution)s.")
                % {"count": count, "institution": data["institution"]},
            )
        return redirect(back)


class ExportView(PermissionRequiredMixin, View):
    """Rule: ``recommendations.export_recommendations`` (any member). Exports what the list
    shows, with the same filters."""

    permission_required = "recommendations.export_recommendations"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        file_format = request.GET.get("format", "csv")
        if file_format not in EXPORT_CONTENT_TYPES:
            return HttpResponse(_("Unknown export format."), status=400)
        filters = RecommendationFilters.from_query(request.GET)
        base = recommendations_visible_to(request.user)
        queryset: QuerySet[Recommendation]
        if search_mode(request) == SearchMode.MEANING and filters.q:
            # What the list shows: the closest in meaning, closest first.
            base, scope = closest_in_meaning(base, filters)
            queryset = scope.apply(base)
        else:
            queryset = filters.apply(base).order_by("document__symbol", "id")
        # Spooled: small exports stay in memory, large ones go to a temporary file.
        buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
        export_recommendations(queryset, format=file_format, output=buffer)  # type: ignore[arg-type]
        buffer.seek(0)
        content_type, extension = EXPORT_CONTENT_TYPES[file_format]
        filename = f"mizan-recommendations-{date.today().isoformat()}.{extension}"
        return FileResponse(
            buffer, as_attachment=True, filename=filename, content_type=content_type
        )
