"""Forms check shape; the services check the rules (STYLE.md rule 7)."""

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.autocomplete import AutocompleteField, AutocompleteFilter
from portal.models import User
from portal.roles import Role
from supervision.models import (
    DESCRIPTION_MAX_LENGTH,
    OVERDUE,
    Category,
    Channel,
    Complaint,
    Finding,
    Status,
)
from supervision.services import canonical_secret, normalize_code


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date_field(label):
    return forms.DateField(label=label, widget=DateInput(), initial=timezone.localdate)


def office_users(user):
    """Members of the handling office the user may pick (handler, approver)."""
    from portal.scoping import scope_to_subtree

    return scope_to_subtree(
        User.objects.filter(role__in=[Role.SUPERVISOR, Role.ADMIN], is_active=True), user
    )


class ActionForm(forms.Form):
    """Base of the matter page's forms: crispy, posted to the action URL."""

    submit_label = _("Save")

    def __init__(self, *args, user=None, complaint=None, **kwargs):
        self.user = user
        self.complaint = complaint
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


# --- Intake --------------------------------------------------------------------------------


class ComplaintIntakeForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    received_on = _date_field(_("Received on"))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    subject_cadre = AutocompleteField("cadres", label=_("Cadre complained about"), required=False)
    subject_organization = AutocompleteField(
        "organizations", label=_("Organisation complained about"), required=False
    )
    has_specific_clues = forms.BooleanField(
        label=_("The report gives specific, checkable clues"), required=False
    )
    summary = forms.CharField(label=pgettext_lazy("complaint", "Summary"), max_length=120)
    description = forms.CharField(
        label=_("The matter"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("At most %(n)d characters.") % {"n": DESCRIPTION_MAX_LENGTH},
    )
    materials = forms.CharField(
        label=_("Materials received"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    anonymous = forms.BooleanField(label=_("Anonymous report"), required=False)
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=50, required=False)
    reporter_unit = forms.CharField(label=_("Reporter's unit"), max_length=100, required=False)
    reporter_address = forms.CharField(
        label=_("Reporter's address"), max_length=200, required=False
    )
    reporter_contact = forms.CharField(label=_("Reporter's contact"), max_length=50, required=False)
    same_matter_code = forms.CharField(
        label=_("Same matter as (tracking code)"),
        max_length=16,
        required=False,
        help_text=_("If the requester raised these facts before, the earlier tracking code."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["subject_cadre"].for_user(user)
        self.fields["subject_organization"].for_user(user)
        self.helper = FormHelper()
        # The template writes the <form> tag: it carries the one-time submission key.
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Record and print the receipt")))

    def clean_same_matter_code(self):
        code = normalize_code(self.cleaned_data["same_matter_code"])
        if not code:
            return None
        earlier = Complaint.objects.visible_to(self.user).filter(tracking_code=code).first()
        if earlier is None:
            raise forms.ValidationError(_("No matter has this tracking code; check the code."))
        return earlier

    def clean(self):
        data = super().clean()
        if not data.get("subject_cadre") and not data.get("subject_organization"):
            raise forms.ValidationError(
                _("Name the cadre or the organisation the matter is about.")
            )
        if not data.get("anonymous") and not data.get("reporter_name"):
            self.add_error(
                "reporter_name", _("Enter the reporter's name, or tick “Anonymous report”.")
            )
        return data

    def reporter(self) -> dict | None:
        data = self.cleaned_data
        if data["anonymous"]:
            return None
        return {
            "name": data["reporter_name"],
            "unit": data["reporter_unit"],
            "address": data["reporter_address"],
            "contact": data["reporter_contact"],
        }


# --- The matter page's actions --------------------------------------------------------------


class DecideForm(ActionForm):
    submit_label = _("Record the decision")
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept")), ("0", _("Do not accept"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    outside_remit = forms.BooleanField(
        label=_("Outside the office's remit (transfer it)"), required=False
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    decided_on = _date_field(_("Decided on"))


class AssignForm(ActionForm):
    submit_label = _("Assign")
    handler = forms.ModelChoiceField(label=_("Handler"), queryset=User.objects.none())
    assigned_on = _date_field(_("Assigned on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = office_users(self.user)


class InvestigateForm(ActionForm):
    submit_label = _("Start the investigation")
    started_on = _date_field(_("Started on"))


class ConcludeForm(ActionForm):
    submit_label = _("Conclude")
    finding = forms.ChoiceField(label=_("Finding"), choices=Finding.choices)
    findings = forms.CharField(
        label=_("Findings"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    concluded_on = _date_field(_("Concluded on"))


class ExtendForm(ActionForm):
    submit_label = _("Record the extension")
    days = forms.IntegerField(label=_("Extension (days)"), min_value=1)
    reason = forms.CharField(
        label=_("Reason (told to the requester)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    approved_by = forms.ModelChoiceField(
        label=_("Approved by (head of the office)"), queryset=User.objects.none()
    )
    extended_on = _date_field(_("Approved on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_by"].queryset = office_users(self.user)


class HearingStartForm(ActionForm):
    submit_label = _("Start a hearing")
    started_on = _date_field(_("Hearing starts on"))


class HearingEndForm(ActionForm):
    submit_label = _("End the hearing")
    ended_on = _date_field(_("Hearing ended on"))


class ReplyForm(ActionForm):
    submit_label = _("Record the reply")
    reply = forms.CharField(
        label=_("Reply to the requester"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    replied_on = _date_field(_("Replied on"))


class CloseForm(ActionForm):
    submit_label = _("Close the matter")
    closed_on = _date_field(pgettext_lazy("complaint", "Closed on"))


class RequestForm(ActionForm):
    submit_label = _("Record the request")
    requested_on = _date_field(_("Requested on"))


class AnswerForm(ActionForm):
    submit_label = _("Record the answer")
    answer = forms.CharField(
        label=_("Answer"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answered_on = _date_field(_("Answered on"))


# --- The queue's filters ---------------------------------------------------------------------


class ComplaintFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Stage"), choices=Status.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    subject_organization = AutocompleteFilter(
        source="organizations", label=_("Organisation complained about")
    )
    handler = django_filters.ModelChoiceFilter(label=_("Handler"), queryset=User.objects.none())
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput
    )

    class Meta:
        model = Complaint
        fields = ["status", "channel", "category", "subject_organization", "handler"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["subject_organization"].for_user(user)
        self.filters["handler"].queryset = office_users(user)

    def filter_overdue(self, queryset, name, value):
        # The queryset is already with_deadlines()'s (the one place the limits are computed).
        return queryset.filter(OVERDUE) if value else queryset


# --- Public lookup ---------------------------------------------------------------------------


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=32)
    secret = forms.CharField(label=_("Secret on the receipt"), max_length=32)

    def clean_code(self):
        return normalize_code(self.cleaned_data["code"])

    def clean_secret(self):
        return canonical_secret(self.cleaned_data["secret"])


class RateForm(TrackForm):
    rating = forms.TypedChoiceField(
        label=_("Your rating of the handling"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
