"""Admin: the rules table is edited here; cadre records are read-only here, because every
write goes through the services behind the cadres pages (same checks for every caller)."""

from django.contrib import admin

from cadres.models import (
    Appointment,
    Assessment,
    Cadre,
    CadreRules,
    FourMustCheck,
    PostRecord,
    ReserveEntry,
    Training,
)
from portal.admin_base import MaskedIdNumberAdmin, ReadOnlyAdmin, SingletonRulesAdmin


@admin.register(CadreRules)
class CadreRulesAdmin(SingletonRulesAdmin):
    list_display = [
        "__str__",
        "notice_working_days",
        "probation_months",
        "reserve_max_per_post",
        "reserve_min_women_share",
        "four_musts_days",
    ]


class PostInline(admin.TabularInline):
    model = PostRecord
    fields = ["start_date", "end_date", "unit", "post_title", "level", "document_number"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Cadre)
class CadreAdmin(MaskedIdNumberAdmin, ReadOnlyAdmin):
    # The ID number shows masked; a full view is a recorded reveal (portal/admin_base.py).
    list_display = ["name", "gender", "birth_date", "masked_id_number", "organization"]
    search_fields = ["name", "name_initials"]
    list_select_related = ["organization"]
    exclude = ["id_number"]
    inlines = [PostInline]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["cadre", "proposed_title", "proposed_unit", "stage", "motion_on"]
    list_filter = ["stage"]
    list_select_related = ["cadre", "proposed_unit"]
    search_fields = ["cadre__name"]


@admin.register(FourMustCheck)
class FourMustCheckAdmin(ReadOnlyAdmin):
    list_display = ["appointment", "item", "checked_by", "checked_on"]
    list_filter = ["item"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["cadre", "year", "grade"]
    list_filter = ["year", "grade"]
    search_fields = ["cadre__name"]


@admin.register(Training)
class TrainingAdmin(ReadOnlyAdmin):
    list_display = ["cadre", "course", "start_date", "class_hours"]
    search_fields = ["cadre__name", "course"]


@admin.register(ReserveEntry)
class ReserveEntryAdmin(ReadOnlyAdmin):
    list_display = ["cadre", "level", "added_on", "removed_on"]
    list_filter = ["level"]
