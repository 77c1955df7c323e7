"""The cadres' searchable picker (portal/autocomplete.py): by name or pinyin initials,
labelled with the unit and the year of birth, since names repeat ("王伟（县财政局，1978）")."""

from django.db.models import QuerySet

from cadres.models import Cadre
from portal.autocomplete import Source, register
from portal.roles import Area


def cadre_labels(cadres) -> list[str]:
    return [f"{c.name}（{c.organization.name}，{c.birth_date.year}）" for c in cadres]


def _search(queryset: QuerySet, text: str) -> QuerySet:
    return queryset.search(text)


CADRES = register(
    Source(
        name="cadres",
        model=Cadre,
        area=Area.CADRES,
        queryset=lambda user: (
            Cadre.objects.visible_to(user)
            .select_related("organization")
            .only("name", "birth_date", "organization__name")
            .order_by("name", "pk")
        ),
        search=_search,
        labels=cadre_labels,
    )
)
