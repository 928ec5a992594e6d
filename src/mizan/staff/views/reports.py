"""The reports hub, asking for the follow-up report to the UN, and following a report
job: its progress while the background job writes it, then its file.

A report job belongs to the person who asked for it; coordinators may read every job.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView
from django.views.generic.detail import SingleObjectMixin
from rules.contrib.views import PermissionRequiredMixin

from mizan.core.errors import MizanError
from mizan.core.languages import INTERFACE_LANGUAGES
from mizan.recommendations.models import SourceDocument
from mizan.recommendations.queries import documents_visible_to
from mizan.reports.enums import JobStatus, ReportFormat, ReportKind
from mizan.reports.followup import LANGUAGE_NAMES
from mizan.reports.models import ReportJob
from mizan.reports.services import request_report
from mizan.staff.views.mixins import ReadFirstMixin

NAV = "reports"
#: Jobs listed on the hub.
RECENT_JOBS = 10
#: The dashboards the hub links to, by URL name: listed only once their pages exist.
DASHBOARDS = (
    ("staff:recommendation_dashboard", gettext_lazy("Recommendations dashboard")),
    ("staff:training_dashboard", gettext_lazy("Training dashboard")),
)


def _jobs() -> QuerySet[ReportJob]:
    return ReportJob.objects.select_related("document", "session", "version", "requested_by")


class ReportsHubView(PermissionRequiredMixin, TemplateView):
    """Rule: any member (``reports.view_reports``)."""

    permission_required = "reports.view_reports"
    template_name = "staff/reports/hub.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        dashboards = []
        for name, label in DASHBOARDS:
            try:
                dashboards.append((label, reverse(name)))
            except NoReverseMatch:
                continue
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "dashboards": dashboards,
            "jobs": list(_jobs().filter(requested_by_id=self.request.user.pk)[:RECENT_JOBS]),
            "running": (JobStatus.QUEUED, JobStatus.RUNNING),
        }


class FollowUpReportForm(forms.Form):
    document = forms.ModelChoiceField(
        label=gettext_lazy("UN document"), queryset=SourceDocument.objects.none()
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the report"),
        choices=[(code, LANGUAGE_NAMES[code]) for code in INTERFACE_LANGUAGES],
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=ReportFormat.choices, initial=ReportFormat.PDF
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["document"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = documents_visible_to(user).order_by("-date", "symbol")


class FollowUpReportNewView(PermissionRequiredMixin, FormView):
    """Rule: coordinators (``reports.write_followup_report``): the report speaks for the
    NHRI. The POST records the job and goes to its page."""

    permission_required = "reports.write_followup_report"
    template_name = "staff/reports/followup_new.html"
    form_class = FollowUpReportForm

    def get_initial(self) -> dict[str, Any]:
        language = (self.request.LANGUAGE_CODE or "en").split("-")[0]
        initial: dict[str, Any] = {"language": language if language in LANGUAGE_NAMES else "en"}
        document = self.request.GET.get("document")
        if document and document.isdigit():
            initial["document"] = document
        return initial

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "nav": NAV}

    def form_valid(self, form: FollowUpReportForm) -> HttpResponse:
        try:
            job = request_report(
                self.request.user,
                kind=ReportKind.FOLLOW_UP,
                document=form.cleaned_data["document"],
                language=form.cleaned_data["language"],
                format=form.cleaned_data["format"],
            )
        except MizanError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        return redirect("staff:report_job", pk=job.pk)


class JobMixin(ReadFirstMixin, SingleObjectMixin):
    """Refuses a non-member before any lookup; then only the person who asked, or a
    coordinator, reads the job (``reports.view_reportjob``)."""

    read_permission = "reports.view_reports"
    permission_required = "reports.view_reportjob"
    model = ReportJob

    def get_queryset(self) -> QuerySet[ReportJob]:
        return _jobs()


class ReportJobView(JobMixin, DetailView):
    """Rule: the person who asked, or a coordinator (``reports.view_reportjob``). While
    the job waits or runs, its status block asks for itself again every two seconds
    (HTMX); without JavaScript, reloading the page shows the same."""

    template_name = "staff/reports/job.html"
    context_object_name = "job"

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:  # type: ignore[attr-defined]
            return [f"{self.template_name}#status"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        job: ReportJob = self.object
        return {
            **super().get_context_data(**kwargs),
            "nav": NAV,
            "in_progress": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
            "is_done": job.status == JobStatus.DONE and bool(job.file),
            "is_failed": job.status == JobStatus.FAILED,
        }


class ReportJobDownloadView(JobMixin, View):
    """Rule: as the job's page. The file, as an attachment, once the job is done."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        job: ReportJob = self.get_object()
        if job.status != JobStatus.DONE or not job.file:
            raise Http404
        return FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=job.filename or (job.file.name or "").rsplit("/", 1)[-1],
        )
