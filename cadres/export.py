"""The appointment and removal form (干部任免审批表): its data, once, for the printable page
and the .xlsx file."""

import io
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from cadres.models import Appointment, Cadre


def _month(day) -> str:
    return f"{day:%Y.%m}" if day else ""


@dataclass
class FormData:
    cadre: Cadre
    name: str
    gender: str
    birth: str
    age: int
    ethnicity: str
    native_place: str
    birthplace: str
    party_joined: str
    work_started: str
    health: str
    professional_title: str
    speciality: str
    fulltime_education: str
    fulltime_school: str
    inservice_education: str
    inservice_school: str
    current_post: str
    proposed_post: str
    post_to_remove: str
    resume: list[str]
    merits: str
    assessments: str
    reason: str
    family: list[dict] = field(default_factory=list)
    submitting_unit: str = ""
    photo_url: str = ""


def _education(level_label: str, degree: str) -> str:
    return " ".join(part for part in (str(level_label), degree) if part)


def form_data(cadre: Cadre, *, on=None) -> FormData:
    on = on or timezone.localdate()
    posts = list(cadre.posts.select_related("unit").in_force(on))
    principal = [p for p in posts if not p.is_concurrent]
    concurrent = [p for p in posts if p.is_concurrent]
    current = "，".join(f"{p.unit.name}{p.post_title}" for p in principal + concurrent)
    appointment = (
        Appointment.objects.in_progress()
        .filter(cadre=cadre)
        .select_related("proposed_unit", "post_to_remove__unit")
        .order_by("-motion_on")
        .first()
    )
    assessments = [
        f"{a.year}年度考核{a.get_grade_display()}" for a in cadre.assessments.order_by("-year")[:3]
    ]
    merits = [f"{m.decided_on:%Y.%m} {m.description}" for m in cadre.merits.order_by("decided_on")]
    resume = [
        f"{_month(line.start)}—{_month(line.end) or '    '}  {line.text}"
        for line in cadre.resume_lines.all()
    ]
    family = [
        {
            "relation": member.relation,
            "name": member.name,
            "age": (on.year - member.birth_date.year) if member.birth_date else "",
            "political_status": member.political_status,
            "employer_and_post": member.employer_and_post,
        }
        for member in cadre.family_members.all()
    ]
    return FormData(
        cadre=cadre,
        name=cadre.name,
        gender=cadre.get_gender_display(),
        birth=_month(cadre.birth_date),
        age=cadre.age_on(on),
        ethnicity=cadre.ethnicity,
        native_place=cadre.native_place,
        birthplace=cadre.birthplace,
        party_joined=_month(cadre.party_joined_on),
        work_started=_month(cadre.work_started_on),
        health=cadre.health,
        professional_title=cadre.professional_title,
        speciality=cadre.speciality,
        fulltime_education=_education(
            cadre.get_fulltime_education_display(), cadre.fulltime_degree
        ),
        fulltime_school=cadre.fulltime_school,
        inservice_education=_education(
            cadre.get_inservice_education_display(), cadre.inservice_degree
        ),
        inservice_school=cadre.inservice_school,
        current_post=current,
        proposed_post=(
            f"{appointment.proposed_unit.name}{appointment.proposed_title}" if appointment else ""
        ),
        post_to_remove=(
            f"{appointment.post_to_remove.unit.name}{appointment.post_to_remove.post_title}"
            if appointment and appointment.post_to_remove
            else ""
        ),
        resume=resume,
        merits="；".join(merits) or "无",
        assessments="；".join(reversed(assessments)),
        reason=appointment.reason if appointment else "",
        family=family,
        submitting_unit=cadre.organization.name,
        photo_url=reverse("cadres:cadre-photo", args=[cadre.pk]) if cadre.photo else "",
    )


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
LEFT = Alignment(wrap_text=True, vertical="top", horizontal="left")


def form_xlsx(data: FormData) -> bytes:
    """The same form as a worksheet: labels and values in the official form's order."""
    book = Workbook()
    sheet = book.active
    sheet.title = "干部任免审批表"
    for column, width in enumerate((12, 12, 10, 12, 10, 12, 14, 14), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.merge_cells("A1:H1")
    sheet["A1"] = "干部任免审批表"
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = WRAP
    row = 2

    def cells(*pairs, height=None):
        nonlocal row
        column = 1
        for value, span in pairs:
            cell = sheet.cell(row=row, column=column, value=value)
            cell.alignment = WRAP if span == 1 else LEFT
            cell.border = BOX
            if span > 1:
                sheet.merge_cells(
                    start_row=row, start_column=column, end_row=row, end_column=column + span - 1
                )
            column += span
        if height:
            sheet.row_dimensions[row].height = height
        row += 1

    cells(
        ("姓名", 1),
        (data.name, 1),
        ("性别", 1),
        (data.gender, 1),
        ("出生年月（岁）", 1),
        (f"{data.birth}（{data.age}岁）", 3),
    )
    cells(
        ("民族", 1),
        (data.ethnicity, 1),
        ("籍贯", 1),
        (data.native_place, 1),
        ("出生地", 1),
        (data.birthplace, 3),
    )
    cells(
        ("入党时间", 1),
        (data.party_joined, 1),
        ("参加工作时间", 1),
        (data.work_started, 1),
        ("健康状况", 1),
        (data.health, 3),
    )
    cells(
        ("专业技术职务", 1),
        (data.professional_title, 3),
        ("熟悉专业有何专长", 1),
        (data.speciality, 3),
    )
    cells(
        ("全日制教育", 1),
        (data.fulltime_education, 3),
        ("毕业院校系及专业", 1),
        (data.fulltime_school, 3),
    )
    cells(
        ("在职教育", 1),
        (data.inservice_education, 3),
        ("毕业院校系及专业", 1),
        (data.inservice_school, 3),
    )
    cells(("现任职务", 1), (data.current_post, 7))
    cells(("拟任职务", 1), (data.proposed_post, 7))
    cells(("拟免职务", 1), (data.post_to_remove, 7))
    cells(("简历", 1), ("\n".join(data.resume), 7), height=max(60, 15 * len(data.resume)))
    cells(("奖惩情况", 1), (data.merits, 7), height=30)
    cells(("年度考核结果", 1), (data.assessments, 7), height=30)
    cells(("任免理由", 1), (data.reason, 7), height=30)
    cells(
        ("家庭主要成员及重要社会关系", 1),
        ("称谓", 1),
        ("姓名", 1),
        ("年龄", 1),
        ("政治面貌", 1),
        ("工作单位及职务", 3),
    )
    for member in data.family:
        cells(
            ("", 1),
            (member["relation"], 1),
            (member["name"], 1),
            (member["age"], 1),
            (member["political_status"], 1),
            (member["employer_and_post"], 3),
        )
    cells(("呈报单位", 1), (data.submitting_unit, 7))
    cells(("审批机关意见", 1), ("", 7), height=40)
    cells(("行政机关任免意见", 1), ("", 7), height=40)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
