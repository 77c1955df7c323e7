"""Demo matters for the fictitious county: ~400 at scale 1 over the last year, in every
channel, category and stage, some anonymous, some overdue, some about cadres with specific
clues — at least one of them open against a cadre whose appointment is in inspection, so
the four-musts check shows the block.

Every demo matter shares one receipt secret, DEMO_SECRET, so /track/ can be tried with any
demo tracking code (one password hash instead of 400 keeps the loader fast).
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from portal.demo import DemoCounty, person_name
from portal.models import Organization, User
from portal.roles import Role
from portal.workdays import add_working_days
from supervision.models import (
    Category,
    Channel,
    Complaint,
    Finding,
    HandlingRules,
    Hearing,
    HearingStage,
    ReporterIdentity,
    Status,
)
from supervision.services import ALPHABET

DEMO_SECRET = "DEMO-2026"  # noqa: S105 - fictitious demo data, printed in the docs
BATCH = 500

STREETS = ["解放路", "人民路", "新华街", "东风路", "滨河路", "学府路", "长安巷", "青石巷"]
ABOUT = {
    Category.FORMALISM: (
        "文山会海、迎检材料过多",
        "反映该单位会议频繁，层层要求报送材料，基层负担重。",
    ),
    Category.BUREAUCRATISM: (
        "群众办事推诿扯皮",
        "反映群众多次办理同一事项被要求反复跑腿、互相推诿。",
    ),
    Category.HEDONISM: ("工作日午间饮酒", "反映有干部工作日中午在农家乐饮酒，影响下午工作。"),
    Category.EXTRAVAGANCE: ("超标准接待", "反映公务接待超标准安排宴请和住宿。"),
    Category.SEEKING_OFFICE: ("跑官要官", "反映有干部在职务调整前多次找领导打招呼、要职位。"),
    Category.BUYING_OFFICE: ("买官卖官线索", "反映有人以送礼方式谋取职务提拔，提供了时间和地点。"),
    Category.VOTE_BUYING: ("换届拉票", "反映村级换届期间有人请客吃饭、许诺好处拉票。"),
    Category.PROMOTION_WITH_ILLNESS: ("带病提拔", "反映拟提拔人选存在未查清的问题仍被列入考察。"),
    Category.CRONYISM: ("任人唯亲", "反映单位招聘和提拔中优先安排亲属。"),
    Category.FACTIONALISM: ("拉帮结派", "反映单位内部搞小圈子、排斥异己。"),
    Category.RUSHED_PROMOTION: ("突击提拔", "反映领导调离前集中提拔多名干部。"),
    Category.PROCEDURE_VIOLATION: ("选任程序不规范", "反映民主推荐环节未按规定范围组织。"),
    Category.POOR_WORK_STYLE: ("工作作风漂浮", "反映驻村干部长期不在岗，走访流于形式。"),
    Category.FALSIFIED_WORK: ("数据弄虚作假", "反映帮扶台账中走访记录与实际不符。"),
    Category.UNFAIR_TREATMENT: ("评先评优不公", "反映年度评优未公开、结果不公平。"),
    Category.OTHER: ("其他问题", "反映其他与党员干部有关的问题。"),
}
CHANNEL_WEIGHTS = {
    Channel.LETTER: 25,
    Channel.VISIT: 20,
    Channel.PHONE: 15,
    Channel.HOTLINE_12380: 15,
    Channel.ONLINE: 20,
    Channel.MASSES: 5,
}


def _code(rng: random.Random, year: int, taken: set[str]) -> str:
    while True:
        code = f"XF{year}-" + "".join(rng.choice(ALPHABET) for _ in range(5))
        if code not in taken:
            taken.add(code)
            return code


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _blocked_cadre():
    """A cadre whose appointment is in inspection (the four-musts check), else any cadre."""
    try:
        from cadres.models import Appointment, Cadre
    except ImportError:  # pragma: no cover - older cadres app
        return None
    stage = getattr(getattr(Appointment, "Stage", None), "INSPECTION", "inspection")
    appointment = Appointment.objects.filter(stage=stage).order_by("pk").first()
    if appointment is not None:
        return appointment.cadre
    return Cadre.objects.order_by("pk").first()


def _progress(complaint: Complaint, rng: random.Random, today: datetime.date, rules) -> list:
    """Move a matter as far as its age allows (dates only; the loader bypasses the services
    for speed but keeps their rules). Returns its hearings."""
    received = complaint.received_on
    age = (today - received).days
    hearings = []
    # About one in six of the young matters waits beyond the 15 days: overdue decisions.
    decide_after = rng.choice([2, 4, 6, 9, 12, 14, 17]) if rng.random() > 0.06 else age + 1
    if decide_after > age or (age < 20 and rng.random() < 0.35):
        return hearings
    decided = received + _days(decide_after)
    complaint.decided_on = decided
    if rng.random() < 0.1:
        complaint.status = Status.NOT_ACCEPTED
        complaint.outside_remit = rng.random() < 0.5
        complaint.decision_reason = "不属于本机关受理范围，已告知信访人向有权处理的机关提出。"
        if complaint.outside_remit:
            complaint.decided_on = min(decided, complaint.remit_objection_due)
        return hearings
    complaint.status = Status.ACCEPTED
    complaint.accepted_on = decided
    steps = [
        ("assigned_on", Status.ASSIGNED, rng.randint(1, 3)),
        ("investigation_started_on", Status.INVESTIGATING, rng.randint(1, 5)),
    ]
    day = decided
    for field, status, gap in steps:
        day += _days(gap)
        if day > today:
            return hearings
        setattr(complaint, field, day)
        complaint.status = status
    if rng.random() < 0.12:
        complaint.extension_days = rng.choice([15, 20, 30])
        complaint.extension_reason = "案情复杂，需进一步调查核实。"
        complaint.extended_on = min(today, decided + _days(50))
    if rng.random() < 0.05:
        start = day + _days(rng.randint(3, 10))
        end = start + _days(rng.randint(3, 12))
        if end <= today:
            hearings.append(
                Hearing(
                    complaint=complaint, stage=HearingStage.HANDLING, started_on=start, ended_on=end
                )
            )
    allowed = rules.reply_days + (complaint.extension_days or 0)
    # Most are replied in time; some late, some still open past the limit (overdue).
    reply_after = rng.choice([25, 35, 45, 52, 58, 59]) if rng.random() > 0.1 else allowed + 5
    replied = decided + _days(reply_after)
    concluded = replied - _days(rng.randint(1, 5))
    if concluded > today or concluded <= day:
        return hearings
    complaint.status = Status.CONCLUDED
    complaint.concluded_on = concluded
    complaint.finding = rng.choice(Finding.values)
    complaint.findings = (
        "经调查核实，反映的问题"
        + {
            Finding.SUBSTANTIATED: "属实，已移交相关部门处理。",
            Finding.PARTLY: "部分属实，已责令整改。",
            Finding.UNSUBSTANTIATED: "不属实，予以澄清。",
        }[complaint.finding]
    )
    if replied > today:
        return hearings
    complaint.status = Status.REPLIED
    complaint.replied_on = replied
    complaint.reply = "已将调查核实情况和处理意见书面答复信访人。"
    if rng.random() < 0.4:
        complaint.rating = rng.choice([3, 4, 4, 5, 5])
    closed = replied + _days(rng.randint(1, 10))
    if closed <= today:
        complaint.status = Status.CLOSED
        complaint.closed_on = closed
    if rng.random() < 0.08:
        requested = replied + _days(rng.randint(5, 28))
        if requested <= today:
            complaint.status = Status.REVIEW
            complaint.review_requested_on = requested
            answered = requested + _days(rng.randint(15, 29))
            if answered <= today:
                complaint.status = Status.REVIEWED
                complaint.review_answered_on = answered
                complaint.review_answer = "经复查，维持原处理意见。"
                if rng.random() < 0.3:
                    again = answered + _days(rng.randint(5, 25))
                    if again <= today:
                        complaint.status = Status.REREVIEW
                        complaint.rereview_requested_on = again
                        done = again + _days(rng.randint(10, 29))
                        if done <= today:
                            complaint.status = Status.REREVIEWED
                            complaint.rereview_answered_on = done
                            complaint.rereview_answer = "经复核，维持复查意见。"
    return hearings


@transaction.atomic
def load(*, county: DemoCounty, rng: random.Random, scale: float) -> None:
    if Complaint.objects.exists():
        return
    today = timezone.localdate()
    rules = HandlingRules.current()
    office = county.county
    receivers = list(
        User.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("pk")
    ) or list(User.objects.filter(role=Role.ADMIN).order_by("pk")[:1])
    branches = list(county.branches.only("pk", "name").order_by("pk"))
    townships = list(county.townships.only("pk"))
    organizations: list[Organization] = branches + townships
    try:
        from cadres.models import Cadre

        cadres = list(Cadre.objects.only("pk").order_by("pk")[:300])
    except ImportError:  # pragma: no cover
        cadres = []
    secret_hash = make_password(DEMO_SECRET.replace("-", ""))
    remit_due: dict[datetime.date, datetime.date] = {}
    taken: set[str] = set()
    channels, weights = zip(*CHANNEL_WEIGHTS.items(), strict=True)
    categories = list(Category)

    count = max(1, round(400 * scale))
    complaints, identities, all_hearings = [], [], []
    for index in range(count):
        # Younger matters are more frequent (a year's backlog thins out as matters close).
        received = today - _days(int(365 * rng.random() ** 1.4))
        if received not in remit_due:
            remit_due[received] = add_working_days(received, rules.remit_working_days)
        category = rng.choice(categories)
        summary, description = ABOUT[category]
        about_cadre = cadres and rng.random() < 0.4
        complaint = Complaint(
            tracking_code=_code(rng, received.year, taken),
            secret_hash=secret_hash,
            handling_organization=office,
            first_receiver=rng.choice(receivers),
            channel=rng.choices(channels, weights)[0],
            category=category,
            subject_cadre=rng.choice(cadres) if about_cadre else None,
            subject_organization=None if about_cadre else rng.choice(organizations),
            has_specific_clues=rng.random() < 0.45,
            is_anonymous=rng.random() < 0.3,
            summary=summary,
            description=description,
            received_on=received,
            remit_objection_due=remit_due[received],
            status=Status.RECEIVED,
        )
        all_hearings.extend(_progress(complaint, rng, today, rules))
        if complaint.status not in (Status.RECEIVED, Status.NOT_ACCEPTED):
            complaint.handler = rng.choice(receivers)
            complaint.extension_approved_by = receivers[0] if complaint.extension_days else None
        complaints.append(complaint)
        if not complaint.is_anonymous:
            identities.append(
                (
                    index,
                    person_name(rng),
                    rng.choice(STREETS) + f"{rng.randint(1, 200)}号",
                    f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}",
                )
            )

    # An open matter with specific clues against a cadre in inspection: the four-musts block.
    blocked = _blocked_cadre()
    if blocked is not None:
        received = today - _days(10)
        complaints.append(
            Complaint(
                tracking_code=_code(rng, received.year, taken),
                secret_hash=secret_hash,
                handling_organization=office,
                first_receiver=receivers[0],
                handler=receivers[0],
                channel=Channel.HOTLINE_12380,
                category=Category.PROMOTION_WITH_ILLNESS,
                subject_cadre=blocked,
                has_specific_clues=True,
                is_anonymous=True,
                summary="拟提拔人选存在问题线索",
                description="12380举报反映拟提拔人选在原单位任职期间存在违规问题，提供了具体时间、地点和知情人。",
                received_on=received,
                remit_objection_due=add_working_days(received, rules.remit_working_days),
                status=Status.INVESTIGATING,
                decided_on=received + _days(3),
                accepted_on=received + _days(3),
                assigned_on=received + _days(4),
                investigation_started_on=received + _days(5),
            )
        )

    Complaint.objects.bulk_create(complaints, batch_size=BATCH)
    ReporterIdentity.objects.bulk_create(
        [
            ReporterIdentity(
                complaint=complaints[index],
                name=name,
                unit="",
                address=address,
                contact=contact,
            )
            for index, name, address, contact in identities
        ],
        batch_size=BATCH,
    )
    Hearing.objects.bulk_create(all_hearings, batch_size=BATCH)
