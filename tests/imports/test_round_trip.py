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


def _tree():
    from portal.models import Organization

    return list(
        Organization.objects.order_by("pk").values_list(
            "name", "kind", "category", "code", "parent", "path", "is_active"
        )
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_organisation_tree_exported_and_imported_again_changes_nothing(world, tmp_path, fmt):
    # given a tree with codes, categories and a Party group, two levels below a township
    from tests.factories import OrganizationFactory

    OrganizationFactory(
        name="甲一村第一党小组", parent=world.branch_a1, kind="group", category="village"
    )
    OrganizationFactory(
        name="乙乡机关党支部",
        parent=world.township_b,
        kind="branch",
        category="organ",
        code="A1234567",
    )
    before = _tree()

    # when staff export the tree below the county and import the file again
    path = tmp_path / f"organizations.{fmt}"
    call_command("export", "organizations", "--as", "staff", "-o", str(path))
    job = run(
        "organizations", path.read_bytes(), world.user("staff"), apply=True, filename=path.name
    )

    # then every organisation but the root is reported unchanged, and the tree is as it was
    assert job.errors == []
    assert (job.new_rows, job.updated_rows, job.unchanged_rows) == (0, 0, len(before) - 1)
    assert _tree() == before


def _poverty_state():
    from poverty.models import Household, Income, Member, Pairing

    return (
        list(Household.objects.order_by("pk").values()),
        list(Income.objects.order_by("pk").values_list("household", "source", "amount")),
        list(Member.objects.order_by("pk").values()),
        list(Pairing.objects.order_by("pk").values()),
    )


def test_households_members_and_pairings_exported_and_imported_again_change_nothing(
    world, tmp_path
):
    # given households with incomes, members and officials
    from decimal import Decimal

    from poverty import services
    from tests.poverty.factories import make_cadre, make_household, make_pairing, make_village

    village = make_village(world.branch_a1)
    first = make_household(
        village, kind="dibao", extra_causes=["schooling"], address="甲一村三组", members=3
    )
    services.income_record(
        household=first, amounts={"wages": Decimal("6000"), "transfer": Decimal("1200.50")}
    )
    second = make_household(make_village(world.branch_b1), members=1, main_cause="funds")
    make_pairing(first, make_cadre(world.township_a, name="甲帮扶人"))
    make_pairing(second, make_cadre(world.township_b, name="乙帮扶人"))
    before = _poverty_state()

    # when staff export each list (full ID numbers where the import keys on them) and
    # import the files again, in the order the import needs them
    for kind, full_ids, rows in (
        ("households", False, 2),
        ("household-members", True, 4),
        ("pairings", True, 2),
    ):
        path = tmp_path / f"{kind}.xlsx"
        options = ["--full-ids"] if full_ids else []
        call_command("export", kind, "--as", "staff", "-o", str(path), *options)
        job = run(kind, path.read_bytes(), world.user("staff"), apply=True, filename=path.name)
        # then each row is reported unchanged
        assert job.errors == [], kind
        assert (job.new_rows, job.updated_rows, job.unchanged_rows) == (0, 0, rows), kind
    assert _poverty_state() == before


def _cadre_state():
    from cadres.models import Cadre, PostRecord

    return (
        list(Cadre.objects.order_by("pk").values()),
        list(PostRecord.objects.order_by("pk").values()),
    )


def test_cadres_and_their_posts_exported_and_imported_again_change_nothing(world, tmp_path):
    # given cadres with appointment-form details and a post history
    from cadres import services
    from tests.cadres.factories import make_cadre

    first = make_cadre(
        world.township_a,
        name="甲镇干部",
        native_place="湖南长沙",
        speciality="财务管理",
        fulltime_education="bachelor",
        fulltime_school="湖南大学经济系",
    )
    services.post_record_add(
        cadre=first,
        unit=world.county,
        post_title="县财政局副局长",
        level="section_deputy",
        start_date=datetime.date(2023, 5, 1),
        document_number="云组干〔2023〕7号",
        end_previous=True,
        today=datetime.date(2023, 5, 1),
    )
    make_cadre(world.township_b, name="乙乡干部", gender="female")
    before = _cadre_state()

    # when staff export the cadre list and the post history with full ID numbers and import
    # them again
    for kind, import_kind, rows in (("cadres", "cadres", 2), ("posts", "cadre-posts", 3)):
        path = tmp_path / f"{kind}.xlsx"
        call_command("export", kind, "--as", "staff", "-o", str(path), "--full-ids")
        job = run(import_kind, path.read_bytes(), world.user("staff"), apply=True)
        # then every row is reported unchanged
        assert job.errors == [], kind
        assert (job.new_rows, job.updated_rows, job.unchanged_rows) == (0, 0, rows), kind
    assert _cadre_state() == before
