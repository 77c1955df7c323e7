"""Forms check shape; the services check the rules (STYLE.md rule 7)."""

import django_filters
from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grassroots.models import (
    AttendanceStatus,
    Meeting,
    MeetingKind,
    PartyMember,
    Stage,
)
from portal.autocomplete import AutocompleteField, AutocompleteFilter, use_autocomplete
from portal.choices import Education, Gender
from portal.models import Organization
from portal.scoping import in_subtree


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class DateInput(forms.DateInput):
    """The browser's date picker; it needs ISO dates whatever the UI language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MeetingForm(forms.ModelForm):
    """The meeting itself; attendance comes from the roster list rendered beside it."""

    held = forms.TypedChoiceField(
        label=_("Status"),
        choices=[(True, _("Held: record it now")), (False, _("Planned: put it in the plan"))],
        coerce=lambda value: value in (True, "True"),
        initial=True,
        widget=forms.RadioSelect,
    )
    attachments = MultipleFileField(
        label=_("Photos or scans of the sign-in sheet"),
        required=False,
        help_text=_("Images or PDF, at most 10 MB each."),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Log it anyway: this really is a second meeting of this kind on this day"),
        required=False,
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "date",
            "time",
            "topic",
            "place",
            "host",
            "speaker",
            "speaker_member",
            "agenda",
            "minutes",
        ]
        widgets = {
            "date": DateInput(),
            "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organization: Organization, with_status: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        # The speaker as a member: the organisation's own people (its branch roster and its
        # committee), a list of tens, never the county's members.
        self.fields["speaker_member"].queryset = PartyMember.objects.speakers_for(organization)
        self.fields["speaker_member"].help_text = _(
            "When the speaker is a member of this organisation, choose them: the secretary's "
            "yearly Party lecture counts only so."
        )
        if organization.kind == Organization.Kind.PARTY_GROUP:
            self.fields["kind"].choices = [(MeetingKind.GROUP, MeetingKind.GROUP.label)]
        if not with_status:
            del self.fields["held"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class MotionForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("vote", "Motion"), max_length=200)
    yes = forms.IntegerField(label=pgettext_lazy("vote", "Yes"), min_value=0)
    no = forms.IntegerField(label=pgettext_lazy("vote", "No"), min_value=0)
    abstain = forms.IntegerField(label=_("Abstain"), min_value=0)


class AttachmentForm(forms.Form):
    attachments = MultipleFileField(label=_("Photos or scans of the sign-in sheet"))


TRAINING_FIELDS = ("training_days", "training_hours")


def training_optional(form) -> None:
    """The training counts may be left empty (nothing recorded yet: 0)."""
    for name in TRAINING_FIELDS:
        if name in form.fields:
            form.fields[name].required = False


def training_cleaned(form) -> None:
    for name in TRAINING_FIELDS:
        if name in form.cleaned_data and form.cleaned_data[name] is None:
            form.cleaned_data[name] = 0


class MemberForm(forms.ModelForm):
    class Meta:
        model = PartyMember
        fields = [
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "id_number",
            "phone",
            "education",
            "branch",
            "party_group",
            "stage",
            "applied_on",
            "activist_on",
            "target_on",
            "joined_on",
            "full_on",
            "training_days",
            "training_hours",
            "is_flowing",
            "is_retired",
        ]
        widgets = {
            name: DateInput()
            for name in [
                "birth_date",
                "applied_on",
                "activist_on",
                "target_on",
                "joined_on",
                "full_on",
            ]
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Organization.objects.visible_to(user)
        if "branch" in self.fields:
            use_autocomplete(self, "branch", "organizations", user=user, scope="branches")
        self.fields["party_group"].queryset = visible.filter(kind=Organization.Kind.PARTY_GROUP)
        training_optional(self)
        if self.instance.pk:
            # Branch and stage change through the transfer and the stage actions.
            for name in ("branch", "stage", "id_number"):
                self.fields.pop(name)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        training_cleaned(self)
        return cleaned


class TransferForm(forms.Form):
    to_branch = AutocompleteField("organizations", scope="branches", label=_("New branch"))
    on = forms.DateField(label=_("From"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].for_user(user)


# The button of the pipeline's next step names the stage it leads to (DOMAIN.md §2).
ADVANCE_ACTIONS = {
    Stage.APPLICANT: _("Make an activist"),
    Stage.ACTIVIST: _("Make a development target"),
    Stage.TARGET: _("Admit as a probationary member"),
    Stage.PROBATIONARY: _("Make a full member"),
}


class AdvanceForm(forms.Form):
    on = forms.DateField(
        label=_("Date of the decision"),
        widget=DateInput(attrs={"data-confirm-date": "", "class": "form-control"}),
        help_text=_("The day of the decision; today unless it was taken earlier."),
    )

    def __init__(self, *args, member: PartyMember | None = None, **kwargs):
        kwargs.setdefault("auto_id", "id_advance_%s")
        super().__init__(*args, **kwargs)
        self.action = ADVANCE_ACTIONS.get(member.stage) if member else None
        if self.action:
            self.confirm = _("%(name)s: %(action)s, dated {date}?") % {
                "name": member.name,
                "action": self.action,
            }


class AssessmentForm(forms.Form):
    """The half-yearly assessment of an activist; the service checks the dates."""

    assessed_on = forms.DateField(label=_("Date of the assessment"), widget=DateInput())
    notes = forms.CharField(
        label=_("Result and notes"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the activist did in study, work and conduct; what to improve."),
    )


class RemovalForm(forms.Form):
    """A member leaves the county's rosters: died, or transferred out of the county."""

    reason = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            ("deceased", _("Deceased")),
            ("transferred_out", _("Transferred out of the county")),
        ],
        widget=forms.RadioSelect,
    )
    on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        help_text=_("From this day the member is no longer on the branch's roster."),
    )
    destination = forms.CharField(
        label=_("Destination"),
        max_length=200,
        required=False,
        help_text=_("For a transfer: the organisation outside the county the member moves to."),
    )


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or pinyin initials"), method="search")
    branch = AutocompleteFilter(source="organizations", scope="branches", label=_("Branch"))
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices)
    is_flowing = django_filters.BooleanFilter(label=_("Flowing member"))
    is_retired = django_filters.BooleanFilter(label=_("Retired"))
    # What the dashboard's charts drill down to (grassroots/dashboard.py): the same people a
    # chart's number counts. `on` and `reached`/`year` are applied together in
    # filter_queryset, with the organisation.
    organization = AutocompleteFilter(
        source="organizations", label=_("Organisation"), method="keep"
    )
    on = django_filters.DateFilter(label=_("On the roster on"), method="keep", widget=DateInput())
    gender = django_filters.ChoiceFilter(label=_("Gender"), choices=Gender.choices)
    education = django_filters.ChoiceFilter(label=_("Education"), choices=Education.choices)
    ethnicity = django_filters.CharFilter(label=_("Ethnic group"), max_length=20)
    born_from = django_filters.DateFilter(
        label=_("Born from"), field_name="birth_date", lookup_expr="gte", widget=DateInput()
    )
    born_to = django_filters.DateFilter(
        label=_("Born until"), field_name="birth_date", lookup_expr="lte", widget=DateInput()
    )
    reached = django_filters.ChoiceFilter(
        label=_("Stage reached"), choices=Stage.choices, method="keep"
    )
    year = django_filters.NumberFilter(
        label=_("in the year"), method="keep", min_value=1921, max_value=2100
    )

    class Meta:
        model = PartyMember
        fields = ["q", "branch", "stage", "is_flowing", "is_retired"]

    DRILL_DOWN = (
        "organization",
        "on",
        "gender",
        "education",
        "ethnicity",
        "born_from",
        "born_to",
        "reached",
        "year",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The drill-down filters appear only when a chart's link set them: the list's own
        # form stays short, and a drilled-down list shows (and clears) what it is filtered by.
        for name in self.DRILL_DOWN:
            if not (self.data or {}).get(name):
                del self.filters[name]
        self.filters["branch"].for_user(user)
        if "organization" in self.filters:
            self.filters["organization"].for_user(user)

    def search(self, queryset, name, value):
        return queryset.search(value)

    def keep(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        organization, day = data.get("organization"), data.get("on")
        if day:
            queryset = queryset.on_roster_below(organization, day)
        elif organization:
            queryset = in_subtree(queryset, organization, field="branch")
        if data.get("reached") and data.get("year"):
            from grassroots.dashboard import STAGE_REACHED_ON

            field = STAGE_REACHED_ON[data["reached"]]
            queryset = queryset.filter(**{f"{field}__year": int(data["year"])})
        return queryset


class MeetingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MeetingKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Meeting.Status.choices)
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="date", lookup_expr="gte", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), field_name="date", lookup_expr="lte", widget=DateInput()
    )
    organization = AutocompleteFilter(
        source="organizations",
        scope="meeting-holders",
        label=_("Organisation"),
        method="in_subtree",
    )

    class Meta:
        model = Meeting
        fields = ["kind", "status", "date_from", "date_to", "organization"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["organization"].for_user(user)

    def in_subtree(self, queryset, name, value):
        return in_subtree(queryset, value)


def parse_attendance(data) -> dict[int, tuple[str, str]]:
    """The attendance toggles: "att-<member id>" → status, "reason-<id>" → reason; an
    absence without its own reason takes the shared one ("reason-all"), if given."""
    attendance = {}
    shared = data.get("reason-all", "")
    valid = set(AttendanceStatus.values)
    for key, status in data.items():
        if not key.startswith("att-") or status not in valid:
            continue
        try:
            member_id = int(key.removeprefix("att-"))
        except ValueError:
            continue
        reason = data.get(f"reason-{member_id}", "")
        if status != AttendanceStatus.PRESENT and not reason.strip():
            reason = shared
        attendance[member_id] = (status, reason)
    return attendance
