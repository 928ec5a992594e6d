"""Administration of actions: for looking up records and their history. Day-to-day work
goes through the back office, whose services check each change; progress reports are
read-only here so that an approved report can never change."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from mizan.actions.models import Action, Indicator, IndicatorValue, ProgressReport


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "lead_institution", "status", "due_on")
    list_filter = ("status", "kind")
    search_fields = ("title",)
    raw_id_fields = ("recommendations", "evidence")


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "action", "unit", "frequency", "computation")
    raw_id_fields = ("action",)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ("indicator", "measured_on", "value", "source", "recorded_by")
    raw_id_fields = ("indicator",)


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ("action", "period_start", "period_end", "status", "author", "reviewed_by")
    list_filter = ("status",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # simple-history saves a posted revert form without asking has_change_permission:
        # an approved report would go back to its draft. Its versions are for reading only.
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
