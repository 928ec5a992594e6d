"""Administration of institutions (administrators only)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mizan.accounts.models import Membership
from mizan.institutions.models import Institution


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "acronym", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "acronym")
    inlines = [MembershipInline]
