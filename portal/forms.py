"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError


def attach_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (STYLE.md rule 7): each message on its
    field when the form has that field, otherwise above the form; codes are kept."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
