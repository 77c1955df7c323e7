"""Department staff at a desktop import the cadre register: template → fill → upload →
progress → preview with a row error → confirm → the cadres in the list (a real worker)."""

import pytest
from openpyxl import load_workbook

from cadres.models import Cadre
from tests.conftest import build_world
from tests.imports.helpers import id_number
from tests.imports.worker import empty_broker, exchange_worker


@pytest.mark.browser
@pytest.mark.worker
def test_staff_imports_the_cadre_register_at_a_desktop(browser_page_for, tmp_path):
    empty_broker()
    build_world()
    from portal.models import User

    page = browser_page_for(User.objects.get(username="staff"))
    page.goto("/cadres/list/")
    page.get_by_test_id("import-link").click()
    with page.expect_download() as download:
        page.get_by_test_id("template-link").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    book = load_workbook(template)
    sheet = book.worksheets[0]
    column = {cell.value: cell.column for cell in sheet[1]}
    assert sheet.cell(row=1, column=column["出生年月"]).comment.text.startswith("按任免审批表")
    rows = [
        {
            "姓名": "李建华",
            "出生年月": "1976.03",
            "身份证号": id_number("19760315", 1),
            "入党时间": "1998.07",
            "参加工作时间": "1996.08",
            "全日制教育": "大学本科",
            "人员类别": "公务员",
            "工作单位": "测试县委/甲镇党委",
        },
        {
            "姓名": "周敏",
            "出生年月": "1982年5月",
            "身份证号": id_number("19820520", 2, female=True),
            "全日制教育": "硕士研究生",
            "人员类别": "事业单位人员",
            "工作单位": "乙乡党委",
        },
        # The birth month contradicts the ID number.
        {
            "姓名": "王强",
            "出生年月": "1990.02",
            "身份证号": id_number("19900101", 3),
            "工作单位": "乙乡党委",
        },
    ]
    for number, row in enumerate(rows, start=2):
        for header in column:
            sheet.cell(row=number, column=column[header]).value = row.get(header)
    filled = tmp_path / "干部名册.xlsx"
    book.save(filled)

    page.locator("input[name=file]").set_input_files(str(filled))
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/imports/jobs/*/")
    assert page.locator(".progress-bar").is_visible()

    with exchange_worker(tmp_path / "worker.log"):
        page.get_by_test_id("counts").wait_for()
        assert page.get_by_test_id("count-new").inner_text() == "2"
        assert page.get_by_test_id("count-rejected").inner_text() == "1"
        assert (
            "第 4 行 · 出生年月：出生日期与身份证号码不一致（身份证号码显示为1990-01-01）。"
            in page.get_by_test_id("row-errors").inner_text()
        )
        page.get_by_test_id("confirm").click()
        page.get_by_text("已导入：保存了 2 行。").wait_for()

    page.get_by_role("link", name="查看列表").click()
    page.wait_for_url("**/cadres/list/")
    listing = page.locator("main").inner_text()
    assert "李建华" in listing
    assert "周敏" in listing
    assert "王强" not in listing
    assert Cadre.objects.count() == 2
