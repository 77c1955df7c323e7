"""Factories for the poverty app: through the services where a rule applies."""

import datetime
import itertools
from decimal import Decimal

from cadres.models import Cadre, PostLevel
from portal.idnumbers import check_char
from poverty import services
from poverty.models import Household, Pairing, Village, VillageStatus
from tests.factories import OrganizationFactory

_serial = itertools.count(1)


def id_number(birth: datetime.date = datetime.date(1970, 5, 4), male: bool = True) -> str:
    """A valid, unique, fictitious ID number (area 530102)."""
    n = next(_serial)
    sequence = (n * 2 + (1 if male else 0)) % 1000
    # Birth dates shift with the serial so numbers stay unique past 500 people.
    birth = birth + datetime.timedelta(days=n // 500)
    first17 = f"530102{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def make_cadre(
    organization, *, name: str = "", user=None, level: str | None = None, since=None
) -> Cadre:
    """A cadre with, if `level` is given, a principal post of that level in force."""
    n = next(_serial)
    cadre = Cadre.objects.create(
        name=name or f"干部{n}",
        gender="male",
        birth_date=datetime.date(1975, 1, 1),
        id_number=id_number(datetime.date(1975, 1, 1) + datetime.timedelta(days=n)),
        organization=organization,
        user=user,
    )
    if level:
        from cadres.models import PostRecord

        PostRecord.objects.create(
            cadre=cadre,
            unit=organization,
            post_title=str(PostLevel(level).label),
            level=level,
            start_date=since or datetime.date(2020, 1, 1),
            document_number=f"云组〔2020〕{n}号",
        )
    return cadre


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
            id_number=id_number(datetime.date(1960 + i * 10, 3, 3), male=i % 2 == 0),
            relation="head" if i == 0 else "child",
        )
    if income is not None:
        services.income_record(household=household, amounts={"wages": income})
    return household


def make_pairing(household, official, *, start=datetime.date(2026, 1, 1)) -> Pairing:
    return services.pairing_assign(
        household=household, official=official, start=start, today=max(start, datetime.date.today())
    )
