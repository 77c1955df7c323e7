"""The compose health checks pass against the production settings.

No Docker engine runs here, so each probe is replayed: the web probes' exact path and headers
(portal/healthcheck.py builds them for the container) go through Django's test client under
the settings a container builds from `.env.example` and the compose file; the worker and beat
heartbeats are written by real Celery processes.
"""

import os
import signal
import subprocess
import sys
import time

import pytest

from portal import healthcheck
from tests.portal.production import ROOT, compose, container_env, run_json

PROBE = """
import json, os
import django
django.setup()
from django.test import Client
from portal import healthcheck

client = Client()
answers = {}
for kind in ("web", "web-live"):
    path, headers = healthcheck.web_request(kind, os.environ)
    response = client.get(path, headers=headers)
    answers[kind] = [response.status_code, response.content.decode()[:300]]
# The same request with the container's own address as host, as compose probed before.
response = client.get("/healthz", headers={"Host": "127.0.0.1:8000"})
answers["bare"] = [response.status_code, ""]
print(json.dumps(answers))
"""


def probe(**overrides):
    return run_json(PROBE, container_env("web", **overrides))


def test_compose_probes_each_service_with_the_healthcheck_module():
    services = compose()["services"]
    for service, kind in {"web": "web", "worker": "worker", "beat": "beat"}.items():
        assert services[service]["healthcheck"]["test"] == [
            "CMD",
            "python",
            "-m",
            "portal.healthcheck",
            kind,
        ]


@pytest.mark.django_db
def test_the_web_probes_pass_against_the_production_settings():
    answers = probe()
    assert answers["web"] == [200, '{"status": "ok", "database": "ok", "redis": "ok"}']
    assert answers["web-live"] == [200, '{"status": "ok"}']
    # what the old probe got: the container's address is not an allowed host
    assert answers["bare"][0] == 400


@pytest.mark.django_db
def test_without_redis_the_portal_is_degraded_but_ready():
    answers = probe(REDIS_URL="redis://127.0.0.1:1/0")
    status, body = answers["web"]
    assert status == 200
    assert '"status": "degraded"' in body
    assert '"database": "ok"' in body
    assert '"redis": "error: ConnectionError"' in body


@pytest.mark.django_db
def test_without_the_database_the_portal_is_alive_but_not_ready():
    answers = probe(DATABASE_URL="postgres://portal@127.0.0.1:1/none")
    assert answers["web"][0] == 503
    assert '"database": "error: OperationalError"' in answers["web"][1]
    assert answers["web-live"] == [200, '{"status": "ok"}']


@pytest.mark.django_db
def test_other_paths_still_redirect_to_https_in_production():
    code = PROBE.replace('client.get("/healthz"', 'client.get("/accounts/login/"').replace(
        '{"Host": "127.0.0.1:8000"}', 'healthcheck.web_request("web", os.environ)[1]'
    )
    answers = run_json(code, container_env("web"))
    assert answers["bare"][0] == 301


def test_the_host_of_the_probe_is_one_allowed_hosts_accepts():
    assert healthcheck.probe_host({"ALLOWED_HOSTS": "portal.gov.cn,other"}) == "portal.gov.cn"
    assert healthcheck.probe_host({"ALLOWED_HOSTS": ".example.gov.cn"}) == "example.gov.cn"
    assert healthcheck.probe_host({"ALLOWED_HOSTS": "*"}) == "localhost"


# --- Worker and beat heartbeats --------------------------------------------------------------


def run_check(kind: str, heartbeat_dir) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "portal.healthcheck", kind],
        env={**os.environ, "HEARTBEAT_DIR": str(heartbeat_dir)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )


def start_celery(args: list[str], env: dict, log_path) -> subprocess.Popen:
    log = open(log_path, "w")  # noqa: SIM115 - lives with the process
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def wait_for(path, timeout=60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.worker
@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind,args",
    [
        ("worker", ["worker", "--loglevel=INFO", "--concurrency=1", "--without-mingle"]),
        ("beat", ["beat", "--loglevel=INFO"]),
    ],
)
def test_worker_and_beat_keep_their_heartbeat_fresh(tmp_path, kind, args):
    heartbeat_dir = tmp_path / "run"
    # before the process starts, its check fails
    assert run_check(kind, heartbeat_dir).returncode == 1
    env = container_env(kind, HEARTBEAT_DIR=str(heartbeat_dir))
    if kind == "beat":
        args = [*args, "--schedule", str(tmp_path / "celerybeat-schedule")]
    proc = start_celery(args, env, tmp_path / f"{kind}.log")
    try:
        # when the process runs, its heartbeat appears and the check passes
        assert wait_for(heartbeat_dir / f"{kind}.heartbeat"), (tmp_path / f"{kind}.log").read_text()
        result = run_check(kind, heartbeat_dir)
        assert result.returncode == 0, result.stdout
        assert result.stdout.startswith("last heartbeat")
    finally:
        stop(proc)
    # a process that stopped leaves no heartbeat behind
    assert not (heartbeat_dir / f"{kind}.heartbeat").exists()
    assert run_check(kind, heartbeat_dir).returncode == 1


@pytest.mark.parametrize("kind", ["worker", "beat"])
def test_a_stale_heartbeat_fails_the_check(tmp_path, monkeypatch, kind):
    # given a heartbeat last touched longer ago than its limit (a hung main loop)
    monkeypatch.setenv("HEARTBEAT_DIR", str(tmp_path))
    healthcheck.touch(kind)
    # (counted from the file's own time: the filesystem keeps the real clock, also when the
    # suite runs with its clock moved, tests/clock.py)
    touched = (tmp_path / f"{kind}.heartbeat").stat().st_mtime
    stale = touched - healthcheck.STALE_AFTER[kind] - 5
    os.utime(tmp_path / f"{kind}.heartbeat", (stale, stale))
    # then the check fails; touched again, it passes
    assert run_check(kind, tmp_path).returncode == 1
    healthcheck.touch(kind)
    assert run_check(kind, tmp_path).returncode == 0
