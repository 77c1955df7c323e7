"""Factories for the poverty app: through the services where a rule applies."""

import datetime
import itertools
from decimal import Decimal

from cadres.models import Cadre, PostLevel
from poverty import services
from poverty.models import Household, Pairing, Village, VillageStatus
from tests.cadres.factories import make_cadre as make_any_cadre
from tests.factories import OrganizationFactory, id_number_for

_serial = itertools.count(1)


def make_cadre(
    organization, *, name: str = "", user=None, level: str | None = None, since=None
) -> Cadre:
    """An official for the poverty tests, made by the one cadre factory
    (tests.cadres.factories.make_cadre): no post unless `level` is given, then a principal
    post of that level in force since `since`."""
    n = next(_serial)
    return make_any_cadre(
        organization,
        name=name or f"干部{n}",
        birth_date=datetime.date(1975, 1, 1) + datetime.timedelta(days=n),
        user=user,
        post=str(PostLevel(level).label) if level else None,
        level=level or PostLevel.STAFF,
        post_start=since or datetime.date(2020, 1, 1),
    )


def make_village(organization=None, *, parent=None, status=VillageStatus.POOR) -> Village:
    if organization is None:
        organization = OrganizationFactory(parent=parent)
    return services.village_create(organization=organization, status=status)


def make_household(
    village: Village,
    *,
    members: int = 3,
    income: Decimal | None = None,
    main_cause: str = "illness",
    **fields,
) -> Household:
    household = services.household_register(
        village=village, number=f"HH{next(_serial):06d}", main_cause=main_cause, **fields
    )
    for i in range(members):
        services.member_add(
            household=household,
            name=f"成员{i}",
            id_number=id_number_for(
                datetime.date(1960 + i * 10, 3, 3), "male" if i % 2 == 0 else "female"
            ),
            relation="head" if i == 0 else "child",
        )
    if income is not None:
        services.income_record(household=household, amounts={"wages": income})
    return household


def make_pairing(household, official, *, start=datetime.date(2026, 1, 1)) -> Pairing:
    return services.pairing_assign(
        household=household, official=official, start=start, today=max(start, datetime.date.today())
    )
