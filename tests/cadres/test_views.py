import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cadres import services
from cadres.models import Appointment, Cadre, FourMust, PostLevel, Stage
from portal.models import RevealLog
from supervision import services as supervision_services
from supervision.models import Category, Channel
from tests.cadres.factories import make_cadre
from tests.cadres.workflow import TODAY, D, complete_musts, propose, walk

pytestmark = pytest.mark.django_db


def make_many(world, count: int, start: int = 0):
    names = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
    cadres = []
    for n in range(start, start + count):
        cadre = make_cadre(
            world.township_a,
            name=names[n % len(names)] + "某" + str(n),
            birth_date=D(1970 + n % 25, 1 + n % 12, 1 + n % 27),
            post=f"干部{n}",
            level=PostLevel.STAFF,
        )
        services.reserve_add(cadre=cadre, level=PostLevel.SECTION_DEPUTY, added_on=TODAY)
        cadres.append(cadre)
    return cadres


# --- Query counts: flat in the number of rows ------------------------------------------------


def _count_queries(client, url, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


# Every page: session, user, the user's organisation for scoping, the notification bell (4).
BASE = 4
# + count (1), the page of cadres with their current post, unit and reserve flag as
# subqueries and joins (1). (The unit filter no longer lists every unit: a searchable picker
# renders only the chosen one, so 3 - 1.)
CADRE_LIST_QUERIES = BASE + 2


def test_cadre_list_query_count_is_flat(client_as, world, django_assert_num_queries):
    client = client_as("staff")
    make_many(world, 1)
    url = reverse("cadres:cadre-list")
    _count_queries(client, url, django_assert_num_queries, CADRE_LIST_QUERIES)
    make_many(world, 49, start=1)
    response = _count_queries(client, url, django_assert_num_queries, CADRE_LIST_QUERIES)
    page = response.content.decode()
    assert all(f"某{n}<" in page for n in range(50))  # every cadre's row, by name


# + count (1), the page of entries with cadre and unit joined (1)
RESERVE_LIST_QUERIES = BASE + 2


def test_reserve_list_query_count_is_flat(client_as, world, django_assert_num_queries):
    client = client_as("leader")
    make_many(world, 1)
    url = reverse("cadres:reserveentry-list")
    _count_queries(client, url, django_assert_num_queries, RESERVE_LIST_QUERIES)
    cadres = make_many(world, 49, start=1)
    response = _count_queries(client, url, django_assert_num_queries, RESERVE_LIST_QUERIES)
    page = response.content.decode()
    assert all(cadre.name in page for cadre in cadres)  # the whole pool on one page


# + rules (1), posts held per level (1), reserve per level (1)
RESERVE_REPORT_QUERIES = BASE + 3


def test_reserve_report_query_count_is_flat(client_as, world, django_assert_num_queries):
    client = client_as("staff")
    make_many(world, 1)
    url = reverse("cadres:reserveentry-report")
    _count_queries(client, url, django_assert_num_queries, RESERVE_REPORT_QUERIES)
    make_many(world, 49, start=1)
    response = _count_queries(client, url, django_assert_num_queries, RESERVE_REPORT_QUERIES)
    # 50 staff posts, 50 reserves for section deputy with no posts held at that level
    assert response.context["rows"][-1].posts == 50


def _appointments(world, count, start=0):
    for cadre in make_many(world, count, start):
        walk(propose(cadre, world.township_a), Stage.INSPECTION)


# + count (1), the page with blockers and complaint as subqueries (1)
APPOINTMENT_LIST_QUERIES = BASE + 2
# + cadres count (1), reserve count (1), appointments in progress with blockers (1)
DASHBOARD_QUERIES = BASE + 3


def test_workflow_pages_query_count_is_flat(client_as, world, django_assert_num_queries):
    client = client_as("staff")
    _appointments(world, 1)
    list_url, index_url = reverse("cadres:appointment-list"), reverse("cadres:index")
    _count_queries(client, list_url, django_assert_num_queries, APPOINTMENT_LIST_QUERIES)
    _count_queries(client, index_url, django_assert_num_queries, DASHBOARD_QUERIES)
    _appointments(world, 49, start=1)
    response = _count_queries(client, list_url, django_assert_num_queries, APPOINTMENT_LIST_QUERIES)
    assert len(response.context["page_obj"]) == 50
    _count_queries(client, index_url, django_assert_num_queries, DASHBOARD_QUERIES)


# --- Filters and search ---------------------------------------------------------------------


def test_list_filters_by_level_age_and_pinyin(client_as, world):
    make_cadre(world.township_a, name="张三丰", level=PostLevel.SECTION_CHIEF, post="镇长")
    make_cadre(world.township_b, name="李四", birth_date=D(1996, 2, 2), level=PostLevel.STAFF)
    client = client_as("staff")
    page = client.get(reverse("cadres:cadre-list"), {"q": "zsf"}).content.decode()
    assert "张三丰" in page and "李四" not in page
    page = client.get(reverse("cadres:cadre-list"), {"level": "staff"}).content.decode()
    assert "李四" in page and "张三丰" not in page
    page = client.get(reverse("cadres:cadre-list"), {"age": "lt35"}).content.decode()
    assert "李四" in page and "张三丰" not in page
    page = client.get(reverse("cadres:cadre-list"), {"unit": world.township_a.pk}).content.decode()
    assert "张三丰" in page and "李四" not in page


# --- ID numbers: masked everywhere, revealed on request and logged ---------------------------


def test_id_number_is_masked_on_every_page_and_revealed_only_on_request(client_as, world):
    cadre = make_cadre(world.township_a)
    client = client_as("staff")
    for name in ("cadre-detail", "cadre-print", "cadre-timeline"):
        page = client.get(reverse(f"cadres:{name}", args=[cadre.pk])).content.decode()
        assert cadre.id_number not in page, name
    assert (
        "*" * 14 + cadre.id_number[-4:]
        in client.get(reverse("cadres:cadre-detail", args=[cadre.pk])).content.decode()
    )
    for name in ("cadre-list", "index"):
        assert cadre.id_number not in client.get(reverse(f"cadres:{name}")).content.decode()
    assert not RevealLog.objects.exists()
    response = client.post(reverse("cadres:cadre-reveal", args=[cadre.pk]), HTTP_HX_REQUEST="true")
    assert cadre.id_number in response.content.decode()
    assert "<nav" not in response.content.decode()  # an htmx fragment, not a page
    log = RevealLog.objects.get()
    assert (log.user.username, log.field) == ("staff", "id_number")


def test_the_edit_page_shows_the_id_number_masked_and_keeps_it_when_left_empty(client_as, world):
    # given a cadre record
    cadre = make_cadre(world.township_a)
    client = client_as("staff")
    url = reverse("cadres:cadre-update", args=[cadre.pk])
    # when the edit page is opened, then the number is masked, as everywhere else
    page = client.get(url).content.decode()
    assert cadre.id_number not in page
    assert "*" * 14 + cadre.id_number[-4:] in page
    assert not RevealLog.objects.exists()
    # when it is saved with the number left empty, then the recorded number is kept
    response = client.post(
        url,
        {
            "name": "新名字",
            "gender": cadre.gender,
            "birth_date": cadre.birth_date.isoformat(),
            "id_number": "",
            "ethnicity": "汉族",
            "health": "健康",
            "staff_category": "civil_servant",
        },
    )
    assert response.status_code == 302
    saved = Cadre.objects.get(pk=cadre.pk)
    assert (saved.name, saved.id_number) == ("新名字", cadre.id_number)


def test_leader_reads_masked_and_cannot_reveal(client_as, world):
    cadre = make_cadre(world.township_a)
    client = client_as("leader")
    page = client.get(reverse("cadres:cadre-detail", args=[cadre.pk])).content.decode()
    assert cadre.id_number not in page
    assert reverse("cadres:cadre-reveal", args=[cadre.pk]) not in page
    assert client.post(reverse("cadres:cadre-reveal", args=[cadre.pk])).status_code == 403
    assert not RevealLog.objects.exists()


# --- Forms: bad input gets a message and changes nothing -------------------------------------


def test_create_with_an_invalid_id_number_shows_the_message(client_as, world):
    client = client_as("staff")
    response = client.post(
        reverse("cadres:cadre-create"),
        {
            "name": "王五",
            "gender": "male",
            "birth_date": "1980-05-17",
            "id_number": "110105198005170010",
            "organization": world.township_a.pk,
            "ethnicity": "汉族",
            "health": "健康",
            "staff_category": "civil_servant",
        },
    )
    assert response.status_code == 200
    assert "身份证号码校验位不正确" in response.content.decode()
    assert not Cadre.objects.exists()


def test_a_second_assessment_for_the_year_shows_the_message(client_as, world):
    cadre = make_cadre(world.township_a)
    services.assessment_record(cadre=cadre, year=2025, grade="excellent")
    response = client_as("staff").post(
        reverse("cadres:assessment-create", args=[cadre.pk]),
        {"year": 2025, "grade": "competent"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert cadre.assessments.get().grade == "excellent"


def test_a_text_file_as_photo_is_refused(client_as, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    cadre = make_cadre(world.township_a)
    response = client_as("staff").post(
        reverse("cadres:cadre-update", args=[cadre.pk]),
        {
            "name": cadre.name,
            "gender": cadre.gender,
            "birth_date": cadre.birth_date.isoformat(),
            "id_number": cadre.id_number,
            "ethnicity": "汉族",
            "health": "健康",
            "staff_category": "civil_servant",
            "photo": SimpleUploadedFile("me.jpg", b"hello, not a picture", "image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    cadre.refresh_from_db()
    assert not cadre.photo


def test_the_workflow_page_names_the_blocking_complaint_without_the_reporter(client_as, world):
    cadre = make_cadre(world.township_a)
    appointment = walk(propose(cadre, world.township_a), Stage.INSPECTION)
    complaint, _secret = supervision_services.complaint_record(
        receiver=world.user("supervisor"),
        channel=Channel.LETTER,
        category=Category.FORMALISM,
        summary="反映其问题",
        description="具体线索：某月某日收受礼金",
        subject_cadre=cadre,
        has_specific_clues=True,
        reporter={"name": "举报人钱某", "contact": "13811112222"},
        received_on=D(2026, 8, 12),
        today=D(2026, 8, 12),
    )
    complete_musts_except_fourth(appointment)
    client = client_as("staff")
    url = reverse("cadres:appointment-detail", args=[appointment.pk])
    page = client.get(url).content.decode()
    assert complaint.tracking_code in page
    assert "举报人钱某" not in page and "13811112222" not in page and "收受礼金" not in page
    # the decision is refused with a message naming the complaint
    response = client.post(
        reverse("cadres:appointment-step", args=[appointment.pk, "decide"]),
        {
            "decide-meeting_on": "2026-09-01",
            "decide-members_due": 11,
            "decide-members_present": 10,
            "decide-votes_for": 9,
        },
    )
    assert response.status_code == 200
    assert complaint.tracking_code in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.stage == Stage.INSPECTION
    # and it shows on the list's "what blocks it"
    assert (
        complaint.tracking_code in client.get(reverse("cadres:appointment-list")).content.decode()
    )


def complete_musts_except_fourth(appointment):
    for check in appointment.four_musts.exclude(item=FourMust.COMPLAINTS_CHECKED):
        services.four_must_complete(
            check=check, checked_by="刘明", checked_on=D(2026, 8, 20), today=TODAY
        )


def test_steps_through_the_pages(client_as, world):
    cadre = make_cadre(world.township_a)
    client = client_as("staff")
    response = client.post(
        reverse("cadres:appointment-create", args=[cadre.pk]),
        {
            "proposed_unit": world.township_a.pk,
            "proposed_title": "镇长",
            "proposed_level": PostLevel.SECTION_CHIEF,
            "motion_on": "2026-08-03",
            "with_probation": "on",
        },
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    client.post(
        reverse("cadres:appointment-step", args=[appointment.pk, "recommend"]),
        {"recommend-recommended_on": "2026-08-10", "recommend-note": "得票率 85%"},
    )
    client.post(
        reverse("cadres:appointment-step", args=[appointment.pk, "inspect"]),
        {"inspect-started_on": "2026-08-17"},
    )
    check = appointment.four_musts.get(item=FourMust.FILE_REVIEWED)
    response = client.post(
        reverse("cadres:fourmustcheck-complete", args=[check.pk]),
        {f"must{check.pk}-checked_by": "刘明", f"must{check.pk}-checked_on": "2026-08-20"},
    )
    assert response.status_code == 302
    # the decision while three musts are open: refused, with the open items named
    response = client.post(
        reverse("cadres:appointment-step", args=[appointment.pk, "decide"]),
        {
            "decide-meeting_on": "2026-09-01",
            "decide-members_due": 11,
            "decide-members_present": 10,
            "decide-votes_for": 9,
        },
    )
    assert "纪检监察机关意见必听" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.stage == Stage.INSPECTION
    complete_musts(appointment)
    services.appointment_decide(
        appointment=appointment,
        meeting_on=D(2026, 9, 1),
        members_due=11,
        members_present=10,
        votes_for=9,
        today=TODAY,
    )
    client.post(
        reverse("cadres:appointment-step", args=[appointment.pk, "notice"]),
        {"notice-starts_on": "2026-09-30"},
    )
    response = client.post(
        reverse("cadres:appointment-step", args=[appointment.pk, "appoint"]),
        {"appoint-appointed_on": "2026-10-13", "appoint-document_number": "云委干〔2026〕45号"},
    )
    assert response.status_code == 200
    assert "2026-10-13" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.stage == Stage.NOTICE


# --- Timeline: complaints only for the supervision role -------------------------------------


def test_timeline_shows_complaints_to_the_supervisor_only(client_as, world):
    cadre = make_cadre(world.township_a)
    complaint, _secret = supervision_services.complaint_record(
        receiver=world.user("supervisor"),
        channel=Channel.LETTER,
        category=Category.FORMALISM,
        summary="反映问题",
        description="线索",
        subject_cadre=cadre,
        received_on=D(2026, 8, 12),
        today=D(2026, 8, 12),
    )
    services.assessment_record(cadre=cadre, year=2025, grade="excellent")
    url = reverse("cadres:cadre-timeline", args=[cadre.pk])
    staff_page = client_as("staff").get(url).content.decode()
    assert complaint.tracking_code not in staff_page
    assert "2025" in staff_page
    supervisor_page = client_as("supervisor").get(url).content.decode()
    assert complaint.tracking_code in supervisor_page


# --- Print form and xlsx --------------------------------------------------------------------


def test_xlsx_carries_the_form_data(client_as, world):
    cadre = make_cadre(world.township_a, name="欧阳明日", native_place="湖南长沙")
    services.resume_line_add(cadre=cadre, start=D(2002, 7, 1), end=None, text="甲镇工作")
    response = client_as("leader").get(reverse("cadres:cadre-xlsx", args=[cadre.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert "欧阳明日" in values and "湖南长沙" in values
    assert any("甲镇工作" in str(v) for v in values)
    assert cadre.id_number not in values


# --- Training, fault tolerance and withdrawal through their pages ----------------------------


def test_a_training_course_through_its_page(client_as, world):
    cadre = make_cadre(world.township_a)
    client = client_as("staff")
    url = reverse("cadres:training-create", args=[cadre.pk])
    data = {
        "course": "乡村振兴专题班",
        "organizer": "县委党校",
        "start_date": "2026-05-10",
        "end_date": "2026-05-09",
        "class_hours": "24",
    }

    refused = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")

    assert "A course cannot end before it starts." in refused.content.decode()
    assert not cadre.trainings.exists()

    saved = client.post(url, {**data, "end_date": "2026-05-12"}, follow=True)

    page = saved.content.decode()
    assert "2026-05-10—2026-05-12" in page and "乡村振兴专题班" in page and "县委党校" in page
    assert cadre.trainings.get().class_hours == 24


def test_a_fault_tolerance_case_through_its_page(client_as, world):
    cadre = make_cadre(world.township_a)
    client = client_as("staff")
    url = reverse("cadres:faulttolerancecase-create", args=[cadre.pk])

    refused = client.post(url, {"decided_on": "2026-04-01"}, HTTP_ACCEPT_LANGUAGE="en")

    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert not cadre.fault_tolerance_cases.exists()

    saved = client.post(
        url,
        {"error": "项目验收程序不全", "decision": "予以容错免责", "decided_on": "2026-04-01"},
        follow=True,
    )

    assert "2026-04-01：项目验收程序不全 — 予以容错免责" in saved.content.decode()


def test_withdrawing_an_appointment_through_its_page(client_as, world):
    appointment = walk(propose(make_cadre(world.township_a), world.township_a), Stage.INSPECTION)
    client = client_as("staff")
    url = reverse("cadres:appointment-step", args=[appointment.pk, "withdraw"])

    refused = client.post(
        url, {"withdraw-closed_on": "2026-08-25", "withdraw-note": " "}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "This field is required." in refused.content.decode()
    assert Appointment.objects.get(pk=appointment.pk).stage == Stage.INSPECTION

    saved = client.post(
        url,
        {"withdraw-closed_on": "2026-08-25", "withdraw-note": "动议撤回"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Withdrawn" in saved.content.decode()
    assert "动议撤回" in saved.content.decode()
    assert Appointment.objects.get(pk=appointment.pk).stage == Stage.WITHDRAWN
