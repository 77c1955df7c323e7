"""The Celery app of the worker and beat processes that tests/reminders/test_worker.py starts.

It is the portal's own app, plus the test deadlines (tests/reminders/deadlines.py), and, when
TEST_BEAT_SECONDS is set, a beat schedule that sweeps and delivers every few seconds so that
a test can watch two beats at work.
"""

import os

import django
from celery.schedules import schedule

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from tests import clock  # noqa: E402

clock.start()  # moved as far as the test run that started it (pytest --clock)

import portal.deadlines  # noqa: E402
from portal.celery import app  # noqa: E402
from tests.reminders.deadlines import TEST_DEADLINES  # noqa: E402

# Only the test deadlines: the apps' own would find rows in the test's world too.
portal.deadlines.registry()
portal.deadlines._REGISTRY = {deadline.key: deadline for deadline in TEST_DEADLINES}

if os.environ.get("TEST_BEAT_SECONDS"):
    every = schedule(float(os.environ["TEST_BEAT_SECONDS"]))
    app.conf.beat_schedule = {
        # A test-only pace: sweep and deliver every TEST_BEAT_SECONDS.
        "reminders-sweep": {
            "task": "portal.reminders.tasks.sweep_reminders_task",
            "schedule": every,
        },
        "reminders-deliver": {
            "task": "portal.reminders.tasks.deliver_reminders_task",
            "schedule": every,
        },
    }

__all__ = ["app"]
