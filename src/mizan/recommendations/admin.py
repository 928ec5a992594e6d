"""Administration of the registry's reference data; day-to-day work happens in the back office."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mizan.recommendations.models import Mechanism, SourceDocument, Vocabulary


@admin.register(Mechanism)
class MechanismAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind")


@admin.register(SourceDocument)
class SourceDocumentAdmin(SimpleHistoryAdmin):
    list_display = ("symbol", "mechanism", "state_under_review", "date")
    search_fields = ("symbol",)


@admin.register(Vocabulary)
class VocabularyAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "is_facet", "position")
