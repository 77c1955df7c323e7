from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import services
from portal.models import CalendarOverride, Organization, RevealLog, User

# Authenticator keys and recovery codes are nobody else's to see or set: no admin pages for
# them. An administrator resets a user's second factor from the user list (recorded).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


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
                founded_on=obj.founded_on,
                dissolved_on=obj.dissolved_on,
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
            founded_on=obj.founded_on,
            dissolved_on=obj.dissolved_on,
        )


class PasswordSetByAdminForm(AdminPasswordChangeForm):
    """A password an administrator sets is theirs, not the user's: the user must choose
    their own at the next sign-in."""

    def save(self, commit=True):
        if not self.cleaned_data.get("set_usable_password", True):
            return super().save(commit=commit)
        return services.user_password_set(
            user=self.user, password=self.cleaned_data["password1"], chosen_by_user=False
        )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "full_name",
        "role",
        "organization",
        "is_active",
        "two_factor_enabled",
        "must_change_password",
    ]
    list_filter = ["role", "is_active", "is_superuser", "two_factor_enabled"]
    readonly_fields = ["two_factor_enabled"]
    change_password_form = PasswordSetByAdminForm
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
        (_("Signing in"), {"fields": ("must_change_password", "two_factor_enabled")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Portal"), {"fields": ("full_name", "role", "organization")}),
    )
    actions = ["unlock_signin", "reset_two_factor"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # A new user, through the service: the password the administrator typed must be
        # replaced by the user's own at the first sign-in.
        data = form.cleaned_data
        created = services.user_create(
            username=obj.username,
            password=data["password1"] if data.get("set_usable_password", True) else None,
            role=obj.role,
            organization=obj.organization,
            full_name=obj.full_name,
        )
        obj.pk, obj.password = created.pk, created.password
        obj.must_change_password = created.must_change_password
        obj._state.adding = False

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

    @admin.action(description=_("Reset two-factor sign-in (lost phone)"))
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            services.two_factor_reset(user=user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in reset for %(count)d user; they set it up again at their "
                "next sign-in where their role requires it.",
                "Two-factor sign-in reset for %(count)d users; they set it up again at their "
                "next sign-in where their role requires it.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(RevealLog)
class RevealLogAdmin(admin.ModelAdmin):
    list_display = [
        "revealed_at",
        "user",
        "content_type",
        "object_id",
        "field",
        "count",
        "ip_address",
    ]
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
