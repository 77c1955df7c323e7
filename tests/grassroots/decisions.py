"""Builders for collective-decision tests: a leadership team with its seats, a village matter
walked to a given step (all through the services)."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from grassroots import services as grassroots_services
from grassroots.decisions import services
from grassroots.decisions.models import ResolutionBody, StepKind
from grassroots.models import Meeting, MeetingKind, Post
from portal.models import Organization
from tests.factories import OrganizationFactory
from tests.grassroots.factories import PartyMemberFactory

D = datetime.date
TODAY = D(2026, 11, 28)
TEAM_POSTS = [Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.ORGANISATION, Post.PROPAGANDA]


def scan(name="公示照片.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_team(township: Organization, size: int = 5, *, starts_on=datetime.date(2024, 1, 1)):
    """The township's committee of `size` seats (the secretary first), drawn from its organ
    branch. Returns the seats, the principal leader's first."""
    organ = OrganizationFactory(
        name=f"{township.name}机关支部",
        category=Organization.Category.ORGAN,
        parent=township,
    )
    posts = TEAM_POSTS + [Post.DISCIPLINE, Post.MEMBER, Post.MEMBER][: max(0, size - 4)]
    people = [PartyMemberFactory(branch=organ, name=f"班子{n}") for n in range(size)]
    grassroots_services.committee_term_create(
        organization=township,
        starts_on=starts_on,
        seats=list(zip(people, posts[:size], strict=True)),
    )
    return services.team_seats(township, TODAY)


def speakers(seats, *, absent=(), order=None, stances=None):
    """The form's rows: the seats not in `absent` present in `order` (default: the others
    first and the principal leader last), each agreeing unless `stances` says otherwise."""
    present = [s for s in seats if s not in absent]
    if order is None:
        present = present[1:] + present[:1] if present and present[0] is seats[0] else present
    else:
        present = order
    stances = stances or {}
    rows = [
        {"seat": s.pk, "presence": "present", "stance": stances.get(s, "agree"), "opinion": "同意"}
        for s in present
    ]
    rows += [{"seat": s.pk, "presence": "leave", "reason": "外出学习"} for s in absent]
    return rows


def general_meeting(branch, day, *, absent=()):
    """A held general meeting of `branch` on `day`, the members in `absent` away (the one
    logged already on that day, if any)."""
    logged = Meeting.objects.filter(organization=branch, kind=MeetingKind.GENERAL, date=day)
    if logged.exists() and not absent:
        return logged.first()
    return grassroots_services.meeting_record(
        organization=branch,
        kind=MeetingKind.GENERAL,
        date=day,
        topic="审议村务事项",
        confirm_duplicate=True,
        attendance={m.pk: ("absent", "外出务工") for m in absent},
        today=TODAY,
    )


def propose(branch, *, on=datetime.date(2026, 9, 1), topic="村道硬化工程", **kwargs):
    return services.village_matter_propose(
        organization=branch,
        subject="project",
        topic=topic,
        proposed_on=on,
        summary="支委会研究提出村道硬化方案",
        today=TODAY,
        **kwargs,
    )


def walk(matter, to: str, *, start=datetime.date(2026, 9, 1)):
    """Record the steps after the matter's last one up to `to` (dates a few days apart)."""
    last = matter.steps.order_by("-step").first()
    day = max(start, last.done_on) if last else start
    order = list(StepKind)
    for step in order[order.index(StepKind(matter.stage)) + 1 : order.index(StepKind(to)) + 1]:
        day += datetime.timedelta(days=3)
        kwargs = {}
        if step == StepKind.CONSULTATION:
            kwargs = {"summary": "两委联席会议商议一致", "participants": "支委、村委全体"}
        elif step == StepKind.DELIBERATION:
            kwargs = {
                "summary": "党员大会审议通过",
                "meeting": general_meeting(matter.organization, day),
            }
        elif step == StepKind.RESOLUTION:
            kwargs = {
                "summary": "村民代表会议表决通过",
                "body": ResolutionBody.REPRESENTATIVES,
                "eligible_count": 30,
                "present_count": 25,
                "votes_for": 22,
            }
        elif step == StepKind.DECISION_NOTICE:
            kwargs = {"notice_text": "经村民代表会议决议……", "attachments": [scan()]}
        elif step == StepKind.RESULT_NOTICE:
            if matter.carried_out_on is None:
                services.village_matter_carry_out(matter=matter, on=day, today=TODAY)
                matter.refresh_from_db()
            kwargs = {"notice_text": "工程已完工，结果公示如下……", "attachments": [scan()]}
        services.village_step_record(matter=matter, step=step, done_on=day, today=TODAY, **kwargs)
        matter.refresh_from_db()
    return matter
