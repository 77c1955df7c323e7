"""Cadres exports: the cadre list and its post history (the import's columns), the workflow
list, the reserve pool, the 干部名册 and the 任免审批表 of ticked cadres."""

import datetime

import pytest
from django.urls import reverse

from cadres import services
from portal.masking import mask
from portal.models import RevealLog
from tests.cadres.factories import make_cadre
from tests.cadres.workflow import propose
from tests.exchange.helpers import column, csv_table, sheet_rows, workbook, xlsx_table

pytestmark = pytest.mark.django_db

CADRE_HEADERS = [
    "姓名",
    "性别",
    "出生年月",
    "身份证号",
    "民族",
    "籍贯",
    "出生地",
    "入党时间",
    "参加工作时间",
    "健康状况",
    "专业技术职务",
    "熟悉专业有何专长",
    "人员类别",
    "全日制教育",
    "全日制学位",
    "全日制毕业院校系及专业",
    "在职教育",
    "在职学位",
    "在职毕业院校系及专业",
    "工作单位",
]
POST_HEADERS = [
    "身份证号",
    "姓名",
    "任职单位",
    "职务",
    "职务层次",
    "职级",
    "任职时间",
    "免职时间",
    "任职文号",
    "是否兼职",
]


@pytest.fixture
def cadres(world):
    return {
        "a": make_cadre(world.township_a, name="甲镇干部", native_place="湖南长沙"),
        "a_young": make_cadre(
            world.branch_a1, name="甲村干部", birth_date=datetime.date(1995, 1, 1), gender="female"
        ),
        "b": make_cadre(world.township_b, name="乙乡干部"),
    }


def test_cadre_export_follows_the_list_and_its_filters(client_as, world, cadres):
    client = client_as("staff")
    params = {"age": "lt35"}
    page = client.get(reverse("cadres:cadre-list"), params)
    rows = xlsx_table(client.get(reverse("cadres:cadre-export"), params))
    assert column(rows, "姓名") == [c.name for c in page.context["page_obj"]] == ["甲村干部"]
    everyone = csv_table(client.get(reverse("cadres:cadre-export"), {"format": "csv"}))
    assert sorted(column(everyone, "姓名")) == ["乙乡干部", "甲村干部", "甲镇干部"]


def test_cadre_export_has_the_import_columns_and_masks_the_id(client_as, world, cadres):
    response = client_as("leader").get(reverse("cadres:cadre-export"), {"q": "甲镇干部"})
    header, rows = sheet_rows(workbook(response).active)
    assert header == CADRE_HEADERS
    row = dict(zip(header, rows[0], strict=True))
    assert row["籍贯"] == "湖南长沙"
    assert row["工作单位"] == "测试县委/甲镇党委"
    assert row["人员类别"] == "公务员"
    assert row["身份证号"] == mask(cadres["a"].id_number)


def test_a_township_user_exports_only_the_township(client_as, world, cadres):
    from portal.roles import Role
    from tests.factories import UserFactory

    township_staff = UserFactory(
        username="town-staff", role=Role.STAFF, organization=world.township_a
    )
    client = client_as("staff")
    client.force_login(township_staff)
    rows = xlsx_table(client.get(reverse("cadres:cadre-export")))
    assert sorted(column(rows, "姓名")) == ["甲村干部", "甲镇干部"]
    outside = xlsx_table(client.get(reverse("cadres:cadre-export"), {"unit": world.township_b.pk}))
    assert "乙乡干部" not in column(outside, "姓名")


def test_post_history_export_of_the_listed_cadres(client_as, world, cadres):
    services.post_record_add(
        cadre=cadres["a"],
        unit=world.county,
        post_title="县财政局副局长",
        level="section_deputy",
        start_date=datetime.date(2023, 5, 1),
        document_number="云组干〔2023〕7号",
        end_previous=True,
        today=datetime.date(2023, 5, 1),
    )
    client = client_as("staff")
    response = client.post(
        reverse("cadres:postrecord-export"), {"q": "甲镇干部", "full_ids": "on", "format": "xlsx"}
    )
    header, rows = sheet_rows(workbook(response).active)
    assert header == POST_HEADERS
    posts = [dict(zip(header, row, strict=True)) for row in rows]
    assert [p["职务"] for p in posts] == ["县财政局副局长", "副镇长"]
    assert {p["身份证号"] for p in posts} == {cadres["a"].id_number}
    assert posts[0]["任职单位"] == "测试县委" and posts[0]["任职文号"] == "云组干〔2023〕7号"
    assert posts[1]["免职时间"].date() == datetime.date(2023, 5, 1)
    assert RevealLog.objects.get().count == 2


def test_appointment_export_follows_the_stage_filter(client_as, world, cadres):
    propose(cadres["a"], world.township_a)
    propose(cadres["b"], world.township_b)
    rows = xlsx_table(client_as("staff").get(reverse("cadres:appointment-export")))
    assert sorted(column(rows, "干部")) == ["乙乡干部", "甲镇干部"]
    assert rows[0]["环节"] == "动议"
    assert (
        xlsx_table(
            client_as("staff").get(reverse("cadres:appointment-export"), {"stage": "probation"})
        )
        == []
    )


def test_cadre_register_is_print_ready(client_as, world, cadres):
    response = client_as("staff").get(
        reverse("cadres:cadre-register"), {"unit": world.township_a.pk}
    )
    sheet = workbook(response).active
    header, rows = sheet_rows(sheet, header_row=3)
    assert sheet["A1"].value == "干部名册" and "共 2 人" in sheet["A2"].value
    assert header[:3] == ["序号", "姓名", "性别"]
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_name) == {"甲镇干部", "甲村干部"}
    assert by_name["甲镇干部"]["现任职务"] == "副镇长"
    assert by_name["甲镇干部"]["职务层次"] == "乡科级副职"
    assert by_name["甲镇干部"]["出生年月"] == "1980.05"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$3:$3"


def test_forms_of_ticked_cadres_in_one_file(client_as, world, cadres):
    client = client_as("staff")
    response = client.post(
        reverse("cadres:cadre-forms"),
        {"ids": [cadres["a"].pk, cadres["b"].pk], "format": "xlsx"},
    )
    book = workbook(response)
    assert [sheet.title for sheet in book.worksheets] == [
        f"乙乡干部（{cadres['b'].pk}）",
        f"甲镇干部（{cadres['a'].pk}）",
    ]
    values = [c.value for row in book.worksheets[1].iter_rows() for c in row if c.value]
    assert "干部任免审批表" in values and "甲镇干部" in values and "湖南长沙" in values
    assert cadres["a"].id_number not in values


def test_forms_of_a_cadre_outside_the_subtree_are_refused(client_as, world, cadres):
    from portal.roles import Role
    from tests.factories import UserFactory

    user = UserFactory(username="town-staff", role=Role.STAFF, organization=world.township_a)
    client = client_as("staff")
    client.force_login(user)
    response = client.post(reverse("cadres:cadre-forms"), {"ids": [cadres["b"].pk]})
    assert response.status_code == 400
    nothing = client.post(reverse("cadres:cadre-forms"), {})
    assert nothing.status_code == 400


def test_the_cadre_list_offers_a_box_per_cadre_for_the_forms(client_as, world, cadres):
    html = client_as("staff").get(reverse("cadres:cadre-list")).content.decode()
    assert 'id="cadre-forms"' in html
    assert f'name="ids" value="{cadres["a"].pk}" form="cadre-forms"' in html


def test_reserve_exports(client_as, world, cadres):
    services.reserve_add(
        cadre=cadres["a_young"], level="section_deputy", added_on=datetime.date(2025, 1, 1)
    )
    client = client_as("staff")
    rows = xlsx_table(client.get(reverse("cadres:reserveentry-export")))
    assert column(rows, "姓名") == ["甲村干部"]
    report = xlsx_table(client.get(reverse("cadres:reserveentry-report-export")))
    deputy = next(row for row in report if row["职务层次"] == "乡科级副职")
    assert (deputy["后备干部数"], deputy["其中女性"]) == (1, 1)
