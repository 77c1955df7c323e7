import datetime

import pytest

from cadres import deadlines, services
from cadres.models import FourMust, Stage
from portal.deadlines import check_rows, registry
from tests.cadres.factories import make_cadre
from tests.cadres.workflow import TODAY, complete_musts, propose, walk

pytestmark = pytest.mark.django_db
D = datetime.date


def rows(function, today, ahead=14, back=30):
    queryset = function(today, ahead, back)
    check_rows(queryset)
    return list(queryset)


def test_all_four_are_registered():
    keys = {k for k in registry() if k.startswith("cadres.")}
    assert keys == {
        "cadres.notice_end",
        "cadres.probation_end",
        "cadres.assessment_missing",
        "cadres.four_musts_open",
    }


def test_notice_end_is_due_until_the_appointment_is_made(world):
    cadre = make_cadre(world.township_a)
    appointment = walk(propose(cadre, world.township_a), Stage.NOTICE)
    [row] = rows(deadlines.notice_rows, D(2026, 10, 9))
    assert row["due_date"] == D(2026, 10, 13)
    assert row["item_key"] == str(appointment.pk)
    assert row["organization_id"] == world.county.pk and row["user_id"] is None
    assert "任前公示期结束" in row["title"] and cadre.name in row["title"]
    # outside the window: nothing
    assert rows(deadlines.notice_rows, D(2026, 8, 1)) == []
    services.appointment_appoint(
        appointment=appointment,
        appointed_on=D(2026, 10, 14),
        document_number="云委干〔2026〕45号",
        today=TODAY,
    )
    assert rows(deadlines.notice_rows, D(2026, 10, 9)) == []


def test_probation_end_until_confirmed(world):
    appointment = walk(propose(make_cadre(world.township_a), world.township_a), Stage.PROBATION)
    [row] = rows(deadlines.probation_rows, D(2027, 10, 1))
    assert row["due_date"] == appointment.probation_ends_on == D(2027, 10, 14)
    services.appointment_confirm(appointment=appointment, confirmed_on=D(2027, 10, 14))
    assert rows(deadlines.probation_rows, D(2027, 10, 1)) == []


def test_missing_assessment_for_last_year(world):
    # given two cadres in post at the end of 2026, one assessed
    assessed = make_cadre(world.township_a, name="甲")
    missing = make_cadre(world.township_a, name="乙", birth_date=D(1979, 1, 1))
    services.assessment_record(cadre=assessed, year=2026, grade="excellent", today=D(2027, 1, 5))
    # a cadre whose first post began in 2027 owes nothing for 2026
    make_cadre(world.township_a, name="丙", birth_date=D(1990, 1, 1), post_start=D(2027, 1, 3))
    [row] = rows(deadlines.assessment_rows, D(2027, 1, 20))
    assert row["item_key"] == f"{missing.pk}:2026"
    assert row["due_date"] == D(2027, 1, 31)
    assert "2026年度" in row["title"]
    # in the summer no assessment is due
    assert rows(deadlines.assessment_rows, D(2027, 7, 1)) == []
    services.assessment_record(cadre=missing, year=2026, grade="competent", today=D(2027, 1, 21))
    assert rows(deadlines.assessment_rows, D(2027, 1, 20)) == []


def test_four_musts_open_items(world):
    appointment = walk(propose(make_cadre(world.township_a), world.township_a), Stage.INSPECTION)
    found = rows(deadlines.four_musts_rows, D(2026, 9, 10))
    assert len(found) == 4
    assert {r["due_date"] for r in found} == {D(2026, 9, 16)}  # 17 Aug + 30 days
    assert f"{appointment.pk}:{FourMust.COMPLAINTS_CHECKED}" in {r["item_key"] for r in found}
    assert any("线索具体的信访举报必查" in r["title"] for r in found)
    complete_musts(appointment)
    assert rows(deadlines.four_musts_rows, D(2026, 9, 10)) == []


def test_urls_point_at_the_records(world):
    appointment = propose(make_cadre(world.township_a), world.township_a)
    deadline = registry()["cadres.four_musts_open"]
    assert deadline.url(f"{appointment.pk}:file").endswith(f"/appointments/{appointment.pk}/")
