"""The printable appointment and removal form fits one A4 page in Chromium."""

import datetime
import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from cadres import services
from cadres.models import Stage
from tests.cadres.factories import make_cadre
from tests.cadres.workflow import propose, walk

D = datetime.date

RESUME = [
    "云溪县第一中学学生",
    "湖南农业大学农学专业学习",
    "云溪县东坪镇农业服务中心科员",
    "云溪县东坪镇党政办公室副主任",
    "云溪县东坪镇党政办公室主任",
    "云溪县东坪镇党委委员、组织委员",
    "云溪县东坪镇党委副书记",
    "云溪县东坪镇党委副书记、镇长（拟任）",
]
FAMILY = [
    ("妻子", "李秀英", D(1982, 4, 2), "中共党员", "云溪县第二中学教师"),
    ("儿子", "张一鸣", D(2008, 9, 1), "共青团员", "云溪县第一中学学生"),
    ("女儿", "张一然", D(2012, 3, 9), "群众", "云溪县实验小学学生"),
    ("父亲", "张德福", D(1952, 1, 12), "中共党员", "云溪县东坪镇退休干部"),
    ("母亲", "王桂兰", D(1955, 6, 30), "群众", "云溪县东坪镇居民"),
]


@pytest.mark.browser
def test_appointment_form_prints_on_one_a4_page(browser_page_for, world):
    # given a cadre with a full record: 8 résumé lines, 5 family members, 3 assessments
    cadre = make_cadre(
        world.township_a,
        name="张建华",
        birth_date=D(1980, 5, 17),
        native_place="湖南云溪",
        birthplace="湖南云溪",
        party_joined_on=D(2003, 6, 1),
        work_started_on=D(2002, 7, 1),
        professional_title="农艺师",
        speciality="农村经济管理",
        fulltime_education="bachelor",
        fulltime_degree="农学学士",
        fulltime_school="湖南农业大学农学专业",
        inservice_education="master",
        inservice_degree="公共管理硕士",
        inservice_school="中共湖南省委党校公共管理专业",
    )
    for n, text in enumerate(RESUME):
        services.resume_line_add(
            cadre=cadre,
            start=D(1996 + n * 3, 9, 1),
            end=D(1999 + n * 3, 7, 1) if n < len(RESUME) - 1 else None,
            text=text,
        )
    for relation, name, born, status, employer in FAMILY:
        services.family_member_add(
            cadre=cadre,
            relation=relation,
            name=name,
            birth_date=born,
            political_status=status,
            employer_and_post=employer,
        )
    for year, grade in ((2023, "competent"), (2024, "excellent"), (2025, "excellent")):
        services.assessment_record(cadre=cadre, year=year, grade=grade)
    services.merit_record(
        cadre=cadre, kind="reward", decided_on=D(2021, 3, 1), description="2020年度脱贫攻坚先进个人"
    )
    walk(propose(cadre, world.township_a), Stage.INSPECTION)

    # when the print page is opened in Chromium and printed to PDF
    page = browser_page_for(world.user("staff"))
    page.goto(reverse("cadres:cadre-print", args=[cadre.pk]))
    expect(page.get_by_text("干部任免审批表").first).to_be_visible()
    expect(page.get_by_text("张建华").first).to_be_visible()
    expect(page.get_by_text("王桂兰")).to_be_visible()
    pdf = page.pdf(format="A4")

    # then it is one A4 page
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    # A4 is 595.28 × 841.89 pt; Chromium rounds to whole points.
    assert abs(float(box.width) - 595.3) < 1.5 and abs(float(box.height) - 841.9) < 1.5
