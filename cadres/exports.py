"""What the cadres app exports (portal/exchange/registry.py): the cadre list and the post
history of the cadres it shows (the import's columns, so they can be imported back), the
appointment workflow, the reserve pool and its ratios, the 干部名册, and the 干部任免审批表
of cadres picked on the list, one sheet each."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cadres import export, lists
from cadres.models import Cadre, PostLevel
from portal.exchange.registry import Export, ExportQuery, register
from portal.exchange.writer import Column, Table
from portal.roles import Area, Capability, may

# Forms of picked cadres in one file: a few queries each, so a bounded number.
MAX_FORMS = 100


def _month(day) -> str:
    return f"{day:%Y.%m}" if day else ""


def cadre_tables(query: ExportQuery) -> list[Table]:
    columns = [
        Column("姓名", "name"),
        Column("性别", lambda c: c.get_gender_display()),
        Column("出生年月", "birth_date", width=12),
        Column("身份证号", "id_number", width=21, sensitive=True),
        Column("民族", "ethnicity"),
        Column("籍贯", "native_place"),
        Column("出生地", "birthplace"),
        Column("入党时间", "party_joined_on", width=12),
        Column("参加工作时间", "work_started_on", width=12),
        Column("健康状况", "health"),
        Column("专业技术职务", "professional_title"),
        Column("熟悉专业有何专长", "speciality"),
        Column("人员类别", lambda c: c.get_staff_category_display()),
        Column("全日制教育", lambda c: c.get_fulltime_education_display()),
        Column("全日制学位", "fulltime_degree"),
        Column("全日制毕业院校系及专业", "fulltime_school"),
        Column("在职教育", lambda c: c.get_inservice_education_display()),
        Column("在职学位", "inservice_degree"),
        Column("在职毕业院校系及专业", "inservice_school"),
        Column("工作单位", lambda c: query.org_path(c.organization)),
    ]
    return [Table("干部名单", columns, lists.cadres(query.user, query.params).qs)]


def post_tables(query: ExportQuery) -> list[Table]:
    columns = [
        Column("身份证号", "cadre.id_number", width=21, sensitive=True),
        Column("姓名", "cadre.name"),
        Column("任职单位", lambda p: query.org_path(p.unit)),
        Column("职务", "post_title"),
        Column("职务层次", lambda p: p.get_level_display()),
        Column("职级", "rank"),
        Column("任职时间", "start_date", width=12),
        Column("免职时间", "end_date", width=12),
        Column("任职文号", "document_number"),
        Column("是否兼职", "is_concurrent"),
    ]
    return [Table("任职经历", columns, lists.posts(query.user, query.params))]


def _blockers(appointment) -> str:
    held = []
    if appointment.stage == "inspection" and appointment.open_musts:
        held.append(f"凡提四必未完成 {appointment.open_musts} 项")
    if appointment.blocking_complaint_code and appointment.stage in (
        "motion",
        "recommendation",
        "inspection",
    ):
        held.append(f"信访件 {appointment.blocking_complaint_code} 未办结")
    if appointment.open_objection:
        held.append("公示期有异议未处理")
    return "；".join(held)


def appointment_tables(query: ExportQuery) -> list[Table]:
    columns = [
        Column("干部", "cadre.name"),
        Column("拟任单位", "proposed_unit.name"),
        Column("拟任职务", "proposed_title"),
        Column("职务层次", lambda a: a.get_proposed_level_display()),
        Column("环节", lambda a: a.get_stage_display()),
        Column("动议日期", "motion_on"),
        Column("民主推荐日期", "recommended_on"),
        Column("考察开始日期", "inspection_started_on"),
        Column("讨论决定日期", "meeting_on"),
        Column("公示开始", "notice_starts_on"),
        Column("公示截止", "notice_ends_on"),
        Column("任职日期", "appointed_on"),
        Column("任职文号", "document_number"),
        Column("试用期满", "probation_ends_on"),
        Column("待办事项", _blockers, width=30),
    ]
    return [Table("选拔任用", columns, lists.appointments(query.user, query.params))]


def reserve_tables(query: ExportQuery) -> list[Table]:
    columns = [
        Column("后备职务层次", lambda e: e.get_level_display()),
        Column("姓名", "cadre.name"),
        Column("性别", lambda e: e.cadre.get_gender_display()),
        Column("单位", "cadre.organization.name"),
        Column("入库日期", "added_on"),
        Column("备注", "note"),
    ]
    return [Table("后备干部", columns, lists.reserve_entries(query.user))]


def reserve_report_tables(query: ExportQuery) -> list[Table]:
    columns = [
        Column("职务层次", lambda row: row.label),
        Column("现任职数", "posts"),
        Column("后备干部数", "reserves"),
        Column("后备干部上限", "max_reserves"),
        Column("其中女性", "women"),
        Column("女性至少", "min_women"),
        Column("超出比例", "over_ratio"),
        Column("女性不足", "too_few_women"),
    ]
    return [Table("后备干部比例", columns, lists.reserve_report(query.user))]


def register_tables(query: ExportQuery) -> list[Table]:
    """干部名册: the cadres of the list with its filters, one line each as offices print
    them, A4 landscape."""
    rows = lists.cadres(query.user, query.params).qs
    count = rows.count()
    levels = dict(PostLevel.choices)
    columns = [
        Column("姓名", "name"),
        Column("性别", lambda c: c.get_gender_display()),
        Column("出生年月", lambda c: _month(c.birth_date), width=9),
        Column("年龄", lambda c: c.age_on(query.today), width=6),
        Column("民族", "ethnicity"),
        Column("籍贯", "native_place"),
        Column("入党时间", lambda c: _month(c.party_joined_on), width=9),
        Column("参加工作时间", lambda c: _month(c.work_started_on), width=9),
        Column("全日制学历", lambda c: c.get_fulltime_education_display()),
        Column("在职学历", lambda c: c.get_inservice_education_display()),
        Column("工作单位", "organization.name", width=20),
        Column("现任职务", lambda c: c.current_title or "", width=20),
        Column("职务层次", lambda c: str(levels.get(c.current_level, ""))),
        Column("职级", lambda c: c.current_rank or ""),
        Column("任现职时间", lambda c: _month(c.current_post_started_on), width=9),
    ]
    heading = [
        "干部名册",
        f"截至{query.today.year}年{query.today.month}月{query.today.day}日　共 {count} 人",
    ]
    table = Table(
        "干部名册",
        columns,
        rows,
        heading=heading,
        numbered=True,
        boxed=True,
        landscape=True,
        total=count,
    )
    return [table]


class CadreSelection(forms.Form):
    ids = forms.ModelMultipleChoiceField(queryset=Cadre.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = Cadre.objects.visible_to(user)


def forms_tables(query: ExportQuery):
    """The 干部任免审批表 of the cadres picked on the list (?ids=…), one sheet each."""
    selection = CadreSelection(query.params, user=query.user)
    if not selection.is_valid():
        raise ValidationError(_("Tick the cadres whose forms you want, on the cadre list."))
    ids = [cadre.pk for cadre in selection.cleaned_data["ids"]]
    if len(ids) > MAX_FORMS:
        raise ValidationError(
            _("At most %(n)d forms in one file; tick fewer cadres.") % {"n": MAX_FORMS}
        )
    return [
        export.form_sheet(export.form_data(cadre))
        for cadre in lists.selected_cadres(query.user, ids)
    ]


C = Area.CADRES


def may_reveal_id_number(user) -> bool:
    return may(user, Capability.REVEAL_ID_NUMBER)


register(Export("cadres", "干部名单", C, cadre_tables, may_reveal=may_reveal_id_number))
register(Export("posts", "任职经历", C, post_tables, may_reveal=may_reveal_id_number))
register(Export("appointments", "选拔任用", C, appointment_tables))
register(Export("reserve", "后备干部", C, reserve_tables))
register(Export("reserve-report", "后备干部比例", C, reserve_report_tables))
register(Export("cadre-register", "干部名册", C, register_tables, register=True))
register(Export("cadre-forms", "干部任免审批表", C, forms_tables, formats=("xlsx",), register=True))
