"""Downloads of the report on a training session and of the report on a curriculum
version, as PDF, Word or spreadsheet, written by :mod:`mizan.reports.training_reports`
in the page's language (or ``?language=ar|fr|en``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.views import View

from mizan.core.languages import INTERFACE_LANGUAGES, active_language
from mizan.reports.documents import ReportFile
from mizan.reports.enums import ReportFormat
from mizan.reports.training_reports import session_report_file, version_report_file
from mizan.staff.views.mixins import ReadFirstMixin
from mizan.training.models import CurriculumVersion, TrainingSession
from mizan.training.queries import sessions_visible_to, versions_visible_to


def report_response(report: ReportFile) -> HttpResponse:
    response = HttpResponse(report.content, content_type=report.content_type)
    # Quoted, or encoded when it cannot be: a name cannot end the header or add one.
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=report.filename
    )
    return response


class ReportDownloadMixin(ReadFirstMixin):
    """The format from the URL and the language from the query, both checked before any
    report is written: an unknown one is not found."""

    request: HttpRequest
    kwargs: dict[str, Any]

    def report_format(self) -> str:
        format = self.kwargs["format"]
        if format not in ReportFormat.values:
            raise Http404
        return str(format)

    def report_language(self) -> str:
        language = self.request.GET.get("language") or active_language()
        if language not in INTERFACE_LANGUAGES:
            raise Http404
        return language


class SessionReportView(ReportDownloadMixin, View):
    """Rule: who may see the session's people (``training.view_roster``): the report
    lists the evaluation comments and hides no small group, so it is for the session's
    organisers and trainers. Other members get 403."""

    read_permission = "training.view_session"
    permission_required = "training.view_roster"
    http_method_names = ["get", "head"]

    @cached_property
    def session(self) -> TrainingSession:
        return get_object_or_404(sessions_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self) -> TrainingSession:
        return self.session

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        format, language = self.report_format(), self.report_language()
        return report_response(session_report_file(self.session, language=language, format=format))


class VersionReportView(ReportDownloadMixin, View):
    """Rule: whoever reads the version (``training.view_curriculum``, any member): the
    report hides every figure computed from fewer than eleven people."""

    read_permission = "training.view_curriculum"
    permission_required = "training.view_curriculum"
    http_method_names = ["get", "head"]

    @cached_property
    def version(self) -> CurriculumVersion:
        return get_object_or_404(versions_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self) -> CurriculumVersion:
        return self.version

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        format, language = self.report_format(), self.report_language()
        return report_response(version_report_file(self.version, language=language, format=format))
