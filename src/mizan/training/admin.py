"""Administration of curricula: for looking up records and their history. Day-to-day work
goes through the back office, whose services refuse to change a frozen version."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mizan.training.models import (
    Choice,
    Curriculum,
    CurriculumVersion,
    LearningObjective,
    Module,
    Question,
    TestForm,
)


@admin.register(Curriculum)
class CurriculumAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title", "keeper")
    search_fields = ("code",)


@admin.register(CurriculumVersion)
class CurriculumVersionAdmin(SimpleHistoryAdmin):
    list_display = ("curriculum", "number", "status", "frozen_at")
    list_filter = ("status",)
    readonly_fields = ("frozen_at", "published_at")


@admin.register(Module)
class ModuleAdmin(SimpleHistoryAdmin):
    list_display = ("title", "version", "order", "day", "duration_minutes")
    raw_id_fields = ("version", "materials", "terms")


@admin.register(LearningObjective)
class LearningObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ("code", "text", "module")
    raw_id_fields = ("module",)


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    list_display = ("prompt", "kind", "objective", "is_active")
    list_filter = ("kind", "is_active")
    raw_id_fields = ("objective",)
    inlines = [ChoiceInline]


@admin.register(TestForm)
class TestFormAdmin(SimpleHistoryAdmin):
    list_display = ("version", "code", "assembled_at")
