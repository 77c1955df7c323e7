"""The grassroots area in the navigation bar and on the home page (contract: portal/areas.py)."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.models import ComplianceCell, ComplianceStatus
from portal.areas import AreaEntry, figure, register
from portal.roles import Area


def figures(user, today) -> list[dict]:
    """Organisations in the user's subtree behind on their meetings: the grassroots
    dashboard's compliance queryset (2 queries)."""
    cells = ComplianceCell.objects.visible_to(user)
    due = (
        cells.for_day(today, today=today)
        .filter(status=ComplianceStatus.DUE)
        .aggregate(n=Count("organization", distinct=True))["n"]
    )
    missed = (
        cells.for_day(today, today=today, previous=True)
        .filter(status=ComplianceStatus.MISSED)
        .aggregate(n=Count("organization", distinct=True))["n"]
    )
    url = reverse("grassroots:index")
    return [
        figure(_("Organisations with a meeting still to hold this period"), due, url),
        figure(_("Organisations that missed a meeting last period"), missed, url, warn=True),
    ]


register(
    AreaEntry(
        area=Area.GRASSROOTS,
        order=10,
        url_name="grassroots:index",
        label=_("Grassroots"),
        figures=figures,
    )
)
