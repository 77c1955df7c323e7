"""Demo data for the reminder engine: one sweep and one delivery over the demo county, so
the demo users find notifications under the bell at their first login.

Idempotent by nature (the sweep inserts nothing twice) and returns at once when reminders
exist. Runs last in seed_demo, after the apps whose deadlines it sweeps.
"""

import random

from django.utils import timezone

from portal.demo import DemoCounty
from portal.reminders.models import Reminder
from portal.reminders.services import reminders_deliver, reminders_sweep


def load(*, county: DemoCounty, rng: random.Random, scale: float) -> None:
    if Reminder.objects.exists():
        return
    reminders_sweep(today=timezone.localdate())
    reminders_deliver()
