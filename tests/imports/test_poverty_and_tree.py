"""Households with incomes, their members, pairings, and the organisation tree."""

from decimal import Decimal

import pytest

from portal.exchange.importing.models import ImportJob
from portal.models import Organization
from poverty.models import Household, Member, Pairing
from tests.imports.helpers import csv_bytes, error_lines, id_number, run, xlsx
from tests.poverty.factories import make_cadre, make_village

pytestmark = pytest.mark.django_db

H_HEADERS = [
    "户编号",
    "所在村",
    "贫困户属性",
    "主要致贫原因",
    "其他致贫原因",
    "工资性收入",
    "转移性收入",
]


@pytest.fixture
def villages(world):
    return make_village(world.branch_a1), make_village(world.branch_b1)


def test_households_with_incomes_import_and_reimport_unchanged(world, villages):
    staff = world.user("staff")
    rows = [
        ["4331270101001", "甲一村党支部", "低保户", "因病", "因学、缺技术", "8,000", "1200.5"],
        ["４３３１２７０１０１００２", "测试县委/乙乡党委/乙一村党支部", "", "缺资金", "", "", ""],
        ["4331270101003", "甲镇党委", "", "因病", "", "", ""],
        ["4331270101004", "甲一村党支部", "", "因病", "因病", "", ""],
    ]

    job = run("households", xlsx(H_HEADERS, rows), staff, apply=True)

    assert error_lines(job) == [
        "第 4 行 · 所在村：甲镇党委未登记为扶贫工作的村。",
        "第 5 行 · 其他致贫原因：其他致贫原因不能与主要致贫原因相同，也不能重复，请重新选择。",
    ]
    first = Household.objects.get(number="4331270101001")
    assert (first.kind, first.main_cause, first.extra_causes) == (
        "dibao",
        "illness",
        ["schooling", "skills"],
    )
    assert {i.source: i.amount for i in first.incomes.all()} == {
        "wages": Decimal("8000.00"),
        "transfer": Decimal("1200.50"),
    }
    assert Household.objects.filter(number="4331270101002").exists(), "full-width digits"

    again = run("households", xlsx(H_HEADERS, rows[:2]), staff)
    assert (again.new_rows, again.updated_rows, again.unchanged_rows) == (0, 0, 2)


def test_household_members_and_pairings(world, villages):
    staff = world.user("staff")
    run(
        "households",
        xlsx(H_HEADERS, [["4331270101001", "甲一村党支部", "", "因病", "", "", ""]]),
        staff,
        apply=True,
    )
    head = id_number("19650214", 1)
    members = [
        ["4331270101001", "张大山", head, "户主", "初中", "残疾"],
        ["4331270101001", "李秀英", id_number("19670301", 2, female=True), "妻", "", ""],
        ["4331270109999", "王五", id_number("19670301", 3), "户主", "", ""],
    ]
    job = run(
        "household-members",
        csv_bytes(
            ["户编号", "姓名", "身份证号", "与户主关系", "文化程度", "健康状况"],
            members,
            encoding="gbk",
        ),
        staff,
        apply=True,
    )
    assert error_lines(job) == ["第 4 行 · 户编号：没有此编号的贫困户；请先导入贫困户。"]
    assert Member.objects.get(id_number=head).health == "disabled"
    assert Member.objects.get(name="李秀英").relation == "spouse"

    official = make_cadre(world.township_a, name="李建华")
    pairings = [["4331270101001", official.id_number, "李建华", "2024-03-01"]]
    job = run(
        "pairings",
        xlsx(["户编号", "帮扶责任人身份证号", "帮扶责任人", "结对日期"], pairings),
        staff,
        apply=True,
    )
    assert job.new_rows == 1
    assert Pairing.objects.get().official == official
    again = run(
        "pairings",
        xlsx(["户编号", "帮扶责任人身份证号", "帮扶责任人", "结对日期"], pairings),
        staff,
    )
    assert again.unchanged_rows == 1


def test_a_helper_may_not_import_registers(world, client_as):
    response = client_as("helper").get("/imports/households/")
    assert response.status_code == 403


def test_the_tree_imports_parents_before_children_by_path_and_code(world):
    staff = world.user("staff")
    headers = ["组织名称", "上级组织", "组织类型", "单位类别", "组织代码"]
    rows = [
        # The child comes first in the file; its parent is created first all the same.
        ["丙一村党支部", "测试县委/丙镇党委", "党支部", "村", "D0003"],
        ["丙镇党委", "测试县委", "党委", "机关", "D0002"],
        ["丁二村党支部", "D0002", "党支部", "村", ""],
        ["不存在支部", "戊镇党委", "党支部", "", ""],
    ]

    job = run("organizations", xlsx(headers, rows), staff, apply=True)

    assert job.status == ImportJob.Status.APPLIED
    assert error_lines(job) == [
        "第 5 行 · 上级组织：找不到组织“戊镇党委”；请填写组织代码或完整路径，如 测试县委/甲镇党委/甲一村党支部。"
    ]
    town = Organization.objects.get(code="D0002")
    assert town.parent == world.county
    assert set(town.children.values_list("name", flat=True)) == {"丙一村党支部", "丁二村党支部"}

    again = run("organizations", xlsx(headers, rows[:3]), staff)
    assert (again.new_rows, again.updated_rows, again.unchanged_rows) == (0, 0, 3)
