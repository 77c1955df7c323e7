import random
import time

import pytest

from cadres import demo
from cadres.models import Appointment, Cadre, PostLevel, Stage
from portal import demo as portal_demo
from portal.idnumbers import check_agrees

pytestmark = pytest.mark.django_db


def test_demo_cadres_are_realistic_linked_and_idempotent(settings):
    settings.DEMO_PASSWORD = "demo-password-for-tests"
    county = portal_demo.load(rng=random.Random(1))
    started = time.monotonic()
    demo.load(county=county, rng=random.Random(2), scale=1.0)
    assert time.monotonic() - started < 12
    cadres = list(Cadre.objects.with_current_post())
    assert 750 <= len(cadres) <= 850
    for cadre in cadres[:200]:
        check_agrees(cadre.id_number, birth_date=cadre.birth_date, gender=cadre.gender)
    assert all(c.current_level for c in cadres)
    assert all(c.organization_id == c.current_unit_id for c in cadres)
    levels = {c.current_level for c in cadres}
    assert levels == set(PostLevel.values)
    helper = Cadre.objects.with_current_post().get(user__username="helper")
    assert helper.current_level == PostLevel.SECTION_DEPUTY
    assert helper.organization == county.user("helper").organization
    leader = Cadre.objects.with_current_post().get(user__username="leader")
    assert leader.current_level in (PostLevel.COUNTY_CHIEF, PostLevel.COUNTY_DEPUTY)
    stages = set(Appointment.objects.values_list("stage", flat=True))
    assert {Stage.MOTION, Stage.INSPECTION, Stage.NOTICE, Stage.PROBATION} <= stages
    # a second run adds nothing
    demo.load(county=county, rng=random.Random(2), scale=1.0)
    assert Cadre.objects.count() == len(cadres)
