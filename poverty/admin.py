"""Admin: the configurable rules (visit interval, notice, poverty line, quotas by rank) and
read-mostly views of the records; day-to-day writes go through the app's pages (services).
"""

from django.contrib import admin

from portal.admin_base import SingletonRulesAdmin
from poverty.models import (
    Household,
    Income,
    Measure,
    Member,
    Pairing,
    PairingQuota,
    PovertyRules,
    Village,
    Visit,
)


@admin.register(PovertyRules)
class PovertyRulesAdmin(SingletonRulesAdmin):
    list_display = ["__str__", "visit_interval_months", "exit_notice_days", "poverty_line"]


@admin.register(PairingQuota)
class PairingQuotaAdmin(admin.ModelAdmin):
    list_display = ["level", "min_households"]
    list_editable = ["min_households"]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "responsible_leader", "first_secretary", "technician_name"]
    list_filter = ["status"]
    search_fields = ["name"]
    autocomplete_fields = ["organization", "assisting_unit"]
    raw_id_fields = ["responsible_leader", "first_secretary", "work_team"]


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ["name", "relation", "health", "labour", "migrant_worker"]
    readonly_fields = fields
    can_delete = False


class IncomeInline(admin.TabularInline):
    model = Income
    extra = 0


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["number", "village", "kind", "status", "exit_stage"]
    list_filter = ["status", "kind", "exit_stage", "main_cause"]
    search_fields = ["number", "village__name"]
    raw_id_fields = ["village"]
    inlines = [MemberInline, IncomeInline]
    # Status and the exit procedure change only through the checked moves (services).
    readonly_fields = ["status", "exit_stage", "exit_notice_ends_on", "exited_on", "at_risk_since"]


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ["household", "official", "start", "end"]
    raw_id_fields = ["household", "official"]
    list_filter = ["end"]

    def has_change_permission(self, request, obj=None):
        return False  # reassign through the household's page: history is kept


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "pairing"]
    raw_id_fields = ["pairing", "logged_by"]
    date_hierarchy = "date"


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["household", "kind", "amount", "date"]
    list_filter = ["kind"]
    raw_id_fields = ["household"]
