"""Factories for the cadres app; records are made through the services, like users do."""

import datetime
import itertools

from cadres import services
from cadres.models import Cadre, PostLevel
from portal.idnumbers import check_char

_sequence = itertools.count(1)


def id_number_for(birth_date: datetime.date, gender: str, *, area: str = "110105") -> str:
    """A valid GB 11643 number encoding `birth_date` and `gender` (unique per call)."""
    serial = next(_sequence) % 500
    order = serial * 2 + (1 if gender == "male" else 0)
    first17 = f"{area}{birth_date:%Y%m%d}{order:03d}"
    return first17 + check_char(first17)


def make_cadre(
    organization,
    *,
    name: str = "张三丰",
    gender: str = "male",
    birth_date: datetime.date = datetime.date(1980, 5, 17),
    post: str | None = "副镇长",
    level: str = PostLevel.SECTION_DEPUTY,
    post_start: datetime.date = datetime.date(2020, 3, 1),
    **details,
) -> Cadre:
    cadre = services.cadre_create(
        name=name,
        gender=gender,
        birth_date=birth_date,
        id_number=id_number_for(birth_date, gender, area=f"{110100 + next(_sequence) % 90:06d}"),
        organization=organization,
        **details,
    )
    if post:
        services.post_record_add(
            cadre=cadre,
            unit=organization,
            post_title=post,
            level=level,
            start_date=post_start,
            document_number=f"云组干〔{post_start.year}〕{next(_sequence)}号",
            today=post_start,
        )
        cadre.refresh_from_db()
    return cadre
