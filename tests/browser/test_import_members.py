"""A branch secretary on a phone imports the branch's roster: template → fill → upload →
progress → preview with a row error → confirm → the people in the member list. The check
and the import run in a real Celery worker on the `exchange` queue."""

import pytest
from openpyxl import load_workbook

from grassroots.models import PartyMember
from tests.conftest import build_world
from tests.imports.helpers import id_number
from tests.imports.worker import empty_broker, exchange_worker


@pytest.mark.browser
@pytest.mark.worker
def test_secretary_imports_the_roster_on_a_phone(browser_page_for, tmp_path):
    empty_broker()
    world = build_world()
    secretary = world.user("secretary")
    page = browser_page_for(secretary, phone=True)

    page.goto("/grassroots/members/")
    page.get_by_test_id("import-link").click()
    with page.expect_download() as download:
        page.get_by_test_id("template-link").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    # Fill the template as an office would: over the example row, columns by their headers.
    book = load_workbook(template)
    sheet = book.worksheets[0]
    column = {cell.value: cell.column for cell in sheet[1]}
    rows = [
        {
            "姓名": "张晓梅",
            "身份证号": id_number("19850612", 21, female=True),
            "所在支部": "甲一村党支部",
            "发展阶段": "正式党员",
            "入党日期": "2010年1月5日",
            "转正日期": "2011.1.6",
        },
        {
            "姓名": "李建国",
            "身份证号": id_number("19800101", 12),
            "所在支部": "测试县委/甲镇党委/甲一村党支部",
            "发展阶段": "入党积极分子",
            "申请入党日期": "2024-03-01",
            "确定积极分子日期": "2024-09-01",
        },
        {
            "姓名": "王外村",
            "身份证号": id_number("19800101", 13),
            "所在支部": "乙一村党支部",
            "发展阶段": "正式党员",
            "入党日期": "2010-01-05",
            "转正日期": "2011-01-06",
        },
    ]
    for number, row in enumerate(rows, start=2):
        for header in column:
            sheet.cell(row=number, column=column[header]).value = row.get(header)
    filled = tmp_path / "甲一村党员花名册.xlsx"
    book.save(filled)

    page.locator("input[name=file]").set_input_files(str(filled))
    page.locator("main button[type=submit]").click()

    # No worker yet: the job waits, and the page shows its progress bar.
    page.wait_for_url("**/imports/jobs/*/")
    assert page.locator(".progress-bar").is_visible()
    assert page.get_by_test_id("job-status").inner_text() == "等待校验"

    with exchange_worker(tmp_path / "worker.log"):
        # The bar is polled; when the check is done the page reloads with the preview.
        page.get_by_test_id("counts").wait_for()
        assert page.get_by_test_id("count-new").inner_text() == "2"
        assert page.get_by_test_id("count-rejected").inner_text() == "1"
        errors = page.get_by_test_id("row-errors").inner_text()
        assert "第 4 行 · 所在支部：乙一村党支部不在你的管理范围内" in errors
        assert not PartyMember.objects.exists(), "the check saved nothing"

        page.get_by_test_id("confirm").click()
        page.get_by_text("已导入：保存了 2 行。").wait_for()

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="查看列表").click()
    page.wait_for_url("**/grassroots/members/")
    listing = page.locator("main table").inner_text()
    assert "张晓梅" in listing
    assert "李建国" in listing
    assert "王外村" not in listing
    assert set(PartyMember.objects.values_list("branch", flat=True)) == {world.branch_a1.pk}
