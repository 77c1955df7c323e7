"""What the grassroots app contributes to data import (portal/exchange/importing): the
Party member roster (党员花名册) as offices keep it. Every write goes through
grassroots.services, the same functions as the member forms."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots import services
from grassroots.models import Meeting, MeetingKind, PartyMember, Stage
from portal.choices import Education, Gender
from portal.exchange.importing import values
from portal.exchange.importing.kinds import (
    NEW,
    UNCHANGED,
    UPDATED,
    Column,
    ImportKind,
    RowError,
    register,
)
from portal.exchange.importing.organizations import (
    OrganizationIndex,
    check_reach,
    within_reach,
)
from portal.idnumbers import parse_id_number
from portal.roles import Area

STAGE_ALIASES = {
    "申请人": Stage.APPLICANT,
    "积极分子": Stage.ACTIVIST,
    "预备": Stage.PROBATIONARY,
    "正式": Stage.FULL,
    "党员": Stage.FULL,
}
STAGE_ORDER = list(Stage.values)
DATE_FIELDS = ("applied_on", "activist_on", "target_on", "joined_on", "full_on")
PERSONAL_FIELDS = ("name", "gender", "ethnicity", "birth_date", "phone", "education")
FLAG_FIELDS = ("is_flowing", "is_retired")


def _date(help_text):
    return {"parse": values.parse_date, "help": help_text, "width": 14}


COLUMNS = [
    Column(
        "姓名",
        "name",
        gettext_lazy("Required. The person's name."),
        values.clean_name,
        True,
        example="张晓梅",
        width=10,
    ),
    Column(
        "性别",
        "gender",
        gettext_lazy("男 or 女; left empty, it is read from the ID number."),
        choices=Gender.choices,
        example="女",
        width=6,
    ),
    Column(
        "民族",
        "ethnicity",
        gettext_lazy("For example 汉族, 苗族; empty means 汉族."),
        example="汉族",
        width=8,
    ),
    Column(
        "出生日期",
        "birth_date",
        gettext_lazy(
            "For example 1985-06-12 or 1985年6月12日; left empty, it is read from the ID number."
        ),
        values.parse_date,
        example="1985-06-12",
    ),
    Column(
        "身份证号",
        "id_number",
        gettext_lazy(
            "Required. 18 characters; format the column as text so that Excel keeps every digit. A person already registered is updated, not added twice."
        ),
        values.parse_id_number,
        True,
        example="433127198506120021",
        width=21,
    ),
    Column(
        "联系电话",
        "phone",
        gettext_lazy("A mobile or landline number."),
        values.clean_code,
        example="13907431234",
        width=13,
    ),
    Column(
        "学历",
        "education",
        gettext_lazy("The highest education, from the list."),
        choices=Education.choices,
        aliases=values.EDUCATION_ALIASES,
        example="大学本科",
        width=12,
    ),
    Column(
        "所在支部",
        "branch",
        gettext_lazy(
            "Required. The branch's full path (for example 云溪县委/青龙镇党委/上金寨村党支部) or its organisation code."
        ),
        required=True,
        example="云溪县委/青龙镇党委/上金寨村党支部",
        width=32,
    ),
    Column(
        "发展阶段",
        "stage",
        gettext_lazy("Required. 入党申请人, 入党积极分子, 发展对象, 预备党员 or 正式党员."),
        choices=Stage.choices,
        aliases=STAGE_ALIASES,
        required=True,
        example="正式党员",
        width=12,
    ),
    Column(
        "申请入党日期",
        "applied_on",
        **_date(gettext_lazy("The day the application was handed in.")),
        example="2008-03-01",
    ),
    Column(
        "确定积极分子日期",
        "activist_on",
        **_date(gettext_lazy("The day the person became an activist.")),
        example="2008-09-01",
    ),
    Column(
        "确定发展对象日期",
        "target_on",
        **_date(gettext_lazy("The day the person became a development target.")),
        example="2009-09-01",
    ),
    Column(
        "入党日期",
        "joined_on",
        **_date(
            gettext_lazy(
                "The day the branch meeting admitted the person as a probationary member. Required for 预备党员 and 正式党员."
            )
        ),
        example="2010-01-05",
    ),
    Column(
        "转正日期",
        "full_on",
        **_date(gettext_lazy("The day the person became a full member. Required for 正式党员.")),
        example="2011-01-05",
    ),
    Column(
        "流动党员",
        "is_flowing",
        gettext_lazy("是 or 否; empty means 否."),
        values.parse_bool,
        choices=(),
        example="否",
        width=8,
    ),
    Column(
        "离退休",
        "is_retired",
        gettext_lazy("是 or 否; empty means 否."),
        values.parse_bool,
        example="否",
        width=8,
    ),
]


def _prepare(rows, *, user):
    numbers = [row.values["id_number"] for row in rows if row.values.get("id_number")]
    existing = {}
    for start in range(0, len(numbers), 5000):
        chunk = numbers[start : start + 5000]
        for member in PartyMember.objects.filter(id_number__in=chunk).select_related("branch"):
            existing[member.id_number] = member
    return {"orgs": OrganizationIndex(), "existing": existing}


def _fill_from_id(data: dict) -> None:
    facts = parse_id_number(data["id_number"])
    if not data.get("gender"):
        data["gender"] = facts.gender
    if not data.get("birth_date"):
        data["birth_date"] = facts.birth_date


def _save(row, *, user, context, today):
    data = dict(row.values)
    try:
        branch = check_reach(user, context["orgs"].find(data.pop("branch")))
    except values.CellError as error:
        raise RowError(str(error), "所在支部") from None
    _fill_from_id(data)
    if "ethnicity" in data and not data["ethnicity"]:
        data["ethnicity"] = "汉族"
    for flag in FLAG_FIELDS:
        if flag in data and data[flag] is None:
            data[flag] = False
    stage = data.pop("stage")
    member = context["existing"].get(data["id_number"])
    if member is None:
        member = services.member_create(branch=branch, stage=stage, today=today, **data)
        context["existing"][member.id_number] = member
        return NEW
    return _update(member, branch=branch, stage=stage, data=data, user=user, today=today)


def _update(member, *, branch, stage, data, user, today):
    if not within_reach(user, member.branch):
        raise RowError(
            _("This person is registered with %(branch)s, outside your reach.")
            % {"branch": member.branch.name},
            "身份证号",
        )
    if member.branch_id != branch.pk:
        raise RowError(
            _(
                "This person belongs to %(branch)s; a move to another branch is made with the "
                "transfer on the member's page, which records its date."
            )
            % {"branch": member.branch.name},
            "所在支部",
        )
    have, want = STAGE_ORDER.index(member.stage), STAGE_ORDER.index(stage)
    if want < have:
        raise RowError(
            _("This person is already at the stage “%(stage)s”; a stage is never taken back.")
            % {"stage": member.get_stage_display()},
            "发展阶段",
        )
    data.pop("id_number")
    changed = {
        name: value
        for name, value in data.items()
        if name in PERSONAL_FIELDS + FLAG_FIELDS + DATE_FIELDS and getattr(member, name) != value
    }
    # Dates of the steps still to take are set by the steps themselves (member_advance).
    steps = STAGE_ORDER[have + 1 : want + 1]
    step_dates = {services.STAGE_DATE_FIELD[step] for step in steps}
    detail = {name: value for name, value in changed.items() if name not in step_dates}
    if not detail and not steps:
        return UNCHANGED
    if detail:
        services.member_update(member=member, today=today, **detail)
    for step in steps:
        on = data.get(services.STAGE_DATE_FIELD[step])
        if on is None:
            column = next(c.header for c in COLUMNS if c.field == services.STAGE_DATE_FIELD[step])
            raise RowError(
                _("The stage moves on to “%(stage)s”: give its date.")
                % {"stage": Stage(step).label},
                column,
            )
        services.member_advance(member=member, on=on, today=today)
    return UPDATED


MEMBERS = register(
    ImportKind(
        key="members",
        label=gettext_lazy("Party members"),
        area=Area.GRASSROOTS,
        columns=COLUMNS,
        save=_save,
        prepare=_prepare,
        key_fields=("id_number",),
        list_url="grassroots:member-list",
        description=gettext_lazy(
            "The roster of Party members and of people in the membership pipeline, one person "
            "a row, identified by the ID number."
        ),
    )
)


# --- Historical meetings ----------------------------------------------------------------------

MEETING_KIND_ALIASES = {
    "党员大会": MeetingKind.GENERAL,
    "支委会": MeetingKind.COMMITTEE,
    "支部委员会": MeetingKind.COMMITTEE,
    "党小组会": MeetingKind.GROUP,
    "党课": MeetingKind.LECTURE,
    "主题党日": MeetingKind.THEME_DAY,
    "组织生活会": MeetingKind.ORG_LIFE,
    "民主评议党员": MeetingKind.APPRAISAL,
    "民主生活会": MeetingKind.DEMOCRATIC_LIFE,
}


COUNT_FIELDS = {
    "应到人数": "due",
    "实到人数": "present",
    "有表决权人数": "voting",
    "有表决权实到人数": "present_voting",
}


def _count(header, help_text, *, required=False, example=""):
    field = COUNT_FIELDS[header]
    return Column(
        header,
        field,
        help_text,
        values.parse_count,
        required,
        example=example,
        width=10,
        model_field=f"{field}_count",  # the service's errors name the meeting's count
    )


MEETING_COLUMNS = [
    Column(
        "组织",
        "organization",
        gettext_lazy("Required. The branch's full path or organisation code."),
        required=True,
        example="云溪县委/青龙镇党委/上金寨村党支部",
        width=30,
    ),
    Column(
        "会议类型",
        "kind",
        gettext_lazy("Required. From the list, for example 支部党员大会."),
        choices=MeetingKind.choices,
        aliases=MEETING_KIND_ALIASES,
        required=True,
        example="支部党员大会",
        width=16,
    ),
    Column(
        "会议日期",
        "date",
        gettext_lazy("Required. The day the meeting was held, for example 2024-03-05."),
        values.parse_date,
        True,
        example="2024-03-05",
        width=12,
    ),
    Column(
        "会议主题",
        "topic",
        gettext_lazy("Required. As in the minutes."),
        required=True,
        example="学习党的二十届三中全会精神",
        width=30,
    ),
    _count("应到人数", gettext_lazy("Required. Those due to attend."), required=True, example=23),
    _count("实到人数", gettext_lazy("Required. Those present."), required=True, example=20),
    _count(
        "有表决权人数",
        gettext_lazy("Full members among those due; empty means all of them."),
        example=21,
    ),
    _count(
        "有表决权实到人数",
        gettext_lazy("Full members among those present; empty means all of them."),
        example=18,
    ),
    Column("地点", "place", gettext_lazy("Where it was held."), example="村部会议室", width=14),
    Column("主持人", "host", gettext_lazy("Who chaired it."), example="王建国", width=10),
]


def _prepare_meetings(rows, *, user):
    return {"orgs": OrganizationIndex()}


def _save_meeting(row, *, user, context, today):
    data = dict(row.values)
    try:
        organization = check_reach(user, context["orgs"].find(data.pop("organization")))
    except values.CellError as error:
        raise RowError(str(error), "组织") from None
    due, present = data.pop("due"), data.pop("present")
    voting = data.pop("voting", None)
    present_voting = data.pop("present_voting", None)
    counts = services.MeetingCounts(
        due=due,
        present=present,
        voting=due if voting is None else voting,
        present_voting=present if present_voting is None else present_voting,
    )
    same = Meeting.objects.filter(
        organization=organization, kind=data["kind"], date=data["date"]
    ).first()
    if same is not None:
        # A meeting of the past is not edited by an import: the same one again is unchanged.
        recorded = (same.topic, same.due_count, same.present_count)
        if recorded == (data["topic"], counts.due, counts.present):
            return UNCHANGED
        raise RowError(
            _(
                "A meeting of this kind is already recorded for this organisation on this day, "
                "with other details; correct it on the meeting's page."
            ),
            "会议日期",
        )
    details = {name: data[name] for name in ("place", "host") if data.get(name)}
    services.meeting_record(
        organization=organization,
        kind=data["kind"],
        date=data["date"],
        topic=data["topic"],
        counts=counts,
        today=today,
        **details,
    )
    return NEW


MEETINGS = register(
    ImportKind(
        key="meetings",
        label=gettext_lazy("Past meetings"),
        area=Area.GRASSROOTS,
        columns=MEETING_COLUMNS,
        save=_save_meeting,
        prepare=_prepare_meetings,
        key_fields=("organization", "kind", "date"),
        list_url="grassroots:meeting-list",
        description=gettext_lazy(
            "Meetings held before the portal, from the minutes: one meeting a row with its "
            "counts; the quorum rule of its kind decides whether it was valid."
        ),
    )
)
