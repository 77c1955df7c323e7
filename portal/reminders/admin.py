from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.reminders.models import Reminder, ReminderRule


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    list_display = [
        "deadline_key",
        "__str__",
        "enabled",
        "lead_days",
        "on_the_day",
        "when_missed",
        "escalate_after_days",
    ]
    list_editable = ["enabled"]
    list_filter = ["enabled"]
    readonly_fields = ["deadline_key", "created_at", "updated_at"]

    def has_add_permission(self, request):
        # One rule per registered deadline, created by the sweep with the defaults.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Read-only: reminders are written by the sweep and by delivery only."""

    list_display = [
        "title",
        "deadline_key",
        "stage",
        "recipient",
        "due_date",
        "state",
        "skip_reason",
        "email_state",
        "email_attempts",
        "read_at",
    ]
    list_filter = ["state", "email_state", "skip_reason", "deadline_key", "stage"]
    search_fields = ["title", "item_key", "recipient__username", "recipient__full_name"]
    list_select_related = ["recipient"]
    date_hierarchy = "due_date"
    readonly_fields = [field.name for field in Reminder._meta.fields]
    fieldsets = [
        (None, {"fields": ["deadline_key", "item_key", "stage", "title", "due_date"]}),
        (_("Recipient"), {"fields": ["recipient", "organization", "state", "skip_reason"]}),
        (_("In-app"), {"fields": ["notified_at", "read_at"]}),
        (
            _("E-mail"),
            {
                "fields": [
                    "email_state",
                    "email_attempts",
                    "email_claimed_at",
                    "emailed_at",
                    "email_error",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
