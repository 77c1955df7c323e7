"""The demo loader: fast, deterministic, idempotent, and covering every stage."""

import random
import time

import pytest

from portal import demo as portal_demo
from supervision import demo
from supervision.models import Complaint, ReporterIdentity, Status

pytestmark = pytest.mark.django_db


def test_the_demo_loads_fast_and_only_once():
    county = portal_demo.load(rng=random.Random(1), scale=1)

    started = time.monotonic()
    demo.load(county=county, rng=random.Random(2), scale=1)
    elapsed = time.monotonic() - started
    demo.load(county=county, rng=random.Random(2), scale=1)

    assert elapsed < 12
    assert 390 <= Complaint.objects.count() <= 410
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert {Status.RECEIVED, Status.INVESTIGATING, Status.REPLIED, Status.CLOSED} <= statuses
    assert Complaint.objects.with_deadlines().filter(days_left__lt=0).exists()
    assert Complaint.objects.filter(is_anonymous=True).exists()
    assert ReporterIdentity.objects.count() == Complaint.objects.filter(is_anonymous=False).count()
