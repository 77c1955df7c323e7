"""What the cadres app contributes to data import (portal/exchange/importing): the cadre
register on the appointment form's fields (干部任免审批表), and the post history. Writes go
through cadres.services, the same functions as the cadre forms."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres import services
from cadres.models import Cadre, PostLevel, StaffCategory
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

LEVEL_ALIASES = {
    "正处": PostLevel.COUNTY_CHIEF,
    "副处": PostLevel.COUNTY_DEPUTY,
    "正科": PostLevel.SECTION_CHIEF,
    "副科": PostLevel.SECTION_DEPUTY,
    "科员": PostLevel.STAFF,
}


def month_date(value):
    """The form's year.month (1982.03) or a full date; (date, whether only the month)."""
    day = values.parse_date(value, month_precision=True)
    return (day, values.is_month_only(value)) if day else (None, False)


def _month(header, field, help_text, example):
    return Column(header, field, help_text, month_date, example=example, width=12)


EDUCATION_HELP = gettext_lazy("From the list, for example 大学本科.")

CADRE_COLUMNS = [
    Column(
        "姓名",
        "name",
        gettext_lazy("Required."),
        values.clean_name,
        True,
        example="李建华",
        width=10,
    ),
    Column(
        "性别",
        "gender",
        gettext_lazy("男 or 女; left empty, it is read from the ID number."),
        choices=Gender.choices,
        example="男",
        width=6,
    ),
    Column(
        "出生年月",
        "birth_date",
        gettext_lazy(
            "1976.03 as on the form, or a full date; left empty, it is read from the ID number."
        ),
        month_date,
        example="1976.03",
        width=11,
    ),
    Column(
        "身份证号",
        "id_number",
        gettext_lazy(
            "Required. 18 characters, in a text column. A cadre already on record is updated."
        ),
        values.parse_id_number,
        True,
        example="433127197603150017",
        width=21,
    ),
    Column("民族", "ethnicity", gettext_lazy("Empty means 汉族."), example="汉族", width=8),
    Column(
        "籍贯", "native_place", gettext_lazy("For example 湖南凤凰."), example="湖南凤凰", width=10
    ),
    Column(
        "出生地", "birthplace", gettext_lazy("For example 湖南云溪."), example="湖南云溪", width=10
    ),
    _month("入党时间", "party_joined_on", gettext_lazy("1998.07 as on the form."), "1998.07"),
    _month("参加工作时间", "work_started_on", gettext_lazy("1996.08 as on the form."), "1996.08"),
    Column("健康状况", "health", gettext_lazy("Empty means 健康."), example="健康", width=9),
    Column(
        "专业技术职务", "professional_title", gettext_lazy("For example 经济师."), example="经济师"
    ),
    Column(
        "熟悉专业有何专长", "speciality", gettext_lazy("Free text."), example="财政管理", width=16
    ),
    Column(
        "人员类别",
        "staff_category",
        gettext_lazy("公务员 or 事业单位人员: decides the assessment grades."),
        choices=StaffCategory.choices,
        example="公务员",
        width=12,
    ),
    Column(
        "全日制教育",
        "fulltime_education",
        EDUCATION_HELP,
        choices=Education.choices,
        aliases=values.EDUCATION_ALIASES,
        example="大学本科",
        width=12,
    ),
    Column(
        "全日制学位",
        "fulltime_degree",
        gettext_lazy("For example 经济学学士."),
        example="经济学学士",
        width=12,
    ),
    Column(
        "全日制毕业院校系及专业",
        "fulltime_school",
        gettext_lazy("School, department and major."),
        example="湖南大学财政学专业",
        width=22,
    ),
    Column(
        "在职教育",
        "inservice_education",
        EDUCATION_HELP,
        choices=Education.choices,
        aliases=values.EDUCATION_ALIASES,
        example="硕士研究生",
        width=12,
    ),
    Column(
        "在职学位",
        "inservice_degree",
        gettext_lazy("For example 公共管理硕士."),
        example="公共管理硕士",
        width=12,
    ),
    Column(
        "在职毕业院校系及专业",
        "inservice_school",
        gettext_lazy("School, department and major."),
        example="中南大学公共管理专业",
        width=22,
    ),
    Column(
        "工作单位",
        "organization",
        gettext_lazy(
            "Required. The unit's full path or code; once posts are recorded, the current post decides the unit."
        ),
        required=True,
        example="云溪县委/县财政局党组",
        width=28,
        model_field="organization",
    ),
]
DETAIL_FIELDS = [c.field for c in CADRE_COLUMNS if c.field in services.records.DETAIL_FIELDS]
MONTH_FIELDS = ("party_joined_on", "work_started_on")


def _existing_cadres(rows):
    numbers = [row.values["id_number"] for row in rows if row.values.get("id_number")]
    found = {}
    for start in range(0, len(numbers), 5000):
        chunk = numbers[start : start + 5000]
        for cadre in Cadre.objects.filter(id_number__in=chunk).select_related("organization"):
            found[cadre.id_number] = cadre
    return found


def _prepare_cadres(rows, *, user):
    return {"orgs": OrganizationIndex(), "existing": _existing_cadres(rows)}


def _birth_date(data) -> None:
    """A year.month birth date takes its day from the ID number when the month agrees (the
    form has no day); a different month is left for the service to refuse."""
    facts = parse_id_number(data["id_number"])
    day, month_only = data.get("birth_date") or (None, False)
    if (
        day is None
        or month_only
        and (day.year, day.month) == (facts.birth_date.year, facts.birth_date.month)
    ):
        day = facts.birth_date
    data["birth_date"] = day
    if not data.get("gender"):
        data["gender"] = facts.gender


def _save_cadre(row, *, user, context, today):
    data = dict(row.values)
    try:
        unit = check_reach(user, context["orgs"].find(data.pop("organization")))
    except values.CellError as error:
        raise RowError(str(error), "工作单位") from None
    _birth_date(data)
    for name in MONTH_FIELDS:
        if name in data:
            data[name] = data[name][0]
    if "ethnicity" in data and not data["ethnicity"]:
        data["ethnicity"] = "汉族"
    if "health" in data and not data["health"]:
        data["health"] = "健康"
    if "staff_category" in data and not data["staff_category"]:
        data["staff_category"] = StaffCategory.CIVIL_SERVANT
    cadre = context["existing"].get(data["id_number"])
    if cadre is None:
        cadre = services.cadre_create(organization=unit, **data)
        context["existing"][cadre.id_number] = cadre
        return NEW
    if not within_reach(user, cadre.organization):
        raise RowError(
            _("This cadre is on record at %(unit)s, outside your reach.")
            % {"unit": cadre.organization.name},
            "身份证号",
        )
    if all(getattr(cadre, name) == value for name, value in data.items()):
        return UNCHANGED
    required = {
        name: data.get(name, getattr(cadre, name))
        for name in ("name", "gender", "birth_date", "id_number")
    }
    details = {name: value for name, value in data.items() if name in DETAIL_FIELDS}
    services.cadre_update(cadre=cadre, **required, **details)
    return UPDATED


CADRES = register(
    ImportKind(
        key="cadres",
        label=gettext_lazy("Cadres"),
        area=Area.CADRES,
        columns=CADRE_COLUMNS,
        save=_save_cadre,
        prepare=_prepare_cadres,
        key_fields=("id_number",),
        list_url="cadres:cadre-list",
        description=gettext_lazy(
            "The cadre register with the appointment form's fields, one cadre a row, "
            "identified by the ID number."
        ),
    )
)


# --- Post history ----------------------------------------------------------------------------

POST_COLUMNS = [
    Column(
        "身份证号",
        "id_number",
        gettext_lazy("Required. The cadre's ID number (the cadre must be on record)."),
        values.parse_id_number,
        True,
        example="433127197603150017",
        width=21,
    ),
    Column(
        "姓名",
        "name",
        gettext_lazy("The cadre's name, checked against the record."),
        values.clean_name,
        example="李建华",
        width=10,
    ),
    Column(
        "任职单位",
        "unit",
        gettext_lazy("Required. The unit's full path or code."),
        required=True,
        example="云溪县委/县财政局党组",
        width=28,
    ),
    Column(
        "职务",
        "post_title",
        gettext_lazy("Required. For example 县财政局副局长."),
        required=True,
        example="县财政局副局长",
        width=18,
    ),
    Column(
        "职务层次",
        "level",
        gettext_lazy("Required. From the list."),
        choices=PostLevel.choices,
        aliases=LEVEL_ALIASES,
        required=True,
        example="乡科级副职",
        width=12,
    ),
    Column(
        "职级", "rank", gettext_lazy("For example 一级主任科员."), example="一级主任科员", width=14
    ),
    Column(
        "任职时间",
        "start_date",
        gettext_lazy("Required. 2019.03 as on the form, or a full date."),
        month_date,
        True,
        example="2019.03",
        width=11,
    ),
    Column(
        "免职时间",
        "end_date",
        gettext_lazy("Empty for a post still held; the day the next post began, or 2021.06."),
        month_date,
        example="",
        width=11,
    ),
    Column(
        "任职文号",
        "document_number",
        gettext_lazy("Required. The document that made the post, for example 云组干〔2019〕12号."),
        required=True,
        example="云组干〔2019〕12号",
        width=20,
    ),
    Column(
        "是否兼职",
        "is_concurrent",
        gettext_lazy("是 for a concurrent post (兼职); empty means 否."),
        values.parse_bool,
        example="否",
        width=9,
    ),
]


def _prepare_posts(rows, *, user):
    cadres = _existing_cadres(rows)
    posts = {}
    for cadre in cadres.values():
        for post in cadre.posts.all():
            posts[(cadre.pk, post.unit_id, post.post_title, post.start_date)] = post
    return {"orgs": OrganizationIndex(), "existing": cadres, "posts": posts}


def _save_post(row, *, user, context, today):
    data = dict(row.values)
    cadre = context["existing"].get(data["id_number"])
    if cadre is None:
        raise RowError(_("No cadre has this ID number; import the cadre first."), "身份证号")
    if data.get("name") and data["name"] != cadre.name:
        raise RowError(
            _("The ID number belongs to %(name)s, not to this name.") % {"name": cadre.name},
            "姓名",
        )
    if not within_reach(user, cadre.organization):
        raise RowError(
            _("This cadre is on record at %(unit)s, outside your reach.")
            % {"unit": cadre.organization.name},
            "身份证号",
        )
    try:
        unit = check_reach(user, context["orgs"].find(data["unit"]))
    except values.CellError as error:
        raise RowError(str(error), "任职单位") from None
    start = data["start_date"][0]
    end = (data.get("end_date") or (None, False))[0]
    key = (cadre.pk, unit.pk, data["post_title"], start)
    post = context["posts"].get(key)
    if post is None:
        post = services.post_record_add(
            cadre=cadre,
            unit=unit,
            post_title=data["post_title"],
            level=data["level"],
            rank=data.get("rank", ""),
            start_date=start,
            end_date=end,
            document_number=data["document_number"],
            is_concurrent=bool(data.get("is_concurrent")),
            today=today,
        )
        context["posts"][key] = post
        return NEW
    if post.end_date == end:
        return UNCHANGED
    if post.end_date is None and end is not None:
        services.post_record_end(post=post, end_date=end, today=today)
        return UPDATED
    raise RowError(
        _("This post is on record as ended on %(date)s; correct it on the cadre's page.")
        % {"date": post.end_date.isoformat()},
        "免职时间",
    )


def _chronological(row):
    start = row.values.get("start_date") or (datetime.date.min, False)
    return (row.values.get("id_number", ""), start[0])


POSTS = register(
    ImportKind(
        key="cadre-posts",
        label=gettext_lazy("Cadre post history"),
        area=Area.CADRES,
        columns=POST_COLUMNS,
        save=_save_post,
        prepare=_prepare_posts,
        key_fields=("id_number", "post_title", "start_date"),
        list_url="cadres:cadre-list",
        order=_chronological,
        description=gettext_lazy(
            "Posts held, one post a row with its dates and document number; each cadre's "
            "posts are recorded in date order and the current one decides the unit."
        ),
    )
)
