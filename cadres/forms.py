"""Forms check the shape of the input; the services check the rules (STYLE.md rule 7)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.models import (
    AgeBand,
    Appointment,
    Assessment,
    Cadre,
    FamilyMember,
    FaultToleranceCase,
    FourMustCheck,
    Merit,
    NoticeObjection,
    ObjectionOutcome,
    PostLevel,
    PostRecord,
    ReserveEntry,
    ResumeLine,
    Training,
)
from portal.autocomplete import AutocompleteField, AutocompleteFilter, use_autocomplete
from portal.choices import Education
from portal.masking import mask
from portal.scoping import in_subtree

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DateWidgets:
    """Render every DateField of a ModelForm as a date picker."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DATE


class CadreForm(DateWidgets, forms.ModelForm):
    organization = AutocompleteField(
        "organizations",
        label=_("unit"),
        help_text=_("Only until the first post is recorded; then the post history decides."),
    )

    class Meta:
        model = Cadre
        fields = [
            "name",
            "gender",
            "birth_date",
            "id_number",
            "organization",
            "ethnicity",
            "native_place",
            "birthplace",
            "party_joined_on",
            "work_started_on",
            "health",
            "professional_title",
            "speciality",
            "staff_category",
            "fulltime_education",
            "fulltime_degree",
            "fulltime_school",
            "inservice_education",
            "inservice_degree",
            "inservice_school",
        ]

    photo = forms.FileField(label=_("photo"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organization"]
            # The page must not show the ID number in full: only a recorded reveal does.
            # Left empty, the recorded number is kept.
            self.initial["id_number"] = ""
            field = self.fields["id_number"]
            field.required = False
            field.help_text = _(
                "On record: %(masked)s. Leave empty to keep it, or enter the whole new number."
            ) % {"masked": mask(self.instance.id_number)}
        else:
            self.fields["organization"].for_user(user)

    def clean_id_number(self):
        value = (self.cleaned_data.get("id_number") or "").strip()
        if not value and self.instance.pk:
            return self.instance.id_number
        return value

    def _post_clean(self):
        # Uniqueness and the ID number's rules are checked by the service, with its messages.
        pass


class CadreFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or pinyin initials"), method="search")
    unit = AutocompleteFilter(
        source="organizations",
        scope="meeting-holders",
        label=_("unit (and below)"),
        method="in_unit",
    )
    level = django_filters.ChoiceFilter(
        label=_("post level"), choices=PostLevel.choices, field_name="current_level"
    )
    rank = django_filters.CharFilter(
        label=_("rank"), field_name="current_rank", lookup_expr="contains"
    )
    age = django_filters.ChoiceFilter(label=_("age"), choices=AgeBand.choices, method="age_band")
    education = django_filters.ChoiceFilter(
        label=_("education"), choices=Education.choices, method="any_education"
    )
    reserve = django_filters.BooleanFilter(
        label=_("in the reserve pool"), method="in_pool", widget=forms.CheckboxInput
    )

    class Meta:
        model = Cadre
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].for_user(user)

    def in_pool(self, queryset, name, value):
        # An unticked box means "everyone", not "outside the pool".
        return queryset.filter(in_reserve=True) if value else queryset

    def search(self, queryset, name, value):
        return queryset.search(value)

    def in_unit(self, queryset, name, value):
        return in_subtree(queryset, value)

    def age_band(self, queryset, name, value):
        return queryset.in_age_band(value)

    def any_education(self, queryset, name, value):
        return queryset.filter(Q(fulltime_education=value) | Q(inservice_education=value))


class PostRecordForm(DateWidgets, forms.ModelForm):
    end_previous = forms.BooleanField(
        label=_("End the principal post held on the start date"), required=False
    )

    class Meta:
        model = PostRecord
        fields = [
            "unit",
            "post_title",
            "level",
            "rank",
            "start_date",
            "end_date",
            "document_number",
            "is_concurrent",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        use_autocomplete(self, "unit", "organizations", user=user)

    def _post_clean(self):
        pass


class ShapeOnly(DateWidgets, forms.ModelForm):
    """A ModelForm whose model validation is left to the service."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def _post_clean(self):
        pass


class AssessmentForm(ShapeOnly):
    class Meta:
        model = Assessment
        fields = ["year", "grade", "note"]


class TrainingForm(ShapeOnly):
    class Meta:
        model = Training
        fields = ["course", "organizer", "start_date", "end_date", "class_hours"]


class MeritForm(ShapeOnly):
    class Meta:
        model = Merit
        fields = ["kind", "decided_on", "description", "authority", "document_number"]


class FaultToleranceForm(ShapeOnly):
    class Meta:
        model = FaultToleranceCase
        fields = ["error", "decision", "decided_on", "correction"]


class ResumeLineForm(ShapeOnly):
    class Meta:
        model = ResumeLine
        fields = ["start", "end", "text"]


class FamilyMemberForm(ShapeOnly):
    class Meta:
        model = FamilyMember
        fields = ["relation", "name", "birth_date", "political_status", "employer_and_post"]


class ReserveForm(ShapeOnly):
    class Meta:
        model = ReserveEntry
        fields = ["level", "added_on", "note"]


class AppointmentForm(ShapeOnly):
    class Meta:
        model = Appointment
        fields = [
            "proposed_unit",
            "proposed_title",
            "proposed_level",
            "proposed_rank",
            "is_concurrent",
            "post_to_remove",
            "with_probation",
            "motion_on",
            "reason",
        ]

    def __init__(self, *args, user, cadre, **kwargs):
        super().__init__(*args, **kwargs)
        use_autocomplete(self, "proposed_unit", "organizations", user=user)
        self.fields["post_to_remove"].queryset = cadre.posts.filter(end_date__isnull=True)


# --- Workflow steps -------------------------------------------------------------------------


class RecommendationForm(forms.Form):
    recommended_on = forms.DateField(label=_("recommended on"), widget=DATE)
    note = forms.CharField(
        label=_("recommendation result"), widget=forms.Textarea(attrs={"rows": 2})
    )


class InspectionForm(forms.Form):
    started_on = forms.DateField(label=_("inspection started on"), widget=DATE)


class DecisionForm(forms.Form):
    meeting_on = forms.DateField(label=_("committee meeting on"), widget=DATE)
    members_due = forms.IntegerField(label=_("members due"), min_value=1)
    members_present = forms.IntegerField(label=_("members present"), min_value=0)
    votes_for = forms.IntegerField(label=_("votes for"), min_value=0)


class NoticeForm(forms.Form):
    starts_on = forms.DateField(label=_("notice published on"), widget=DATE)


class AppointForm(forms.Form):
    appointed_on = forms.DateField(label=_("appointed on"), widget=DATE)
    document_number = forms.CharField(label=_("document number"), max_length=60)


class ConfirmForm(forms.Form):
    confirmed_on = forms.DateField(label=_("confirmed on"), widget=DATE)
    note = forms.CharField(label=_("note"), required=False)


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("returned on"), widget=DATE)
    document_number = forms.CharField(label=_("document number"), max_length=60)
    note = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    closed_on = forms.DateField(label=_("withdrawn on"), widget=DATE)
    note = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class FourMustForm(ShapeOnly):
    class Meta:
        model = FourMustCheck
        fields = ["checked_by", "checked_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class ObjectionForm(ShapeOnly):
    class Meta:
        model = NoticeObjection
        fields = ["received_on", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}


class ObjectionResolveForm(forms.Form):
    resolved_on = forms.DateField(label=_("resolved on"), widget=DATE)
    outcome = forms.ChoiceField(label=_("outcome"), choices=ObjectionOutcome.choices)
    findings = forms.CharField(label=_("findings"), widget=forms.Textarea(attrs={"rows": 2}))
