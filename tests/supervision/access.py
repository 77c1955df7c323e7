"""The supervision app's URLs in the roles × URLs matrix (tests/access.py).

Matters are handled by an office at the county (inside) or at township B (outside: only
users who see the whole county reach it).
"""

import datetime

from portal.roles import Access, Area
from tests.access import Entry


def _complaint(world, organization):
    from supervision import services

    complaint, _secret = services.complaint_record(
        receiver=world.user("supervisor"),
        handling_organization=organization,
        channel="letter",
        category="formalism",
        summary="会议过多",
        description="反映会议过多。",
        subject_organization=world.branch_a1,
        reporter={"name": "举报人乙", "unit": "", "address": "", "contact": ""},
        today=datetime.date(2025, 3, 3),
        received_on=datetime.date(2025, 3, 3),
    )
    return complaint


def inside(world, user):
    return {"pk": _complaint(world, world.county).pk}


def outside(world, user):
    return {"pk": _complaint(world, world.township_b).pk}


def inside_action(world, user):
    return {**inside(world, user), "action": "decide"}


def outside_action(world, user):
    return {**outside(world, user), "action": "decide"}


ENTRIES = [
    Entry("supervision:index", area=Area.SUPERVISION, level=Access.STATS),
    Entry("supervision:complaint-statistics", area=Area.SUPERVISION, level=Access.STATS),
    Entry("supervision:complaint-list", area=Area.SUPERVISION, level=Access.READ),
    Entry("supervision:complaint-create", area=Area.SUPERVISION, level=Access.EDIT),
    Entry(
        "supervision:complaint-detail",
        area=Area.SUPERVISION,
        level=Access.READ,
        make=inside,
        outside=outside,
    ),
    Entry(
        "supervision:complaint-receipt",
        area=Area.SUPERVISION,
        level=Access.READ,
        make=inside,
        outside=outside,
    ),
    Entry(
        "supervision:complaint-reissue",
        area=Area.SUPERVISION,
        level=Access.EDIT,
        make=inside,
        outside=outside,
        method="post",
        ok_statuses=(302,),
    ),
    Entry(
        "supervision:complaint-reveal",
        area=Area.SUPERVISION,
        level=Access.EDIT,
        make=inside,
        outside=outside,
        method="post",
    ),
    Entry(
        "supervision:complaint-action",
        area=Area.SUPERVISION,
        level=Access.EDIT,
        make=inside_action,
        outside=outside_action,
        method="post",
    ),
    Entry("track:lookup", area=None, public=True),
    Entry("track:rate", area=None, public=True, method="post"),
]
