"""The supervision area in the navigation bar and on the home page (contract:
portal/areas.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.areas import AreaEntry, figure, register
from portal.roles import Access, Area, can
from supervision import statistics
from supervision.models import Complaint


def figures(user, today) -> list[dict]:
    """Counts only, from the statistics' summary (1 query). The office's figures lead to its
    queue; staff and leaders (statistics access) reach the statistics page, never a matter."""
    summary = statistics.summary(Complaint.objects.for_statistics(user))
    if can(user, Area.SUPERVISION, Access.READ):
        url = reverse("supervision:complaint-list")
    else:
        url = reverse("supervision:complaint-statistics")
    return [
        figure(_("Open matters"), summary["open"], url),
        figure(_("Overdue"), summary["overdue"], url, warn=True),
    ]


register(
    AreaEntry(
        area=Area.SUPERVISION,
        order=40,
        url_name="supervision:index",
        label=_("Supervision"),
        # Counts are all that staff and leaders see of supervision: statistics access is enough.
        figures=figures,
        figures_access=Access.STATS,
    )
)
