"""The villages' searchable picker (portal/autocomplete.py): by name, labelled with the
township, since village names repeat across townships ("新村（青龙镇）")."""

from django.db.models import QuerySet

from portal.autocomplete import Source, register
from portal.roles import Area
from poverty.models import Village


def village_labels(villages) -> list[str]:
    labels = []
    for village in villages:
        township = village.organization.parent if village.organization_id else None
        labels.append(f"{village.name}（{township.name}）" if township else village.name)
    return labels


def _search(queryset: QuerySet, text: str) -> QuerySet:
    return queryset.filter(name__contains=text) if text else queryset


VILLAGES = register(
    Source(
        name="villages",
        model=Village,
        area=Area.POVERTY,
        queryset=lambda user: (
            Village.objects.visible_to(user)
            .select_related("organization__parent")
            .order_by("name", "pk")
        ),
        search=_search,
        labels=village_labels,
    )
)
