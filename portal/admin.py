from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal import services
from portal.models import CalendarOverride, Organization, RevealLog, User


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "category", "parent", "depth", "is_active"]
    list_filter = ["kind", "category", "is_active", "depth"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "depth", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        # Through the services, so the tree path stays right.
        if not change:
            created = services.organization_create(
                name=obj.name,
                kind=obj.kind,
                category=obj.category,
                parent=obj.parent,
                code=obj.code,
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
            return
        if "parent" in form.changed_data and obj.parent is not None:
            services.organization_move(organization=obj, new_parent=obj.parent)
        services.organization_update(
            organization=obj,
            name=obj.name,
            category=obj.category,
            is_active=obj.is_active,
            code=obj.code,
        )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "organization", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "email"]
    autocomplete_fields = ["organization"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Portal"),
            {
                "fields": (
                    "full_name",
                    "phone",
                    "role",
                    "organization",
                    "email_reminders",
                    "email_mode",
                )
            },
        ),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Portal"), {"fields": ("full_name", "role", "organization")}),
    )
    actions = ["unlock_signin"]

    @admin.action(description=_("Unlock sign-in (after too many failed attempts)"))
    def unlock_signin(self, request, queryset):
        for user in queryset:
            services.user_signin_unlock(user=user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Sign-in unlocked for %(count)d user.",
                "Sign-in unlocked for %(count)d users.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(RevealLog)
class RevealLogAdmin(admin.ModelAdmin):
    list_display = ["revealed_at", "user", "content_type", "object_id", "field", "ip_address"]
    list_filter = ["content_type", "field"]
    search_fields = ["user__username", "object_id"]
    date_hierarchy = "revealed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
