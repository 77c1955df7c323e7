"""The member roster import, fed files as offices really send them: every kind of awkward
file named in issue #10, with the exact row errors the preview shows."""

import datetime

import pghistory.models
import pytest
from django.core.management import call_command

from grassroots.models import Membership, PartyMember, Stage
from portal.exchange.importing.models import ImportJob
from tests.imports.helpers import csv_bytes, error_lines, id_number, run, xls, xlsx

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "性别", "出生日期", "身份证号", "所在支部", "发展阶段", "入党日期", "转正日期"]
A1 = "测试县委/甲镇党委/甲一村党支部"


def roster():
    """Three people of branch A1, written the way offices write them."""
    return [
        [
            "张  三",
            "男",
            "1980年1月1日",
            id_number("19800101", 12),
            A1,
            "正式党员",
            "2010.1.5",
            "2011/1/6",
        ],
        [
            "李四",
            "女",
            "",
            id_number("19820304", 13, female=True),
            "甲一村党支部",
            "预备党员",
            "2026-03-05",
            "",
        ],
        [
            "王 晓 梅",
            "",
            "",
            id_number("19900708", 14, female=True),
            "甲镇党委/甲一村党支部",
            "入党积极分子",
            "",
            "",
        ],
    ]


def test_a_roster_is_checked_without_saving_then_applied_through_the_services(world):
    secretary = world.user("secretary")

    job = run("members", xlsx(HEADERS, roster()), secretary)

    assert job.status == ImportJob.Status.READY
    assert (job.new_rows, job.updated_rows, job.unchanged_rows, job.rejected_rows) == (3, 0, 0, 0)
    assert not PartyMember.objects.exists(), "a check saves nothing"

    job = run("members", xlsx(HEADERS, roster()), secretary, apply=True)

    assert job.status == ImportJob.Status.APPLIED
    people = {m.name: m for m in PartyMember.objects.all()}
    assert set(people) == {"张三", "李四", "王晓梅"}
    zhang = people["张三"]
    assert (zhang.stage, zhang.joined_on, zhang.full_on) == (
        Stage.FULL,
        datetime.date(2010, 1, 5),
        datetime.date(2011, 1, 6),
    )
    assert zhang.branch == world.branch_a1
    # Gender and birth date left empty are read from the ID number.
    assert (people["王晓梅"].gender, people["王晓梅"].birth_date) == (
        "female",
        datetime.date(1990, 7, 8),
    )
    # member_create opened the roster row, as the form does.
    assert Membership.objects.filter(member=zhang, organization=world.branch_a1).exists()


def test_the_audit_trail_names_the_import_and_the_user(world):
    secretary = world.user("secretary")
    job = run("members", xlsx(HEADERS, roster()[:1]), secretary, apply=True)

    member = PartyMember.objects.get()
    event = pghistory.models.Events.objects.tracks(member).get()
    assert event.pgh_context["import_job"] == job.pk
    assert event.pgh_context["user"] == secretary.pk


def test_importing_the_same_file_again_changes_nothing(world):
    secretary = world.user("secretary")
    data = xlsx(HEADERS, roster())
    run("members", data, secretary, apply=True)
    before = list(PartyMember.objects.order_by("pk").values())

    job = run("members", data, secretary, apply=True)

    assert (job.new_rows, job.updated_rows, job.unchanged_rows, job.rejected_rows) == (0, 0, 3, 0)
    assert job.status == ImportJob.Status.READY, "nothing to confirm"
    assert list(PartyMember.objects.order_by("pk").values()) == before


def test_a_changed_row_updates_the_person_and_a_later_stage_advances_them(world):
    secretary = world.user("secretary")
    run("members", xlsx(HEADERS, roster()), secretary, apply=True)
    rows = roster()
    rows[1][5], rows[1][6], rows[1][7] = "预备党员", "2024-03-05", ""
    rows[0][5] = "正式党员"
    headers = [*HEADERS, "联系电话"]
    rows = [[*row, phone] for row, phone in zip(rows, ["13900000001", "", ""], strict=True)]

    job = run("members", xlsx(headers, rows), secretary, apply=True)

    assert job.errors == []
    assert (job.new_rows, job.updated_rows, job.unchanged_rows) == (0, 2, 1)
    assert PartyMember.objects.get(name="张三").phone == "13900000001"
    assert PartyMember.objects.get(name="李四").joined_on == datetime.date(2024, 3, 5)


def test_every_awkward_value_is_read_or_reported_exactly(world):
    secretary = world.user("secretary")
    good = id_number("19850612", 21, female=True)
    rows = [
        # Full-width digits and an Excel serial date (31 Dec 2009 = 40178) are read.
        [
            "赵六",
            "男",
            "１９８０．０２．０３",
            id_number("19800203", 15),
            A1,
            "正式党员",
            40183,
            "２０１１年１月６日",
        ],
        # An ID number Excel turned into a number.
        ["钱七", "男", "", 4.33127198001011e17, A1, "正式党员", "2010-01-05", "2011-01-06"],
        # A typo in the ID number's check digit.
        [
            "孙八",
            "男",
            "",
            good[:-1] + ("0" if good[-1] != "0" else "1"),
            A1,
            "正式党员",
            "2010-01-05",
            "2011-01-06",
        ],
        # A birth date that contradicts the ID number (the service says so).
        ["周九", "女", "1985-06-13", good, A1, "正式党员", "2010-01-05", "2011-01-06"],
        # Not a date, not a stage.
        ["吴十", "男", "", id_number("19800101", 16), A1, "老党员", "去年", ""],
        # The same person twice.
        ["赵六", "男", "", id_number("19800203", 15), A1, "正式党员", "2010-01-05", "2011-01-06"],
        # A branch outside the secretary's reach, and one that does not exist.
        [
            "郑十一",
            "男",
            "",
            id_number("19800101", 17),
            "乙一村党支部",
            "正式党员",
            "2010-01-05",
            "2011-01-06",
        ],
        [
            "冯十二",
            "男",
            "",
            id_number("19800101", 18),
            "丙村党支部",
            "正式党员",
            "2010-01-05",
            "2011-01-06",
        ],
        # A full member without the date of becoming one (the model's rule).
        ["陈十三", "男", "", id_number("19800101", 19), A1, "正式党员", "2010-01-05", ""],
    ]

    job = run("members", xlsx(HEADERS, rows), secretary)

    assert error_lines(job) == [
        "第 3 行 · 身份证号：Excel 把身份证号存成了数字（4.33127E+17），末尾几位已丢失；请把该列设为文本格式后重新录入。",
        "第 4 行 · 身份证号：身份证号码校验位不正确，请检查号码是否输错。",
        "第 5 行 · 出生日期：出生日期与身份证号码不一致（身份证号码显示为1985-06-12）。",
        "第 6 行 · 发展阶段：“老党员”不是可选值之一：入党申请人、入党积极分子、发展对象、预备党员、正式党员。",
        "第 6 行 · 入党日期：“去年”不是日期；请写成 2024-03-05、2024.3.5 或 2024年3月5日。",
        "第 7 行 · 身份证号：与第 2 行是同一条记录；每条记录只能出现一次。",
        "第 8 行 · 所在支部：乙一村党支部不在你的管理范围内：你只能导入甲一村党支部及其下级组织的数据。",
        "第 9 行 · 所在支部：找不到组织“丙村党支部”；请填写组织代码或完整路径，如 测试县委/甲镇党委/甲一村党支部。",
        "第 10 行 · 正式党员须填写转正日期。",
    ]
    assert (job.new_rows, job.rejected_rows) == (1, 8)
    job = run("members", xlsx(HEADERS, rows), secretary, apply=True)
    zhao = PartyMember.objects.get()
    assert zhao.name == "赵六"
    assert (zhao.birth_date, zhao.joined_on, zhao.full_on) == (
        datetime.date(1980, 2, 3),
        datetime.date(2010, 1, 5),
        datetime.date(2011, 1, 6),
    )
    assert not PartyMember.objects.filter(branch=world.branch_b1).exists()


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_in_every_encoding_offices_use_is_detected(world, encoding):
    job = run("members", csv_bytes(HEADERS, roster(), encoding=encoding), world.user("secretary"))

    assert job.file_format == "csv"
    assert (job.new_rows, job.rejected_rows) == (3, 0)


def test_a_csv_saved_by_excel_keeps_the_id_number_as_excel_showed_it(world):
    rows = roster()
    rows[0][3] = "4.33127E+17"

    job = run("members", csv_bytes(HEADERS, rows, encoding="gbk"), world.user("secretary"))

    assert error_lines(job) == [
        "第 2 行 · 身份证号：Excel 把身份证号存成了数字（4.33127E+17），末尾几位已丢失；请把该列设为文本格式后重新录入。"
    ]


def test_a_legacy_xls_with_real_date_cells_is_read(world):
    rows = roster()
    rows[0][6] = datetime.date(2010, 1, 5)

    job = run("members", xls(HEADERS, rows), world.user("secretary"), apply=True)

    assert job.file_format == "xls"
    assert job.status == ImportJob.Status.APPLIED
    assert PartyMember.objects.get(name="张三").joined_on == datetime.date(2010, 1, 5)


def test_columns_are_found_by_name_below_a_title_and_in_any_order(world):
    order = [5, 4, 3, 0, 2, 1, 7, 6]
    headers = [HEADERS[i] for i in order]
    rows = [[row[i] for i in order] for row in roster()]

    job = run(
        "members", xlsx(headers, rows, title="甲一村党支部党员花名册"), world.user("secretary")
    )

    assert (job.new_rows, job.rejected_rows) == (3, 0)
    assert job.errors == []


def test_unknown_columns_are_reported_and_missing_required_ones_refuse_the_file(world):
    headers = [*HEADERS, "备注"]
    job = run("members", xlsx(headers, [[*r, "x"] for r in roster()]), world.user("secretary"))
    assert job.warnings == ["列“备注”不属于本导入，已忽略。"]
    assert job.new_rows == 3

    headers = [h for h in HEADERS if h not in ("身份证号", "所在支部")]
    rows = [[v for h, v in zip(HEADERS, r, strict=True) if h in headers] for r in roster()]
    job = run("members", xlsx(headers, rows), world.user("secretary"))
    assert job.status == ImportJob.Status.FAILED
    assert job.message == "文件缺少必填列：身份证号、所在支部。请以导入模板为准填写。"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的；请填写导入模板后重新上传。"),
        (
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\x00\x01",
            "该文件不是电子表格；请上传填好的模板（Excel 工作簿 .xlsx 或 .xls，或 CSV 文件）。",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "该文件不是电子表格；请上传填好的模板（Excel 工作簿 .xlsx 或 .xls，或 CSV 文件）。",
        ),
        (
            b"PK\x03\x04not really a zip",
            "该文件不是电子表格；请上传填好的模板（Excel 工作簿 .xlsx 或 .xls，或 CSV 文件）。",
        ),
        ("姓名,身份证号\r\n".encode(), "文件只有表头，没有数据；请至少填写一行。"),
        (
            "名单\r\n张三\r\n".encode("gbk"),
            "找不到表头：第一行应为模板中的列名（如 入党日期、出生日期、发展阶段）。",
        ),
    ],
    ids=["empty", "pdf", "png", "broken-zip", "header-only", "no-header"],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message(world, data, message):
    job = run("members", data, world.user("secretary"))

    assert job.status == ImportJob.Status.FAILED
    assert job.message == message
    assert not PartyMember.objects.exists()


def test_an_oversized_file_is_refused(world, settings):
    settings.IMPORT_MAX_SIZE = 1024 * 1024
    data = csv_bytes(HEADERS, roster() * 4000)
    assert len(data) > settings.IMPORT_MAX_SIZE

    job = run("members", data, world.user("secretary"))

    assert job.message == "文件超过 1.0\xa0MB；请拆分成几个较小的文件。"


def test_a_row_that_changed_after_the_check_rolls_the_whole_import_back(world):
    from grassroots import services

    secretary = world.user("secretary")
    job = run("members", xlsx(HEADERS, roster()), secretary)
    assert job.new_rows == 3
    # Meanwhile somebody registers the third person in township B's branch.
    services.member_create(
        name="王晓梅",
        gender="female",
        birth_date=datetime.date(1990, 7, 8),
        id_number=id_number("19900708", 14, female=True),
        branch=world.branch_b1,
        stage=Stage.APPLICANT,
    )
    from portal.exchange.importing import engine

    assert engine.claim_for_apply(job)
    job = engine.run(job, apply=True)

    assert job.status == ImportJob.Status.FAILED
    assert job.message.startswith("未导入任何数据：第 4 行已通不过校验")
    assert list(PartyMember.objects.values_list("name", flat=True)) == ["王晓梅"]


def test_the_command_line_runs_the_same_checks_and_exits_1_on_a_rejected_row(
    world, tmp_path, capsys
):
    rows = [
        *roster(),
        [
            "郑十一",
            "男",
            "",
            id_number("19800101", 17),
            "乙一村党支部",
            "正式党员",
            "2010-01-05",
            "2011-01-06",
        ],
    ]
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(xlsx(HEADERS, rows))

    with pytest.raises(SystemExit) as exit_:
        call_command("import", "members", str(path), "--as", "secretary", "--dry-run")

    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "共 4 行 · 新增 3 · 更新 0 · 未变 0 · 拒绝 1" in out
    assert "第 5 行 · 所在支部：乙一村党支部不在你的管理范围内" in out
    assert not PartyMember.objects.exists()

    path.write_bytes(xlsx(HEADERS, roster()))
    call_command("import", "members", str(path), "--as", "secretary")
    assert PartyMember.objects.count() == 3


def test_the_member_page_history_says_which_import_made_the_change(world, client_as):
    job = run("members", xlsx(HEADERS, roster()[:1]), world.user("secretary"), apply=True)
    member = PartyMember.objects.get()

    page = client_as("secretary").get(f"/grassroots/members/{member.pk}/").content.decode()

    assert f"导入 #{job.pk}</a>" in page


def test_a_database_error_in_one_row_is_isolated_and_the_others_still_count(world, monkeypatch):
    """Rows are saved in batches without a savepoint each; a database error (which aborts
    the transaction) sends the batch back to its start, to be replayed row by row."""
    from django.db import connection

    from grassroots.imports import MEMBERS

    real_save = MEMBERS.save

    def save(row, **kwargs):
        if row.number == 3:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 / 0")
        return real_save(row, **kwargs)

    monkeypatch.setattr(MEMBERS, "save", save)

    job = run("members", xlsx(HEADERS, roster()), world.user("secretary"), apply=True)

    assert error_lines(job) == ["第 3 行 · 数据库拒绝了这一行，请检查是否与已有记录重复。"]
    assert job.status == ImportJob.Status.APPLIED
    assert sorted(PartyMember.objects.values_list("name", flat=True)) == ["张三", "王晓梅"]
