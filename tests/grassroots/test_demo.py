"""The demo county gives the staff's compliance table something to show."""

import random
import re
import time

import pytest
from django.urls import reverse

from grassroots import demo as grassroots_demo
from grassroots.models import Meeting, PartyMember
from portal import demo as portal_demo
from tests.clock import pinned

pytestmark = pytest.mark.django_db


# Late in a month and a quarter: on the first days of a period no branch has met yet (the
# demo spreads each period's meetings over its days, up to today), so the three states need a
# day well inside one; the suite's own TODAY (tests/grassroots/conftest.py).
@pinned("2026-11-28T10:00+08:00")
def test_demo_shows_met_due_and_missed_branches_and_is_idempotent(client):
    county = portal_demo.load(rng=random.Random(1), scale=0.3)
    started = time.monotonic()
    grassroots_demo.load(county=county, rng=random.Random(2), scale=0.3)
    assert time.monotonic() - started < 12
    members, meetings = PartyMember.objects.count(), Meeting.objects.count()
    assert members > 300 and meetings > 1000  # ~130 branches at this scale

    # the secretary's branch has its committee, groups and meetings
    secretary = county.user("secretary")
    branch = secretary.organization
    assert branch.committee_terms.exists()
    assert branch.children.filter(kind="group").exists()
    assert Meeting.objects.filter(organization=branch, attendances__isnull=False).exists()

    client.force_login(county.user("staff"))
    seen = set()
    for township in county.townships:
        url = reverse("grassroots:organization-compliance", kwargs={"pk": township.pk})
        seen |= set(re.findall(r'<tr data-status="(\w+)"', client.get(url).content.decode()))
    assert seen == {"met", "due", "missed"}

    grassroots_demo.load(county=county, rng=random.Random(2), scale=0.3)
    assert (PartyMember.objects.count(), Meeting.objects.count()) == (members, meetings)


@pinned("2026-11-28T10:00+08:00")
def test_demo_keeps_the_grassroots_rules():
    """Committee sizes, contacts, training and founding dates of the demo county satisfy the
    services' rules, so the demo shows no nonsense (#14)."""
    from grassroots import services
    from grassroots.models import CommitteeTerm, Stage
    from portal.models import Organization

    county = portal_demo.load(rng=random.Random(1), scale=0.3)
    grassroots_demo.load(county=county, rng=random.Random(2), scale=0.3)
    terms = CommitteeTerm.objects.select_related("organization")
    assert terms.count() > 50
    sizes = set()
    for term in terms:
        services.committee_term_check(term=term)  # raises on a committee of the wrong size
        sizes.add(term.seats.count())
    assert {1, 3}.issubset(sizes)  # both a secretary alone and a committee occur
    pipeline = PartyMember.objects.filter(stage__in=[Stage.ACTIVIST, Stage.TARGET])
    for person in pipeline.prefetch_related("contacts"):
        services.member_contacts_check(member=person, contacts=person.contacts.all())
    admitted = PartyMember.objects.filter(stage__in=[Stage.PROBATIONARY, Stage.FULL])
    assert not admitted.filter(training_days__lt=3, training_hours__lt=24).exists()
    tree = Organization.objects.subtree_of(county.county).exclude(kind="group")
    assert not tree.filter(founded_on__isnull=True).exists()
    first_joined = PartyMember.objects.order_by("joined_on").values_list("joined_on", flat=True)
    assert tree.order_by("-founded_on").first().founded_on < first_joined.first()
