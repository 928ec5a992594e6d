"""Attendance per half-day: a session's grid of participants × half-days, the trainer's
tablet page for one half-day, the QR code participants scan to check in, and the export.

Rule for every page: ``training.record_attendance`` on the session (its managers and its
trainers). Members without it get 403 after the session is looked up among those they may
see; people without membership are refused before any lookup, so they learn no ids.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View

from mizan.core.errors import MizanError
from mizan.core.qr import qr_png, qr_svg
from mizan.staff.views.mixins import ReadFirstMixin
from mizan.staff.views.training import PostStepView
from mizan.training.attendance import (
    EXPORT_CONTENT_TYPES,
    SheetRow,
    attendance_grid,
    export_attendance,
    sheet_row,
    slot_counts,
    slot_sheet,
)
from mizan.training.enums import AttendanceStatus
from mizan.training.models import Enrolment, SessionSlot, TrainingSession
from mizan.training.queries import enrolments_visible_to, sessions_visible_to
from mizan.training.services import attendance as services

SLOT_TEMPLATE = "staff/attendance/slot.html"
CODE_TEMPLATE = "staff/attendance/check_in_code.html"


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


class AttendanceMixin(ReadFirstMixin):
    """Members only before any lookup; then ``training.record_attendance`` on the session."""

    read_permission = "training.view_session"
    permission_required = "training.record_attendance"
    kwargs: dict[str, Any]

    @property
    def session(self) -> TrainingSession:
        raise NotImplementedError

    def get_permission_object(self) -> Any:
        return self.session

    def visible_enrolments(self) -> Any:
        return enrolments_visible_to(self.request.user)


class SessionAttendanceMixin(AttendanceMixin):
    @cached_property
    def session(self) -> TrainingSession:
        return get_object_or_404(sessions_visible_to(self.request.user), pk=self.kwargs["pk"])


class SlotAttendanceMixin(AttendanceMixin):
    @cached_property
    def slot(self) -> SessionSlot:
        return get_object_or_404(
            SessionSlot.objects.filter(
                session__in=sessions_visible_to(self.request.user)
            ).select_related("session"),
            pk=self.kwargs["pk"],
        )

    @cached_property
    def session(self) -> TrainingSession:
        return self.slot.session

    def slot_url(self) -> str:
        return reverse("staff:slot_attendance", args=[self.slot.pk])


# --- A session's grid -------------------------------------------------------------------------


class SessionAttendanceView(SessionAttendanceMixin, TemplateView):
    """Participants × half-days with each participant's minutes and share, and each
    half-day's totals; links to each half-day's tablet page. Rule:
    ``training.record_attendance``."""

    template_name = "staff/attendance/session.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        session = self.session
        return {
            **super().get_context_data(**kwargs),
            "session": session,
            "grid": attendance_grid(session, enrolments=self.visible_enrolments()),
        }


class AttendanceExportView(SessionAttendanceMixin, View):
    """The grid as CSV or XLSX: a row per participant and half-day, and a summary per
    participant. Rule: ``training.record_attendance``."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        format_ = kwargs["format"]
        if format_ not in EXPORT_CONTENT_TYPES:
            raise Http404
        content_type, extension = EXPORT_CONTENT_TYPES[format_]
        buffer = io.BytesIO()
        export_attendance(
            self.session, format=format_, output=buffer, enrolments=self.visible_enrolments()
        )
        response = HttpResponse(buffer.getvalue(), content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="attendance-session-{self.session.pk}.{extension}"'
        )
        # Personal data: never kept by a shared cache or the browser's.
        patch_cache_control(response, private=True, no_store=True)
        return response


# --- The tablet page of one half-day -------------------------------------------------------


class SlotAttendanceView(SlotAttendanceMixin, TemplateView):
    """One row per approved participant with four buttons that save at once (HTMX swaps
    the row and the counts) or, without JavaScript, post the form and come back. Rule:
    ``training.record_attendance``."""

    template_name = SLOT_TEMPLATE

    def context(self, **extra: Any) -> dict[str, Any]:
        return {
            "session": self.session,
            "slot": self.slot,
            "statuses": AttendanceStatus.choices,
            **extra,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        sheet = slot_sheet(self.slot, enrolments=self.visible_enrolments())
        return {
            **super().get_context_data(**kwargs),
            **self.context(sheet=sheet, counts=sheet.counts),
        }

    def enrolment(self) -> Enrolment | None:
        value = self.request.POST.get("enrolment", "")
        if not value.isdigit() or len(value) > 18:
            return None
        return (
            self.visible_enrolments()
            .filter(session_id=self.slot.session_id, pk=int(value))
            .select_related("participant__institution")
            .first()
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        enrolment = self.enrolment()
        error = ""
        if enrolment is None:
            error = _("Choose a participant of this session.")
        else:
            try:
                services.record_attendance(
                    enrolment=enrolment,
                    slot=self.slot,
                    status=request.POST.get("status", ""),
                    by=request.user,
                )
            except MizanError as refusal:
                error = str(refusal.message)
        if _is_htmx(request):
            if enrolment is None:
                # Only a tampered form names no participant of the session.
                return HttpResponse(error, status=400)
            return self.row_response(sheet_row(self.slot, enrolment), error)
        if error:
            messages.error(request, error)
        else:
            assert enrolment is not None
            record = sheet_row(self.slot, enrolment).record
            messages.success(
                request,
                _("%(participant)s: %(status)s.")
                % {
                    "participant": enrolment.participant,
                    "status": record.get_status_display() if record else "",
                },
            )
        anchor = f"#enrolment-{enrolment.pk}" if enrolment is not None else ""
        return HttpResponseRedirect(self.slot_url() + anchor)

    def row_response(self, row: SheetRow, error: str) -> HttpResponse:
        """The changed row, and the counts swapped out of band."""
        request = self.request
        html = render_to_string(
            f"{SLOT_TEMPLATE}#row", self.context(row=row, error=error), request=request
        ) + render_to_string(
            f"{SLOT_TEMPLATE}#counts",
            self.context(counts=slot_counts(self.slot), oob=True),
            request=request,
        )
        return HttpResponse(html)


class MarkUnrecordedAbsentView(SlotAttendanceMixin, PostStepView):
    """Everyone not yet recorded for the half-day is recorded absent. Rule:
    ``training.record_attendance``."""

    def step(self, request: HttpRequest) -> str:
        marked = services.mark_unrecorded_absent(slot=self.slot, by=request.user)
        return ngettext(
            "%(count)s participant recorded absent.",
            "%(count)s participants recorded absent.",
            len(marked),
        ) % {"count": len(marked)}

    def back(self) -> HttpResponseRedirect:
        return redirect(self.slot_url())


# --- The check-in QR code ------------------------------------------------------------------


class CheckInCodeMixin(SlotAttendanceMixin):
    def check_in_url(self) -> str:
        path = reverse("participant:check_in", args=[self.slot.check_in_code])
        return self.request.build_absolute_uri(path)


class CheckInCodeView(CheckInCodeMixin, TemplateView):
    """The half-day's QR code, large enough to scan from a projector, its address, and the
    number of check-ins so far (refreshed every 10 seconds with HTMX). Rule:
    ``training.record_attendance``."""

    template_name = CODE_TEMPLATE

    def get_template_names(self) -> list[str]:
        if _is_htmx(self.request):
            return [f"{CODE_TEMPLATE}#count"]
        return [CODE_TEMPLATE]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = {
            **super().get_context_data(**kwargs),
            "session": self.session,
            "slot": self.slot,
            "counts": slot_counts(self.slot),
            "opens_minutes": services.CHECK_IN_OPENS_MINUTES_BEFORE,
            "late_minutes": services.LATE_AFTER_MINUTES,
        }
        if not _is_htmx(self.request):
            url = self.check_in_url()
            context["check_in_url"] = url
            context["qr"] = qr_svg(
                url,
                label=_("QR code to check in for %(session)s, %(date)s %(part)s")
                % {
                    "session": self.session,
                    "date": self.slot.date.isoformat(),
                    "part": self.slot.get_part_display(),
                },
                scale=12,
            )
        return context


class CheckInCodePngView(CheckInCodeMixin, View):
    """The same QR code as a PNG file, to print or to put in slides. Rule:
    ``training.record_attendance``."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        slot = self.slot
        response = HttpResponse(qr_png(self.check_in_url(), scale=16), content_type="image/png")
        response["Content-Disposition"] = (
            f'attachment; filename="check-in-{slot.date.isoformat()}-{slot.part}.png"'
        )
        patch_cache_control(response, private=True, no_store=True)
        return response
