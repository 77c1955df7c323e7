"""The cadres area in the navigation bar and on the home page (contract: portal/areas.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cadres.models import Appointment
from portal.areas import AreaEntry, figure, register
from portal.roles import Area


def figures(user, today) -> list[dict]:
    """Appointments in progress in the user's subtree (1 query)."""
    count = Appointment.objects.visible_to(user).in_progress().count()
    return [figure(_("Appointments in progress"), count, reverse("cadres:appointment-list"))]


register(
    AreaEntry(
        area=Area.CADRES,
        order=20,
        url_name="cadres:index",
        label=_("Cadres"),
        figures=figures,
    )
)
