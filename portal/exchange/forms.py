"""The export buttons' parameters, read through a form (a bad value is a message)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models.exports import ExportFormat

# Parameters of the export itself; every other one is the list page's filter and goes to it.
OWN_PARAMETERS = ("format", "full_ids", "csrfmiddlewaretoken", "page")


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=ExportFormat.choices, required=False, initial="xlsx"
    )
    full_ids = forms.BooleanField(label=_("Full ID numbers"), required=False)

    def __init__(self, *args, formats=("xlsx", "csv"), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [
            (value, label) for value, label in ExportFormat.choices if value in formats
        ]

    def clean_format(self):
        return self.cleaned_data["format"] or "xlsx"


def filter_params(data):
    """The list page's own query parameters (its filters), without the export's."""
    params = data.copy()
    for name in OWN_PARAMETERS:
        params.pop(name, None)
    return params
