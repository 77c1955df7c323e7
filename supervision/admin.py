"""Administration: the time limits are editable; matters are read-only here (every write
goes through the services, from the office's pages). The reporter's identity is not in the
admin at all: it is read only on the matter page, through a recorded reveal."""

from django.contrib import admin

from portal.admin_base import SingletonRulesAdmin
from supervision.models import Complaint, HandlingRules, Hearing


@admin.register(HandlingRules)
class HandlingRulesAdmin(SingletonRulesAdmin):
    list_display = [
        "__str__",
        "accept_days",
        "remit_working_days",
        "reply_days",
        "max_extension_days",
        "review_answer_days",
        "rereview_answer_days",
    ]


class HearingInline(admin.TabularInline):
    model = Hearing
    extra = 0
    can_delete = False
    fields = ["stage", "started_on", "ended_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "status", "channel", "category", "received_on", "handler"]
    list_filter = ["status", "channel", "category", "has_specific_clues", "is_anonymous"]
    search_fields = ["tracking_code"]
    date_hierarchy = "received_on"
    list_select_related = ["handler"]
    exclude = ["secret_hash"]
    inlines = [HearingInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Complaint._meta.fields if field.name != "secret_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
