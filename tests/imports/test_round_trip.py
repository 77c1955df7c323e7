"""Export → import: a county's register written by the portal and read back in changes
nothing. The export is the one a user downloads (with full ID numbers, recorded), the import
the one they upload."""

import datetime

import pytest
from django.core.management import call_command

from grassroots.models import Membership, PartyMember
from portal.models import RevealLog
from tests.grassroots.factories import PartyMemberFactory
from tests.imports.helpers import run

pytestmark = pytest.mark.django_db

FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "education",
    "branch_id",
    "stage",
    "applied_on",
    "activist_on",
    "target_on",
    "joined_on",
    "full_on",
    "is_flowing",
    "is_retired",
]


def _state():
    members = list(PartyMember.objects.order_by("pk").values_list(*FIELDS))
    memberships = list(
        Membership.objects.order_by("pk").values_list(
            "member", "organization", "starts_on", "ends_on"
        )
    )
    return members, memberships


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_member_register_exported_and_imported_again_changes_nothing(world, tmp_path, fmt):
    # given members at several stages in two branches
    PartyMemberFactory(branch=world.branch_a1, name="张三", phone="13800000001")
    PartyMemberFactory(
        branch=world.branch_a1,
        name="李四",
        stage="probationary",
        joined_on=datetime.date(2026, 3, 1),
    )
    PartyMemberFactory(branch=world.branch_b1, name="王五", is_flowing=True)
    before = _state()

    # when staff export the register with full ID numbers and import the file again
    path = tmp_path / f"members.{fmt}"
    call_command("export", "members", "--as", "staff", "-o", str(path), "--full-ids")
    assert RevealLog.objects.filter(user=world.user("staff")).exists()
    job = run("members", path.read_bytes(), world.user("staff"), apply=True, filename=path.name)

    # then every row is reported unchanged, none rejected, and the database is as it was
    assert job.errors == []
    assert (job.new_rows, job.updated_rows, job.unchanged_rows) == (0, 0, 3)
    assert _state() == before
