"""Admin: the configurable rules (visit interval, notice, poverty line, quotas by rank) and
read-mostly views of the records; day-to-day writes go through the app's pages (services),
and what the admin does write goes through the same services.
"""

from django.contrib import admin

from portal.admin_base import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin, SingletonRulesAdmin
from poverty import services
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
from poverty.models.households import GUARANTEES


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


class IncomeInline(ReadOnlyInline, admin.TabularInline):
    """Recorded on the household's page (services.income_record)."""

    model = Income
    fields = ["source", "amount"]
    readonly_fields = fields


@admin.register(Household)
class HouseholdAdmin(ServiceAdmin):
    """Registered and changed with services.household_register / household_update (the
    causes' rules); status and the exit procedure only through the checked moves."""

    list_display = ["number", "village", "kind", "status", "exit_stage"]
    list_filter = ["status", "kind", "exit_stage", "main_cause"]
    search_fields = ["number", "village__name"]
    raw_id_fields = ["village"]
    inlines = [MemberInline, IncomeInline]
    readonly_fields = [
        "status",
        *(name for name, _label in GUARANTEES),
        "exit_stage",
        "exit_notice_ends_on",
        "exited_on",
        "at_risk_since",
    ]

    def get_fields(self, request, obj=None):
        return [*services.HOUSEHOLD_FIELDS, *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in services.HOUSEHOLD_FIELDS}
        if change:
            services.household_update(household=obj, **data)
            return
        created = services.household_register(**data)
        obj.pk, obj._state.adding = created.pk, False


@admin.register(Pairing)
class PairingAdmin(ServiceAdmin):
    """A pairing is made with services.pairing_assign (one responsible official at a time)
    and reassigned on the household's page, which keeps the history."""

    list_display = ["household", "official", "start", "end"]
    raw_id_fields = ["household", "official"]
    list_filter = ["end"]
    fields = ["household", "official", "start"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        created = services.pairing_assign(
            household=data["household"], official=data["official"], start=data["start"]
        )
        obj.pk, obj._state.adding = created.pk, False


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    """Logged by the official on the household's page (services.visit_log)."""

    list_display = ["date", "kind", "pairing"]
    date_hierarchy = "date"


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    """Recorded on the household's page (services.measure_record)."""

    list_display = ["household", "kind", "amount", "date"]
    list_filter = ["kind"]
