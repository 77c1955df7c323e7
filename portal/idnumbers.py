"""Resident identity numbers (GB 11643-1999), used by every app that stores one.

18 characters: 6-digit area code, 8-digit birth date, 3-digit sequence (odd for men, even
for women), and a check character computed with ISO 7064 MOD 11-2.
"""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
PATTERN = re.compile(r"^\d{17}[\dX]$")


@dataclass(frozen=True)
class IdNumberFacts:
    birth_date: datetime.date
    gender: str  # "male" / "female", the values of portal.choices Gender


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalize(value: str | None) -> str:
    """The stored form of an ID number: no surrounding spaces, a capital X."""
    return (value or "").strip().upper()


def parse_id_number(value: str) -> IdNumberFacts:
    """Validate `value` and return the birth date and gender it encodes."""
    value = normalize(value)
    if not PATTERN.match(value):
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits and a final digit or X."),
            code="id_format",
        )
    try:
        birth = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(
            _("The ID number's birth date (characters 7 to 14) is not a real date."),
            code="id_birth_date",
        ) from None
    if birth.year < 1900:
        raise ValidationError(_("The ID number's birth year is before 1900."), code="id_birth_date")
    if check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The ID number's check digit is wrong; please check the number for a typo."),
            code="id_check_digit",
        )
    return IdNumberFacts(birth, "male" if int(value[16]) % 2 else "female")


def validate_id_number(value: str) -> None:
    parse_id_number(value)


def check_agrees(value: str, *, birth_date: datetime.date | None, gender: str | None) -> None:
    """Raise when the stated birth date or gender contradicts the ID number."""
    facts = parse_id_number(value)
    errors = {}
    if birth_date and birth_date != facts.birth_date:
        errors["birth_date"] = _("The birth date does not match the ID number (%(date)s).") % {
            "date": facts.birth_date.isoformat()
        }
    if gender and gender != facts.gender:
        errors["gender"] = _("The gender does not match the ID number.")
    if errors:
        raise ValidationError(errors)


class IdNumberFormField(forms.CharField):
    def to_python(self, value):
        return normalize(super().to_python(value))


class IdNumberField(models.CharField):
    """An ID number column: normalised once (here) whoever writes it — a form, a service's
    full_clean(), the admin, an import or a bulk_create — and validated (GB 11643-1999)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        kwargs.setdefault("validators", [validate_id_number])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        # In the database it is a plain CharField; normalising is Python's, so migrations
        # keep seeing a CharField and need no change.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs

    def to_python(self, value):
        value = super().to_python(value)
        return None if value is None else normalize(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else normalize(value)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": IdNumberFormField, **kwargs})
