"""Administration of institutions (administrators only)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mizan.institutions.models import Institution


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "acronym", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "acronym")
