"""What the navigation bar's search finds in supervision (contract: portal/search.py): a
matter by its tracking code, for the handling office only (READ: staff and leaders, who see
statistics, never find a single matter). The line shows the code, category and status:
never the reporter."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.roles import Access, Area, can
from portal.search import Hit, SearchKind, register
from supervision.models import Complaint


def matters(user, query, limit) -> list[Hit]:
    if not query.code:
        return []
    rows = (
        Complaint.objects.visible_to(user)
        .filter(tracking_code=query.code)
        .only("pk", "tracking_code", "category", "status")[:limit]
    )
    return [
        Hit(
            complaint.tracking_code,
            f"{complaint.get_category_display()} · {complaint.get_status_display()}",
            reverse("supervision:complaint-detail", args=[complaint.pk]),
        )
        for complaint in rows
    ]


register(
    SearchKind(
        key="matters",
        order=40,
        label=_("Matters by tracking code"),
        allowed=lambda user: can(user, Area.SUPERVISION, Access.READ),
        find=matters,
    )
)
