"""/metrics: the Prometheus text format, for a scraper holding METRICS_TOKEN or an administrator.

- portal_http_requests_total{method,status} and portal_http_request_duration_seconds{view}:
  counted by the middleware below. Under gunicorn (several processes) gunicorn.conf.py sets
  PROMETHEUS_MULTIPROC_DIR and the scrape adds up every worker's figures.
- Read at each scrape, never kept: the Celery queues' lengths in Redis, the tasks the workers
  finished by outcome (portal/taskmetrics.py), the age of the worker's
  and beat's heartbeats (portal/heartbeat.py; the compose file shares their directory with the
  web), the reminders waiting for delivery, and the last reminder sweep's figures.

Every figure read at a scrape costs one indexed query or one Redis command: the scrape's cost
does not grow with the data.
"""

import hmac
import os
import time

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from portal import healthcheck, taskmetrics

# The Celery queues (settings.CELERY_TASK_ROUTES): the default one and the exchange's.
QUEUES = ("celery", "exchange")
HEARTBEATS = ("worker", "beat")
# Where the reminder sweep leaves its last figures (portal/reminders/tasks.py).
LAST_SWEEP_KEY = "metrics:reminders:last-sweep"

LOCAL = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "portal_http_requests",
    "HTTP requests answered, by method and status code.",
    ["method", "status"],
    registry=LOCAL,
)
# Labelled by the URL's name (a few hundred at most), never by the path: a path carries ids.
LATENCY = Histogram(
    "portal_http_request_duration_seconds",
    "Time to answer a request, by URL name.",
    ["view"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=LOCAL,
)


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unmatched"
        REQUESTS.labels(
            request.method if request.method in KNOWN_METHODS else "other",
            str(response.status_code),
        ).inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        return response


KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class LiveFigures:
    """Figures read when Prometheus scrapes."""

    def collect(self):
        yield from self.queues()
        yield from self.tasks()
        yield from self.heartbeats()
        yield from self.reminders()

    def queues(self):
        up = GaugeMetricFamily("portal_redis_up", "1 when Redis answered this scrape.")
        lengths = GaugeMetricFamily(
            "portal_celery_queue_length", "Tasks waiting in a Celery queue.", labels=["queue"]
        )
        try:
            client = redis.Redis.from_url(
                settings.CELERY_BROKER_URL, socket_timeout=1, socket_connect_timeout=1
            )
            pipe = client.pipeline()
            for queue in QUEUES:
                pipe.llen(queue)
            for queue, length in zip(QUEUES, pipe.execute(), strict=True):
                lengths.add_metric([queue], length)
            up.add_metric([], 1)
        except redis.RedisError:
            up.add_metric([], 0)
        yield up
        yield lengths

    def tasks(self):
        family = CounterMetricFamily(
            "portal_celery_tasks",
            "Celery tasks finished, by task and outcome (counted by the workers in Redis).",
            labels=["task", "outcome"],
        )
        try:
            counts = taskmetrics.counts()
        except redis.RedisError:
            counts = {}
        for (task, outcome), number in sorted(counts.items()):
            family.add_metric([task, outcome], number)
        yield family

    def heartbeats(self):
        present = GaugeMetricFamily(
            "portal_heartbeat_present",
            "1 while the process's heartbeat file exists (it is removed when it stops).",
            labels=["process"],
        )
        ages = GaugeMetricFamily(
            "portal_heartbeat_age_seconds",
            "Seconds since the process last touched its heartbeat.",
            labels=["process"],
        )
        for process in HEARTBEATS:
            age = healthcheck.heartbeat_age(process)
            present.add_metric([process], 0 if age is None else 1)
            if age is not None:
                ages.add_metric([process], age)
        yield present
        yield ages

    def reminders(self):
        from portal.reminders.models import Reminder

        pending = GaugeMetricFamily(
            "portal_reminders_pending", "Reminders recorded and not yet delivered in-app."
        )
        emails = GaugeMetricFamily(
            "portal_reminder_emails_waiting", "Reminder e-mails queued or being sent."
        )
        # Both counts read a partial index (reminder_pending, the e-mail queue's): rows waiting,
        # not every reminder ever sent.
        pending.add_metric([], Reminder.objects.claimable().count())
        emails.add_metric(
            [],
            Reminder.objects.filter(
                email_state__in=[Reminder.EmailState.QUEUED, Reminder.EmailState.SENDING]
            ).count(),
        )
        yield pending
        yield emails
        last = cache.get(LAST_SWEEP_KEY)
        if last:
            for name, help_text, value in [
                (
                    "portal_reminders_last_sweep_timestamp_seconds",
                    "When the last reminder sweep finished (Unix time).",
                    last["finished"],
                ),
                (
                    "portal_reminders_last_sweep_recorded",
                    "Reminders the last sweep recorded.",
                    last["recorded"],
                ),
                (
                    "portal_reminders_last_sweep_failed_deadlines",
                    "Deadlines the last sweep could not read (see the worker's log).",
                    last["failed"],
                ),
            ]:
                family = GaugeMetricFamily(name, help_text)
                family.add_metric([], value)
                yield family


def record_sweep(*, recorded: int, failed: int) -> None:
    """Called by the sweep task; Redis down only loses the figure (the cache never raises)."""
    cache.set(
        LAST_SWEEP_KEY,
        {"finished": time.time(), "recorded": recorded, "failed": failed},
        timeout=None,
    )


class _Local:
    def collect(self):
        yield from LOCAL.collect()


def scrape() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Local())
    registry.register(LiveFigures())
    return generate_latest(registry)


def allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header.removeprefix("Bearer ").encode(), token.encode())
    user = request.user
    return user.is_authenticated and (user.is_superuser or user.role == "admin")


@login_not_required  # a scraper signs in with its bearer token, not a session
@never_cache
def metrics(request):
    if not allowed(request):
        if request.user.is_authenticated:
            return HttpResponse("Administrators only.\n", status=403, content_type="text/plain")
        response = HttpResponse(
            "Send Authorization: Bearer <METRICS_TOKEN>.\n", status=401, content_type="text/plain"
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(scrape(), content_type=CONTENT_TYPE_LATEST)
