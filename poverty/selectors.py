"""Read helpers other apps use (the cadres app's timeline of a cadre)."""

from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Q, Subquery

from poverty.models import Pairing, PairingQuota, Visit
from poverty.models.pairings import count_per_official


def pairings_for_cadre(cadre):
    """The cadre's pairings, current and past, newest first, with household and village."""
    return (
        Pairing.objects.filter(official=cadre)
        .select_related("household__village")
        .order_by("-start", "-pk")
    )


def visits_by_cadre(cadre):
    """Visits made under the cadre's pairings, newest first, with household and village."""
    return (
        Visit.objects.filter(pairing__official=cadre)
        .select_related("pairing__household__village")
        .order_by("-date", "-pk")
    )


def officials_with_coverage(cadres, today):
    """Cadres annotated with `current_level`, `quota`, `households`, `overdue`, `under_quota`.

    `households` counts the cadre's active pairings; `overdue` uses the one visit rule
    (PairingQuerySet.overdue). The quota comes
    from the admin-editable PairingQuota table by the cadre's current post level; a level
    without a row has no quota.
    """
    quota = PairingQuota.objects.filter(level=OuterRef("current_level")).values("min_households")
    return (
        cadres.with_current_post(on=today)
        .annotate(
            quota=Subquery(quota[:1]),
            households=count_per_official(Pairing.objects.active()),
            overdue=count_per_official(Pairing.objects.overdue(today)),
        )
        .annotate(
            under_quota=ExpressionWrapper(
                Q(quota__isnull=False) & Q(households__lt=F("quota")),
                output_field=BooleanField(),
            )
        )
    )
