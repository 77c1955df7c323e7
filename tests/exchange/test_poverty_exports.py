"""Poverty exports: the household list (the import's columns), its members and pairings,
the 建档立卡 register, the villages' five ones, the officials, overdue visits and the exit
list; each with the page's rows and filters, inside the user's reach only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.masking import mask
from portal.models import RevealLog
from portal.roles import Role
from poverty import services
from poverty.models import Member
from tests.exchange.helpers import column, csv_table, sheet_rows, workbook, xlsx_table
from tests.factories import UserFactory
from tests.poverty.factories import make_cadre, make_household, make_pairing, make_village

pytestmark = pytest.mark.django_db

HOUSEHOLD_IMPORT_HEADERS = [
    "户编号",
    "所在村",
    "详细地址",
    "识别标准",
    "贫困户属性",
    "主要致贫原因",
    "其他致贫原因",
    "住房",
    "饮水",
    "用电",
    "工资性收入",
    "生产经营性收入",
    "财产性收入",
    "转移性收入",
]
MEMBER_IMPORT_HEADERS = [
    "户编号",
    "姓名",
    "身份证号",
    "与户主关系",
    "文化程度",
    "健康状况",
    "劳动能力",
    "外出务工",
    "基本医疗保险",
    "基本养老保险",
]


@pytest.fixture
def poor(world):
    """Two households in village A1 (one a dibao household with three causes and incomes),
    one in village B1; each paired with an official, A1's first and B1's visits overdue."""
    village_a = make_village(world.branch_a1)
    village_b = make_village(world.branch_b1)
    a = make_household(
        village_a, kind="dibao", main_cause="illness", extra_causes=["schooling", "skills"]
    )
    services.income_record(
        household=a, amounts={"wages": Decimal("6000"), "transfer": Decimal("1500.50")}
    )
    a2 = make_household(village_a, members=1, address="甲一村三组")
    b = make_household(village_b, members=2)
    official_a = make_cadre(world.township_a, name="甲帮扶人")
    official_b = make_cadre(world.township_b, name="乙帮扶人")
    today = timezone.localdate()
    make_pairing(a, official_a, start=today - datetime.timedelta(days=200))
    make_pairing(a2, official_a, start=today - datetime.timedelta(days=5))
    make_pairing(b, official_b, start=today - datetime.timedelta(days=200))
    return {"a": a, "a2": a2, "b": b, "official_a": official_a, "village_a": village_a}


def _township_staff(world):
    return UserFactory(username="town-staff", role=Role.STAFF, organization=world.township_a)


def test_household_export_has_the_import_columns_then_the_list_s(client_as, world, poor):
    client = client_as("staff")
    params = {"kind": "dibao"}
    page = client.get(reverse("poverty:household-list"), params)
    header, rows = sheet_rows(
        workbook(client.get(reverse("poverty:household-export"), params)).active
    )
    assert header[: len(HOUSEHOLD_IMPORT_HEADERS)] == HOUSEHOLD_IMPORT_HEADERS
    assert header[len(HOUSEHOLD_IMPORT_HEADERS) :] == [
        "户主",
        "户状态",
        "退出程序",
        "家庭人口",
        "人均纯收入",
        "帮扶责任人",
    ]
    assert [row[0] for row in rows] == [h.number for h in page.context["object_list"]]
    row = dict(zip(header, rows[0], strict=True))
    assert row["户编号"] == poor["a"].number
    assert row["所在村"] == "测试县委/甲镇党委/甲一村党支部"
    assert row["贫困户属性"] == "低保贫困户"
    assert row["主要致贫原因"] == "因病"
    assert row["其他致贫原因"] == "因学、缺技术"
    assert (row["工资性收入"], row["转移性收入"], row["财产性收入"]) == (6000, 1500.5, None)
    assert (row["户主"], row["家庭人口"], row["帮扶责任人"]) == ("成员0", 3, "甲帮扶人")
    assert row["人均纯收入"] == pytest.approx(2500.17, abs=0.01)


def test_household_export_follows_the_filters_and_the_reach(client, world, poor):
    client.force_login(_township_staff(world))
    everyone = csv_table(client.get(reverse("poverty:household-export"), {"format": "csv"}))
    assert sorted(column(everyone, "户编号")) == sorted([poor["a"].number, poor["a2"].number])
    searched = xlsx_table(client.get(reverse("poverty:household-export"), {"q": "HH"}))
    assert poor["b"].number not in column(searched, "户编号")


def test_a_helper_exports_only_the_households_paired_with_them(client, world, poor):
    login = UserFactory(username="helper-a", role=Role.HELPER, organization=world.township_a)
    poor["official_a"].user = login
    poor["official_a"].save(update_fields=["user"])
    client.force_login(login)
    rows = xlsx_table(client.get(reverse("poverty:household-export")))
    assert sorted(column(rows, "户编号")) == sorted([poor["a"].number, poor["a2"].number])
    members = xlsx_table(client.get(reverse("poverty:member-export")))
    assert len(members) == 4 and all(v.startswith("*") for v in column(members, "身份证号"))
    # The department's lists are not a helper's: refused like their pages.
    for name in ("village-export", "official-export", "pairing-overdue-export", "exit-export"):
        assert client.get(reverse(f"poverty:{name}")).status_code == 403
    # Nor full ID numbers.
    response = client.post(reverse("poverty:member-export"), {"full_ids": "on"})
    assert response.status_code == 403
    assert not RevealLog.objects.exists()


def test_member_export_masks_the_id_unless_revealed_and_the_reveal_is_recorded(
    client_as, world, poor
):
    client = client_as("staff")
    url = reverse("poverty:member-export")
    header, rows = sheet_rows(workbook(client.get(url, {"village": poor["village_a"].pk})).active)
    assert header == MEMBER_IMPORT_HEADERS
    members = Member.objects.filter(household__village=poor["village_a"])
    assert sorted(row[2] for row in rows) == sorted(mask(m.id_number) for m in members)
    assert not RevealLog.objects.exists()
    # the head first within each household, with the import's labels
    first = dict(zip(header, rows[0], strict=True))
    assert (first["与户主关系"], first["基本医疗保险"], first["外出务工"]) == ("户主", "是", "否")

    full = xlsx_table(client.post(url, {"full_ids": "on", "village": poor["village_a"].pk}))
    assert sorted(column(full, "身份证号")) == sorted(m.id_number for m in members)
    reveal = RevealLog.objects.get()
    assert (reveal.user, reveal.field, reveal.count) == (world.user("staff"), "id_number", 4)


def test_pairing_export_has_the_import_columns_and_masks_the_official_s_id(client_as, world, poor):
    rows = xlsx_table(client_as("staff").get(reverse("poverty:pairing-export")))
    by_household = {row["户编号"]: row for row in rows}
    assert set(by_household) == {poor["a"].number, poor["a2"].number, poor["b"].number}
    row = by_household[poor["a"].number]
    assert list(row)[:4] == ["户编号", "帮扶责任人身份证号", "帮扶责任人", "结对日期"]
    assert row["帮扶责任人"] == "甲帮扶人"
    assert row["帮扶责任人身份证号"] == mask(poor["official_a"].id_number)
    assert row["户主"] == "成员0" and row["所在村"] == "测试县委/甲镇党委/甲一村党支部"


def test_the_household_register_is_print_ready_with_a_sheet_of_members(client_as, world, poor):
    response = client_as("staff").get(
        reverse("poverty:household-register"), {"village": poor["village_a"].pk}
    )
    book = workbook(response)
    households, members = book.worksheets
    assert households["A1"].value == "建档立卡贫困户花名册"
    assert "共 2 户 4 人" in households["A2"].value
    header, rows = sheet_rows(households, header_row=3)
    assert header[:5] == ["序号", "户编号", "乡镇", "村", "户主姓名"]
    row = dict(zip(header, rows[0], strict=True))
    assert row["乡镇"] == "甲镇党委" and row["户主姓名"] == "成员0"
    assert row["户主身份证号"].startswith("*")
    assert row["两不愁三保障"].startswith("未达标：")
    assert households.page_setup.orientation == "landscape"
    assert households.print_title_rows == "$3:$3" and households.freeze_panes == "A4"
    member_header, member_rows = sheet_rows(members, header_row=3)
    assert member_header[:3] == ["序号", "户主", "户编号"]
    assert len(member_rows) == 4
    assert {r[1] for r in member_rows} == {"成员0"}


def test_village_export_tells_which_of_the_five_ones_is_missing(client_as, world, poor):
    village = poor["village_a"]
    services.village_set_five_ones(
        village=village,
        status="poor",
        responsible_leader=make_cadre(world.county, name="县领导"),
        assisting_unit=world.county,
        first_secretary=make_cadre(world.county, name="第一书记甲"),
        work_team=[
            make_cadre(world.county, name="队员一"),
            make_cadre(world.county, name="队员二"),
        ],
        technician_name="",
        technician_phone="",
    )
    rows = xlsx_table(client_as("staff").get(reverse("poverty:village-export")))
    by_name = {row["村"]: row for row in rows}
    row = by_name[village.name]
    assert (row["县级联系领导"], row["第一书记"]) == ("县领导", "第一书记甲")
    assert sorted(row["驻村工作队"].split("、")) == ["队员一", "队员二"]
    assert row["五个一"] == "不齐全"  # no technician
    incomplete = xlsx_table(
        client_as("staff").get(reverse("poverty:village-export"), {"incomplete": "true"})
    )
    assert village.name in column(incomplete, "村")


def test_overdue_and_officials_exports(client_as, world, poor):
    client = client_as("staff")
    overdue = xlsx_table(client.get(reverse("poverty:pairing-overdue-export")))
    assert sorted(column(overdue, "户编号")) == sorted([poor["a"].number, poor["b"].number])
    row = next(r for r in overdue if r["户编号"] == poor["a"].number)
    assert row["帮扶责任人"] == "甲帮扶人" and row["逾期天数"] > 0
    officials = xlsx_table(client.get(reverse("poverty:official-export"), {"show": "overdue"}))
    assert sorted(column(officials, "姓名")) == ["乙帮扶人", "甲帮扶人"]
    mine = next(r for r in officials if r["姓名"] == "甲帮扶人")
    assert (mine["结对户数"], mine["逾期未走访"]) == (2, 1)


def test_exit_export_follows_the_stage(client_as, world, poor):
    household = poor["a2"]
    services.guarantees_record(
        household=household,
        **dict.fromkeys(
            [
                "food_met",
                "clothing_met",
                "education_met",
                "medical_met",
                "housing_met",
                "water_met",
            ],
            True,
        ),
    )
    services.income_record(household=household, amounts={"wages": Decimal("15000")})
    services.household_exit_advance(household=household)
    client = client_as("staff")
    rows = xlsx_table(client.get(reverse("poverty:exit-export"), {"stage": "village_review"}))
    assert column(rows, "户编号") == [household.number]
    assert rows[0]["两不愁三保障"] == "达标" and rows[0]["符合退出条件"] == "是"
    assert xlsx_table(client.get(reverse("poverty:exit-export"), {"stage": "notice"})) == []
