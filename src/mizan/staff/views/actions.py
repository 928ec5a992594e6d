"""Actions (measures) answering recommendations: list, detail, forms, status, evidence,
indicators and their values, progress reports with their review, and history."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from mizan.actions import services
from mizan.actions.enums import ActionKind, ActionStatus
from mizan.actions.models import Action, Indicator, IndicatorValue, ProgressReport
from mizan.actions.queries import (
    ActionFilters,
    actions_visible_to,
    indicators_visible_to,
    indicators_with_values,
    latest_value,
    progress_reports_visible_to,
    review_trail,
    with_detail,
    with_list_details,
)
from mizan.audit.history import history_of, history_of_related
from mizan.core.errors import MizanError
from mizan.evidence.models import EvidenceFile
from mizan.institutions.models import Institution
from mizan.recommendations.queries import recommendations_visible_to
from mizan.staff.forms.actions import (
    ActionForm,
    ActionStatusForm,
    ComputeForm,
    EvidenceForm,
    IndicatorForm,
    IndicatorValueCorrectionForm,
    IndicatorValueForm,
    IndicatorValueRemoveForm,
    ProgressReportForm,
    ReturnForm,
    ReviewForm,
)
from mizan.staff.forms.errors import add_service_error
from mizan.staff.views.mixins import ReadFirstMixin
from mizan.staff.views.sessions import action_sessions

PAGE_SIZE = 25
FORM_TEMPLATE = "staff/actions/form.html"


class MemberFirstMixin(ReadFirstMixin):
    """Anyone who may not read actions is refused before any record is looked up."""

    read_permission = "actions.view_action"


class ActionMixin(MemberFirstMixin):
    """The action named by ``pk`` in the URL is the object of the permission rule."""

    kwargs: dict[str, Any]

    @cached_property
    def action(self) -> Action:
        return get_object_or_404(actions_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self) -> Any:
        return self.action

    def back(self) -> HttpResponseRedirect:
        return redirect("staff:action_detail", pk=self.action.pk)


class IndicatorMixin(MemberFirstMixin):
    """The indicator named by ``pk``; the rule is checked against its action."""

    kwargs: dict[str, Any]

    @cached_property
    def indicator(self) -> Indicator:
        return get_object_or_404(
            indicators_visible_to(self.request.user).select_related("action"),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self) -> Any:
        return self.indicator.action

    def back(self) -> HttpResponseRedirect:
        return redirect(
            reverse("staff:action_detail", args=[self.indicator.action_id]) + "#indicators"
        )


class IndicatorValueMixin(MemberFirstMixin):
    """The indicator value named by ``pk``; the rule is checked against its action."""

    kwargs: dict[str, Any]

    @cached_property
    def value(self) -> IndicatorValue:
        return get_object_or_404(
            IndicatorValue.objects.filter(
                indicator__in=indicators_visible_to(self.request.user)
            ).select_related("indicator__action"),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self) -> Any:
        return self.value.indicator.action

    def back(self) -> HttpResponseRedirect:
        return redirect(
            reverse("staff:action_detail", args=[self.value.indicator.action_id]) + "#indicators"
        )


class ReportMixin(MemberFirstMixin):
    """The progress report named by ``pk`` is the object of the permission rule."""

    kwargs: dict[str, Any]

    @cached_property
    def report(self) -> ProgressReport:
        return get_object_or_404(
            progress_reports_visible_to(self.request.user).select_related(
                "action__lead_institution", "author", "reviewed_by", "corrects"
            ),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self) -> Any:
        return self.report

    def back(self) -> HttpResponseRedirect:
        return redirect("staff:progress_report_detail", pk=self.report.pk)


# --- Actions ---------------------------------------------------------------------------


class ActionListView(MemberFirstMixin, TemplateView):
    """Rule: any member (``actions.view_action``). HTMX requests get the results only."""

    permission_required = "actions.view_action"
    template_name = "staff/actions/action_list.html"

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:  # type: ignore[attr-defined]
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        filters = ActionFilters.from_query(self.request.GET)
        queryset = with_list_details(filters.apply(actions_visible_to(user))).order_by(
            "due_on", "id"
        )
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "nav": "actions",
            "filters": filters,
            "page": page,
            "rows": list(page.object_list),
            "statuses": ActionStatus.choices,
            "kinds": ActionKind.choices,
            "institutions": Institution.objects.filter(led_actions__isnull=False).distinct(),
            "can_add": user.has_perm("actions.add_action"),
            "query_string": query.urlencode(),
        }


class ActionDetailView(ActionMixin, TemplateView):
    """Rule: any member (``actions.view_action``); the forms show to those who may change
    the action (``actions.change_action``: coordinators, focal points of the lead)."""

    permission_required = "actions.view_action"
    template_name = "staff/actions/action_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        action = get_object_or_404(with_detail(actions_visible_to(user)), pk=self.kwargs["pk"])
        can_edit = user.has_perm("actions.change_action", action)
        indicators = indicators_with_values(action)
        for indicator in indicators:
            indicator.latest = latest_value(indicator)  # type: ignore[attr-defined]
        allowed = services.allowed_statuses(action)
        return {
            **super().get_context_data(**kwargs),
            "nav": "actions",
            "action": action,
            "recommendations": sorted(
                action.recommendations.all(), key=lambda r: (r.document.symbol, r.pk)
            ),
            "indicators": indicators,
            "reports": action.progress_reports.select_related("author", "corrects").order_by(
                "-period_end", "-id"
            ),
            "can_edit": can_edit,
            "can_record": user.has_perm("actions.add_indicatorvalue", action),
            "can_report": user.has_perm("actions.add_progressreport", action),
            "status_form": ActionStatusForm(allowed=allowed) if can_edit and allowed else None,
            "evidence_form": EvidenceForm() if can_edit else None,
            "compute_form": ComputeForm(initial={"as_of": timezone.localdate()}),
            "sessions": action_sessions(action, user),
        }


class ActionFormMixin(FormView):
    template_name = FORM_TEMPLATE
    form_class = ActionForm
    request: HttpRequest

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, **self.form_extra()}

    def form_extra(self) -> dict[str, Any]:
        return {}

    def save(self, form: ActionForm) -> Action:
        raise NotImplementedError

    def form_valid(self, form: ActionForm) -> HttpResponse:
        try:
            action = self.save(form)
        except MizanError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Action saved."))
        return redirect("staff:action_detail", pk=action.pk)


class ActionCreateView(MemberFirstMixin, ActionFormMixin):
    """Rule: coordinators and focal points (``actions.add_action``); a focal point picks
    the lead among their own institution and its units. ``?recommendation=<pk>`` starts
    the action linked to that recommendation."""

    permission_required = "actions.add_action"

    @cached_property
    def prefilled(self) -> list[int]:
        ids = [int(v) for v in self.request.GET.getlist("recommendation") if v.isdigit()]
        return list(
            recommendations_visible_to(self.request.user)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )

    def form_extra(self) -> dict[str, Any]:
        return {"recommendation_ids": self.prefilled}

    def get_initial(self) -> dict[str, Any]:
        return {"recommendations": self.prefilled, "kind": ActionKind.TRAINING}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "nav": "actions",
            "page_title": _("New action"),
            "back_url": reverse("staff:action_list"),
        }

    def save(self, form: ActionForm) -> Action:
        return services.create_action(**form.action_data(), by=self.request.user)


class ActionEditView(ActionMixin, ActionFormMixin):
    """Rule: ``actions.change_action`` (coordinators, focal points of the lead)."""

    permission_required = "actions.change_action"

    def form_extra(self) -> dict[str, Any]:
        return {
            "recommendation_ids": list(self.action.recommendations.values_list("pk", flat=True))
        }

    def get_initial(self) -> dict[str, Any]:
        action = self.action
        return {
            "title": action.title,
            "description": action.description,
            "kind": action.kind,
            "lead_institution": action.lead_institution_id,
            "partner_institutions": list(action.partner_institutions.values_list("pk", flat=True)),
            "starts_on": action.starts_on,
            "due_on": action.due_on,
            "recommendations": list(action.recommendations.values_list("pk", flat=True)),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "nav": "actions",
            "page_title": _("Edit %(action)s") % {"action": self.action},
            "back_url": reverse("staff:action_detail", args=[self.action.pk]),
        }

    def save(self, form: ActionForm) -> Action:
        return services.update_action(
            action=self.action, by=self.request.user, **form.action_data()
        )


class ActionStatusView(ActionMixin, View):
    """Rule: ``actions.change_action``. Cancelling needs a reason."""

    permission_required = "actions.change_action"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ActionStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the new status."))
            return self.back()
        try:
            services.change_action_status(
                action=self.action,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except MizanError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Status changed."))
        return self.back()


class ActionEvidenceView(ActionMixin, View):
    """Rule: ``actions.change_action``. The file is checked by content and size."""

    permission_required = "actions.change_action"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = EvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose a file to upload."))
            return self.back()
        try:
            services.attach_evidence(
                action=self.action,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except MizanError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Evidence added."))
        return redirect(reverse("staff:action_detail", args=[self.action.pk]) + "#evidence")


class ActionEvidenceRemoveView(ActionMixin, View):
    """Rule: ``actions.change_action``. Unlinks the file; it stays stored."""

    permission_required = "actions.change_action"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
        evidence = get_object_or_404(EvidenceFile, pk=evidence_pk, actions=self.action)
        services.detach_evidence(action=self.action, evidence=evidence, by=request.user)
        messages.success(request, _("Evidence removed from the action."))
        return self.back()


class ActionHistoryView(ActionMixin, TemplateView):
    """Rule: any member (``actions.view_action``). Who changed what, and when: the action,
    its indicators, their values and its progress reports."""

    permission_required = "actions.view_action"
    template_name = "staff/actions/action_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        action = self.action
        entries = history_of(action)
        for entry in entries:
            entry.label = _("Action")
        indicator_ids = Indicator.history.filter(action_id=action.pk).values("id")
        related = [
            (Indicator.history.filter(action_id=action.pk), _("Indicator")),
            (IndicatorValue.history.filter(indicator_id__in=indicator_ids), _("Indicator value")),
            (ProgressReport.history.filter(action_id=action.pk), _("Progress report")),
        ]
        for records, label in related:
            entries += history_of_related(records.select_related("history_user"), str(label))
        entries.sort(key=lambda e: e.when, reverse=True)
        return {
            **super().get_context_data(**kwargs),
            "nav": "actions",
            "action": action,
            "entries": entries,
        }


# --- Indicators ------------------------------------------------------------------------


class IndicatorCreateView(ActionMixin, FormView):
    """Rule: ``actions.change_action`` (coordinators, focal points of the lead)."""

    permission_required = "actions.change_action"
    template_name = FORM_TEMPLATE
    form_class = IndicatorForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "nav": "actions",
            "page_title": _("New indicator for %(action)s") % {"action": self.action},
            "back_url": reverse("staff:action_detail", args=[self.action.pk]),
        }

    def form_valid(self, form: IndicatorForm) -> HttpResponse:
        try:
            services.add_indicator(action=self.action, by=self.request.user, **form.cleaned_data)
        except MizanError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Indicator added."))
        return redirect(reverse("staff:action_detail", args=[self.action.pk]) + "#indicators")


class IndicatorEditView(IndicatorMixin, FormView):
    """Rule: ``actions.change_action`` on the indicator's action."""

    permission_required = "actions.change_action"
    template_name = FORM_TEMPLATE
    form_class = IndicatorForm

    def get_initial(self) -> dict[str, Any]:
        indicator = self.indicator
        return {name: getattr(indicator, name) for name in services.INDICATOR_FIELDS}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "nav": "actions",
            "page_title": _("Edit indicator %(indicator)s") % {"indicator": self.indicator},
            "back_url": reverse("staff:action_detail", args=[self.indicator.action_id]),
        }

    def form_valid(self, form: IndicatorForm) -> HttpResponse:
        try:
            services.update_indicator(
                indicator=self.indicator, by=self.request.user, **form.cleaned_data
            )
        except MizanError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Indicator saved."))
        return self.back()


class IndicatorValueCreateView(IndicatorMixin, FormView):
    """Rule: ``actions.add_indicatorvalue`` on the indicator's action. Values entered by
    hand, for indicators that are not computed."""

    permission_required = "actions.add_indicatorvalue"
    template_name = FORM_TEMPLATE
    form_class = IndicatorValueForm

    def get_initial(self) -> dict[str, Any]:
        return {"measured_on": timezone.localdate()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "nav": "actions",
            "page_title": _("Record a value of %(indicator)s") % {"indicator": self.indicator},
            "back_url": reverse("staff:action_detail", args=[self.indicator.action_id]),
        }

    def form_valid(self, form: IndicatorValueForm) -> HttpResponse:
        try:
            services.record_indicator_value(
                indicator=self.indicator, by=self.request.user, **form.cleaned_data
            )
        except MizanError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Value recorded."))
        return self.back()


class IndicatorValueCorrectView(IndicatorValueMixin, FormView):
    """Rule: ``actions.add_indicatorvalue`` on the value's action. Corrects a value entered
    by hand (its figure and source) with a reason kept in the history; computed values are
    computed again instead."""

    permission_required = "actions.add_indicatorvalue"
    template_name = FORM_TEMPLATE
    form_class = IndicatorValueCorrectionForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.value.indicator.is_computed:
            messages.error(
                request,
                _("This indicator is computed; compute its value again instead of correcting it."),
            )
            return self.back()
        return super().get(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"value": self.value.value, "source": self.value.source}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        value = self.value
        return {
            **super().get_context_data(**kwargs),
            "nav": "actions",
            "page_title": _("Correct the value of %(indicator)s on %(date)s")
            % {
                "indicator": value.indicator,
                "date": formats.date_format(value.measured_on, "DATE_FORMAT"),
            },
            "back_url": reverse("staff:action_detail", args=[value.indicator.action_id])
            + "#indicators",
        }

    def form_valid(self, form: IndicatorValueCorrectionForm) -> HttpResponse:
        try:
            services.correct_indicator_value(
                value=self.value,
                new_value=form.cleaned_data["value"],
                source=form.cleaned_data["source"],
                reason=form.cleaned_data["reason"],
                by=self.request.user,
            )
        except MizanError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Value corrected."))
        return self.back()


class IndicatorValueRemoveView(IndicatorValueMixin, View):
    """Rule: ``actions.add_indicatorvalue`` on the value's action. Removes a value recorded
    by mistake; the reason is required and kept in the history with the removed value."""

    permission_required = "actions.add_indicatorvalue"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        back = self.back()
        form = IndicatorValueRemoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why the value is removed."))
            return back
        try:
            services.remove_indicator_value(
                value=self.value, reason=form.cleaned_data["reason"], by=request.user
            )
        except MizanError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Value removed."))
        return back


class IndicatorComputeView(IndicatorMixin, View):
    """Rule: ``actions.add_indicatorvalue`` on the indicator's action. Computes a computed
    indicator now, for the date given (default today)."""

    permission_required = "actions.add_indicatorvalue"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ComputeForm(request.POST)
        as_of: date = form.cleaned_data["as_of"] if form.is_valid() else timezone.localdate()
        try:
            record = services.compute_indicator(
                indicator=self.indicator, as_of=as_of, by=request.user
            )
        except MizanError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("Computed: %(value)s on %(date)s.")
                % {"value": record.value, "date": record.measured_on},
            )
        return self.back()


# --- Progress reports ------------------------------------------------------------------


class ProgressReportCreateView(ActionMixin, FormView):
    """Rule: ``actions.add_progressreport`` (whoever may change the action)."""

    permission_required = "actions.add_progressreport"
    template_name = FORM_TEMPLATE
    form_class = ProgressReportForm

    def get_initial(self) -> dict[str, Any]:
        last = self.action.progress_reports.order_by("-period_end").first()
        initial: dict[str, Any] = {"period_end": timezone.localdate()}
        if last is not None:
            initial["period_start"] = last.period_end
        elif self.action.starts_on:
            initial["period_start"] = self.action.starts_on
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "nav": "actions",
            "page_title": _("New progress report on %(action)s") % {"action": self.action},
            "back_url": reverse("staff:action_detail", args=[self.action.pk]),
        }

    def form_valid(self, form: ProgressReportForm) -> HttpResponse:
        try:
            report = services.draft_progress_report(
                action=self.action, by=self.request.user, **form.cleaned_data
            )
        except MizanError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Draft saved. Submit it when it is ready."))
        return redirect("staff:progress_report_detail", pk=report.pk)


class ProgressReportDetailView(ReportMixin, TemplateView):
    """Rule: any member (``actions.view_progressreport``); the buttons show to whoever may
    use them."""

    permission_required = "actions.view_progressreport"
    template_name = "staff/actions/progress_report_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        report = self.report
        can_review = user.has_perm("actions.review_progressreport", report)
        can_change = user.has_perm("actions.change_progressreport", report)
        return {
            **super().get_context_data(**kwargs),
            "nav": "actions",
            "report": report,
            "action": report.action,
            "evidence": report.evidence.all(),
            "corrections": report.corrections.order_by("-id"),
            "trail": review_trail(report),
            "can_change": can_change,
            "can_review": can_review,
            "can_correct": report.is_locked
            and user.has_perm("actions.add_progressreport", report.action),
            "evidence_form": EvidenceForm() if can_change else None,
        }


class ProgressReportEditView(ReportMixin, FormView):
    """Rule: ``actions.change_progressreport`` (a draft or returned report, by whoever may
    change the action). Approved reports never change."""

    permission_required = "actions.change_progressreport"
    template_name = FORM_TEMPLATE
    form_class = ProgressReportForm

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.report, name) for name in services.REPORT_FIELDS}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "nav": "actions",
            "page_title": _("Edit the progress report on %(action)s")
            % {"action": self.report.action},
            "back_url": reverse("staff:progress_report_detail", args=[self.report.pk]),
        }

    def form_valid(self, form: ProgressReportForm) -> HttpResponse:
        try:
            services.update_progress_report(
                report=self.report, by=self.request.user, **form.cleaned_data
            )
        except MizanError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Report saved."))
        return self.back()


class ReportStepView(ReportMixin, View):
    """A POST-only step of a report's review; a service refusal becomes a message."""

    http_method_names = ["post"]
    done_message = ""

    def step(self, request: HttpRequest) -> ProgressReport:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            result = self.step(request)
        except MizanError as error:
            messages.error(request, str(error.message))
            return self.back()
        messages.success(request, self.done_message)
        return redirect("staff:progress_report_detail", pk=result.pk)


class ProgressReportSubmitView(ReportStepView):
    """Rule: ``actions.change_progressreport``."""

    permission_required = "actions.change_progressreport"

    def step(self, request: HttpRequest) -> ProgressReport:
        self.done_message = _("Report submitted for review.")
        return services.submit_progress_report(report=self.report, by=request.user)


class ProgressReportApproveView(ReportStepView):
    """Rule: ``actions.review_progressreport`` (a coordinator who did not write it)."""

    permission_required = "actions.review_progressreport"

    def step(self, request: HttpRequest) -> ProgressReport:
        form = ReviewForm(request.POST)
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        self.done_message = _("Report approved.")
        return services.approve_progress_report(
            report=self.report, by=request.user, comment=comment
        )


class ProgressReportReturnView(ProgressReportDetailView):
    """Rule: ``actions.review_progressreport``. A comment saying what to change is required:
    without one the report's page comes back (400) with the error under the comment field."""

    permission_required = "actions.review_progressreport"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                services.return_progress_report(
                    report=self.report, by=request.user, comment=form.cleaned_data["comment"]
                )
            except MizanError as error:
                if error.field != "comment":
                    messages.error(request, str(error.message))
                    return self.back()
                add_service_error(form, error)
            else:
                messages.success(request, _("Report returned to its author."))
                return self.back()
        return self.render_to_response(self.get_context_data(return_form=form), status=400)


class ProgressReportCorrectView(ReportStepView):
    """Rule: ``actions.add_progressreport`` on the report's action. Starts a new draft that
    corrects this (approved) report."""

    permission_required = "actions.add_progressreport"

    def get_permission_object(self) -> Any:
        return self.report.action

    def step(self, request: HttpRequest) -> ProgressReport:
        self.done_message = _("Correction started as a new draft.")
        return services.correct_progress_report(report=self.report, by=request.user)


class ProgressReportEvidenceView(ReportStepView):
    """Rule: ``actions.change_progressreport``. The file is checked by content and size."""

    permission_required = "actions.change_progressreport"

    def step(self, request: HttpRequest) -> ProgressReport:
        form = EvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            raise MizanError(_("Choose a file to upload."), field="file")
        services.attach_report_evidence(
            report=self.report,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
            by=request.user,
        )
        self.done_message = _("Evidence added.")
        return self.report
