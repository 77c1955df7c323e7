"""Forms check shape; the services check the rules (STYLE.md rule 7)."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre
from portal.autocomplete import AutocompleteFilter
from portal.scoping import in_subtree
from poverty.models import (
    Cause,
    Household,
    HouseholdKind,
    HouseholdStatus,
    IncomeSource,
    MeasureKind,
    Member,
    Village,
    VillageStatus,
    VisitKind,
)
from poverty.models.households import GUARANTEES
from poverty.services import HOUSEHOLD_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input (the phone's camera or gallery)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultiplePhotoField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class HouseholdForm(forms.ModelForm):
    extra_causes = forms.MultipleChoiceField(
        label=_("Other causes (at most two)"),
        choices=Cause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Household
        fields = HOUSEHOLD_FIELDS

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "name",
            "id_number",
            "relation",
            "education",
            "health",
            "labour",
            "migrant_worker",
            "medical_insurance",
            "pension_insurance",
        ]


class IncomeForm(forms.Form):
    """One amount per source; net income per head is computed, never typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in IncomeSource.choices:
            self.fields[value] = forms.DecimalField(
                label=label, required=False, max_digits=12, decimal_places=2
            )


class GuaranteesForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, label in GUARANTEES:
            self.fields[field] = forms.BooleanField(label=label, required=False)


class VisitForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=VisitKind.choices, widget=forms.RadioSelect, initial=VisitKind.HOME
    )
    findings = forms.CharField(label=_("What was found"), widget=forms.Textarea(attrs={"rows": 3}))
    actions = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = MultiplePhotoField(label=_("Photos"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeasureKind.choices)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("What was done"), required=False, max_length=200)


class PairingForm(forms.Form):
    official = forms.ModelChoiceField(
        label=_("Responsible official"), queryset=Cadre.objects.none()
    )
    start = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args, officials, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = officials
        self.fields["start"].initial = timezone.localdate()


class FiveOnesForm(forms.ModelForm):
    class Meta:
        model = Village
        fields = [
            "status",
            "responsible_leader",
            "assisting_unit",
            "first_secretary",
            "work_team",
            "technician_name",
            "technician_phone",
        ]
        widgets = {"work_team": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, officials, units, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("responsible_leader", "first_secretary", "work_team"):
            self.fields[name].queryset = officials
        self.fields["assisting_unit"].queryset = units


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    # Searchable pickers (portal/autocomplete.py): a city holds thousands of villages, and a
    # <select> of every one cost most of the page.
    township = AutocompleteFilter(
        source="organizations", scope="townships", label=_("Township"), method="filter_township"
    )
    village = AutocompleteFilter(source="villages", label=_("Village"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=HouseholdStatus.choices)
    cause = django_filters.ChoiceFilter(
        label=_("Cause"), choices=Cause.choices, method="filter_cause"
    )
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=HouseholdKind.choices)

    class Meta:
        model = Household
        fields = ["q", "township", "village", "status", "cause", "kind"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["village"].for_user(user)
        self.filters["township"].for_user(user)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_township(self, queryset, name, value):
        return in_subtree(queryset, value, field="village__organization")

    def filter_cause(self, queryset, name, value):
        return queryset.with_cause(value)


class VillageFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Village name"), lookup_expr="contains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=VillageStatus.choices)
    incomplete = django_filters.BooleanFilter(
        label=_("Five ones incomplete"), method="filter_incomplete"
    )

    class Meta:
        model = Village
        fields = ["name", "status", "incomplete"]

    def filter_incomplete(self, queryset, name, value):
        if value:
            return queryset.filter(pk__in=Village.objects.incomplete().values("pk"))
        return queryset
