"""Demo collective decisions: a year of 四议两公开 matters in the villages and of 三重一大
matters in the township committees, some still under way, some behind (a notice overdue,
a result never made public, a matter carried out before its decision was public, a team's
matter carried out without a meeting).

Linear in --scale: a fixed number of matters per village and per township. Each matter is
anchored on a held general meeting of its branch that meets DecisionRules' quorum, so the
demo keeps the rules the services enforce; rows go in with bulk_create (the services would
cost a few queries per step), and the notices share one stored photo.
"""

import datetime
import io
import random
from collections import defaultdict
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

from grassroots.decisions.models import (
    DecisionRules,
    MajorMatter,
    MatterCategory,
    MatterOpinion,
    MatterStatus,
    Presence,
    ResolutionBody,
    Stance,
    StepAttachment,
    StepKind,
    Subject,
    VillageMatter,
    VillageStep,
)
from grassroots.decisions.services import large_sum_threshold
from grassroots.models import CommitteeSeat, Meeting, MeetingKind, Post, quorum_reached
from portal import majorities
from portal.models import Organization

BATCH = 2000
DAY = datetime.timedelta(days=1)
VILLAGE_MATTERS = [
    (Subject.PROJECT, "村道硬化工程", Decimal(380_000)),
    (Subject.PROJECT, "饮水安全巩固提升工程", Decimal(150_000)),
    (Subject.LAND, "集体土地流转给合作社种植茶叶", None),
    (Subject.LAND, "宅基地调整方案", None),
    (Subject.FUNDS, "村集体光伏收益分配方案", Decimal(86_000)),
    (Subject.FUNDS, "村集体资产出租", Decimal(24_000)),
    (Subject.WELFARE, "年度低保对象评议名单", None),
    (Subject.WELFARE, "危房改造补助对象名单", None),
    (Subject.OTHER, "修订村规民约", None),
]
TEAM_MATTERS = [
    (MatterCategory.DECISION, "乡村振兴年度工作方案"),
    (MatterCategory.DECISION, "镇级财政预算调整"),
    (MatterCategory.APPOINTMENT, "调整村党组织书记人选"),
    (MatterCategory.APPOINTMENT, "镇属站所负责人任免"),
    (MatterCategory.PROJECT, "集镇污水处理设施建设"),
    (MatterCategory.PROJECT, "农贸市场改造"),
    (MatterCategory.LARGE_SUM, "防汛救灾资金使用"),
    (MatterCategory.LARGE_SUM, "产业扶持资金拨付"),
]


def _notice_photo() -> str:
    """One stored photo of a posted notice, shared by the demo's notice steps."""
    image = Image.new("RGB", (480, 640), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, 460, 620], outline="red", width=6)
    for y in range(120, 560, 36):
        draw.line([60, y, 420, y], fill="gray", width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return default_storage.save(
        "grassroots/decisions/demo/notice.png", ContentFile(buffer.getvalue())
    )


def load(*, rng: random.Random, today: datetime.date) -> None:
    photo = _notice_photo()
    _village_matters(rng, today, photo)
    _team_matters(rng, today)


def _deliberating_meetings(today):
    """Held general meetings of village branches in the last year that meet the Party
    members' meeting's quorum rule, by branch (one query)."""
    rule = DecisionRules.current().party_meeting_quorum
    since = today - datetime.timedelta(days=365)
    by_branch = defaultdict(list)
    rows = Meeting.objects.filter(
        kind=MeetingKind.GENERAL,
        status=Meeting.Status.HELD,
        date__range=(since, today),
        organization__category=Organization.Category.VILLAGE,
    ).order_by("organization_id", "date", "pk")
    for meeting in rows:
        if quorum_reached(
            rule,
            due=meeting.due_count,
            voting=meeting.voting_count,
            present=meeting.present_count,
            present_voting=meeting.present_voting_count,
        ):
            by_branch[meeting.organization_id].append(meeting)
    return by_branch


def _village_matters(rng, today, photo):
    matters, plans = [], []
    for branch_id, meetings in _deliberating_meetings(today).items():
        for meeting in rng.sample(meetings, min(len(meetings), rng.randint(1, 3))):
            subject, topic, amount = rng.choice(VILLAGE_MATTERS)
            matter = VillageMatter(
                organization_id=branch_id,
                subject=subject,
                topic=topic,
                amount=amount,
                description="",
                stage=StepKind.PROPOSAL,
            )
            matters.append(matter)
            plans.append((matter, meeting))
    VillageMatter.objects.bulk_create(matters, batch_size=BATCH)

    steps = []
    for matter, meeting in plans:
        steps += _steps(rng, today, matter, meeting)
    VillageStep.objects.bulk_create(steps, batch_size=BATCH)
    VillageMatter.objects.bulk_update(
        matters,
        ["stage", "decided_on", "adopted", "decision_published_on", "carried_out_on"],
        batch_size=BATCH,
    )
    StepAttachment.objects.bulk_create(
        [
            StepAttachment(step=step, file=photo, content_type="image/png", size=1)
            for step in steps
            if step.step in (StepKind.DECISION_NOTICE, StepKind.RESULT_NOTICE)
        ],
        batch_size=BATCH,
    )


def _steps(rng, today, matter, meeting) -> list[VillageStep]:
    """The steps of one matter around its Party members' meeting, up to today; the matter's
    summary fields follow, as village_step_record keeps them."""
    m = meeting.date
    proposal = m - rng.randint(8, 14) * DAY
    consultation = m - rng.randint(1, 6) * DAY
    plan = [
        VillageStep(
            step=StepKind.PROPOSAL, done_on=proposal, summary="支部委员会研究，提出初步方案"
        ),
        VillageStep(
            step=StepKind.CONSULTATION,
            done_on=consultation,
            participants="村党支部委员、村民委员会委员",
            summary="“两委”联席会议商议，形成一致意见",
        ),
        VillageStep(
            step=StepKind.DELIBERATION, done_on=m, meeting_id=meeting.pk, summary="党员大会审议通过"
        ),
    ]
    body = rng.choice(list(ResolutionBody))
    eligible = {
        "villagers_adults": rng.randint(600, 1500),
        "villagers_households": rng.randint(150, 400),
    }.get(body, rng.randint(25, 45))
    needed = (
        majorities.half_needed
        if body == ResolutionBody.VILLAGERS_ADULTS
        else majorities.two_thirds_needed
    )
    present = rng.randint(needed(eligible), eligible)
    adopted = rng.random() > 0.05
    votes = (
        rng.randint(majorities.half_needed(present), present)
        if adopted
        else rng.randint(0, present // 2)
    )
    resolution = m + rng.randint(2, 10) * DAY
    plan.append(
        VillageStep(
            step=StepKind.RESOLUTION,
            done_on=resolution,
            body=body,
            eligible_count=eligible,
            present_count=present,
            votes_for=votes,
            summary="表决通过" if adopted else "表决未通过",
        )
    )
    # Most decisions go up within days; some late; a few carried out before they were public.
    roll = rng.random()
    notice = resolution + (rng.randint(1, 5) if roll < 0.8 else rng.randint(9, 25)) * DAY
    carried = notice + rng.randint(20, 90) * DAY
    if roll > 0.96:
        carried = resolution + rng.randint(1, 3) * DAY
        notice = carried + rng.randint(5, 15) * DAY
    plan.append(
        VillageStep(
            step=StepKind.DECISION_NOTICE,
            done_on=notice,
            notice_text=f"经村民会议（村民代表会议）决议，{matter.topic}事项如下……",
            notice_place="村务公开栏",
        )
    )
    # The result follows both the carrying out and the decision's notice (the steps' order).
    result_day = max(carried, notice) + (rng.randint(2, 10) if rng.random() < 0.85 else 400) * DAY
    plan.append(
        VillageStep(
            step=StepKind.RESULT_NOTICE,
            done_on=result_day,
            notice_text=f"{matter.topic}已实施完毕，结果公开如下……",
            notice_place="村务公开栏",
        )
    )
    kept = []
    for step in plan:
        if step.done_on > today:
            break
        if step.step == StepKind.RESULT_NOTICE and (matter.carried_out_on is None):
            break
        step.matter = matter
        kept.append(step)
        matter.stage = step.step
        if step.step == StepKind.RESOLUTION:
            matter.decided_on, matter.adopted = step.done_on, adopted
            if not adopted:
                break
            if carried < notice and carried <= today:
                matter.carried_out_on = carried
        if step.step == StepKind.DECISION_NOTICE:
            matter.decision_published_on = step.done_on
            if carried <= today:
                matter.carried_out_on = carried
    return kept


def _team_matters(rng, today):
    """Eight or so matters a year per township committee with seats: decided at meetings of
    its seats (two thirds present for appointments, the principal leader last), a few still
    awaiting the meeting, one in thirty carried out without one."""
    seats_by_org = defaultdict(list)
    for seat in (
        CommitteeSeat.objects.filter(
            term__organization__kind=Organization.Kind.PARTY_COMMITTEE,
            term__starts_on__lte=today - datetime.timedelta(days=365),
            term__ends_on__gte=today,
        )
        .select_related("term__organization")
        .order_by("term__organization_id", "pk")
    ):
        seats_by_org[seat.term.organization].append(seat)
    matters, opinions = [], []
    for organization, seats in seats_by_org.items():
        seats.sort(key=lambda seat: seat.post != Post.SECRETARY)
        threshold = large_sum_threshold(organization)
        for _ in range(rng.randint(6, 10)):
            category, title = rng.choice(TEAM_MATTERS)
            raised = today - rng.randint(5, 360) * DAY
            amount = None
            if category == MatterCategory.LARGE_SUM:
                amount = threshold + Decimal(rng.randint(0, 40) * 10_000)
            matter = MajorMatter(
                organization=organization,
                category=category,
                title=title,
                amount=amount,
                raised_on=raised,
            )
            matters.append(matter)
            meeting_on = raised + rng.randint(3, 20) * DAY
            roll = rng.random()
            if meeting_on > today or roll < 0.08:
                if roll < 0.03:
                    matter.carried_out_on = min(today, raised + rng.randint(5, 30) * DAY)
                continue
            opinions += _meeting(rng, matter, seats, meeting_on, today)
    MajorMatter.objects.bulk_create(matters, batch_size=BATCH)
    for opinion in opinions:
        opinion.matter_id = opinion.matter.pk
    MatterOpinion.objects.bulk_create(opinions, batch_size=BATCH)


def _meeting(rng, matter, seats, meeting_on, today) -> list[MatterOpinion]:
    due = len(seats)
    needed = (
        majorities.two_thirds_needed(due)
        if matter.category == MatterCategory.APPOINTMENT
        else majorities.half_needed(due)
    )
    absent = set(rng.sample(range(1, due), rng.randint(0, due - needed))) if due > needed else set()
    present = [seat for index, seat in enumerate(seats) if index not in absent]
    # The principal leader (first) speaks last.
    order = present[1:] + present[:1] if present[0].post == Post.SECRETARY else present
    rows = []
    for turn, seat in enumerate(order, start=1):
        stance = (
            Stance.AGREE if rng.random() < 0.9 else rng.choice([Stance.DISAGREE, Stance.ABSTAIN])
        )
        rows.append(
            MatterOpinion(
                matter=matter,
                seat=seat,
                member_id=seat.member_id,
                is_principal=seat.post == Post.SECRETARY,
                presence=Presence.PRESENT,
                position=turn,
                stance=stance,
                opinion="同意" if stance == Stance.AGREE else "建议进一步论证",
            )
        )
    for index in sorted(absent):
        seat = seats[index]
        rows.append(
            MatterOpinion(
                matter=matter,
                seat=seat,
                member_id=seat.member_id,
                is_principal=seat.post == Post.SECRETARY,
                presence=Presence.LEAVE,
                reason="外出学习",
            )
        )
    votes = sum(1 for row in rows if row.stance == Stance.AGREE)
    matter.meeting_on = meeting_on
    matter.members_due = due
    matter.members_present = len(present)
    matter.votes_for = votes
    matter.votes_against = sum(1 for row in rows if row.stance == Stance.DISAGREE)
    matter.votes_abstain = sum(1 for row in rows if row.stance == Stance.ABSTAIN)
    adopted = majorities.more_than_half(votes, due)
    matter.status = MatterStatus.ADOPTED if adopted else MatterStatus.REJECTED
    matter.result = "会议同意实施" if adopted else "会议未通过，暂缓实施"
    matter.document_number = (
        f"{matter.organization.name[:2]}委〔{meeting_on.year}〕{rng.randint(1, 99)}号"
    )
    if adopted and rng.random() < 0.7:
        carried = meeting_on + rng.randint(5, 60) * DAY
        if carried <= today:
            matter.carried_out_on = carried
    return rows
