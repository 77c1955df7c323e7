"""Administration of the grassroots records, and the editable meeting requirements table."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from grassroots import services
from grassroots.forms import training_cleaned, training_optional
from grassroots.models import (
    ActivistAssessment,
    Appraisal,
    Attendance,
    CommitteeSeat,
    CommitteeTerm,
    GrassrootsRules,
    Meeting,
    MeetingAttachment,
    MeetingRequirement,
    Membership,
    Motion,
    PartyMember,
)
from portal.admin_base import (
    MaskedIdNumberAdmin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    ServiceAdmin,
    SingletonRulesAdmin,
)
from portal.models import Organization
from portal.uploads import clean_upload


@admin.register(GrassrootsRules)
class GrassrootsRulesAdmin(SingletonRulesAdmin):
    list_display = ["__str__", "probation_months", "activist_assessment_months"]


class MeetingRequirementForm(forms.ModelForm):
    """The organisation kinds and categories as tick boxes rather than a comma list."""

    applies_to_kinds = forms.MultipleChoiceField(
        label=_("organisation kinds"),
        choices=Organization.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    applies_to_categories = forms.MultipleChoiceField(
        label=_("organisation categories"),
        choices=Organization.Category.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty for every category."),
    )

    class Meta:
        model = MeetingRequirement
        fields = [
            "kind",
            "applies_to_kinds",
            "applies_to_categories",
            "frequency",
            "quorum",
            "is_active",
            "note",
        ]


@admin.register(MeetingRequirement)
class MeetingRequirementAdmin(admin.ModelAdmin):
    form = MeetingRequirementForm
    list_display = ["kind", "frequency", "quorum", "applies_to_kinds", "is_active", "note"]
    list_filter = ["kind", "frequency", "quorum", "is_active"]
    list_editable = ["frequency", "quorum", "is_active"]
    search_fields = ["note"]


class CommitteeSeatInline(admin.TabularInline):
    model = CommitteeSeat
    autocomplete_fields = ["member"]
    extra = 0


@admin.register(CommitteeTerm)
class CommitteeTermAdmin(ServiceAdmin):
    list_display = ["organization", "starts_on", "ends_on"]
    list_filter = ["ends_on", "organization__category"]
    search_fields = ["organization__name"]
    autocomplete_fields = ["organization"]
    date_hierarchy = "ends_on"
    inlines = [CommitteeSeatInline]
    list_select_related = ["organization"]

    def save_related(self, request, form, formsets, change):
        # The seats are saved one by one: then the term must meet the committee rules.
        super().save_related(request, form, formsets, change)
        services.committee_term_check(term=form.instance)


@admin.register(CommitteeSeat)
class CommitteeSeatAdmin(ServiceAdmin):
    list_display = ["member", "post", "term"]
    list_filter = ["post"]
    search_fields = ["member__name", "member__name_initials", "term__organization__name"]
    autocomplete_fields = ["member", "term"]
    list_select_related = ["member", "term__organization"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.committee_term_check(term=obj.term)


class MembershipInline(ReadOnlyInline, admin.TabularInline):
    """The branch history: written by the transfer and removal services only."""

    model = Membership
    fields = ["organization", "starts_on", "ends_on", "note"]
    readonly_fields = fields


class AppraisalInline(admin.TabularInline):
    model = Appraisal
    extra = 0


class ActivistAssessmentInline(ReadOnlyInline, admin.TabularInline):
    model = ActivistAssessment
    fields = ["assessed_on", "notes"]
    readonly_fields = fields


class PartyMemberAdminForm(forms.ModelForm):
    """The member form of the admin keeps the rules of services.member_create/member_update
    (ID number agrees with birth date and gender, pipeline dates in order and not ahead)."""

    class Meta:
        model = PartyMember
        fields = "__all__"  # noqa: DJ007 - the admin edits every field

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        training_optional(self)

    def clean(self):
        cleaned = super().clean()
        training_cleaned(self)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            services.member_check(self.instance)
            if "contacts" in self.changed_data:
                services.member_contacts_check(
                    member=self.instance, contacts=self.cleaned_data["contacts"]
                )
        except ValidationError as error:
            self._update_errors(error)


@admin.register(PartyMember)
class PartyMemberAdmin(MaskedIdNumberAdmin, ServiceAdmin):
    """Registered with services.member_create (which opens the first membership) and changed
    with services.member_update (ID number and dates checked, the errors shown on the form);
    the branch, the stage and leaving the rosters have their own actions on the member's page.
    The ID number shows masked; a full view is a recorded reveal (portal/admin_base.py)."""

    form = PartyMemberAdminForm
    list_display = ["name", "branch", "stage", "joined_on", "full_on", "is_flowing", "is_retired"]
    list_filter = [
        "stage",
        "is_flowing",
        "is_retired",
        "is_deceased",
        "is_transferred_out",
        "gender",
    ]
    search_fields = ["name", "name_initials", "id_number"]
    autocomplete_fields = ["branch", "party_group", "cadre", "contacts"]
    list_select_related = ["branch"]
    inlines = [MembershipInline, AppraisalInline, ActivistAssessmentInline]
    readonly_fields = ["name_initials"]
    SERVICE_ACTIONS = ["branch", "stage", "is_deceased", "is_transferred_out"]

    def get_readonly_fields(self, request, obj=None):
        # The branch, the stage, death and transfer out change through the member page's
        # actions (services.member_transfer / member_advance / member_remove), which keep the
        # history.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, *self.SERVICE_ACTIONS] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        plain = [
            field.name
            for field in PartyMember._meta.concrete_fields
            if field.name in form.cleaned_data and not field.primary_key
        ]
        if change:
            changed = {name: form.cleaned_data[name] for name in plain if name in form.changed_data}
            services.member_update(member=obj, **changed)
            return
        fields = {name: form.cleaned_data[name] for name in plain}
        created = services.member_create(**fields)
        obj.pk = created.pk
        obj.name_initials = created.name_initials
        obj._state.adding = False
        obj._state.db = created._state.db

    def save_related(self, request, form, formsets, change):
        # Contacts are named through their service (one or two full members), not saved
        # by the form's save_m2m.
        contacts = form.cleaned_data.pop("contacts", None)
        super().save_related(request, form, formsets, change)
        if contacts is not None and "contacts" in form.changed_data:
            services.member_set_contacts(member=form.instance, contacts=list(contacts))


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["member", "organization", "starts_on", "ends_on"]
    list_filter = ["ends_on"]
    search_fields = ["member__name", "member__name_initials", "organization__name"]
    list_select_related = ["member", "organization"]


@admin.register(ActivistAssessment)
class ActivistAssessmentAdmin(ServiceAdmin):
    """Recorded with services.member_assess_activist (it moves the next assessment's date);
    a record is not changed afterwards."""

    list_display = ["member", "assessed_on"]
    date_hierarchy = "assessed_on"
    search_fields = ["member__name", "member__name_initials"]
    autocomplete_fields = ["member"]
    list_select_related = ["member"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        created = services.member_assess_activist(
            member=data["member"], assessed_on=data["assessed_on"], notes=data["notes"]
        )
        obj.pk, obj._state.adding = created.pk, False


@admin.register(Appraisal)
class AppraisalAdmin(admin.ModelAdmin):
    list_display = ["member", "year", "grade"]
    list_filter = ["year", "grade"]
    search_fields = ["member__name", "member__name_initials"]
    autocomplete_fields = ["member"]
    list_select_related = ["member"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    autocomplete_fields = ["member"]
    extra = 0


class MotionInline(admin.TabularInline):
    model = Motion
    extra = 0


class MeetingAttachmentInline(admin.TabularInline):
    model = MeetingAttachment
    extra = 0
    readonly_fields = ["content_type", "size"]

    def has_add_permission(self, request, obj=None):
        # Uploads go through the meeting page, which checks the content and the size.
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "organization", "topic", "status", "present_count", "is_valid"]
    list_filter = ["kind", "status", "is_valid", "organization__category"]
    search_fields = ["topic", "organization__name"]
    autocomplete_fields = ["organization"]
    date_hierarchy = "date"
    list_select_related = ["organization"]
    readonly_fields = [
        "due_count",
        "voting_count",
        "present_count",
        "present_voting_count",
        "is_valid",
    ]
    inlines = [AttendanceInline, MotionInline, MeetingAttachmentInline]

    def save_related(self, request, form, formsets, change):
        # Attendance edited here changes the frozen counts: recount with the service rule.
        super().save_related(request, form, formsets, change)
        try:
            services.meeting_recount(meeting=form.instance)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "member", "status", "reason", "is_voting"]
    list_filter = ["status", "is_voting", "meeting__kind"]
    search_fields = ["member__name", "member__name_initials", "meeting__topic"]
    autocomplete_fields = ["meeting", "member"]
    list_select_related = ["meeting__organization", "member"]

    # A row edited, added or deleted here changes the meeting's frozen counts and quorum,
    # as in MeetingAdmin.save_related: recount (both meetings, if the row moved).
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        previous = form.initial.get("meeting")
        for meeting_id in {obj.meeting_id, previous} - {None}:
            services.meeting_recount(meeting=Meeting.objects.get(pk=meeting_id))

    def delete_model(self, request, obj):
        meeting = obj.meeting
        super().delete_model(request, obj)
        services.meeting_recount(meeting=meeting)

    def delete_queryset(self, request, queryset):
        meeting_ids = set(queryset.values_list("meeting_id", flat=True))
        super().delete_queryset(request, queryset)
        for meeting in Meeting.objects.filter(pk__in=meeting_ids):
            services.meeting_recount(meeting=meeting)


@admin.register(Motion)
class MotionAdmin(ServiceAdmin):
    """Recorded with services.motion_record (the votes cannot exceed those present)."""

    list_display = ["title", "meeting", "yes", "no", "abstain"]
    search_fields = ["title", "meeting__topic"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting__organization"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        created = services.motion_record(
            meeting=data["meeting"],
            title=data["title"],
            yes=data["yes"],
            no=data["no"],
            abstain=data["abstain"],
        )
        obj.pk, obj._state.adding = created.pk, False


class MeetingAttachmentForm(forms.ModelForm):
    """A file uploaded here passes the same check as on the meeting page (by content,
    image or PDF, at most 10 MB) and is rewritten the same way; its type and size are those
    of the file stored."""

    class Meta:
        model = MeetingAttachment
        fields = ["meeting", "file"]

    def clean_file(self):
        file = self.cleaned_data["file"]
        if "file" in self.changed_data:
            file = clean_upload(file, allow_pdf=True)
            self.instance.content_type = file.content_type
            self.instance.size = file.size
        return file


@admin.register(MeetingAttachment)
class MeetingAttachmentAdmin(admin.ModelAdmin):
    form = MeetingAttachmentForm
    readonly_fields = ["content_type", "size"]
    list_display = ["__str__", "meeting", "content_type", "size"]
    list_filter = ["content_type"]
    search_fields = ["meeting__topic", "meeting__organization__name"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting__organization"]


# Collective decisions (DOMAIN.md §8): their rules tables and read-only records.
import grassroots.decisions.admin  # noqa: E402, F401  (isort: skip)
