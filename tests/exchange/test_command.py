"""manage.py export: the same export as the page's button, for the same user."""

import csv

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from portal.models import ExportJob, RevealLog
from tests.grassroots.factories import PartyMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    PartyMemberFactory(branch=world.branch_a1, name="甲一党员")
    PartyMemberFactory(branch=world.branch_a1, name="甲一申请人", stage="applicant")
    PartyMemberFactory(branch=world.branch_b1, name="乙一党员")


def _csv(path):
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_export_writes_what_the_user_may_see_with_the_filters(tmp_path, world, people):
    out = tmp_path / "members.csv"
    call_command("export", "members", "--as", "secretary", "-o", str(out), "--filter", "stage=full")
    rows = _csv(out)
    assert [row["姓名"] for row in rows] == ["甲一党员"]
    assert rows[0]["身份证号"].startswith("*")
    job = ExportJob.objects.get()
    assert (job.source, job.user.username, job.params) == (
        "command",
        "secretary",
        {"stage": ["full"]},
    )


def test_full_ids_on_the_command_line_are_recorded(tmp_path, world, people):
    out = tmp_path / "members.xlsx"
    call_command("export", "members", "--as", "staff", "-o", str(out), "--full-ids")
    ids = [row[4] for row in load_workbook(out).active.iter_rows(min_row=2, values_only=True)]
    assert len(ids) == 3 and not any(number.startswith("*") for number in ids)
    assert RevealLog.objects.get().count == 3


def test_the_command_refuses_what_the_page_refuses(tmp_path, world, people):
    out = tmp_path / "x.xlsx"
    with pytest.raises(CommandError):
        call_command("export", "members", "--as", "secretary", "-o", str(out), "--full-ids")
    with pytest.raises(CommandError):
        call_command("export", "members", "--as", "helper", "-o", str(out))
    with pytest.raises(CommandError, match="Unknown export"):
        call_command("export", "nothing", "--as", "staff", "-o", str(out))
    with pytest.raises(CommandError, match="--record"):
        call_command("export", "member-register", "--as", "staff", "-o", str(out))
    with pytest.raises(CommandError):
        call_command(
            "export",
            "member-register",
            "--as",
            "secretary",
            "-o",
            str(out),
            "--record",
            str(world.township_b.pk),
        )
    assert not RevealLog.objects.exists()


def test_a_register_for_one_organisation(tmp_path, world, people):
    out = tmp_path / "register.xlsx"
    call_command(
        "export",
        "member-register",
        "--as",
        "staff",
        "-o",
        str(out),
        "--record",
        str(world.township_a.pk),
    )
    sheet = load_workbook(out).active
    assert sheet["A1"].value == "党员花名册"
    assert [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)] == ["甲一党员"]
