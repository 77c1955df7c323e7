"""Read helpers other apps use (the cadres app's timeline of a cadre)."""

from poverty.models import Pairing, Visit


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
