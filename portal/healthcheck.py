"""The container health checks: `python -m portal.healthcheck web|web-live|worker|beat`.

Exit status 0 means healthy. The module imports neither Django nor Celery (a probe runs every
15 seconds in each container and must cost next to nothing).

- web: GET /healthz/ready (database required; Redis down is reported as degraded, still 200).
- web-live: GET /healthz/live (the process answers; no dependency is touched).
- worker, beat: their heartbeat file (portal/heartbeat.py) is fresh.

The web probes send a Host header that ALLOWED_HOSTS accepts (127.0.0.1 is not in it in
production) and rely on SECURE_REDIRECT_EXEMPT for plain HTTP: tests/portal/test_health.py
sends these exact requests to the production settings with Django's test client.
"""

from __future__ import annotations

import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB_PATHS = {"web": "/healthz/ready", "web-live": "/healthz/live"}
# How often the worker touches its file, and when a file counts as stale (seconds). Beat
# ticks at least every BEAT_MAX_LOOP_INTERVAL (the settings' CELERY_BEAT_MAX_LOOP_INTERVAL).
WORKER_INTERVAL = 10
BEAT_MAX_LOOP_INTERVAL = 60
STALE_AFTER = {"worker": 6 * WORKER_INTERVAL, "beat": 3 * BEAT_MAX_LOOP_INTERVAL}
TIMEOUT = 4


def probe_host(environ: Mapping[str, str]) -> str:
    """A host name ALLOWED_HOSTS accepts: its first entry (a wildcard becomes a name in it)."""
    first = (environ.get("ALLOWED_HOSTS") or "localhost").split(",")[0].strip()
    if first == "*":
        return "localhost"
    if first.startswith("."):  # ".example.gov.cn" allows the domain and its subdomains
        return first[1:]
    return first


def web_request(kind: str, environ: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """The path and headers of a web probe."""
    return WEB_PATHS[kind], {"Host": probe_host(environ), "User-Agent": "portal-healthcheck"}


def heartbeat_path(process: str) -> Path:
    """The file a process touches; HEARTBEAT_DIR (default var/run) holds one per process."""
    directory = Path(os.environ.get("HEARTBEAT_DIR") or ROOT / "var" / "run")
    return directory / f"{process}.heartbeat"


def touch(process: str) -> None:
    path = heartbeat_path(process)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


def forget(process: str) -> None:
    heartbeat_path(process).unlink(missing_ok=True)


def heartbeat_age(process: str) -> float | None:
    """Seconds since the process last touched its file; None when there is no file."""
    try:
        return time.time() - heartbeat_path(process).stat().st_mtime
    except FileNotFoundError:
        return None


def check(kind: str, environ: Mapping[str, str]) -> tuple[bool, str]:
    if kind in WEB_PATHS:
        path, headers = web_request(kind, environ)
        port = environ.get("PORT") or "8000"
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - fixed http URL
                return response.status == 200, f"{response.status} {response.read(200)!r}"
        except urllib.error.HTTPError as error:
            return False, f"{error.code} {error.read(200)!r}"
        except OSError as error:
            return False, f"no answer: {error}"
    if kind in STALE_AFTER:
        age = heartbeat_age(kind)
        if age is None:
            return False, f"no heartbeat file at {heartbeat_path(kind)}"
        return age <= STALE_AFTER[kind], f"last heartbeat {age:.0f} s ago"
    raise SystemExit(f"usage: python -m portal.healthcheck {'|'.join([*WEB_PATHS, *STALE_AFTER])}")


def main(argv: list[str]) -> int:
    healthy, detail = check(argv[0] if argv else "", os.environ)
    print(detail)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
