"""Assessments, training, rewards and penalties, fault tolerance, the reserve pool."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import (
    GRADES_FOR,
    Assessment,
    Cadre,
    FaultToleranceCase,
    Merit,
    ReserveEntry,
    Training,
)
from portal.locks import serialize


@transaction.atomic
def assessment_record(
    *,
    cadre: Cadre,
    year: int,
    grade: str,
    note: str = "",
    today: datetime.date | None = None,
) -> Assessment:
    today = today or timezone.localdate()
    if year > today.year:
        raise ValidationError({"year": _("An assessment cannot be recorded for a future year.")})
    if grade not in GRADES_FOR[cadre.staff_category]:
        raise ValidationError(
            {
                "grade": _("“%(grade)s” is not a grade for %(category)s; choose one of that set.")
                % {
                    "grade": Assessment(grade=grade).get_grade_display(),
                    "category": cadre.get_staff_category_display(),
                }
            }
        )
    serialize("assessment", cadre.pk, year)
    if Assessment.objects.filter(cadre=cadre, year=year).exists():
        raise ValidationError(
            {
                "year": _(
                    "%(name)s already has an assessment for %(year)s; correct that one "
                    "instead of adding a second."
                )
                % {"name": cadre.name, "year": year}
            }
        )
    assessment = Assessment(cadre=cadre, year=year, grade=grade, note=note.strip())
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def training_record(
    *,
    cadre: Cadre,
    course: str,
    start_date: datetime.date,
    end_date: datetime.date,
    class_hours: Decimal,
    organizer: str = "",
) -> Training:
    if end_date < start_date:
        raise ValidationError({"end_date": _("A course cannot end before it starts.")})
    if class_hours <= 0:
        raise ValidationError({"class_hours": _("Enter the class hours; they must be above 0.")})
    training = Training(
        cadre=cadre,
        course=course.strip(),
        organizer=organizer.strip(),
        start_date=start_date,
        end_date=end_date,
        class_hours=class_hours,
    )
    training.full_clean()
    training.save()
    return training


@transaction.atomic
def merit_record(
    *,
    cadre: Cadre,
    kind: str,
    decided_on: datetime.date,
    description: str,
    authority: str = "",
    document_number: str = "",
) -> Merit:
    merit = Merit(
        cadre=cadre,
        kind=kind,
        decided_on=decided_on,
        description=description.strip(),
        authority=authority.strip(),
        document_number=document_number.strip(),
    )
    merit.full_clean()
    merit.save()
    return merit


@transaction.atomic
def fault_tolerance_record(
    *,
    cadre: Cadre,
    error: str,
    decision: str,
    decided_on: datetime.date,
    correction: str = "",
) -> FaultToleranceCase:
    case = FaultToleranceCase(
        cadre=cadre, error=error, decision=decision, decided_on=decided_on, correction=correction
    )
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def reserve_add(
    *,
    cadre: Cadre,
    level: str,
    added_on: datetime.date | None = None,
    note: str = "",
) -> ReserveEntry:
    serialize("reserve", cadre.pk)
    if ReserveEntry.objects.filter(cadre=cadre, removed_on__isnull=True).exists():
        raise ValidationError(
            _("%(name)s is already in the reserve pool; remove the current entry first.")
            % {"name": cadre.name}
        )
    entry = ReserveEntry(
        cadre=cadre, level=level, added_on=added_on or timezone.localdate(), note=note.strip()
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def reserve_remove(*, entry: ReserveEntry, removed_on: datetime.date | None = None) -> ReserveEntry:
    if entry.removed_on is not None:
        raise ValidationError(_("This cadre has already left the reserve pool."))
    entry.removed_on = removed_on or timezone.localdate()
    entry.full_clean()
    entry.save(update_fields=["removed_on", "updated_at"])
    return entry
