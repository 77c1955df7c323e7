"""The import pages end to end in the test client: upload → check (the Celery task, run
eagerly here; tests/browser runs a real worker) → preview → confirm → the rows in the list."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.models import PartyMember
from portal.exchange.importing.models import ImportJob
from tests.imports.helpers import csv_bytes, id_number, xlsx

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "身份证号", "所在支部", "发展阶段", "入党日期", "转正日期"]
ROWS = [
    ["张三", id_number("19800101", 12), "甲一村党支部", "正式党员", "2010-01-05", "2011-01-06"],
    ["李四", id_number("19800101", 13), "乙一村党支部", "正式党员", "2010-01-05", "2011-01-06"],
]


@pytest.fixture
def eager(settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    def upload(client, kind, data, name="花名册.xlsx"):
        with django_capture_on_commit_callbacks(execute=True):
            file = io.BytesIO(data)
            file.name = name
            return client.post(reverse("imports:upload", args=[kind]), {"file": file})

    return upload


def test_upload_preview_confirm_and_the_rows_are_in_the_list(
    client_as, eager, world, django_capture_on_commit_callbacks
):
    client = client_as("secretary")

    response = eager(client, "members", xlsx(HEADERS, ROWS))

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "已校验，待确认导入" in page
    assert "第 3 行 · 所在支部：乙一村党支部不在你的管理范围内" in page
    assert "确认导入 1 行" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:confirm", args=[job.pk]))
    assert response.status_code == 302
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "已导入：保存了 1 行。" in page
    assert "1 行被拒绝，未导入。" in page
    listing = client.get(reverse("grassroots:member-list")).content.decode()
    assert "张三" in listing
    assert "李四" not in listing

    # A second confirmation imports nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
    assert PartyMember.objects.count() == 1


def test_the_progress_fragment_reloads_the_page_when_the_check_is_done(client_as, world):
    client = client_as("secretary")
    job = ImportJob.objects.create(
        kind="members",
        user=world.user("secretary"),
        organization=world.branch_a1,
        filename="a.xlsx",
        data=b"",
        total_rows=10,
    )
    response = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in response
    assert "0 / 10 行" in response.content.decode()
    assert 'hx-trigger="every 1s"' in response.content.decode()

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.READY)
    response = client.get(reverse("imports:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"


def test_the_error_file_is_the_users_own_file_with_an_error_column(client_as, eager, world):
    client = client_as("secretary")
    eager(client, "members", xlsx(HEADERS, ROWS, title="甲一村党支部党员花名册"))
    job = ImportJob.objects.get()

    response = client.get(reverse("imports:errors", args=[job.pk]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "甲一村党支部党员花名册", "the user's own sheet, title kept"
    assert [c.value for c in sheet[2]] == [*HEADERS, "错误"]
    assert sheet["G3"].value is None
    assert sheet["G4"].value.startswith("所在支部：乙一村党支部不在你的管理范围内")


def test_a_csv_comes_back_as_a_workbook_with_the_error_column(client_as, eager, world):
    client = client_as("secretary")
    rows = [*ROWS, ['=HYPERLINK("http://x")', "1", "甲一村党支部", "正式党员", "", ""]]
    eager(client, "members", csv_bytes(HEADERS, rows, encoding="gbk"), name="名单.csv")
    job = ImportJob.objects.get()

    response = client.get(reverse("imports:errors", args=[job.pk]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == [*HEADERS, "错误"]
    assert sheet["A4"].value == '=HYPERLINK("http://x")'
    assert sheet["A4"].data_type == "s", "text from a file never becomes a formula"
    assert sheet["G4"].value.startswith("身份证号：")


def test_the_template_has_headers_comments_drop_downs_and_an_example(client_as):
    response = client_as("secretary").get(reverse("imports:template", args=["members"]))

    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["姓名", "性别", "民族", "出生日期", "身份证号"]
    assert "18 位" in sheet.cell(row=1, column=5).comment.text
    assert sheet.cell(row=2, column=5).value == "433127198506120021"
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert "B2" in lists  # 性别
    options = book["选项"]
    assert [options.cell(row=i, column=1).value for i in (1, 2)] == ["男", "女"]


def test_a_file_that_is_too_big_or_empty_is_refused_at_upload(client_as, eager, settings):
    client = client_as("secretary")
    settings.IMPORT_MAX_SIZE = 1000

    response = eager(client, "members", b"x" * 2000)
    assert response.status_code == 200
    assert "文件超过 1000\xa0字节；请拆分成几个较小的文件。" in response.content.decode()

    response = eager(client, "members", b"")
    assert response.status_code == 200
    assert "所提交的是空文件。" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_picture_uploaded_by_mistake_gets_a_message_not_an_error_page(client_as, eager):
    client = client_as("secretary")
    response = eager(client, "members", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", name="照片.xlsx")

    page = client.get(response["Location"]).content.decode()
    assert "该文件不是电子表格" in page
    assert "上传改正后的文件" in page


def test_the_import_page_offers_each_role_the_kinds_it_may_import(client_as):
    secretary = client_as("secretary").get(reverse("imports:index")).content.decode()
    assert "党员" in secretary
    assert "干部名册" not in secretary and "建档立卡贫困户" not in secretary

    staff = client_as("staff").get(reverse("imports:index")).content.decode()
    for label in [
        "党员",
        "干部",
        "干部任职经历",
        "建档立卡贫困户",
        "贫困户家庭成员",
        "结对帮扶",
        "党组织",
    ]:
        assert f'<div class="fw-semibold">{label}</div>' in staff

    leader = client_as("leader").get(reverse("imports:index")).content.decode()
    assert "你的角色没有可导入的数据。" in leader


def test_a_double_tap_on_upload_checks_the_file_once(
    client_as, eager, django_capture_on_commit_callbacks
):
    # given the upload form with its one-time key
    client = client_as("secretary")
    url = reverse("imports:upload", args=["members"])
    page = client.get(url).content.decode()
    key = page.split('name="submission_key" value="', 1)[1].split('"', 1)[0]
    data = xlsx(HEADERS, ROWS[:1])

    def send():
        with django_capture_on_commit_callbacks(execute=True):
            file = io.BytesIO(data)
            file.name = "花名册.xlsx"
            return client.post(url, {"file": file, "submission_key": key})

    # when the same upload is sent twice
    first, second = send(), send()
    # then one import job exists and both answers lead to it
    assert ImportJob.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
