"""Admin bases shared by the apps."""

from django.contrib import admin


class SingletonRulesAdmin(admin.ModelAdmin):
    """For a SingletonRules table: its one row can be edited, never duplicated or deleted."""

    readonly_fields = ["created_at", "updated_at"]

    def has_add_permission(self, request):
        return not self.model.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
