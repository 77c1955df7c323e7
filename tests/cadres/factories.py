"""Factories for the cadres app; records are made through the services, like users do."""

import datetime
import itertools

from cadres import services
from cadres.models import Cadre, PostLevel
from tests.factories import id_number_for

_sequence = itertools.count(1)


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
        id_number=id_number_for(birth_date, gender),
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
