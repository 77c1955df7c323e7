"""Admin bases shared by the apps."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.clientip import client_ip
from portal.masking import mask
from portal.roles import Capability, may
from portal.services import reveal_record


class SingletonRulesAdmin(admin.ModelAdmin):
    """For a SingletonRules table: its one row can be edited, never duplicated or deleted."""

    readonly_fields = ["created_at", "updated_at"]

    def has_add_permission(self, request):
        return not self.model.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class WriteOnlyInput(forms.TextInput):
    """A text input that never sends the stored value back to the browser."""

    def format_value(self, value):
        return None


class MaskedIdNumberAdmin(admin.ModelAdmin):
    """The ID number in Django admin as everywhere else: masked on the change page, in full
    only through a recorded reveal (a RevealLog row), for roles that may see it.

    The change form's ID-number input is write-only: it shows the masked number as a hint,
    a number typed into it replaces the stored one, and an empty input keeps it. The other
    fields are edited as before.
    """

    masked_field = "id_number"
    reveal_template = "admin/reveal_id_number.html"

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        if obj is None or obj.pk is None:
            return ""
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_reveal_id_number", args=[obj.pk])
        return format_html(
            '<span class="masked-id-number">{}</span> <a href="{}">{}</a>',
            mask(getattr(obj, self.masked_field)),
            url,
            _("Show in full (recorded)"),
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "masked_id_number"] if obj is not None else fields

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is None:
            return [f for f in fields if f != "masked_id_number"]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        name = self.masked_field
        if obj is None or name not in form.base_fields:
            return form
        stored = form.base_fields[name]
        form.base_fields[name] = forms.CharField(
            label=stored.label,
            max_length=stored.max_length,
            required=False,
            help_text=_("Type a new number to change it; leave empty to keep the current one."),
            widget=WriteOnlyInput(
                attrs={"placeholder": mask(getattr(obj, name)), "autocomplete": "off"}
            ),
        )
        # An empty input keeps the stored number (and is no change at all).
        form.base_fields[name].has_changed = lambda initial, data: bool(data) and data != initial

        def keep_when_empty(self):
            return self.cleaned_data[name] or getattr(self.instance, name)

        setattr(form, f"clean_{name}", keep_when_empty)
        return form

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/reveal-id-number/",
                self.admin_site.admin_view(self.reveal_id_number_view),
                name=f"{opts.app_label}_{opts.model_name}_reveal_id_number",
            ),
            *super().get_urls(),
        ]

    def reveal_id_number_view(self, request, object_id):
        """GET asks to confirm; POST shows the number and records the reveal."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not (
            self.has_view_permission(request, obj)
            and may(request.user, Capability.REVEAL_ID_NUMBER)
        ):
            raise PermissionDenied
        value = None
        if request.method == "POST":
            value = reveal_record(
                user=request.user, obj=obj, field=self.masked_field, ip_address=client_ip(request)
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": _("ID number of %(name)s") % {"name": obj},
            "masked": mask(getattr(obj, self.masked_field)),
            "value": value,
        }
        return TemplateResponse(request, self.reveal_template, context)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A domain record the admin shows but never writes: such rows are made and changed on
    the portal's pages, through the app's services (STYLE.md rule 2)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline:
    """Mix into an inline: the rows are shown, never added, changed or deleted here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ServiceAdmin(admin.ModelAdmin):
    """An admin whose writes go through the app's services (its save_model / save_related
    call them). A service's refusal comes back as an error message on the same page and
    nothing is saved: Django runs the change form in one transaction, rolled back here."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
