"""The demo county holds a year of collective decisions that keep the rules, some of them
incomplete or behind."""

import datetime
import random
import re

import pytest
from django.db.models import Count, Max
from django.urls import reverse

from grassroots import demo as grassroots_demo
from grassroots.decisions.models import (
    MajorMatter,
    MatterStatus,
    StepKind,
    VillageMatter,
    VillageStep,
)
from grassroots.models import quorum_reached
from portal import demo as portal_demo
from portal import majorities
from tests.clock import pinned

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)


@pinned("2026-11-28T10:00+08:00")
def test_the_demo_holds_a_year_of_matters_that_keep_the_rules(client):
    county = portal_demo.load(rng=random.Random(1), scale=0.3)
    grassroots_demo.load(county=county, rng=random.Random(2), scale=0.3)

    matters = VillageMatter.objects.with_due(TODAY)
    stages = set(matters.values_list("stage", flat=True))
    # finished ones and ones still under way
    assert StepKind.RESULT_NOTICE in stages
    assert stages - {StepKind.RESULT_NOTICE}
    assert matters.filter(overdue=True).exists()
    # a fixed number per village: the demo grows linearly with --scale
    per_village = matters.values("organization").annotate(n=Count("pk")).aggregate(m=Max("n"))
    assert per_village["m"] <= 3

    # every matter's steps are in order, dated in order, never after today
    for matter in matters.prefetch_related("steps__meeting"):
        steps = list(matter.steps.all())
        assert [s.step for s in steps] == list(StepKind.values)[: len(steps)]
        days = [s.done_on for s in steps]
        assert days == sorted(days) and days[-1] <= TODAY
        deliberation = next((s for s in steps if s.step == StepKind.DELIBERATION), None)
        if deliberation:
            meeting = deliberation.meeting
            assert meeting.date == deliberation.done_on
            assert quorum_reached(
                "two_thirds",
                due=meeting.due_count,
                voting=meeting.voting_count,
                present=meeting.present_count,
                present_voting=meeting.present_voting_count,
            )
    assert not VillageStep.objects.filter(
        step__in=[StepKind.DECISION_NOTICE, StepKind.RESULT_NOTICE], attachments__isnull=True
    ).exists()

    teams = MajorMatter.objects.all()
    assert teams.filter(status=MatterStatus.ADOPTED).exists()
    assert teams.filter(status=MatterStatus.PENDING).exists()
    for matter in teams.exclude(status=MatterStatus.PENDING).prefetch_related("opinions"):
        spoke = sorted((o for o in matter.opinions.all() if o.position), key=lambda o: o.position)
        assert spoke[-1].is_principal
        needed = (
            majorities.at_least_two_thirds
            if matter.category == "appointment"
            else majorities.more_than_half
        )
        assert needed(matter.members_present, matter.members_due)

    # a township's rollup shows its villages and its team
    client.force_login(county.user("staff"))
    township = county.townships.first()
    page = client.get(reverse("grassroots:decision-rollup", args=[township.pk])).content.decode()
    assert re.search(r'<table class="table table-sm align-middle" id="village-rollup">', page)
    assert township.name in page
