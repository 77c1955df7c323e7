"""What the navigation bar's search finds in grassroots (contract: portal/search.py): Party
members (and people in the pipeline) by name, pinyin initials or the last four characters of
the ID number, and organisations by name; each through visible_to(user)."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from grassroots.models import PartyMember
from portal.masking import mask
from portal.models import Organization
from portal.roles import Access, Area, can
from portal.search import Hit, SearchKind, register


def _reaches(user) -> bool:
    return can(user, Area.GRASSROOTS, Access.READ)


def members(user, query, limit) -> list[Hit]:
    rows = PartyMember.objects.visible_to(user)
    if query.id_tail:
        rows = rows.filter(id_number__endswith=query.id_tail)
    else:
        rows = rows.search(query.text)
    rows = rows.select_related("branch").order_by("name", "pk")[:limit]
    return [
        Hit(
            member.name,
            f"{member.branch.name} · {member.get_stage_display()} · {mask(member.id_number)}",
            reverse("grassroots:member-detail", args=[member.pk]),
        )
        for member in rows
    ]


def organizations(user, query, limit) -> list[Hit]:
    rows = (
        Organization.objects.visible_to(user)
        .filter(name__contains=query.text)
        .select_related("parent")
        .order_by("depth", "path")[:limit]
    )
    return [
        Hit(
            org.name,
            f"{org.get_kind_display()}{' · ' + org.parent.name if org.parent else ''}",
            reverse(
                "grassroots:branch-detail" if org.is_branch else "grassroots:dashboard",
                args=[org.pk],
            ),
        )
        for org in rows
    ]


register(
    SearchKind(
        key="members",
        order=10,
        label=_("Party members"),
        allowed=_reaches,
        find=members,
        more_url=lambda query: (
            f"{reverse('grassroots:member-list')}?{urlencode({'q': query.text})}"
        ),
    )
)
register(
    SearchKind(
        key="organizations",
        order=50,
        label=_("Organisations"),
        allowed=_reaches,
        find=organizations,
    )
)
