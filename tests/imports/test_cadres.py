"""The cadre register and the post history, as the appointment form writes them (year.month
dates), through the cadre services."""

import datetime

import pytest

from cadres.models import Cadre, PostRecord
from portal.exchange.importing.models import ImportJob
from tests.imports.helpers import error_lines, id_number, run, xls, xlsx

pytestmark = pytest.mark.django_db

HEADERS = [
    "姓名",
    "出生年月",
    "身份证号",
    "籍贯",
    "入党时间",
    "参加工作时间",
    "全日制教育",
    "人员类别",
    "工作单位",
]
UNIT = "测试县委/甲镇党委"


def register():
    return [
        [
            "李建华",
            "1976.03",
            id_number("19760315", 1),
            "湖南凤凰",
            "1998.07",
            "1996.08",
            "本科",
            "公务员",
            UNIT,
        ],
        [
            "周 敏",
            "1982年5月",
            id_number("19820520", 2, female=True),
            "湖南吉首",
            "2005年7月",
            "2004.08",
            "硕士研究生",
            "事业单位人员",
            "甲镇党委",
        ],
    ]


def test_the_register_imports_with_year_month_dates_from_the_form(world):
    staff = world.user("staff")

    job = run("cadres", xlsx(HEADERS, register()), staff, apply=True)

    assert job.status == ImportJob.Status.APPLIED, job.errors
    li = Cadre.objects.get(name="李建华")
    # The form gives year.month; the day of birth comes from the ID number.
    assert li.birth_date == datetime.date(1976, 3, 15)
    assert (li.party_joined_on, li.work_started_on) == (
        datetime.date(1998, 7, 1),
        datetime.date(1996, 8, 1),
    )
    assert (li.fulltime_education, li.staff_category, li.organization) == (
        "bachelor",
        "civil_servant",
        world.township_a,
    )
    assert Cadre.objects.get(name="周敏").gender == "female"

    again = run("cadres", xlsx(HEADERS, register()), staff, apply=True)
    assert (again.new_rows, again.updated_rows, again.unchanged_rows) == (0, 0, 2)


def test_a_birth_month_that_contradicts_the_id_number_is_reported(world):
    rows = register()
    rows[0][1] = "1976.04"

    job = run("cadres", xlsx(HEADERS, rows), world.user("staff"))

    assert error_lines(job) == [
        "第 2 行 · 出生年月：出生日期与身份证号码不一致（身份证号码显示为1976-03-15）。"
    ]


def test_an_xls_register_with_an_update_is_applied(world):
    staff = world.user("staff")
    run("cadres", xlsx(HEADERS, register()), staff, apply=True)
    rows = register()
    rows[0][3] = "湖南泸溪"

    job = run("cadres", xls(HEADERS, rows), staff, apply=True)

    assert (job.new_rows, job.updated_rows, job.unchanged_rows) == (0, 1, 1)
    assert Cadre.objects.get(name="李建华").native_place == "湖南泸溪"


POST_HEADERS = [
    "身份证号",
    "姓名",
    "任职单位",
    "职务",
    "职务层次",
    "任职时间",
    "免职时间",
    "任职文号",
]


def test_the_post_history_builds_in_date_order_and_decides_the_unit(world):
    staff = world.user("staff")
    run("cadres", xlsx(HEADERS, register()), staff, apply=True)
    li = id_number("19760315", 1)
    posts = [
        # Listed newest first, as registers often are.
        [
            li,
            "李建华",
            "乙乡党委",
            "乙乡党委书记",
            "乡科级正职",
            "2021.06",
            "",
            "云组干〔2021〕8号",
        ],
        [li, "李建华", UNIT, "甲镇副镇长", "副科", "2016.03", "2021.06", "云组干〔2016〕3号"],
        [id_number("19900101", 9), "无此人", UNIT, "科员", "一般干部", "2016.03", "", "x"],
        [li, "张三", UNIT, "科员", "一般干部", "2010.03", "2016.03", "x"],
    ]

    job = run("cadre-posts", xlsx(POST_HEADERS, posts), staff, apply=True)

    assert error_lines(job) == [
        "第 4 行 · 身份证号：没有此身份证号的干部；请先导入干部名册。",
        "第 5 行 · 姓名：该身份证号属于李建华，与姓名不符。",
    ]
    cadre = Cadre.objects.get(name="李建华")
    assert list(cadre.posts.order_by("start_date").values_list("post_title", "end_date")) == [
        ("甲镇副镇长", datetime.date(2021, 6, 1)),
        ("乙乡党委书记", None),
    ]
    assert cadre.organization == world.township_b, "the current post decides the unit"

    again = run("cadre-posts", xlsx(POST_HEADERS, posts), staff)
    assert (again.new_rows, again.unchanged_rows, again.rejected_rows) == (0, 2, 2)
    assert PostRecord.objects.count() == 2


def test_overlapping_principal_posts_are_refused_by_the_service(world):
    staff = world.user("staff")
    run("cadres", xlsx(HEADERS, register()), staff, apply=True)
    li = id_number("19760315", 1)
    posts = [
        [li, "李建华", UNIT, "甲镇副镇长", "副科", "2016.03", "", "云组干〔2016〕3号"],
        [li, "李建华", "乙乡党委", "乙乡党委书记", "正科", "2021.06", "", "云组干〔2021〕8号"],
    ]

    job = run("cadre-posts", xlsx(POST_HEADERS, posts), staff)

    assert error_lines(job) == [
        "第 3 行 · 该职务与自 2016-03-01 起担任的主要职务“甲镇副镇长”时间重叠；干部同一时间只能担任一个主要职务。请先免去该职务，或将本职务标记为兼职。"
    ]
