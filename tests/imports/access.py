"""The import URLs in the roles × URLs matrix (tests/access.py).

An import job is scoped like the records it holds: by the organisation of the user who
uploaded it. "Outside" is a job uploaded in township B."""

from portal.exchange.importing.models import ImportJob
from portal.roles import Access, Area, Role
from tests.access import Entry
from tests.factories import UserFactory
from tests.imports.helpers import xlsx

EDIT = Access.EDIT


def _job(kind: str, user, organization) -> ImportJob:
    existing = ImportJob.objects.filter(kind=kind, organization=organization, user=user).first()
    if existing:
        return existing
    return ImportJob.objects.create(
        kind=kind,
        user=user,
        organization=organization,
        filename="file.xlsx",
        data=xlsx(["姓名", "身份证号"], [["张三", "123"]]),
        status=ImportJob.Status.READY,
        total_rows=1,
        rejected_rows=1,
        errors=[{"row": 2, "column": "身份证号", "message": "身份证号码应为 18 位。"}],
    )


def _outsider(world):
    return UserFactory(username="secretary-b1", role=Role.SECRETARY, organization=world.branch_b1)


def job_of(kind):
    def make(world, user):
        return {"pk": _job(kind, user, user.organization).pk}

    def outside(world, user):
        return {"pk": _job(kind, _outsider(world), world.branch_b1).pk}

    return make, outside


def kind_of(key):
    return lambda world, user: {"kind": key}


NO_RECORD = "the kind is a parameter, not a record: the rows are scoped when they are checked"


def kind_entries(key: str, area: str, denied: tuple = ()) -> list[Entry]:
    make, outside = job_of(key)
    common = {"area": area, "level": EDIT, "denied_roles": denied, "label": key}
    return [
        Entry("imports:upload", make=kind_of(key), outside_exempt=NO_RECORD, **common),
        Entry("imports:template", make=kind_of(key), outside_exempt=NO_RECORD, **common),
        Entry("imports:job", make=make, outside=outside, **common),
        Entry("imports:progress", make=make, outside=outside, **common),
        Entry("imports:errors", make=make, outside=outside, **common),
        # Confirming a job that has nothing to import sends the user back to it.
        Entry(
            "imports:confirm",
            make=make,
            outside=outside,
            method="post",
            ok_statuses=(302,),
            **common,
        ),
    ]


ENTRIES = [
    # Any signed-in user: the kinds their role may import (possibly none).
    Entry("imports:index", area=None),
    *kind_entries("members", Area.GRASSROOTS),
    *kind_entries("meetings", Area.GRASSROOTS),
    *kind_entries("cadres", Area.CADRES),
    *kind_entries("cadre-posts", Area.CADRES),
    *kind_entries("households", Area.POVERTY, denied=(Role.HELPER,)),
    *kind_entries("household-members", Area.POVERTY, denied=(Role.HELPER,)),
    *kind_entries("pairings", Area.POVERTY, denied=(Role.HELPER,)),
    # The organisation tree is the department's: a branch secretary imports members only.
    *kind_entries("organizations", Area.GRASSROOTS, denied=(Role.SECRETARY,)),
]
