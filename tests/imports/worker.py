"""A real Celery worker on the `exchange` queue, against the test database, for the browser
journeys: the import runs in another process, as in production."""

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    params = connection.settings_dict
    host = quote(params["HOST"] or "localhost", safe="")
    port = f":{params['PORT']}" if params["PORT"] else ""
    password = f":{quote(params['PASSWORD'])}" if params["PASSWORD"] else ""
    return f"postgres://{params['USER']}{password}@{host}{port}/{params['NAME']}"


def empty_broker() -> None:
    """Nothing left over from an earlier test (call before the test queues anything)."""
    redis.Redis.from_url(settings.REDIS_URL).flushdb()


@contextlib.contextmanager
def exchange_worker(log_path: Path):
    env = dict(os.environ, DATABASE_URL=database_url(), REDIS_URL=settings.REDIS_URL)
    env["PYTHONPATH"] = str(ROOT)
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--queues=exchange",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield proc
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)
