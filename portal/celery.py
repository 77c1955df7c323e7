"""The Celery application. Tasks live in each app's tasks.py; the beat schedule is in code."""

import os

from celery import Celery

from portal.heartbeat import WorkerHeartbeat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The worker's container health check reads the file this step touches (portal/healthcheck.py).
app.steps["worker"].add(WorkerHeartbeat)
# Tasks finished, by outcome, counted in Redis for /metrics (the workers serve no HTTP).
import portal.taskmetrics  # noqa: E402,F401

# Data exchange (imports, exports) is a package of the core, not an app of its own.
app.autodiscover_tasks(["portal.exchange", "portal.exchange.importing"])
