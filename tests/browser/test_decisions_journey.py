"""A village secretary on a phone takes a matter through 四议两公开一监督, step by step, and
prints the notices for the notice board."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from grassroots import services
from grassroots.decisions.models import StepKind, VillageMatter
from grassroots.models import MeetingKind
from tests.grassroots.factories import PartyMemberFactory, ensure_requirements

pytestmark = pytest.mark.browser


def notice_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_secretary_takes_a_village_matter_through_every_step(
    browser_page_for, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    ensure_requirements()
    today = timezone.localdate()

    def day(n):
        return (today - datetime.timedelta(days=n)).isoformat()

    # given village branch A1 with six full members, five of whom met six days ago
    members = [PartyMemberFactory(branch=world.branch_a1, name=f"村党员{n}") for n in range(6)]
    services.meeting_record(
        organization=world.branch_a1,
        kind=MeetingKind.GENERAL,
        date=today - datetime.timedelta(days=6),
        topic="审议村道硬化工程",
        attendance={members[0].pk: ("absent", "外出务工")},
    )
    page = browser_page_for(world.user("secretary"), phone=True)

    # the branch page leads to its collective decisions
    page.goto(f"/grassroots/branches/{world.branch_a1.pk}/")
    page.locator("#decisions").click()
    page.get_by_role("link", name="提议事项").click()

    # step 1: the branch committee proposes
    page.locator("#id_subject").select_option("project")
    page.locator("#id_topic").fill("村道硬化工程")
    page.locator("#id_amount").fill("380000")
    page.locator("#id_done_on").fill(day(10))
    page.locator("#id_summary").fill("支委会研究提出村道硬化方案")
    no_sideways_scroll(page)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#steps [data-step='1_proposal']")).to_contain_text("党支部提议")
    matter = VillageMatter.objects.get()

    def record(fill, *, expect_step):
        page.locator("#next-step").click()
        expect(page.locator("#step-title")).to_be_visible()
        no_sideways_scroll(page)
        assert page.locator("#save-step").bounding_box()["height"] >= 44
        fill()
        page.locator("#save-step").click()
        expect(page.locator(f"#steps [data-step='{expect_step}'] .fw-semibold")).to_be_visible()

    # step 2: the two committees discuss
    def consultation():
        page.locator("#id_done_on").fill(day(8))
        page.locator("#id_participants").fill("支委、村委全体")
        page.locator("#id_summary").fill("两委联席会议商议一致")

    record(consultation, expect_step=StepKind.CONSULTATION)

    # step 3: the Party members' meeting from the log (5 of 6: two thirds reached)
    def deliberation():
        page.locator("#id_done_on").fill(day(6))
        page.locator("#id_meeting").select_option(index=1)
        page.locator("#id_summary").fill("党员大会审议通过")

    record(deliberation, expect_step=StepKind.DELIBERATION)

    # step 4: the representatives' meeting; first too few present, refused with the rule
    page.locator("#next-step").click()
    page.locator("#id_done_on").fill(day(5))
    page.locator("#id_body").select_option("representatives")
    page.locator("#id_eligible_count").fill("30")
    page.locator("#id_present_count").fill("19")
    page.locator("#id_votes_for").fill("18")
    page.locator("#id_summary").fill("村民代表会议表决")
    page.locator("#save-step").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_contain_text("三分之二")
    page.locator("#id_present_count").fill("25")
    page.locator("#save-step").click()
    expect(page.locator("#steps [data-step='4_resolution'] .fw-semibold")).to_be_visible()
    expect(page.locator("#matter-status")).to_contain_text("决议")

    # step 5: the decision made public; without a photo it is refused
    page.locator("#next-step").click()
    page.locator("#id_done_on").fill(day(4))
    page.locator("#id_notice_text").fill("经村民代表会议决议，实施村道硬化工程。")
    page.locator("#id_notice_place").fill("村务公开栏")
    page.locator("#save-step").click()
    expect(page.get_by_text("公开须附张贴公告的照片或扫描件，请上传。")).to_be_visible()
    page.locator("#id_attachments").set_input_files(
        files=[{"name": "公示.png", "mimeType": "image/png", "buffer": notice_photo()}]
    )
    page.locator("#save-step").click()
    expect(page.locator("#steps [data-step='5_decision_notice'] img")).to_be_visible()

    # the supervision committee remarks on the deliberation
    deliberation_step = page.locator("#steps [data-step='3_deliberation']")
    deliberation_step.locator("summary").click()
    deliberation_step.locator("[name=author]").fill("监委会主任 王明")
    deliberation_step.locator("[name=text]").fill("到会人数符合规定")
    deliberation_step.get_by_role("button").click()
    expect(page.locator("#steps [data-step='3_deliberation']")).to_contain_text("到会人数符合规定")

    # carried out, then step 6: the result made public
    page.locator("#carry-out [name=on]").fill(day(2))
    page.locator("#carry-out button").click()
    expect(page.locator("#matter-status")).to_contain_text("实施结果")
    page.locator("#next-step").click()
    page.locator("#id_done_on").fill(day(1))
    page.locator("#id_notice_text").fill("村道硬化工程已完工，决算 376,500 元。")
    page.locator("#id_attachments").set_input_files(
        files=[{"name": "结果公示.png", "mimeType": "image/png", "buffer": notice_photo()}]
    )
    page.locator("#save-step").click()
    expect(page.locator("#matter-status")).to_contain_text("已完成")
    expect(page.locator("#next-step")).to_have_count(0)

    matter.refresh_from_db()
    assert matter.stage == StepKind.RESULT_NOTICE
    assert matter.steps.count() == 6
    assert matter.steps.get(step=StepKind.RESOLUTION).present_count == 25

    # the notices, one page to print for the notice board
    page.locator("#print-notices").click()
    sheet = page.locator("#notice-sheet")
    expect(sheet).to_contain_text("经村民代表会议决议，实施村道硬化工程。")
    expect(sheet).to_contain_text("村道硬化工程已完工")
    no_sideways_scroll(page)
    pdf = page.pdf(format="A4")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
