"""The demo county's poverty data: real entries in the overdue and incomplete views."""

import random
import time

from django.utils import timezone

from cadres.models import Cadre
from portal import demo as portal_demo
from poverty import demo
from poverty.models import Household, Pairing, Village
from tests.poverty.factories import make_cadre

LEVELS = ["county_chief", "county_deputy", "section_chief", "section_deputy", "staff"]


def test_demo_has_overdue_visits_incomplete_villages_and_the_helpers_households(db):
    county = portal_demo.load(rng=random.Random(1), scale=0.3)
    helper = county.user("helper")
    for n in range(40):
        make_cadre(county.county, level=LEVELS[n % len(LEVELS)], user=helper if n == 4 else None)
    started = time.monotonic()
    demo.load(county=county, rng=random.Random(2), scale=0.3)
    elapsed = time.monotonic() - started
    today = timezone.localdate()

    assert Household.objects.count() == 600
    assert Pairing.objects.overdue(today).exists()
    assert Village.objects.incomplete().exists()
    assert Household.objects.exclude(exit_stage="").exists()
    assert Household.objects.filter(status="at_risk").exists()
    mine = Pairing.objects.visible_to(helper).active()
    assert mine.count() == 6
    assert 1 <= mine.overdue(today).count() < 6
    assert elapsed < 12 * 0.3 + 2
    # idempotent: a second run adds nothing
    demo.load(county=county, rng=random.Random(2), scale=0.3)
    assert Household.objects.count() == 600
    assert Cadre.objects.count() == 40
