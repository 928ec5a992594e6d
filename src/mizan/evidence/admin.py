from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mizan.evidence.models import EvidenceFile


@admin.register(EvidenceFile)
class EvidenceFileAdmin(SimpleHistoryAdmin):
    list_display = ["name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["sha256", "size", "content_type"]
