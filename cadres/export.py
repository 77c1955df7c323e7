"""The appointment and removal form (干部任免审批表): its data, once, for the printable page
and the .xlsx file (written by the one writer, portal/exchange/writer.py)."""

import io
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from cadres.models import Appointment, Cadre
from portal.exchange.writer import FormCell, FormRow, FormSheet, write_xlsx


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


WIDTHS = (12, 12, 10, 12, 10, 12, 14, 14)


def form_sheet(data: FormData) -> FormSheet:
    """The form as a sheet of the one writer (portal/exchange/writer.py): labels and values
    in the official form's order. Every value goes through the safe-cell rule, so a field
    that starts with "=" stays text."""
    rows: list[FormRow] = []

    def cells(*pairs, height=None):
        rows.append(
            FormRow(
                [FormCell(value, span, label=span == 1) for value, span in pairs],
                height=height,
            )
        )

    def label(text):
        return (text, 1)

    cells(
        label("姓名"),
        (data.name, 1),
        label("性别"),
        (data.gender, 1),
        label("出生年月（岁）"),
        (f"{data.birth}（{data.age}岁）", 3),
    )
    cells(
        label("民族"),
        (data.ethnicity, 1),
        label("籍贯"),
        (data.native_place, 1),
        label("出生地"),
        (data.birthplace, 3),
    )
    cells(
        label("入党时间"),
        (data.party_joined, 1),
        label("参加工作时间"),
        (data.work_started, 1),
        label("健康状况"),
        (data.health, 3),
    )
    cells(
        label("专业技术职务"),
        (data.professional_title, 3),
        label("熟悉专业有何专长"),
        (data.speciality, 3),
    )
    cells(
        label("全日制教育"),
        (data.fulltime_education, 3),
        label("毕业院校系及专业"),
        (data.fulltime_school, 3),
    )
    cells(
        label("在职教育"),
        (data.inservice_education, 3),
        label("毕业院校系及专业"),
        (data.inservice_school, 3),
    )
    cells(label("现任职务"), (data.current_post, 7))
    cells(label("拟任职务"), (data.proposed_post, 7))
    cells(label("拟免职务"), (data.post_to_remove, 7))
    cells(label("简历"), ("\n".join(data.resume), 7), height=max(60, 15 * len(data.resume)))
    cells(label("奖惩情况"), (data.merits, 7), height=30)
    cells(label("年度考核结果"), (data.assessments, 7), height=30)
    cells(label("任免理由"), (data.reason, 7), height=30)
    cells(
        label("家庭主要成员及重要社会关系"),
        label("称谓"),
        label("姓名"),
        label("年龄"),
        label("政治面貌"),
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
    cells(label("呈报单位"), (data.submitting_unit, 7))
    cells(label("审批机关意见"), ("", 7), height=40)
    cells(label("行政机关任免意见"), ("", 7), height=40)
    return FormSheet(
        title=f"{data.name}（{data.cadre.pk}）",
        heading="干部任免审批表",
        widths=WIDTHS,
        rows=rows,
    )


def form_xlsx(data: FormData) -> bytes:
    """One cadre's form as an .xlsx file."""
    buffer = io.BytesIO()
    write_xlsx([form_sheet(data)], buffer)
    return buffer.getvalue()
