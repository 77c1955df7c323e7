"""The poverty app's deadlines for the reminder engine (contract: portal/deadlines.py).

Each reuses the read-side rule it reminds about: the visit interval
(PairingQuerySet.with_next_visit_due), the five ones (VillageQuerySet.incomplete) and the
exit procedure's notice (Household.exit_notice_ends_on).
"""

from django.db.models import CharField, DateField, F, IntegerField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.deadlines import Deadline, register, window
from poverty.models import ExitStage, Household, Pairing, Village


def visit_overdue_rows(today, lookahead_days, lookback_days):
    """Each pairing's next visit. The key carries the due date: every interval is a new item."""
    return (
        Pairing.objects.requiring_visits()
        .with_next_visit_due()
        .filter(next_visit_due__range=window(today, lookahead_days, lookback_days))
        .annotate(
            item_key=Concat(
                Cast("pk", CharField()),
                Value(":"),
                Cast("next_visit_due", CharField()),
                output_field=CharField(),
            ),
            due_date=F("next_visit_due"),
            organization_id=F("official__organization_id"),
            user_id=F("official__user_id"),
            title=Concat(
                Value("帮扶走访："),
                F("household__village__name"),
                Value(" "),
                F("household__number"),
                output_field=CharField(),
            ),
        )
        .values("item_key", "due_date", "organization_id", "user_id", "title")
    )


def village_incomplete_rows(today, lookahead_days, lookback_days):
    """Villages missing one of the five ones: one item a month, due on the month's first day.

    The village's own organisation is responsible; it has no staff users, so the engine's
    escalation reaches the department above it.
    """
    month_start = today.replace(day=1)
    start, end = window(today, lookahead_days, lookback_days)
    if not start <= month_start <= end:
        return Village.objects.none().values()
    return (
        Village.objects.incomplete()
        .annotate(
            item_key=Concat(
                Cast("pk", CharField()), Value(f":{month_start:%Y-%m}"), output_field=CharField()
            ),
            due_date=Value(month_start, output_field=DateField()),
            user_id=Value(None, output_field=IntegerField()),
            title=Concat(Value("“五个一”未配齐："), F("name"), output_field=CharField()),
        )
        .values("item_key", "due_date", "organization_id", "user_id", "title")
    )


def exit_notice_end_rows(today, lookahead_days, lookback_days):
    """Households whose exit public notice ends: then the exit can be completed."""
    return (
        Household.objects.filter(
            exit_stage=ExitStage.NOTICE,
            exit_notice_ends_on__range=window(today, lookahead_days, lookback_days),
        )
        .annotate(
            item_key=Concat(
                Cast("pk", CharField()),
                Value(":"),
                Cast("exit_notice_ends_on", CharField()),
                output_field=CharField(),
            ),
            due_date=F("exit_notice_ends_on"),
            organization_id=F("village__organization_id"),
            user_id=Value(None, output_field=IntegerField()),
            title=Concat(
                Value("脱贫公示期满："),
                F("village__name"),
                Value(" "),
                F("number"),
                output_field=CharField(),
            ),
        )
        .values("item_key", "due_date", "organization_id", "user_id", "title")
    )


def _household_url(item_key: str) -> str:
    return reverse("poverty:household-detail", kwargs={"pk": int(item_key.split(":")[0])})


def _pairing_url(item_key: str) -> str:
    pairing = Pairing.objects.filter(pk=int(item_key.split(":")[0])).only("household_id").first()
    if pairing is None:
        return reverse("poverty:index")
    return reverse("poverty:household-detail", kwargs={"pk": pairing.household_id})


def _village_url(item_key: str) -> str:
    return reverse("poverty:village-update", kwargs={"pk": int(item_key.split(":")[0])})


VISIT_OVERDUE = register(
    Deadline(
        key="poverty.visit_overdue",
        label=_("Pairing visit due"),
        app="poverty",
        rows=visit_overdue_rows,
        url=_pairing_url,
        roles=("staff",),
    )
)
VILLAGE_INCOMPLETE = register(
    Deadline(
        key="poverty.village_incomplete",
        label=_("Village missing one of the five ones"),
        app="poverty",
        rows=village_incomplete_rows,
        url=_village_url,
        roles=("staff",),
    )
)
EXIT_NOTICE_END = register(
    Deadline(
        key="poverty.exit_notice_end",
        label=_("Exit public notice ends"),
        app="poverty",
        rows=exit_notice_end_rows,
        url=_household_url,
        roles=("staff",),
    )
)
