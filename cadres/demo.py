"""The demo county's cadres: ~800 records with post histories, assessments, training,
rewards, the reserve pool, and ~15 appointments spread over the workflow's stages.

Deterministic (only `rng`), fictitious names and valid ID numbers, idempotent (returns at
once when cadres exist). Records are bulk-inserted in batches for speed (the whole loader
runs in a few seconds); the appointments go through the workflow services, so their stages
and dates obey the same rules as the pages.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cadres import services
from cadres.models import (
    Assessment,
    AssessmentGrade,
    Cadre,
    FamilyMember,
    FourMust,
    Merit,
    MeritKind,
    PostLevel,
    PostRecord,
    ReserveEntry,
    ResumeLine,
    StaffCategory,
    Stage,
    Training,
)
from portal.choices import Education, Gender
from portal.demo import DemoCounty, IdNumbers, person_name
from portal.models import Organization
from portal.pinyin import initials

BATCH = 1000
AREA_CODE = "431129"  # a fictitious county code under Hunan (43)
COURSES = [
    ("习近平新时代中国特色社会主义思想专题培训班", "县委党校", 40),
    ("乡村振兴专题研讨班", "县委组织部", 24),
    ("党纪学习教育专题培训", "县纪委监委", 16),
    ("基层治理能力提升培训班", "县委党校", 32),
    ("网络学院在线学习", "干部网络学院", 50),
    ("安全生产专题培训", "县应急管理局", 8),
    ("优化营商环境专题培训", "县发展和改革局", 12),
]
REWARDS = [
    "年度脱贫攻坚先进个人",
    "优秀共产党员",
    "优秀党务工作者",
    "年度考核优秀，记三等功",
    "防汛抗灾先进个人",
    "乡村振兴工作先进个人",
]
SCHOOLS = [
    "湖南师范大学汉语言文学专业",
    "湖南农业大学农学专业",
    "中南大学行政管理专业",
    "湘潭大学法学专业",
    "长沙理工大学土木工程专业",
    "湖南财政经济学院会计学专业",
    "中共湖南省委党校经济管理专业",
]
TOWNSHIP_POSTS = [
    ("党委书记", PostLevel.SECTION_CHIEF, "一级主任科员"),
    ("镇长", PostLevel.SECTION_CHIEF, "二级主任科员"),
    ("党委副书记", PostLevel.SECTION_DEPUTY, "三级主任科员"),
    ("副镇长", PostLevel.SECTION_DEPUTY, "四级主任科员"),
    ("副镇长", PostLevel.SECTION_DEPUTY, "四级主任科员"),
    ("组织委员", PostLevel.SECTION_DEPUTY, "四级主任科员"),
]
ORGAN_POSTS = [
    ("局长", PostLevel.SECTION_CHIEF, "一级主任科员"),
    ("副局长", PostLevel.SECTION_DEPUTY, "三级主任科员"),
    ("副局长", PostLevel.SECTION_DEPUTY, "四级主任科员"),
]
COUNTY_POSTS = (
    [
        ("县委书记", PostLevel.COUNTY_CHIEF),
        ("县长", PostLevel.COUNTY_CHIEF),
        ("县人大常委会主任", PostLevel.COUNTY_CHIEF),
        ("县政协主席", PostLevel.COUNTY_CHIEF),
        ("县委副书记", PostLevel.COUNTY_DEPUTY),
        ("县委常委、组织部部长", PostLevel.COUNTY_DEPUTY),
        ("县委常委、宣传部部长", PostLevel.COUNTY_DEPUTY),
        ("县委常委、纪委书记", PostLevel.COUNTY_DEPUTY),
        ("县委常委、政法委书记", PostLevel.COUNTY_DEPUTY),
        ("县委常委、常务副县长", PostLevel.COUNTY_DEPUTY),
        ("县委常委、统战部部长", PostLevel.COUNTY_DEPUTY),
        ("县委常委、县委办主任", PostLevel.COUNTY_DEPUTY),
    ]
    + [("副县长", PostLevel.COUNTY_DEPUTY)] * 7
    + [("县人大常委会副主任", PostLevel.COUNTY_DEPUTY)] * 5
    + [("县政协副主席", PostLevel.COUNTY_DEPUTY)] * 6
)
STAFF_TITLES = ["科员", "一级科员", "四级主任科员", "办公室主任", "股长", "干事"]


def _birth(rng: random.Random, today: datetime.date, youngest: int, oldest: int):
    return today - datetime.timedelta(days=rng.randint(youngest * 365 + 30, oldest * 365 - 30))


def _post_name(unit: Organization, title: str) -> str:
    """The post as it is written: "县财政局副局长", "城关镇党委副书记", "城关镇副镇长",
    "云溪县委副书记" (a branch's name followed by a bureau title is not a post)."""
    if unit.parent_id is None:  # the county: "县委书记" → "云溪县委书记", "副县长" → "云溪县副县长"
        place = unit.name.removesuffix("县委")
        return place + title if title.startswith("县") else f"{place}县{title}"
    if unit.kind == Organization.Kind.PARTY_COMMITTEE:  # a township
        place = unit.name.removesuffix("党委")
        if title.startswith("党委"):
            return f"{place}{title}"
        if title in ("组织委员", "宣传委员", "纪委书记"):
            return f"{place}党委{title}"
        return f"{place}{title}"
    return unit.name.removesuffix("党支部").removesuffix("机关") + title


def _seats(county: DemoCounty, scale: float):
    """(unit, post title, level, rank) for every post to fill, county leaders first."""
    seats = [(county.county, title, level, "") for title, level in COUNTY_POSTS]
    organs = Organization.objects.filter(parent=county.organs_committee).order_by("path")
    townships = list(county.townships.order_by("path"))
    # The organs repeat with the scale (portal/demo.py), so their staff does not: linear.
    staff_per_organ = 8
    staff_per_township = max(1, round(26 * scale))
    for organ in organs:
        short = organ.name.removesuffix("党支部")
        for title, level, rank in ORGAN_POSTS:
            head = "院长" if "医院" in short else "校长" if "学" in short else title
            seats.append((organ, head if title == "局长" else title, level, rank))
        seats += [(organ, None, PostLevel.STAFF, "")] * staff_per_organ
    for township in townships:
        is_township = township.name.removesuffix("党委").endswith("乡")
        for title, level, rank in TOWNSHIP_POSTS:
            if is_township:
                title = title.replace("镇", "乡")
            seats.append((township, title, level, rank))
        seats += [(township, None, PostLevel.STAFF, "")] * staff_per_township
    return seats


@transaction.atomic
def load(*, county: DemoCounty, rng: random.Random, scale: float = 1.0) -> None:
    if Cadre.objects.exists():
        return
    today = timezone.localdate()
    ids = IdNumbers(area_code=AREA_CODE, taken=Cadre.objects.values_list("id_number", flat=True))
    seats = _seats(county, scale)
    cadres, plans = [], []
    for unit, title, level, rank in seats:
        senior = level in (PostLevel.COUNTY_CHIEF, PostLevel.COUNTY_DEPUTY)
        gender = Gender.FEMALE if rng.random() < (0.2 if senior else 0.38) else Gender.MALE
        birth = _birth(rng, today, 40 if senior else 24, 58 if senior else 56)
        name = person_name(rng, gender)
        institution = unit.category in (
            Organization.Category.INSTITUTION,
            Organization.Category.SCHOOL,
        )
        cadre = Cadre(
            name=name,
            name_initials=initials(name),
            gender=gender,
            birth_date=birth,
            id_number=ids.new(birth, gender),
            organization=unit,
            ethnicity="汉族" if rng.random() < 0.9 else rng.choice(["土家族", "苗族", "瑶族"]),
            native_place="湖南" + rng.choice(["云溪", "长沙", "湘潭", "衡阳", "常德"]),
            birthplace="湖南云溪",
            party_joined_on=birth + datetime.timedelta(days=rng.randint(20 * 365, 30 * 365))
            if rng.random() < 0.85
            else None,
            work_started_on=birth + datetime.timedelta(days=rng.randint(21 * 365, 24 * 365)),
            staff_category=StaffCategory.INSTITUTION
            if institution
            else StaffCategory.CIVIL_SERVANT,
            fulltime_education=rng.choice(
                [Education.BACHELOR] * 6 + [Education.COLLEGE] * 3 + [Education.MASTER]
            ),
            fulltime_school=rng.choice(SCHOOLS),
            inservice_education=Education.MASTER if rng.random() < 0.2 else "",
            inservice_school="中共湖南省委党校公共管理专业",
        )
        cadre.fulltime_degree = {
            Education.BACHELOR: "学士",
            Education.MASTER: "硕士",
        }.get(cadre.fulltime_education, "")
        if not cadre.inservice_education:
            cadre.inservice_school = ""
        cadres.append(cadre)
        plans.append((unit, title or rng.choice(STAFF_TITLES), level, rank))
    Cadre.objects.bulk_create(cadres, batch_size=BATCH)

    posts, resume, family, assessments, trainings, merits, reserve = [], [], [], [], [], [], []
    for cadre, (unit, title, level, rank) in zip(cadres, plans, strict=True):
        started = max(
            cadre.work_started_on, today - datetime.timedelta(days=rng.randint(200, 3000))
        )
        if started >= today:
            started = today - datetime.timedelta(days=90)
        first_job = cadre.work_started_on
        if level != PostLevel.STAFF and first_job < started - datetime.timedelta(days=400):
            posts.append(
                PostRecord(
                    cadre=cadre,
                    unit=unit,
                    post_title=_post_name(
                        unit, "科员" if level != PostLevel.COUNTY_CHIEF else "副县长"
                    ),
                    level=PostLevel.STAFF
                    if level != PostLevel.COUNTY_CHIEF
                    else PostLevel.COUNTY_DEPUTY,
                    start_date=first_job,
                    end_date=started,
                    document_number=f"云组干〔{first_job.year}〕{rng.randint(1, 99)}号",
                )
            )
        posts.append(
            PostRecord(
                cadre=cadre,
                unit=unit,
                post_title=_post_name(unit, title),
                level=level,
                rank=rank,
                start_date=started,
                document_number=f"云委干〔{started.year}〕{rng.randint(1, 120)}号",
            )
        )
        school_start = cadre.birth_date.replace(month=9, day=1) + datetime.timedelta(days=18 * 365)
        resume.append(
            ResumeLine(
                cadre=cadre,
                start=min(school_start, cadre.work_started_on - datetime.timedelta(days=365)),
                end=cadre.work_started_on,
                text=f"{cadre.fulltime_school}学习",
            )
        )
        if level != PostLevel.STAFF and first_job < started - datetime.timedelta(days=400):
            resume.append(
                ResumeLine(cadre=cadre, start=first_job, end=started, text=_post_name(unit, "科员"))
            )
        resume.append(ResumeLine(cadre=cadre, start=started, text=_post_name(unit, title)))
        for position, (relation, years) in enumerate(
            [("配偶", 0), ("子女", -28), ("父亲", 27), ("母亲", 25)][: rng.randint(2, 4)]
        ):
            family.append(
                FamilyMember(
                    cadre=cadre,
                    relation=relation,
                    name=person_name(rng, Gender.FEMALE if relation == "母亲" else Gender.MALE),
                    birth_date=cadre.birth_date - datetime.timedelta(days=years * 365),
                    political_status=rng.choice(["中共党员", "群众", "群众"]),
                    employer_and_post=rng.choice(["云溪县退休职工", "云溪县居民", "个体经营"]),
                    position=position,
                )
            )
        grades = (
            [AssessmentGrade.EXCELLENT, AssessmentGrade.QUALIFIED]
            if cadre.staff_category == StaffCategory.INSTITUTION
            else [AssessmentGrade.EXCELLENT, AssessmentGrade.COMPETENT]
        )
        for year in range(today.year - 3, today.year):
            if year < started.year:
                continue
            if year == today.year - 1 and rng.random() < 0.03:
                continue  # a few missing last year: the reminder's work
            grade = grades[0] if rng.random() < 0.15 else grades[1]
            assessments.append(Assessment(cadre=cadre, year=year, grade=grade))
        for year in range(today.year - 2, today.year + 1):
            for _course in range(rng.randint(1, 3)):
                course, organizer, hours = rng.choice(COURSES)
                start = datetime.date(year, rng.randint(1, 10), rng.randint(1, 25))
                if start > today:
                    continue
                trainings.append(
                    Training(
                        cadre=cadre,
                        course=course,
                        organizer=organizer,
                        start_date=start,
                        end_date=start + datetime.timedelta(days=rng.randint(0, 5)),
                        class_hours=Decimal(hours),
                    )
                )
        if rng.random() < 0.12:
            merits.append(
                Merit(
                    cadre=cadre,
                    kind=MeritKind.REWARD,
                    decided_on=today - datetime.timedelta(days=rng.randint(100, 2000)),
                    description=rng.choice(REWARDS),
                    authority="中共云溪县委",
                )
            )
        if level in (PostLevel.STAFF, PostLevel.SECTION_DEPUTY) and rng.random() < 0.1:
            reserve.append(
                ReserveEntry(
                    cadre=cadre,
                    level=PostLevel.SECTION_DEPUTY
                    if level == PostLevel.STAFF
                    else PostLevel.SECTION_CHIEF,
                    added_on=today - datetime.timedelta(days=rng.randint(30, 700)),
                )
            )
    for model, rows in (
        (PostRecord, posts),
        (ResumeLine, resume),
        (FamilyMember, family),
        (Assessment, assessments),
        (Training, trainings),
        (Merit, merits),
        (ReserveEntry, reserve),
    ):
        model.objects.bulk_create(rows, batch_size=BATCH)

    _link_users(county, cadres, plans, ids)
    _appointments(county, cadres, plans, rng, today)


def _link_users(county, cadres, plans, ids):
    """helper → a section deputy in the helper's township; leader → a county leader. The
    record takes the user's name (and a matching ID number)."""
    helper, leader = county.user("helper"), county.user("leader")
    deputy = next(
        c
        for c, (unit, _t, level, _r) in zip(cadres, plans, strict=True)
        if unit.pk == helper.organization_id and level == PostLevel.SECTION_DEPUTY
    )
    _become(deputy, helper, Gender.FEMALE, ids)
    head = next(
        c
        for c, (_u, _t, level, _r) in zip(cadres, plans, strict=True)
        if level == PostLevel.COUNTY_DEPUTY
    )
    _become(head, leader, Gender.MALE, ids)


def _become(cadre, user, gender, ids):
    cadre.user = user
    cadre.name = user.full_name
    cadre.name_initials = initials(user.full_name)
    cadre.gender = gender
    cadre.id_number = ids.new(cadre.birth_date, gender)
    cadre.save(update_fields=["user", "name", "name_initials", "gender", "id_number", "updated_at"])


def _appointments(county, cadres, plans, rng, today):
    """~15 appointments across the stages, made through the workflow services."""
    # The walk works back up to ~16 months from today: the post it ends must be older.
    settled = set(
        PostRecord.objects.filter(
            end_date__isnull=True, start_date__lt=today - datetime.timedelta(days=500)
        ).values_list("cadre_id", flat=True)
    )
    candidates = [
        (c, unit)
        for c, (unit, _t, level, _r) in zip(cadres, plans, strict=True)
        if level in (PostLevel.STAFF, PostLevel.SECTION_DEPUTY)
        and c.user_id is None
        and c.pk in settled
    ]
    picked = rng.sample(candidates, 15)
    stages = (
        [Stage.MOTION] * 2
        + [Stage.RECOMMENDATION] * 2
        + [Stage.INSPECTION] * 3
        + [Stage.DECIDED] * 2
        + [Stage.NOTICE] * 2
        + [Stage.PROBATION] * 3
        + [Stage.CONFIRMED]
    )
    for (cadre, unit), stage in zip(picked, stages, strict=True):
        _walk(cadre, unit, stage, rng, today)


def _walk(cadre, unit, stage, rng, today):
    order = [
        Stage.MOTION,
        Stage.RECOMMENDATION,
        Stage.INSPECTION,
        Stage.DECIDED,
        Stage.NOTICE,
        Stage.PROBATION,
        Stage.CONFIRMED,
    ]
    steps = order.index(stage)
    # Work back from today so that every date lies in the past and the notice has ended.
    if stage == Stage.CONFIRMED:
        motion = today - datetime.timedelta(days=365 + 120)
    elif stage == Stage.PROBATION:
        motion = today - datetime.timedelta(days=rng.randint(100, 300))
    elif stage == Stage.NOTICE:
        motion = today - datetime.timedelta(days=60)
    else:
        motion = today - datetime.timedelta(days=10 + 12 * steps)
    current = cadre.posts.filter(end_date__isnull=True).first()
    promoted = current.level == PostLevel.STAFF
    town = "乡" if unit.name.endswith("乡党委") else "镇"
    if unit.kind == Organization.Kind.PARTY_COMMITTEE:
        title = f"副{town}长" if promoted else f"{town}长"
    else:
        title = "副局长" if promoted else "局长"
    appointment = services.appointment_propose(
        cadre=cadre,
        proposed_unit=unit,
        proposed_title=_post_name(unit, title),
        proposed_level=PostLevel.SECTION_DEPUTY if promoted else PostLevel.SECTION_CHIEF,
        motion_on=motion,
        reason="该同志政治素质好，工作实绩突出，经民主推荐和组织考察，拟提拔任用。",
        post_to_remove=current,
        today=today,
    )
    day = motion
    if steps >= 1:
        day += datetime.timedelta(days=5)
        appointment = services.appointment_record_recommendation(
            appointment=appointment, recommended_on=day, note="会议推荐得票率 82%，谈话推荐排名第一"
        )
    if steps >= 2:
        day += datetime.timedelta(days=5)
        appointment = services.appointment_start_inspection(appointment=appointment, started_on=day)
        checks = list(appointment.four_musts.order_by("item"))
        done = checks if steps >= 3 else checks[: rng.randint(0, 3)]
        for check in done:
            if check.item == FourMust.COMPLAINTS_CHECKED and steps < 3:
                continue
            services.four_must_complete(
                check=check,
                checked_by="县委组织部干部一科",
                checked_on=day + datetime.timedelta(days=3),
                note="经核查，无影响使用的问题。",
                today=today,
            )
    if steps >= 3:
        day += datetime.timedelta(days=7)
        appointment = services.appointment_decide(
            appointment=appointment,
            meeting_on=day,
            members_due=11,
            members_present=10,
            votes_for=9,
            today=today,
        )
    if steps >= 4:
        day += datetime.timedelta(days=1)
        if stage == Stage.NOTICE:
            day = today - datetime.timedelta(days=2)
        appointment = services.appointment_start_notice(appointment=appointment, starts_on=day)
        if stage == Stage.NOTICE and rng.random() < 0.5:
            services.objection_record(
                appointment=appointment, received_on=today, summary="群众来电反映该同志工作作风问题"
            )
    if steps >= 5:
        day = appointment.notice_ends_on + datetime.timedelta(days=1)
        appointment = services.appointment_appoint(
            appointment=appointment,
            appointed_on=day,
            document_number=f"云委干〔{day.year}〕{rng.randint(1, 120)}号",
            today=today,
        )
    if steps >= 6:
        services.appointment_confirm(
            appointment=appointment,
            confirmed_on=appointment.probation_ends_on,
            note="试用期满考核称职",
        )
