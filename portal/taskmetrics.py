"""Counts of Celery tasks run, by task and outcome, for /metrics (portal/metrics.py).

Workers are not scraped (they serve no HTTP): each outcome is one HINCRBY on a hash in Redis,
which the web's /metrics reads. The hash has one field per task and outcome (a few dozen);
losing Redis loses only the counts. Connected by portal/celery.py; imports no model.
"""

import contextlib
import functools

import redis
from celery.signals import task_failure, task_retry, task_success

KEY = "portal:metrics:tasks"
OUTCOMES = ("succeeded", "failed", "retried")


@functools.cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def broker():
    from django.conf import settings

    return _client(settings.CELERY_BROKER_URL)


def count(task_name: str, outcome: str) -> None:
    # A count is not worth failing a task for.
    with contextlib.suppress(redis.RedisError):
        broker().hincrby(KEY, f"{task_name}|{outcome}", 1)


def counts() -> dict[tuple[str, str], int]:
    """(task, outcome) -> how many times, since Redis's data began."""
    raw = broker().hgetall(KEY)
    result = {}
    for field, value in raw.items():
        task, _, outcome = field.decode().rpartition("|")
        result[(task, outcome)] = int(value)
    return result


@task_success.connect(weak=False)
def _succeeded(sender=None, **kwargs):
    count(sender.name, "succeeded")


@task_failure.connect(weak=False)
def _failed(sender=None, **kwargs):
    count(sender.name, "failed")


@task_retry.connect(weak=False)
def _retried(sender=None, **kwargs):
    count(sender.name, "retried")
