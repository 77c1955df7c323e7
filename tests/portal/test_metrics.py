"""/metrics: what Prometheus scrapes, and who may read it."""

import os
import re
import time

import pytest
import redis
from django.conf import settings

from portal import healthcheck, metrics
from portal.reminders.models import Reminder
from portal.roles import Role

TOKEN = "a-scraper-token-long-enough-0123456789"


def value(text: str, name: str, **labels) -> float | None:
    """The value of one sample in the Prometheus text format (labels in any order)."""
    for line in text.splitlines():
        match = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})? ([0-9.e+-]+)", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if found == labels:
            return float(match.group(3))
    return None


@pytest.fixture
def scraper(client, settings):
    settings.METRICS_TOKEN = TOKEN

    def scrape():
        response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        return response.content.decode()

    return scrape


@pytest.mark.django_db
def test_a_scraper_without_the_token_is_refused(client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 401
    assert b"portal_http_requests" not in wrong.content


@pytest.mark.django_db
def test_without_a_token_configured_no_bearer_is_accepted(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 401


def test_an_administrator_reads_it_and_other_roles_do_not(client, world):
    client.force_login(world.user(Role.STAFF))
    assert client.get("/metrics").status_code == 403
    client.force_login(world.user(Role.ADMIN))
    response = client.get("/metrics")
    assert response.status_code == 200
    assert b"portal_celery_queue_length" in response.content


@pytest.mark.django_db
def test_requests_are_counted_by_status_and_timed_by_url_name(client, scraper):
    before = scraper()
    client.get("/healthz/live")
    client.get("/no-such-page/")
    after = scraper()
    ok_before = value(before, "portal_http_requests_total", method="GET", status="200") or 0
    assert value(after, "portal_http_requests_total", method="GET", status="200") >= ok_before + 1
    missing_before = value(before, "portal_http_requests_total", method="GET", status="404") or 0
    missing = value(after, "portal_http_requests_total", method="GET", status="404")
    assert missing == missing_before + 1
    live = 'portal_http_request_duration_seconds_count{view="healthz-live"}'
    assert live in after
    # a path never becomes a label (it may carry ids): unknown URLs share one
    assert 'view="unmatched"' in after
    assert "no-such-page" not in after


@pytest.mark.django_db
def test_queue_lengths_come_from_the_broker(scraper):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("exchange")
    broker.rpush("exchange", "a", "b", "c")
    try:
        text = scraper()
    finally:
        broker.delete("exchange")
    assert value(text, "portal_redis_up") == 1
    assert value(text, "portal_celery_queue_length", queue="exchange") == 3


@pytest.mark.django_db
def test_redis_down_is_a_figure_not_an_error(scraper, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    text = scraper()
    assert value(text, "portal_redis_up") == 0
    assert "portal_reminders_pending" in text


@pytest.mark.django_db
def test_heartbeat_ages_are_reported(scraper, tmp_path, monkeypatch):
    monkeypatch.setenv("HEARTBEAT_DIR", str(tmp_path))
    healthcheck.touch("beat")
    # the file system stamps real time; the age is read against time.time(), which the
    # suite's --clock moves: stamp the file with that clock
    now = time.time()
    os.utime(healthcheck.heartbeat_path("beat"), (now, now))
    text = scraper()
    assert value(text, "portal_heartbeat_present", process="beat") == 1
    assert value(text, "portal_heartbeat_present", process="worker") == 0
    assert 0 <= value(text, "portal_heartbeat_age_seconds", process="beat") < 60
    assert value(text, "portal_heartbeat_age_seconds", process="worker") is None


def test_the_reminder_backlog_and_the_last_sweep(scraper, world):
    from django.core.cache import cache

    cache.delete(metrics.LAST_SWEEP_KEY)
    assert "portal_reminders_last_sweep" not in scraper()
    for n in range(3):
        Reminder.objects.create(
            deadline_key="test",
            item_key=f"item-{n}",
            stage="due",
            recipient=world.user(Role.STAFF),
            due_date="2026-12-01",
            title="t",
        )
    metrics.record_sweep(recorded=3, failed=1)
    text = scraper()
    assert value(text, "portal_reminders_pending") == 3
    assert value(text, "portal_reminders_last_sweep_recorded") == 3
    assert value(text, "portal_reminders_last_sweep_failed_deadlines") == 1
    cache.delete(metrics.LAST_SWEEP_KEY)


@pytest.mark.django_db
def test_tasks_the_workers_finish_are_counted_by_outcome(scraper):
    from portal import taskmetrics
    from portal.tasks import clear_sessions_task

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete(taskmetrics.KEY)
    labels = {"task": "portal.tasks.clear_sessions_task", "outcome": "succeeded"}
    assert value(scraper(), "portal_celery_tasks_total", **labels) is None
    # the task runs twice (as a worker runs it: its success signal fires)
    clear_sessions_task.apply()
    clear_sessions_task.apply()
    assert value(scraper(), "portal_celery_tasks_total", **labels) == 2
    broker.delete(taskmetrics.KEY)
