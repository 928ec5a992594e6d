"""Administration of partnerships, for repairs; day-to-day work happens in the back office,
whose services check the business rules the admin does not."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mizan.partnerships.models import JointCommittee, Meeting, PartnershipAgreement


@admin.register(PartnershipAgreement)
class PartnershipAgreementAdmin(SimpleHistoryAdmin):
    list_display = ("title", "reference", "starts_on", "ends_on")
    search_fields = ("title", "reference")
    filter_horizontal = ("parties",)


@admin.register(JointCommittee)
class JointCommitteeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "agreement")
    list_select_related = ("agreement",)


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ("committee", "starts_at", "place", "status")
    list_filter = ("status",)
    list_select_related = ("committee",)
