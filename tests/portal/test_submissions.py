"""One tap, one record (portal/submissions.py): every form that creates something, sent 8
times at once with the key it was rendered with, creates exactly one record; a POST resent
after success gets the first answer again."""

import datetime
import threading
from dataclasses import dataclass

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cadres.models import (
    Appointment,
    Assessment,
    Cadre,
    FamilyMember,
    Merit,
    PostLevel,
    PostRecord,
    ReserveEntry,
    ResumeLine,
    Training,
)
from grassroots import services as grassroots_services
from grassroots.models import Meeting, MeetingKind, Motion, PartyMember
from poverty.models import Household, Measure, Pairing, Visit
from supervision.models import Complaint
from tests.cadres.factories import make_cadre as make_cadre_with_post
from tests.factories import id_number_for
from tests.grassroots.factories import PartyMemberFactory, ensure_requirements
from tests.portal.concurrency import TIMES, clients_for, form_key, send_together
from tests.poverty.factories import make_cadre, make_household, make_pairing, make_village


@dataclass
class Case:
    role: str
    url: str
    data: dict
    count: object  # () -> int: the records a user would see created
    form_page: str = ""  # where the form is shown, when it is not the URL it posts to


def _today():
    return timezone.localdate()


def meeting(world):
    ensure_requirements()
    members = [PartyMemberFactory(branch=world.branch_a1) for _ in range(4)]
    return Case(
        "secretary",
        reverse("grassroots:meeting-create", kwargs={"pk": world.branch_a1.pk}),
        {
            "held": "True",
            "kind": MeetingKind.GENERAL,
            "date": _today().isoformat(),
            "topic": "学习党章",
            f"att-{members[0].pk}": "absent",
            f"reason-{members[0].pk}": "外出务工",
        },
        Meeting.objects.count,
    )


def motion(world):
    ensure_requirements()
    for _ in range(4):
        PartyMemberFactory(branch=world.branch_a1)
    held = grassroots_services.meeting_record(
        organization=world.branch_a1, kind=MeetingKind.GENERAL, date=_today(), topic="党员大会"
    )
    return Case(
        "secretary",
        reverse("grassroots:motion-create", kwargs={"pk": held.pk}),
        {"title": "接收预备党员", "yes": 3, "no": 0, "abstain": 0},
        Motion.objects.count,
        form_page=reverse("grassroots:meeting-detail", kwargs={"pk": held.pk}),
    )


def party_member(world):
    birth = datetime.date(1990, 4, 1)
    return Case(
        "secretary",
        reverse("grassroots:member-create"),
        {
            "name": "孙八",
            "gender": "male",
            "ethnicity": "汉族",
            "birth_date": birth.isoformat(),
            "id_number": id_number_for(birth, "male"),
            "education": "bachelor",
            "branch": world.branch_a1.pk,
            "stage": "applicant",
            "applied_on": "2026-01-05",
        },
        PartyMember.objects.count,
    )


def training(world):
    cadre = make_cadre_with_post(world.township_a)
    return Case(
        "staff",
        reverse("cadres:training-create", kwargs={"pk": cadre.pk}),
        {
            "course": "乡村振兴专题培训",
            "organizer": "县委党校",
            "start_date": "2026-03-02",
            "end_date": "2026-03-06",
            "class_hours": "40",
        },
        Training.objects.count,
    )


def appointment(world):
    cadre = make_cadre_with_post(world.township_a)
    return Case(
        "staff",
        reverse("cadres:appointment-create", kwargs={"pk": cadre.pk}),
        {
            "proposed_unit": world.township_a.pk,
            "proposed_title": "甲镇镇长",
            "proposed_level": PostLevel.SECTION_CHIEF,
            "motion_on": _today().isoformat(),
            "reason": "工作需要",
        },
        Appointment.objects.count,
    )


def cadre(world):
    birth = datetime.date(1984, 6, 9)
    return Case(
        "staff",
        reverse("cadres:cadre-create"),
        {
            "name": "周九",
            "gender": "female",
            "birth_date": birth.isoformat(),
            "id_number": id_number_for(birth, "female", area="110106"),
            "organization": world.township_a.pk,
            "ethnicity": "汉族",
            "health": "健康",
            "staff_category": "civil_servant",
        },
        Cadre.objects.count,
    )


def household(world):
    village = make_village(world.branch_a1)
    return Case(
        "staff",
        reverse("poverty:household-create"),
        {
            "village": village.pk,
            "number": "5301020001",
            "main_cause": "illness",
            "address": "甲一村三组",
            "standard": "national",
            "kind": "ordinary",
            "housing": "brick_concrete",
            "water": "piped",
            "electricity": "grid",
        },
        Household.objects.count,
    )


def visit(world):
    helper = world.user("helper")
    house = make_household(make_village(world.branch_a1))
    make_pairing(house, make_cadre(world.township_a, user=helper))
    return Case(
        "helper",
        reverse("poverty:visit-create", kwargs={"pk": house.pk}),
        {"date": _today().isoformat(), "kind": "home", "findings": "家中老人病情稳定"},
        Visit.objects.count,
    )


def pairing(world):
    house = make_household(make_village(world.branch_a1))
    official = make_cadre(world.township_a, level=PostLevel.SECTION_DEPUTY)
    return Case(
        "staff",
        reverse("poverty:pairing-create", kwargs={"pk": house.pk}),
        {"official": official.pk, "start": _today().isoformat()},
        lambda: Pairing.objects.filter(end__isnull=True).count(),
    )


def measure(world):
    house = make_household(make_village(world.branch_a1))
    return Case(
        "staff",
        reverse("poverty:measure-create", kwargs={"pk": house.pk}),
        {"kind": "industry", "amount": "1200.00", "date": _today().isoformat(), "note": "养鸡"},
        Measure.objects.count,
    )


def complaint(world):
    return Case(
        "supervisor",
        reverse("supervision:complaint-create"),
        {
            "channel": "letter",
            "received_on": _today().isoformat(),
            "category": "formalism",
            "subject_organization": world.branch_a1.pk,
            "summary": "反映村务不公开",
            "description": "村里的补助名单没有公示。",
            "anonymous": "on",
        },
        Complaint.objects.count,
    )


def _cadre_child(url_name, data, model):
    """A case for one of the record kinds added on a cadre's page (cadres.views.child_create)."""

    def build(world):
        cadre = make_cadre_with_post(world.township_a)
        return Case(
            "staff",
            reverse(url_name, kwargs={"pk": cadre.pk}),
            {**data, "unit": world.township_a.pk} if "unit" in data else data,
            lambda: model.objects.filter(cadre=cadre).count(),
        )

    build.__name__ = url_name.split(":")[1]
    return build


post_record = _cadre_child(
    "cadres:postrecord-create",
    {
        "unit": None,  # the township's id, filled in by _cadre_child
        "post_title": "甲镇党委委员",
        "level": PostLevel.SECTION_DEPUTY,
        "start_date": "2026-06-01",
        "document_number": "云组〔2026〕9号",
        "is_concurrent": "on",
    },
    PostRecord,
)
assessment = _cadre_child(
    "cadres:assessment-create", {"year": 2025, "grade": "competent"}, Assessment
)
merit = _cadre_child(
    "cadres:merit-create",
    {"kind": "reward", "decided_on": "2026-05-04", "description": "嘉奖"},
    Merit,
)
resume_line = _cadre_child(
    "cadres:resumeline-create",
    {"start": "2001-09-01", "end": "2005-07-01", "text": "某大学经济学专业学习"},
    ResumeLine,
)
family_member = _cadre_child(
    "cadres:familymember-create",
    {"relation": "妻子", "name": "吴十", "political_status": "群众"},
    FamilyMember,
)
reserve = _cadre_child(
    "cadres:reserveentry-create",
    {"level": PostLevel.SECTION_CHIEF, "added_on": "2026-04-01"},
    ReserveEntry,
)


def household_member(world):
    house = make_household(make_village(world.branch_a1))
    return Case(
        "staff",
        reverse("poverty:member-create", kwargs={"pk": house.pk}),
        {
            "name": "郑十一",
            "id_number": id_number_for(datetime.date(2012, 3, 4), "female"),
            "relation": "child",
            "education": "primary",
            "health": "healthy",
            "labour": "none",
            "medical_insurance": "on",
        },
        lambda: house.members.count(),
    )


def village_matter(world):
    from grassroots.decisions.models import VillageMatter

    return Case(
        "secretary",
        reverse("grassroots:village-matter-create", kwargs={"pk": world.branch_a1.pk}),
        {
            "subject": "project",
            "topic": "村道硬化",
            "amount": "",
            "done_on": _today().isoformat(),
            "summary": "支部委员会提议硬化村道。",
        },
        VillageMatter.objects.count,
    )


def major_matter(world):
    from grassroots.decisions.models import MajorMatter

    return Case(
        "staff",
        reverse("grassroots:major-matter-create", kwargs={"pk": world.township_a.pk}),
        {
            "category": "decision",
            "title": "制定乡村振兴三年规划",
            "raised_on": _today().isoformat(),
        },
        MajorMatter.objects.count,
    )


def step_remark(world):
    from grassroots.decisions.models import StepRemark
    from tests.grassroots.access import _step

    step = _step(world.branch_a1)
    return Case(
        "secretary",
        reverse("grassroots:village-step-remark", kwargs={"pk": step.pk}),
        {
            "remarked_on": _today().isoformat(),
            "author": "村务监督委员会 王主任",
            "text": "程序合规。",
        },
        StepRemark.objects.count,
        form_page=reverse("grassroots:village-matter-detail", kwargs={"pk": step.matter_id}),
    )


CASES = [
    meeting,
    motion,
    party_member,
    training,
    appointment,
    cadre,
    household,
    visit,
    pairing,
    measure,
    complaint,
    post_record,
    assessment,
    merit,
    resume_line,
    family_member,
    reserve,
    household_member,
    village_matter,
    major_matter,
    step_remark,
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("build", CASES, ids=[case.__name__ for case in CASES])
def test_eight_simultaneous_taps_create_one_record(build, world):
    # given the form as the browser received it, with its one-time key
    case = build(world)
    clients = clients_for(world.user(case.role))
    before = case.count()
    data = {**case.data, "submission_key": form_key(clients[0], case.form_page or case.url)}

    # when the same POST arrives 8 times at the same moment
    responses = send_together(clients, case.url, data)

    # then exactly one record exists, and every tap was answered with the first result
    assert case.count() == before + 1
    statuses = [r.status_code for r in responses]
    assert statuses == [302] * TIMES, statuses
    assert len({r["Location"] for r in responses}) == 1

    # and a POST resent after success (the browser's "resend") gets the same redirect
    again = clients[0].post(case.url, data)
    assert again.status_code == 302
    assert again["Location"] == responses[0]["Location"]
    assert case.count() == before + 1


@pytest.mark.django_db
def test_a_resent_form_shows_the_first_results_message(client_as, world):
    case = party_member(world)
    client = client_as(case.role)
    data = {**case.data, "submission_key": form_key(client, case.url)}
    first = client.post(case.url, data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    again = client.post(case.url, data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert first.redirect_chain == again.redirect_chain
    first_messages = [str(m) for m in first.context["messages"]]
    assert first_messages
    assert [str(m) for m in again.context["messages"]] == first_messages
    assert PartyMember.objects.filter(name="孙八").count() == 1


@pytest.mark.django_db
def test_a_form_with_errors_keeps_its_key_and_can_be_sent_again(client_as, world):
    case = visit(world)
    client = client_as(case.role)
    key = form_key(client, case.url)
    tomorrow = (_today() + datetime.timedelta(days=1)).isoformat()
    refused = client.post(case.url, {**case.data, "date": tomorrow, "submission_key": key})
    # the form comes back with its error and the same key; nothing was recorded
    assert refused.status_code == 200
    assert f'value="{key}"' in refused.content.decode()
    assert Visit.objects.count() == 0
    corrected = client.post(case.url, {**case.data, "submission_key": key})
    assert corrected.status_code == 302
    assert Visit.objects.count() == 1


@pytest.mark.django_db
def test_another_users_key_is_not_replayed(client, world):
    case = measure(world)
    staff = world.user("staff")
    client.force_login(staff)
    key = form_key(client, case.url)
    assert client.post(case.url, {**case.data, "submission_key": key}).status_code == 302
    # an administrator who somehow sends the same key gets no view of staff's result
    client.force_login(world.user("admin"))
    response = client.post(case.url, {**case.data, "submission_key": key}, follow=True)
    assert Measure.objects.count() == 1
    assert "请重新填写" in response.content.decode() or "fill it in again" in (
        response.content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_different_taps_for_one_branch_and_day_log_one_meeting(world):
    """Business duplicates are a rule of their own: eight secretaries' phones (different keys)
    logging the same branch's meeting of the same kind on the same day create one meeting;
    the others are asked to confirm a second one."""
    case = meeting(world)
    user = world.user(case.role)
    clients = []
    for _ in range(TIMES):
        client = Client()
        client.force_login(user)
        clients.append(client)
    start = threading.Barrier(TIMES)
    responses = [None] * TIMES

    def send(index):
        try:
            key = form_key(clients[index], case.url)
            start.wait()
            responses[index] = clients[index].post(case.url, {**case.data, "submission_key": key})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(TIMES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert Meeting.objects.count() == 1
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * (TIMES - 1) + [302]
    warned = [r for r in responses if r.status_code == 200]
    assert all("仍然登记" in r.content.decode() for r in warned)  # "log it anyway"


@pytest.mark.django_db
def test_keys_are_remembered_for_the_keep_days_then_purged(client_as, world, settings):
    from portal.models import Submission
    from portal.tasks import submissions_purge_task

    settings.SUBMISSION_KEEP_DAYS = 30
    case = measure(world)
    client = client_as(case.role)
    key = form_key(client, case.url)
    assert client.post(case.url, {**case.data, "submission_key": key}).status_code == 302
    sent = Submission.objects.get(key=key)

    # 29 days on, the key is still there: a resend from a phone that was offline is answered
    # with the first result
    Submission.objects.filter(pk=sent.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=29)
    )
    assert submissions_purge_task() == 0
    assert client.post(case.url, {**case.data, "submission_key": key}).status_code == 302
    assert Measure.objects.count() == 1

    # past 30 days it is purged by the daily task
    Submission.objects.filter(pk=sent.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert submissions_purge_task() == 1
    assert not Submission.objects.filter(pk=sent.pk).exists()


def test_the_purge_is_scheduled_daily():
    from django.conf import settings

    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["portal-purge-submissions"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {3}
