"""What the navigation bar's search finds in poverty (contract: portal/search.py): households
by the head's (or any member's) name, the registration number, the village, or the last four
characters of a member's ID number; through visible_to(user), so a helper finds only the
households paired with them."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from portal.pinyin import typed_as_initials
from portal.roles import Access, Area, can
from portal.search import Hit, SearchKind, register
from poverty.models import Household, Member


def households(user, query, limit) -> list[Hit]:
    rows = Household.objects.visible_to(user)
    if typed_as_initials(query.text):
        # Households keep no pinyin initials; Latin letters would only scan every household
        # for a registration number (a number is found by its digits, or by its full code).
        return []
    if query.id_tail:
        holders = Member.objects.filter(household=OuterRef("pk"), id_number__endswith=query.id_tail)
        rows = rows.filter(Exists(holders))
    else:
        rows = rows.search(query.text)
    rows = rows.with_head().select_related("village").order_by("number", "pk")[:limit]
    return [
        Hit(
            household.head_name or household.number,
            f"{household.number} · {household.village.name} · {household.get_status_display()}",
            reverse("poverty:household-detail", args=[household.pk]),
        )
        for household in rows
    ]


register(
    SearchKind(
        key="households",
        order=30,
        label=_("Households"),
        allowed=lambda user: can(user, Area.POVERTY, Access.READ),
        find=households,
        more_url=lambda query: (
            f"{reverse('poverty:household-list')}?{urlencode({'q': query.text})}"
        ),
    )
)
