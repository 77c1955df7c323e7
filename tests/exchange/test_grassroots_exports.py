"""Grassroots exports: the member and meeting lists with the page's filters, the compliance
table, the 党员花名册 and the township's 三会一课 report."""

import datetime

import pytest
from django.urls import reverse

from grassroots import services
from grassroots.models import PartyMember
from portal.masking import mask
from portal.models import ExportJob, RevealLog
from tests.exchange.helpers import column, csv_table, sheet_rows, workbook, xlsx_table
from tests.grassroots.factories import PartyMemberFactory

pytestmark = pytest.mark.django_db

MEMBER_HEADERS = [
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号",
    "联系电话",
    "学历",
    "所在支部",
    "发展阶段",
    "申请入党日期",
    "确定积极分子日期",
    "确定发展对象日期",
    "入党日期",
    "转正日期",
    "流动党员",
    "离退休",
]


@pytest.fixture
def members(world):
    """Three people in branch A1 (one an applicant), one in A2 and one in B1."""
    return {
        "a1": PartyMemberFactory(branch=world.branch_a1, name="甲一党员", phone="13800000001"),
        "a1_applicant": PartyMemberFactory(
            branch=world.branch_a1,
            name="甲一申请人",
            stage="applicant",
            applied_on=datetime.date(2026, 1, 5),
        ),
        "a1_flowing": PartyMemberFactory(branch=world.branch_a1, name="甲一流动", is_flowing=True),
        "a2": PartyMemberFactory(branch=world.branch_a2, name="甲二党员"),
        "b1": PartyMemberFactory(branch=world.branch_b1, name="乙一党员"),
    }


def _names_on_page(client, url, params=None):
    response = client.get(url, params or {})
    return {m.name for m in response.context["page_obj"]}


def test_member_export_has_the_rows_of_the_list_with_its_filters(client_as, world, members):
    client = client_as("staff")
    params = {"stage": "full", "branch": world.branch_a1.pk}
    on_page = _names_on_page(client, reverse("grassroots:member-list"), params)
    rows = xlsx_table(client.get(reverse("grassroots:member-export"), params))
    assert set(column(rows, "姓名")) == on_page == {"甲一党员", "甲一流动"}
    csv_rows = csv_table(
        client.get(reverse("grassroots:member-export"), {**params, "format": "csv"})
    )
    assert set(column(csv_rows, "姓名")) == on_page


def test_member_export_columns_are_the_import_template_s(client_as, world, members):
    response = client_as("staff").get(reverse("grassroots:member-export"), {"q": "甲一党员"})
    header, rows = sheet_rows(workbook(response).active)
    assert header == MEMBER_HEADERS
    row = dict(zip(header, rows[0], strict=True))
    member = members["a1"]
    assert row["性别"] == "男"
    assert row["所在支部"] == "测试县委/甲镇党委/甲一村党支部"
    assert row["发展阶段"] == "正式党员"
    assert row["入党日期"].date() == member.joined_on
    assert row["联系电话"] == "13800000001"
    assert row["流动党员"] == "否"
    assert row["身份证号"] == mask(member.id_number)


def test_a_secretary_exports_only_the_own_branch(client_as, world, members):
    client = client_as("secretary")
    rows = xlsx_table(client.get(reverse("grassroots:member-export")))
    assert set(column(rows, "姓名")) == {"甲一党员", "甲一申请人", "甲一流动"}
    # A filter naming a branch outside the subtree is not a way around the scope.
    outside = xlsx_table(
        client.get(reverse("grassroots:member-export"), {"branch": world.branch_b1.pk})
    )
    assert "乙一党员" not in column(outside, "姓名")


def test_full_id_numbers_need_the_right_and_a_post_and_are_recorded_once(client_as, world, members):
    url = reverse("grassroots:member-export")
    staff = client_as("staff")
    # A link (GET) never reveals, even when it asks.
    masked = xlsx_table(staff.get(url, {"full_ids": "on"}))
    assert all(value.startswith("*") for value in column(masked, "身份证号"))
    assert not RevealLog.objects.exists()

    response = staff.post(url, {"full_ids": "on", "format": "xlsx", "branch": world.branch_a1.pk})
    full = xlsx_table(response)
    assert set(column(full, "身份证号")) == {
        m.id_number for m in PartyMember.objects.filter(branch=world.branch_a1)
    }
    reveal = RevealLog.objects.get()
    job = ExportJob.objects.get(pk=reveal.object_id)
    assert (reveal.user, reveal.field, reveal.count) == (world.user("staff"), "id_number", 3)
    assert (job.kind, job.full_ids, job.rows_total) == ("members", True, 3)


def test_a_secretary_may_not_export_full_id_numbers(client_as, world, members):
    response = client_as("secretary").post(
        reverse("grassroots:member-export"), {"full_ids": "on", "format": "csv"}
    )
    assert response.status_code == 403
    assert not RevealLog.objects.exists()


def test_the_export_buttons_offer_full_numbers_only_to_those_who_may(client_as, world, members):
    page = client_as("staff").get(reverse("grassroots:member-list"), {"stage": "full"})
    html = page.content.decode()
    assert 'name="full_ids"' in html
    assert 'name="stage" value="full"' in html  # the filters go with the export
    secretary_page = client_as("secretary").get(reverse("grassroots:member-list")).content
    assert b'data-export="members"' in secretary_page
    assert b'name="full_ids"' not in secretary_page


def test_a_bad_format_is_a_message_not_a_500(client_as, world):
    response = client_as("staff").get(reverse("grassroots:member-export"), {"format": "pdf"})
    assert response.status_code == 400
    assert "CSV" in response.content.decode()


def test_meeting_export_follows_the_meeting_list(client_as, world):
    services.meeting_record(
        organization=world.branch_a1, kind="theme_day", date=datetime.date(2026, 1, 10), topic="甲"
    )
    services.meeting_record(
        organization=world.branch_b1, kind="theme_day", date=datetime.date(2026, 1, 12), topic="乙"
    )
    services.meeting_record(
        organization=world.branch_a1, kind="lecture", date=datetime.date(2026, 2, 3), topic="课"
    )
    rows = xlsx_table(
        client_as("staff").get(reverse("grassroots:meeting-export"), {"kind": "theme_day"})
    )
    assert column(rows, "主题") == ["乙", "甲"]  # the list's order: newest first
    assert rows[0]["会议类型"] == "主题党日"
    secretary = xlsx_table(client_as("secretary").get(reverse("grassroots:meeting-export")))
    assert sorted(column(secretary, "主题")) == ["甲", "课"]


def test_compliance_export_holds_the_page_s_rollup_and_own_requirements(client_as, world):
    url = reverse("grassroots:compliance-export", args=[world.county.pk])
    client = client_as("staff")
    page = client.get(reverse("grassroots:organization-compliance", args=[world.county.pk]))
    book = workbook(client.get(url, {"day": "2026-01-15"}))
    header, rows = sheet_rows(book.worksheets[0])
    assert header == ["组织", "已完成", "待完成", "未完成", "上一周期未完成"]
    assert [row[0] for row in rows] == [row["organization"].name for row in page.context["rows"]]
    assert [row[0] for row in rows] == ["甲镇党委", "乙乡党委"]
    assert book.worksheets[1].title == "本级要求"
    csv_rows = csv_table(client.get(url, {"format": "csv"}))
    assert column(csv_rows, "组织") == ["甲镇党委", "乙乡党委"]


def test_compliance_of_an_organisation_outside_the_subtree_is_a_404(client_as, world):
    url = reverse("grassroots:compliance-export", args=[world.township_b.pk])
    assert client_as("secretary").get(url).status_code == 404


def test_member_register_of_a_township_is_print_ready(client_as, world, members):
    response = client_as("staff").get(
        reverse("grassroots:member-register", args=[world.township_a.pk])
    )
    sheet = workbook(response).active
    header, rows = sheet_rows(sheet, header_row=3)
    assert sheet["A1"].value == "党员花名册"
    assert "测试县委/甲镇党委" in sheet["A2"].value and "共 3 名党员" in sheet["A2"].value
    assert header[:3] == ["序号", "姓名", "性别"]
    # Party members of both branches of township A, not the applicant, not township B's.
    assert sorted(row[1] for row in rows) == ["甲一党员", "甲一流动", "甲二党员"]
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["F"].width >= 20  # the ID number fits


def test_member_register_leaves_out_who_left_the_roster(client_as, world, members):
    services.member_remove(
        member=members["a2"], reason="deceased", on=datetime.date(2026, 1, 2), destination=""
    )
    response = client_as("staff").get(
        reverse("grassroots:member-register", args=[world.township_a.pk])
    )
    _header, rows = sheet_rows(workbook(response).active, header_row=3)
    assert "甲二党员" not in [row[1] for row in rows]


def test_compliance_report_has_a_row_per_organisation_and_a_column_per_meeting(client_as, world):
    services.meeting_record(
        organization=world.branch_a1, kind="theme_day", date=datetime.date(2026, 1, 10), topic="甲"
    )
    response = client_as("staff").get(
        reverse("grassroots:compliance-report", args=[world.township_a.pk]),
        {"day": "2026-01-20"},
    )
    sheet = workbook(response).active
    header, rows = sheet_rows(sheet, header_row=3)
    assert sheet["A1"].value == "“三会一课”落实情况"
    by_org = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_org) >= {"测试县委/甲镇党委/甲一村党支部", "测试县委/甲镇党委/甲二社区党支部"}
    theme_day = next(h for h in header if h.startswith("主题党日"))
    assert "2026.01.01—2026.01.31" in theme_day
    assert by_org["测试县委/甲镇党委/甲一村党支部"][theme_day] == "✓ 已完成"
    assert by_org["测试县委/甲镇党委/甲二社区党支部"][theme_day] == "✗ 未完成"
