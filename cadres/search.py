"""What the navigation bar's search finds in cadres (contract: portal/search.py): cadres (the
poverty officials among them) by name, pinyin initials or the last four characters of the ID
number, through visible_to(user)."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre
from portal.masking import mask
from portal.roles import Access, Area, can
from portal.search import Hit, SearchKind, register


def cadres(user, query, limit) -> list[Hit]:
    rows = Cadre.objects.visible_to(user)
    if query.id_tail:
        rows = rows.filter(id_number__endswith=query.id_tail)
    else:
        rows = rows.search(query.text)
    rows = rows.select_related("organization").order_by("name", "pk")[:limit]
    return [
        Hit(
            cadre.name,
            f"{cadre.organization.name if cadre.organization else ''} · {mask(cadre.id_number)}",
            reverse("cadres:cadre-detail", args=[cadre.pk]),
        )
        for cadre in rows
    ]


register(
    SearchKind(
        key="cadres",
        order=20,
        label=_("Cadres"),
        allowed=lambda user: can(user, Area.CADRES, Access.READ),
        find=cadres,
        more_url=lambda query: f"{reverse('cadres:cadre-list')}?{urlencode({'q': query.text})}",
    )
)
