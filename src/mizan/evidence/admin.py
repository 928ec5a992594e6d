"""Evidence files in the admin, for looking them up: a file is added only through the
services, which check its content and size, so the admin neither adds nor replaces one."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from mizan.evidence.models import EvidenceFile


@admin.register(EvidenceFile)
class EvidenceFileAdmin(SimpleHistoryAdmin):
    list_display = ["name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["file", "sha256", "size", "content_type", "uploaded_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
