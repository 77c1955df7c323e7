"""gunicorn as the image runs it (gunicorn.conf.py), started for real on a free port.

Its access log never holds a calendar token or a token= value, carries the request id, and the
/metrics figures add up every worker's requests (prometheus-client's multiprocess mode).
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from portal.logs import redact
from tests.factories import UserFactory
from tests.portal.production import ROOT, container_env

TOKEN = "metrics-token-for-the-gunicorn-test-0123456789"
HOST = "portal.example.gov.cn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, **headers) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": HOST, "X-Forwarded-Proto": "https", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


@pytest.fixture
def gunicorn(transactional_db, tmp_path):
    port = free_port()
    env = container_env(
        "web",
        PORT=str(port),
        GUNICORN_WORKERS="2",
        # each worker is replaced after 4 requests: the 12 below are answered by several
        # processes whichever worker the kernel hands them to
        GUNICORN_MAX_REQUESTS="4",
        ALLOWED_HOSTS=HOST,
        METRICS_TOKEN=TOKEN,
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if get(port, "/healthz/live")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(log.read_text())
        yield port, log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_the_access_log_never_holds_a_calendar_token(gunicorn):
    port, log = gunicorn
    # given a user's calendar feed, fetched with a token= value as well
    user = UserFactory(username="feed-reader")
    secret = user.calendar_token
    status, body, headers = get(
        port,
        f"/calendar/{secret}.ics?token={secret}&x=1",
        Referer=f"https://{HOST}/calendar/{secret}.ics",
    )
    assert status == 200
    assert body.startswith(b"BEGIN:VCALENDAR")
    time.sleep(0.5)  # the access line is written after the answer
    text = log.read_text()
    assert secret not in text
    [line] = [line for line in text.splitlines() if "/calendar/" in line and '" 200 ' in line]
    assert "/calendar/[redacted].ics?token=[redacted]&x=1" in line
    # the line carries the id the response carried
    assert f"id={headers['X-Request-ID']}" in line


def test_metrics_add_up_the_requests_of_every_worker(gunicorn):
    port, log = gunicorn
    for _ in range(12):
        assert get(port, "/healthz/live")[0] == 200
    status, body, _headers = get(port, "/metrics", Authorization=f"Bearer {TOKEN}")
    assert status == 200
    text = body.decode()
    line = next(
        line
        for line in text.splitlines()
        if line.startswith('portal_http_request_duration_seconds_count{view="healthz-live"}')
    )
    # 12 requests here and at least one readiness poll of the fixture, whichever worker
    # answered each
    assert float(line.split()[-1]) >= 13
    # and the figures came from more than one process (a worker is replaced after 4 requests):
    # each process writes its own file, and the count above adds them all up
    files = list((log.parent / "metrics").glob("histogram_*.db"))
    assert len({path.stem.split("_")[-1] for path in files}) >= 2, files


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("GET /calendar/abc123.ics HTTP/1.1", "GET /calendar/[redacted].ics HTTP/1.1"),
        ("/exports/1/?token=abc&page=2", "/exports/1/?token=[redacted]&page=2"),
        ("/x/?access_token=abc", "/x/?access_token=[redacted]"),
        ("Authorization: Bearer abcdef.123456", "Authorization: Bearer [redacted]"),
        ("/grassroots/meetings/?page=2", "/grassroots/meetings/?page=2"),
    ],
)
def test_what_the_redaction_takes_out(raw, clean):
    assert redact(raw) == clean
