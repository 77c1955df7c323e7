"""The poverty app's rows of the roles × URLs matrix (tests/access.py).

Inside: a household in village A1 (for the helper: one paired with the helper's own cadre
record); outside: a household in village B1 paired with someone else. Staff-only workflows
deny the helper (403) even though helpers may EDIT their own households.
"""

import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from portal.roles import Access, Area, Capability, Role
from poverty.models import Member, Pairing, Village, Visit, VisitPhoto
from tests.access import Entry
from tests.poverty.factories import make_cadre, make_household, make_village

START = datetime.date(2026, 1, 1)
PHOTO_NAME = "poverty/tests/matrix.png"
ALL = Capability.ALL_HOUSEHOLDS


def _village(organization) -> Village:
    existing = Village.objects.filter(organization=organization).first()
    return existing or make_village(organization)


def _household(world, user, *, outside: bool):
    village = _village(world.branch_b1 if outside else world.branch_a1)
    household = make_household(village, members=2)
    if user.role == Role.HELPER and not outside:
        official = getattr(user, "cadre", None) or make_cadre(world.township_a, user=user)
    else:
        official = make_cadre(world.township_b if outside else world.township_a)
    Pairing.objects.create(household=household, official=official, start=START)
    return household


def household(world, user):
    return {"pk": _household(world, user, outside=False).pk}


def household_outside(world, user):
    return {"pk": _household(world, user, outside=True).pk}


def _member(world, user, *, outside):
    return {"pk": Member.objects.filter(household=_household(world, user, outside=outside))[0].pk}


def member(world, user):
    return _member(world, user, outside=False)


def member_outside(world, user):
    return _member(world, user, outside=True)


def _photo(world, user, *, outside):
    if not default_storage.exists(PHOTO_NAME):
        buffer = io.BytesIO()
        Image.new("RGB", (2, 2), "blue").save(buffer, "PNG")
        default_storage.save(PHOTO_NAME, ContentFile(buffer.getvalue()))
    pairing = _household(world, user, outside=outside).pairings.get()
    visit = Visit.objects.create(pairing=pairing, date=START, kind="home", findings="—")
    return {"pk": VisitPhoto.objects.create(visit=visit, image=PHOTO_NAME).pk}


def photo(world, user):
    return _photo(world, user, outside=False)


def photo_outside(world, user):
    return _photo(world, user, outside=True)


def village(world, user):
    return {"pk": _village(world.branch_a1).pk}


def village_outside(world, user):
    return {"pk": _village(world.branch_b1).pk}


def _row(name, level, *, make=household, outside=household_outside, **kwargs):
    return Entry(name, area=Area.POVERTY, level=level, make=make, outside=outside, **kwargs)


READ, EDIT = Access.READ, Access.EDIT

ENTRIES = [
    # The dashboard of an organisation (issue #11): the department's (a helper's reach is
    # their own households, not a subtree); another township's is a 404 below the county.
    Entry(
        "poverty:dashboard",
        area=Area.POVERTY,
        level=READ,
        capability=ALL,
        make=lambda world, user: {"pk": world.township_a.pk},
        outside=lambda world, user: {"pk": world.township_b.pk},
    ),
    Entry("poverty:index", area=Area.POVERTY, level=READ),
    Entry("poverty:household-list", area=Area.POVERTY, level=READ),
    Entry("poverty:household-create", area=Area.POVERTY, level=EDIT, capability=ALL),
    _row("poverty:household-detail", READ),
    _row("poverty:household-update", EDIT, capability=ALL),
    _row("poverty:member-create", EDIT, capability=ALL),
    _row("poverty:income-update", EDIT, capability=ALL),
    _row("poverty:guarantees-update", EDIT, capability=ALL),
    _row("poverty:household-exit", EDIT, capability=ALL, ok_statuses=(302,)),
    _row("poverty:pairing-create", EDIT, capability=ALL),
    _row("poverty:visit-create", EDIT),
    _row("poverty:measure-create", EDIT),
    _row(
        "poverty:member-reveal",
        EDIT,
        make=member,
        outside=member_outside,
        method="post",
        capability=Capability.REVEAL_ID_NUMBER,
    ),
    _row("poverty:visit-photo", READ, make=photo, outside=photo_outside),
    Entry("poverty:village-list", area=Area.POVERTY, level=READ, capability=ALL),
    _row(
        "poverty:village-update",
        EDIT,
        make=village,
        outside=village_outside,
        capability=ALL,
    ),
    Entry("poverty:official-list", area=Area.POVERTY, level=READ, capability=ALL),
    Entry("poverty:pairing-overdue", area=Area.POVERTY, level=READ, capability=ALL),
    Entry("poverty:exit-list", area=Area.POVERTY, level=READ, capability=ALL),
    # Exports (tests/exchange/test_poverty_exports.py): the list's rows as a file; a helper
    # exports the household lists (own pairings) but not the department's lists.
    Entry("poverty:household-export", area=Area.POVERTY, level=READ),
    Entry("poverty:member-export", area=Area.POVERTY, level=READ),
    Entry("poverty:pairing-export", area=Area.POVERTY, level=READ),
    Entry("poverty:household-register", area=Area.POVERTY, level=READ),
    Entry("poverty:village-export", area=Area.POVERTY, level=READ, capability=ALL),
    Entry("poverty:official-export", area=Area.POVERTY, level=READ, capability=ALL),
    Entry("poverty:pairing-overdue-export", area=Area.POVERTY, level=READ, capability=ALL),
    Entry("poverty:exit-export", area=Area.POVERTY, level=READ, capability=ALL),
]
