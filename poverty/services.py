"""Every write of the poverty app (STYLE.md rule 2): keyword-only, atomic, validated.

Views, forms, the admin, the demo loader and the tests all call these functions.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import dates
from portal.services import model_update
from portal.uploads import clean_upload
from poverty.models import (
    ExitStage,
    Household,
    HouseholdStatus,
    Income,
    Measure,
    Member,
    Pairing,
    PovertyRules,
    Village,
    Visit,
    VisitPhoto,
)
from poverty.models.households import GUARANTEES

# --- Villages ------------------------------------------------------------------------------


@transaction.atomic
def village_create(*, organization, status: str, name: str = "") -> Village:
    village = Village(organization=organization, name=name or organization.name, status=status)
    village.full_clean()
    village.save()
    return village


@transaction.atomic
def village_set_five_ones(
    *,
    village: Village,
    status: str,
    responsible_leader,
    assisting_unit,
    first_secretary,
    work_team: Iterable,
    technician_name: str,
    technician_phone: str,
) -> Village:
    village.status = status
    village.responsible_leader = responsible_leader
    village.assisting_unit = assisting_unit
    village.first_secretary = first_secretary
    village.technician_name = technician_name.strip()
    village.technician_phone = technician_phone.strip()
    village.full_clean()
    village.save()
    village.work_team.set(list(work_team))
    return village


# --- Households ----------------------------------------------------------------------------

HOUSEHOLD_FIELDS = (
    "village",
    "number",
    "address",
    "standard",
    "kind",
    "main_cause",
    "extra_causes",
    "housing",
    "water",
    "electricity",
)


def _check_causes(household: Household) -> None:
    extra = list(household.extra_causes or [])
    if household.main_cause in extra or len(set(extra)) != len(extra):
        raise ValidationError(
            {
                "extra_causes": _(
                    "Choose other causes that differ from the main cause and each other."
                )
            }
        )
    if len(extra) > 2:
        raise ValidationError({"extra_causes": _("Choose at most two other causes.")})


@transaction.atomic
def household_register(*, village: Village, number: str, main_cause: str, **fields) -> Household:
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise TypeError(f"unknown household fields: {sorted(unknown)}")
    household = Household(village=village, number=number.strip(), main_cause=main_cause, **fields)
    _check_causes(household)
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def household_update(*, household: Household, **fields) -> Household:
    return model_update(
        instance=household, data=fields, fields=HOUSEHOLD_FIELDS, check=_check_causes
    )


@transaction.atomic
def member_add(
    *, household: Household, name: str, id_number: str, relation: str, **fields
) -> Member:
    member = Member(
        household=household,
        name=name.strip(),
        id_number=id_number,
        relation=relation,
        **fields,
    )
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def income_record(*, household: Household, amounts: dict[str, Decimal]) -> list[Income]:
    """Set the household's yearly income by source (a missing source keeps its amount)."""
    negative = [source for source, amount in amounts.items() if amount is not None and amount < 0]
    if negative:
        raise ValidationError(
            _("An income cannot be negative; enter 0 for a source with no income.")
        )
    saved = []
    for source, amount in amounts.items():
        if amount is None:
            continue
        income, _created = Income.objects.update_or_create(
            household=household, source=source, defaults={"amount": amount}
        )
        saved.append(income)
    return saved


@transaction.atomic
def guarantees_record(*, household: Household, **met: bool) -> Household:
    """Record which of the two no-worries, three guarantees (and safe water) are met."""
    fields = {field for field, _label in GUARANTEES}
    unknown = set(met) - fields
    if unknown:
        raise TypeError(f"unknown guarantees: {sorted(unknown)}")
    for field, value in met.items():
        setattr(household, field, bool(value))
    household.save(update_fields=[*met, "updated_at"])
    return household


@transaction.atomic
def measure_record(
    *,
    household: Household,
    kind: str,
    amount: Decimal,
    date: datetime.date,
    note: str = "",
    today: datetime.date | None = None,
) -> Measure:
    today = today or timezone.localdate()
    if amount is not None and amount < 0:
        raise ValidationError({"amount": _("An amount cannot be negative.")})
    if date > today:
        raise ValidationError({"date": _("A measure cannot be dated in the future.")})
    measure = Measure(household=household, kind=kind, amount=amount, date=date, note=note)
    measure.full_clean()
    measure.save()
    return measure


# --- Pairings and visits -------------------------------------------------------------------


@transaction.atomic
def pairing_assign(
    *, household: Household, official, start: datetime.date, today: datetime.date | None = None
) -> Pairing:
    """Make `official` responsible for a household that has no responsible official now."""
    today = today or timezone.localdate()
    current = Pairing.objects.select_for_update().active().filter(household=household).first()
    if current is not None:
        raise ValidationError(
            _(
                "This household already has a responsible official (%(name)s); "
                "reassign it instead of adding a second one."
            )
            % {"name": current.official}
        )
    if start > today:
        raise ValidationError({"start": _("A pairing cannot start in the future.")})
    pairing = Pairing(household=household, official=official, start=start)
    pairing.full_clean()
    pairing.save()
    return pairing


@transaction.atomic
def pairing_reassign(
    *, household: Household, official, on: datetime.date, today: datetime.date | None = None
) -> Pairing:
    """End the current pairing on `on` and pair the new official from `on`: history stays."""
    today = today or timezone.localdate()
    current = Pairing.objects.select_for_update().active().filter(household=household).first()
    if current is None:
        return pairing_assign(household=household, official=official, start=on, today=today)
    if current.official_id == official.pk:
        raise ValidationError(_("This official is already responsible for the household."))
    if on < current.start:
        raise ValidationError(
            {
                "start": _("The new pairing cannot start before the current one began (%(date)s).")
                % {"date": current.start.isoformat()}
            }
        )
    if on > today:
        raise ValidationError({"start": _("A pairing cannot start in the future.")})
    current.end = on
    current.save(update_fields=["end", "updated_at"])
    pairing = Pairing(household=household, official=official, start=on)
    pairing.full_clean()
    pairing.save()
    return pairing


@transaction.atomic
def visit_log(
    *,
    pairing: Pairing,
    date: datetime.date,
    kind: str,
    findings: str,
    actions: str = "",
    photos: Iterable = (),
    logged_by=None,
    today: datetime.date | None = None,
) -> Visit:
    today = today or timezone.localdate()
    if pairing.end is not None:
        raise ValidationError(
            _("This pairing ended on %(date)s; visits are logged by the current official.")
            % {"date": pairing.end.isoformat()}
        )
    if date > today:
        raise ValidationError({"date": _("A visit cannot be dated in the future.")})
    if date < pairing.start:
        raise ValidationError(
            {
                "date": _("A visit cannot be dated before the pairing started (%(date)s).")
                % {"date": pairing.start.isoformat()}
            }
        )
    photos = [clean_upload(photo, field="photos") for photo in photos]
    visit = Visit(
        pairing=pairing,
        date=date,
        kind=kind,
        findings=findings.strip(),
        actions=actions.strip(),
        logged_by=logged_by,
    )
    visit.full_clean()
    visit.save()
    for photo in photos:
        VisitPhoto.objects.create(visit=visit, image=photo)
    return visit


# --- Exit and monitoring -------------------------------------------------------------------

NEXT_STAGE = {
    ExitStage.NONE: ExitStage.VILLAGE_REVIEW,
    ExitStage.VILLAGE_REVIEW: ExitStage.CHECKS,
    ExitStage.CHECKS: ExitStage.AGREEMENT,
    ExitStage.AGREEMENT: ExitStage.NOTICE,
}


def _check_exit_gate(household: Household) -> None:
    """Refuse unless the queryset's exit rule (HouseholdQuerySet.with_exit_gate) is met."""
    gate = Household.objects.with_exit_gate().get(pk=household.pk)
    if not gate.guarantees_met:
        unmet = ", ".join(str(label) for field, label in GUARANTEES if not getattr(gate, field))
        raise ValidationError(
            _(
                "The household cannot exit: these guarantees are not recorded as met: "
                "%(unmet)s. Record them as met first."
            )
            % {"unmet": unmet}
        )
    if not gate.income_above_line:
        raise ValidationError(
            _(
                "The household cannot exit: net income per head (%(income)s yuan) is not "
                "above the poverty line (%(line)s yuan)."
            )
            % {
                "income": gate.net_income_per_head if gate.net_income_per_head is not None else 0,
                "line": PovertyRules.current().poverty_line,
            }
        )


@transaction.atomic
def household_exit_advance(
    *, household: Household, today: datetime.date | None = None
) -> Household:
    """Move the household one step along village review → checks → agreement → notice → exited."""
    today = today or timezone.localdate()
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.status != HouseholdStatus.POOR:
        raise ValidationError(_("Only a household in poverty can go through the exit procedure."))
    _check_exit_gate(household)
    if household.exit_stage == ExitStage.NOTICE:
        if not dates.notice_allows(household.exit_notice_ends_on, today):
            raise ValidationError(
                _(
                    "The public notice runs until %(date)s; the household can exit from the "
                    "next day on."
                )
                % {"date": household.exit_notice_ends_on.isoformat()}
            )
        household.status = HouseholdStatus.EXITED
        household.exit_stage = ExitStage.NONE
        household.exited_on = today
        household.full_clean()
        household.save(update_fields=["status", "exit_stage", "exited_on", "updated_at"])
        return household
    household.exit_stage = NEXT_STAGE[household.exit_stage]
    if household.exit_stage == ExitStage.NOTICE:
        days = PovertyRules.current().exit_notice_days
        household.exit_notice_ends_on = dates.notice_ends(today, days)
    household.full_clean()
    household.save(update_fields=["exit_stage", "exit_notice_ends_on", "updated_at"])
    return household


@transaction.atomic
def household_exit_withdraw(*, household: Household) -> Household:
    """Take the household out of the exit procedure (a check failed, an objection upheld)."""
    if household.exit_stage == ExitStage.NONE:
        raise ValidationError(_("This household is not in the exit procedure."))
    household.exit_stage = ExitStage.NONE
    household.exit_notice_ends_on = None
    household.save(update_fields=["exit_stage", "exit_notice_ends_on", "updated_at"])
    return household


@transaction.atomic
def household_flag_at_risk(
    *, household: Household, today: datetime.date | None = None
) -> Household:
    """Flag an exited household as at risk of falling back (防止返贫监测): visits resume."""
    today = today or timezone.localdate()
    if household.status != HouseholdStatus.EXITED:
        raise ValidationError(_("Only an exited household can be flagged as at risk."))
    household.status = HouseholdStatus.AT_RISK
    household.at_risk_since = today
    household.save(update_fields=["status", "at_risk_since", "updated_at"])
    return household


@transaction.atomic
def household_clear_risk(*, household: Household) -> Household:
    if household.status != HouseholdStatus.AT_RISK:
        raise ValidationError(_("This household is not flagged as at risk."))
    household.status = HouseholdStatus.EXITED
    household.at_risk_since = None
    household.save(update_fields=["status", "at_risk_since", "updated_at"])
    return household


@transaction.atomic
def member_update(*, member: Member, **fields) -> Member:
    """Correct a household member's details (the import's update path)."""
    data = {
        name: value.strip() if isinstance(value, str) else value for name, value in fields.items()
    }
    return model_update(instance=member, data=data, fields=MEMBER_UPDATE_FIELDS)


MEMBER_UPDATE_FIELDS = (
    "name",
    "relation",
    "education",
    "health",
    "labour",
    "migrant_worker",
    "medical_insurance",
    "pension_insurance",
)
