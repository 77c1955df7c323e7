"""Words on the pages as a Chinese reader expects them: a person's 姓名 (not 名称), a vote's
赞成 / 反对 (not 是 / 否), 筛选 on the filter button, 残疾 for a disabled household member,
结案 for closing a complaint, posts with their unit set apart, class hours with their unit."""

import re

import pytest
from django.urls import reverse

from cadres import services as cadre_services
from tests.cadres.factories import make_cadre
from tests.cadres.workflow import propose
from tests.poverty.factories import make_household, make_village

pytestmark = pytest.mark.django_db


def _labels(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\*", "", label).strip()
        for label in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
    ]


def test_a_persons_name_is_labelled_xingming(client_as):
    for role, url in (
        ("secretary", reverse("grassroots:member-create")),
        ("staff", reverse("cadres:cadre-create")),
    ):
        labels = _labels(client_as(role).get(url).content.decode())
        assert "姓名" in labels, (url, labels)
        assert "名称" not in labels, (url, labels)


def test_the_filter_button_reads_shaixuan(client_as):
    html = client_as("staff").get(reverse("cadres:cadre-list")).content.decode()
    assert "筛选" in html
    assert "过滤器" not in html


def test_a_vote_reads_for_and_against(client_as, world):
    from grassroots import services
    from grassroots.models import MeetingKind
    from tests.grassroots.factories import PartyMemberFactory, ensure_requirements

    ensure_requirements()
    for _ in range(3):
        PartyMemberFactory(branch=world.branch_a1)
    from django.utils import timezone

    meeting = services.meeting_record(
        organization=world.branch_a1,
        kind=MeetingKind.GENERAL,
        date=timezone.localdate(),
        topic="党员大会",
    )
    html = client_as("secretary").get(reverse("grassroots:meeting-detail", args=[meeting.pk]))
    labels = _labels(html.content.decode())
    assert "赞成" in labels and "反对" in labels, labels
    assert "是" not in labels and "否" not in labels, labels


def test_household_health_and_electricity_read_as_words(world):
    from django.utils import translation

    from poverty.models.households import Electricity, Health

    with translation.override("zh-hans"):
        assert str(Health.DISABLED.label) == "残疾"
        assert str(Electricity.NONE.label) == "未通电"


def test_closing_a_complaint_reads_jiean():
    from django.utils import translation

    from supervision.models import Move

    with translation.override("zh-hans"):
        assert str(Move.CLOSE.label) == "结案"


def test_a_proposed_post_is_not_run_together(client_as, world):
    appointment = propose(make_cadre(world.township_a), world.township_a)
    html = client_as("staff").get(reverse("cadres:appointment-list")).content.decode()
    assert f"{world.township_a.name} · 镇长" in html
    assert f"{world.township_a.name}镇长" not in html
    detail = client_as("staff").get(reverse("cadres:appointment-detail", args=[appointment.pk]))
    assert f"{world.township_a.name} · 镇长" in detail.content.decode()


def test_class_hours_carry_their_unit(client_as, world):
    import datetime

    cadre = make_cadre(world.township_a)
    cadre_services.training_record(
        cadre=cadre,
        course="党性教育",
        organizer="县委党校",
        start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 3, 6),
        class_hours=40,
    )
    html = client_as("staff").get(reverse("cadres:cadre-detail", args=[cadre.pk])).content.decode()
    assert "40 学时" in html
    assert "40.0" not in html


def test_the_village_search_is_labelled_village_name(client_as, world):
    make_household(make_village(world.branch_a1))
    labels = _labels(client_as("staff").get(reverse("poverty:village-list")).content.decode())
    assert "村名" in labels, labels
