"""Administration of collective decisions: the rules an administrator sets (the Party
members' meeting's quorum, the days to make notices public, the large-sum thresholds), and
the records, shown read-only: matters and their steps are written on the portal's pages
through grassroots.decisions.services, where every rule of DOMAIN.md §8 is checked."""

from django.contrib import admin

from grassroots.decisions.models import (
    DecisionRules,
    LargeSumThreshold,
    MajorMatter,
    MatterOpinion,
    StepRemark,
    VillageMatter,
    VillageStep,
)
from portal.admin_base import ReadOnlyAdmin, ReadOnlyInline, SingletonRulesAdmin


@admin.register(DecisionRules)
class DecisionRulesAdmin(SingletonRulesAdmin):
    list_display = [
        "__str__",
        "party_meeting_quorum",
        "decision_notice_days",
        "result_notice_days",
    ]


@admin.register(LargeSumThreshold)
class LargeSumThresholdAdmin(admin.ModelAdmin):
    """A rules row: kind, category and amount (the model's validation is the whole rule)."""

    list_display = ["__str__", "organization_kind", "category", "amount"]
    list_filter = ["organization_kind", "category"]


class MatterOpinionInline(ReadOnlyInline, admin.TabularInline):
    model = MatterOpinion
    fields = ["position", "member", "is_principal", "presence", "reason", "stance", "opinion"]
    readonly_fields = fields


@admin.register(MajorMatter)
class MajorMatterAdmin(ReadOnlyAdmin):
    list_display = ["title", "organization", "category", "status", "raised_on", "meeting_on"]
    list_filter = ["category", "status"]
    search_fields = ["title", "document_number"]
    list_select_related = ["organization"]
    inlines = [MatterOpinionInline]


class VillageStepInline(ReadOnlyInline, admin.StackedInline):
    model = VillageStep
    fields = [
        "step",
        "done_on",
        "meeting",
        "participants",
        "summary",
        "body",
        "eligible_count",
        "present_count",
        "votes_for",
        "notice_text",
        "document_number",
    ]
    readonly_fields = fields


@admin.register(VillageMatter)
class VillageMatterAdmin(ReadOnlyAdmin):
    list_display = ["topic", "organization", "subject", "stage", "decided_on", "carried_out_on"]
    list_filter = ["subject", "stage"]
    search_fields = ["topic"]
    list_select_related = ["organization"]
    inlines = [VillageStepInline]


@admin.register(StepRemark)
class StepRemarkAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "step", "remarked_on"]
    list_select_related = ["step__matter"]
