"""The poverty area in the navigation bar and on the home page (contract: portal/areas.py)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.areas import AreaEntry, figure, register
from portal.roles import Area, Capability, may
from poverty.models import Pairing


def figures(user, today) -> list[dict]:
    """Active pairings and the overdue ones, by the pairings' own overdue rule; a helper's
    are their own households (Pairing.visible_to) (1 query)."""
    counts = (
        Pairing.objects.visible_to(user)
        .active()
        .with_overdue_flag(today)
        .aggregate(active=Count("pk"), overdue=Count("pk", filter=Q(is_overdue=True)))
    )
    own_only = not may(user, Capability.ALL_HOUSEHOLDS)
    index = reverse("poverty:index")
    return [
        figure(_("My households") if own_only else _("Active pairings"), counts["active"], index),
        figure(
            _("Visits overdue"),
            counts["overdue"],
            index if own_only else reverse("poverty:pairing-overdue"),
            warn=True,
        ),
    ]


register(
    AreaEntry(
        area=Area.POVERTY,
        order=30,
        url_name="poverty:index",
        label=_("Poverty alleviation"),
        figures=figures,
    )
)
