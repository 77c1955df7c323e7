"""Demo data for the grassroots app: ~6,000 Party members over the county's ~300 branches,
committees and terms (some ending within weeks), Party groups in the larger branches,
people in the membership pipeline (some probation years ending soon), and two years of
meetings up to today with realistic gaps, so that the compliance table shows met, due and
missed. Attendance rows for general, committee and democratic life meetings. A year of
collective decisions on top (grassroots/decisions/demo.py).

Deterministic (only `rng`), fictitious, idempotent, fast: bulk_create in batches. Meeting
counts and validity use the same `quorum_reached` rule as services.meeting_record.
"""

import datetime
import io
import random
from collections import defaultdict
from types import SimpleNamespace

import pgtrigger
from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from cadres.models import Cadre
from grassroots import services
from grassroots.decisions import demo as decisions_demo
from grassroots.models import (
    Appraisal,
    AppraisalGrade,
    Attendance,
    AttendanceStatus,
    CommitteeSeat,
    CommitteeTerm,
    GrassrootsRules,
    Meeting,
    MeetingKind,
    MeetingRequirement,
    Membership,
    PartyMember,
    Post,
    Stage,
    quorum_reached,
)
from portal import dates
from portal.choices import Education
from portal.demo import DemoCounty, IdNumbers, person_name
from portal.models import Organization
from portal.periods import Frequency, Period
from portal.pinyin import initials

BATCH = 5000
TOPICS = {
    MeetingKind.GENERAL: [
        "学习贯彻党的二十大精神",
        "审议发展党员事项",
        "讨论村级重大事项",
        "通报党费收缴情况",
    ],
    MeetingKind.COMMITTEE: [
        "研究本月支部工作",
        "部署乡村振兴重点任务",
        "研究党员教育管理",
        "讨论困难党员帮扶",
    ],
    MeetingKind.LECTURE: [
        "书记讲党课：坚定理想信念",
        "学习党章党规",
        "传承红色基因",
        "全面从严治党",
    ],
    MeetingKind.THEME_DAY: ["重温入党誓词", "志愿服务进村组", "参观革命纪念馆", "环境卫生整治"],
    MeetingKind.ORG_LIFE: ["年度组织生活会", "对照检查、批评与自我批评"],
    MeetingKind.APPRAISAL: ["年度民主评议党员"],
    MeetingKind.DEMOCRATIC_LIFE: ["领导班子民主生活会"],
    MeetingKind.GROUP: ["党小组学习", "党小组走访群众"],
}
ABSENCE_REASONS = ["外出务工", "生病住院", "在外地照顾家人", "出差", "农忙", "年老体弱"]
# How reliably a branch holds its meetings: (weight, probability of holding per period).
DILIGENCE = [(5, 0.97), (3, 0.85), (2, 0.55)]


def _random_date(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


# The demo's ~100,000 inserts skip the audit's per-row insert triggers (their history would
# say only "created by seed_demo"); later changes are audited as usual.
# The collective decisions' rows (grassroots/decisions/demo.py) likewise; their later steps
# are audited.
DECISIONS = ["MajorMatter", "MatterOpinion", "VillageMatter", "VillageStep"]
AUDITED = ["PartyMember", "Membership", "CommitteeTerm", "CommitteeSeat", "Meeting", "Attendance"]


def load(*, county: DemoCounty, rng: random.Random, scale: float = 1.0) -> None:
    if PartyMember.objects.exists():
        return
    inserts = [f"grassroots.{model}:insert_insert" for model in AUDITED + ["Appraisal", *DECISIONS]]
    with transaction.atomic(), pgtrigger.ignore(*inserts):
        _load(county, rng, scale)


def _load(county: DemoCounty, rng: random.Random, scale: float) -> None:
    today = timezone.localdate()
    branches = list(county.branches.order_by("path"))
    # The demo secretary's branch gets the fullest data (any branch at very small scales).
    secretary_branch = county.user("secretary").organization or branches[0]
    ids = IdNumbers(
        area_code="433127", taken=PartyMember.objects.values_list("id_number", flat=True)
    )

    members = _members(rng, branches, secretary_branch, today, ids, scale)
    members += _cadre_members(rng, branches, today, ids)
    by_branch: dict[int, list[PartyMember]] = defaultdict(list)
    for member in members:
        by_branch[member.branch_id].append(member)
    groups = _groups(rng, branches, by_branch, secretary_branch)
    for start in range(0, len(members), BATCH):
        PartyMember.objects.bulk_create(members[start : start + BATCH])
    _memberships(rng, members, branches)
    _contacts(rng, members)
    seats_by_org = _committees(rng, branches, by_branch, county, today, secretary_branch)
    _meetings(rng, branches, by_branch, groups, seats_by_org, county, today, secretary_branch)
    _appraisals(rng, members, today)
    decisions_demo.load(rng=rng, today=today)


def _members(rng, branches, secretary_branch, today, ids, scale) -> list[PartyMember]:
    rules = GrassrootsRules.current()
    rows = []
    for branch in branches:
        # Above the demo size a branch's size does not grow with the scale: the number of
        # branches does (a branch of 200 members would break the 50-member rule, and the
        # county would grow with the square of the scale).
        size = max(5, round(rng.gauss(20, 6) * min(scale, 1.0)))
        if branch.pk == secretary_branch.pk:
            size = max(size, 24)
        for n in range(size):
            gender = "male" if rng.random() < 0.72 else "female"
            birth = _random_date(rng, datetime.date(1945, 1, 1), datetime.date(2000, 12, 31))
            earliest = max(birth + relativedelta(years=19), datetime.date(1970, 1, 1))
            roll = rng.random()
            applied = activist = target = joined = full = None
            if n >= 2 and roll < 0.04:
                stage = Stage.PROBATIONARY
                # some probation years end within the coming weeks
                joined = today - datetime.timedelta(days=rng.randint(300, 364))
                if rng.random() < 0.5:
                    joined = today - datetime.timedelta(days=rng.randint(30, 299))
                applied = joined - datetime.timedelta(days=rng.randint(500, 900))
                activist = applied + datetime.timedelta(days=rng.randint(60, 120))
                target = joined - datetime.timedelta(days=rng.randint(60, 120))
            elif n >= 2 and roll < 0.09:
                stage = rng.choice([Stage.APPLICANT, Stage.ACTIVIST, Stage.ACTIVIST, Stage.TARGET])
                applied = today - datetime.timedelta(days=rng.randint(400, 800))
                if stage != Stage.APPLICANT:
                    activist = applied + datetime.timedelta(days=rng.randint(30, 90))
                if stage == Stage.TARGET:
                    target = activist + datetime.timedelta(days=rng.randint(370, 400))
                    target = min(target, today)
            else:
                stage = Stage.FULL
                joined = _random_date(rng, earliest, today - datetime.timedelta(days=800))
                full = dates.add_months(joined, rules.probation_months)
            name = person_name(rng, gender)
            rows.append(
                PartyMember(
                    name=name,
                    name_initials=initials(name),
                    gender=gender,
                    ethnicity="汉族"
                    if rng.random() < 0.9
                    else rng.choice(["土家族", "苗族", "瑶族"]),
                    birth_date=birth,
                    id_number=ids.new(birth, gender),
                    phone=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
                    education=rng.choice(Education.values),
                    branch=branch,
                    stage=stage,
                    applied_on=applied,
                    activist_on=activist,
                    target_on=target,
                    joined_on=joined,
                    full_on=full,
                    # Training before admission (3 days or 24 class hours): the admitted had
                    # it; some development targets are still in the middle of theirs.
                    training_days=(
                        3 if joined else rng.randint(0, 3) if stage == Stage.TARGET else 0
                    ),
                    last_assessed_on=(
                        dates.add_months(activist, rules.activist_assessment_months)
                        if activist and rng.random() < 0.5
                        else None
                    ),
                    is_flowing=rng.random() < 0.04,
                    is_retired=birth.year < 1962 and rng.random() < 0.7,
                )
            )
    return rows


def _cadre_members(rng, branches, today, ids) -> list[PartyMember]:
    rules = GrassrootsRules.current()
    """Most cadres (from the cadres demo) are Party members: link their records."""
    branch_ids = {b.pk: b for b in branches}
    rows = []
    for cadre in Cadre.objects.order_by("pk"):
        if rng.random() > 0.85 or cadre.id_number in ids.taken:
            continue
        ids.taken.add(cadre.id_number)
        branch = branch_ids.get(cadre.organization_id) or rng.choice(branches)
        joined = _random_date(
            rng,
            cadre.birth_date + relativedelta(years=20),
            cadre.birth_date + relativedelta(years=35),
        )
        joined = min(joined, today - datetime.timedelta(days=800))
        rows.append(
            PartyMember(
                name=cadre.name,
                name_initials=initials(cadre.name),
                gender=cadre.gender,
                birth_date=cadre.birth_date,
                id_number=cadre.id_number,
                branch=branch,
                stage=Stage.FULL,
                joined_on=joined,
                full_on=dates.add_months(joined, rules.probation_months),
                education=Education.BACHELOR,
                cadre=cadre,
            )
        )
    return rows


def _contacts(rng, members) -> None:
    """Activists and development targets have one or two full members of their branch as
    contacts (services.member_set_contacts' rule)."""
    full_by_branch: dict[int, list[PartyMember]] = {}
    for member in members:
        if member.stage == Stage.FULL:
            full_by_branch.setdefault(member.branch_id, []).append(member)
    through = PartyMember.contacts.through
    rows = []
    for member in members:
        full = full_by_branch.get(member.branch_id, [])
        if member.stage in (Stage.ACTIVIST, Stage.TARGET) and full:
            for contact in rng.sample(full, min(len(full), rng.randint(1, 2))):
                rows.append(through(from_partymember=member, to_partymember=contact))
    through.objects.bulk_create(rows, batch_size=BATCH)


def _memberships(rng, members, branches) -> None:
    """One open membership each; a few members moved here from another branch."""
    rows = []
    for member in members:
        start = member.joined_on or member.applied_on
        if member.joined_on and rng.random() < 0.04:
            moved = _random_date(
                rng, start + datetime.timedelta(days=30), datetime.date(2025, 12, 31)
            )
            if moved > start + datetime.timedelta(days=1):
                other = rng.choice(branches)
                if other.pk != member.branch_id:
                    rows.append(
                        Membership(
                            member=member,
                            organization=other,
                            starts_on=start,
                            ends_on=moved - datetime.timedelta(days=1),
                        )
                    )
                    start = moved
        member.demo_since = start
        rows.append(Membership(member=member, organization_id=member.branch_id, starts_on=start))
    Membership.objects.bulk_create(rows, batch_size=BATCH)


def _groups(rng, branches, by_branch, secretary_branch) -> dict[int, list[Organization]]:
    """Party groups in branches of 25 members or more (through the tree service); the
    members (not saved yet) are spread over them."""
    groups: dict[int, list[Organization]] = {}
    for branch in branches:
        people = [m for m in by_branch[branch.pk] if m.joined_on]
        if len(people) < 25 and branch.pk != secretary_branch.pk:
            continue
        count = 3 if len(people) >= 36 else 2
        made = [
            services.party_group_create(branch=branch, name=f"第{'一二三'[i]}党小组")
            for i in range(count)
        ]
        groups[branch.pk] = made
        for i, member in enumerate(people):
            member.party_group = made[i % count]
    return groups


def _committees(rng, branches, by_branch, county, today, secretary_branch):
    """Committee terms: a committee of 3–5 where there are 7 full members or more, a
    secretary alone otherwise; a few terms end within weeks. Townships get a committee
    drawn from their organ branch (for the democratic life meeting)."""
    terms, seat_specs = [], []
    for branch in branches:
        full = [m for m in by_branch[branch.pk] if m.stage == Stage.FULL]
        if not full:
            continue
        years = services.committee_term_years(branch)
        if branch.pk == secretary_branch.pk or rng.random() < 0.06:
            ends = today + datetime.timedelta(days=rng.randint(10, 50))
        else:
            ends = today + datetime.timedelta(days=rng.randint(60, 365 * years - 30))
        starts = ends - relativedelta(years=years)
        terms.append(CommitteeTerm(organization=branch, starts_on=starts, ends_on=ends))
        # The committee's size follows the full members on the election day (services.
        # _check_seats): 3–5 seats from 7 up, a secretary alone below.
        elected = [m for m in full if m.full_on <= starts and m.demo_since <= starts]
        size = rng.randint(3, 5) if len(elected) >= 7 else 1
        full = elected or full
        posts = [
            Post.SECRETARY,
            Post.ORGANISATION,
            Post.PROPAGANDA,
            Post.DISCIPLINE,
            Post.DEPUTY_SECRETARY,
        ]
        seat_specs.append(list(zip(rng.sample(full, size), posts[:size], strict=True)))
    townships = list(county.townships)
    for township in townships:
        organ_branch = next(
            (b for b in branches if b.parent_id == township.pk and b.category == "organ"), None
        )
        full = [m for m in by_branch.get(organ_branch.pk if organ_branch else 0, []) if m.full_on]
        if len(full) < 5:
            continue
        starts = today - relativedelta(years=rng.randint(1, 4), months=rng.randint(0, 11))
        terms.append(
            CommitteeTerm(
                organization=township, starts_on=starts, ends_on=starts + relativedelta(years=5)
            )
        )
        posts = [
            Post.SECRETARY,
            Post.DEPUTY_SECRETARY,
            Post.ORGANISATION,
            Post.PROPAGANDA,
            Post.DISCIPLINE,
        ]
        seat_specs.append(list(zip(rng.sample(full, 5), posts, strict=True)))
    CommitteeTerm.objects.bulk_create(terms)
    seats = []
    seats_by_org: dict[int, list[PartyMember]] = {}
    for term, spec in zip(terms, seat_specs, strict=True):
        seats += [CommitteeSeat(term=term, member=m, post=p) for m, p in spec]
        seats_by_org[term.organization_id] = [m for m, _ in spec]
    CommitteeSeat.objects.bulk_create(seats, batch_size=BATCH)
    return seats_by_org


def _on_roster(people, day):
    """Members of the branch on `day`: joined the Party and arrived in the branch by then."""
    return [m for m in people if m.joined_on and m.joined_on <= day and m.demo_since <= day]


def _meetings(rng, branches, by_branch, groups, seats_by_org, county, today, secretary_branch):
    requirements = {r.kind: r for r in MeetingRequirement.objects.filter(is_active=True)}
    start = today - relativedelta(years=2)
    meetings: list[Meeting] = []
    attendance_plan: list[tuple[Meeting, list, list]] = []  # meeting, due, absent set

    def add(org, kind, period: Period, hold_probability, people=None, with_attendance=False):
        if period.end < start or rng.random() > hold_probability:
            return
        # In the running period, a meeting whose day is still ahead is not held yet (due).
        day = _random_date(rng, max(period.start, start), period.end)
        if day > today:
            return
        requirement = requirements.get(kind)
        meeting = SimpleNamespace(
            id=None,
            organization_id=org.pk,
            kind=kind,
            status=Meeting.Status.HELD,
            date=day,
            time=datetime.time(rng.choice([9, 14, 19]), rng.choice([0, 30])),
            place=rng.choice(["党员活动室", "村委会会议室", "党群服务中心"]),
            host="",
            speaker="",
            agenda="",
            minutes="",
            topic=rng.choice(TOPICS[kind]),
            quorum=requirement.quorum if requirement else "none",
            is_valid=True,
            due_count=0,
            voting_count=0,
            present_count=0,
            present_voting_count=0,
        )
        meetings.append(meeting)
        if with_attendance:
            committee_kinds = (MeetingKind.COMMITTEE, MeetingKind.DEMOCRATIC_LIFE)
            due = people if kind in committee_kinds else _on_roster(people, day)
            share = 0.7 if rng.random() < 0.04 else 0.1  # a few meetings fall below quorum
            absent = {m.pk for m in due if rng.random() < share}
            attendance_plan.append((meeting, due, absent))

    def periods(frequency):
        period = Period.containing(frequency, start)
        while period.start <= today:
            yield period
            period = period.next()

    for branch in branches:
        diligence = 0.99 if branch.pk == secretary_branch.pk else _pick_diligence(rng)
        people = by_branch[branch.pk]
        committee = seats_by_org.get(branch.pk, [])
        for period in periods(Frequency.MONTH):
            if committee:
                add(branch, MeetingKind.COMMITTEE, period, diligence, committee, True)
            add(branch, MeetingKind.THEME_DAY, period, diligence)
            for group in groups.get(branch.pk, []):
                add(group, MeetingKind.GROUP, period, diligence - 0.05)
        for period in periods(Frequency.QUARTER):
            add(branch, MeetingKind.GENERAL, period, diligence, people, with_attendance=True)
            add(branch, MeetingKind.LECTURE, period, diligence)
        for period in periods(Frequency.YEAR):
            add(branch, MeetingKind.ORG_LIFE, period, diligence)
            add(branch, MeetingKind.APPRAISAL, period, diligence)
    townships = {t.pk: t for t in county.townships}
    for org_id, committee in seats_by_org.items():
        org = townships.get(org_id)
        if org is None:
            continue
        for period in periods(Frequency.YEAR):
            add(org, MeetingKind.DEMOCRATIC_LIFE, period, 0.9, committee, with_attendance=True)

    # Counts and validity from the attendance, with the rule services.meeting_record uses.
    for meeting, due, absent in attendance_plan:
        voting = [m for m in due if m.full_on and m.full_on <= meeting.date]
        meeting.due_count = len(due)
        meeting.voting_count = len(voting)
        meeting.present_count = sum(1 for m in due if m.pk not in absent)
        meeting.present_voting_count = sum(1 for m in voting if m.pk not in absent)
        meeting.is_valid = quorum_reached(
            meeting.quorum,
            due=meeting.due_count,
            voting=meeting.voting_count,
            present=meeting.present_count,
            present_voting=meeting.present_voting_count,
        )
    _copy_meetings(meetings)

    # ~60,000 attendance rows go in with COPY: Django's bulk_create spends seconds just
    # building the statement's parameters. The audit trigger's "ignore" setting was set for
    # this transaction by the statements above (pgtrigger.ignore in load()).
    now = timezone.now()
    columns = (
        "created_at",
        "updated_at",
        "meeting_id",
        "member_id",
        "status",
        "reason",
        "is_voting",
    )
    with connection.cursor() as cursor:
        sql = f"COPY {Attendance._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for meeting, due, absent in attendance_plan:
                for member in due:
                    away = member.pk in absent
                    status = AttendanceStatus.PRESENT
                    if away:
                        status = rng.choice([AttendanceStatus.ABSENT, AttendanceStatus.LEAVE])
                    copy.write_row(
                        (
                            now,
                            now,
                            meeting.id,
                            member.pk,
                            str(status),
                            rng.choice(ABSENCE_REASONS) if away else "",
                            bool(member.full_on and member.full_on <= meeting.date),
                        )
                    )

    # The secretary's branch: a planned meeting ahead, and sign-in sheets on recent ones.
    services.meeting_plan(
        organization=secretary_branch,
        kind=MeetingKind.LECTURE,
        date=today + datetime.timedelta(days=10),
        topic="书记讲党课：学习贯彻全会精神",
        place="党员活动室",
        today=today,
    )
    recent = Meeting.objects.filter(
        organization=secretary_branch, kind=MeetingKind.GENERAL
    ).order_by("-date")[:2]
    for meeting in recent:
        content = _sign_in_sheet(meeting)
        services.meeting_attachment_add(
            meeting=meeting, file=ContentFile(content, name="sign-in.png")
        )


MEETING_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "organization_id",
    "kind",
    "status",
    "date",
    "time",
    "place",
    "host",
    "speaker",
    "topic",
    "agenda",
    "minutes",
    "quorum",
    "due_count",
    "voting_count",
    "present_count",
    "present_voting_count",
    "is_valid",
)


def _copy_meetings(meetings: list[SimpleNamespace]) -> None:
    """COPY the ~20,000 meetings, with ids drawn from their sequence first (the attendance
    rows need them)."""
    table = Meeting._meta.db_table
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(meetings)],
        )
        for meeting, (pk,) in zip(meetings, cursor.fetchall(), strict=True):
            meeting.id = pk
            meeting.created_at = meeting.updated_at = now
        with cursor.cursor.copy(f"COPY {table} ({', '.join(MEETING_COLUMNS)}) FROM STDIN") as copy:
            for meeting in meetings:
                copy.write_row([getattr(meeting, column) for column in MEETING_COLUMNS])


def _pick_diligence(rng) -> float:
    total = sum(weight for weight, _p in DILIGENCE)
    roll = rng.uniform(0, total)
    for weight, probability in DILIGENCE:
        roll -= weight
        if roll <= 0:
            return probability
    return DILIGENCE[-1][1]


def _sign_in_sheet(meeting) -> bytes:
    image = Image.new("RGB", (240, 320), "white")
    draw = ImageDraw.Draw(image)
    for y in range(40, 320, 24):
        draw.line((10, y, 230, y), fill="gray")
    draw.text((10, 10), f"{meeting.date:%Y-%m-%d}", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _appraisals(rng, members, today) -> None:
    """Last two years' democratic appraisal of every full member (COPY: ~10,000 rows)."""
    grades = [AppraisalGrade.EXCELLENT] * 2 + [AppraisalGrade.QUALIFIED] * 12
    grades.append(AppraisalGrade.BASIC)
    now = timezone.now()
    columns = "created_at, updated_at, member_id, year, grade"
    sql = f"COPY {Appraisal._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for member in members:
            for year in (today.year - 2, today.year - 1):
                if member.full_on and member.full_on.year <= year:
                    copy.write_row((now, now, member.pk, year, str(rng.choice(grades))))
