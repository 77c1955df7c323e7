"""Run code under the production settings the compose stack builds, in a subprocess.

The environment is the one a container gets: `.env.example` (the operator's `.env`) and the
compose file's `environment:` block, with the database and Redis pointed at the test ones.
Nothing comes from the developer's own environment or `.env` beyond what runs Python.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import yaml
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# What a process needs to run at all; every setting comes from the files below.
PASSTHROUGH = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT"}


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def env_example() -> dict[str, str]:
    text = (ROOT / ".env.example").read_text()
    return dict(re.findall(r"^([A-Z_][A-Z0-9_]*)=(.*)$", text, re.M))


def test_database_url() -> str:
    params = connection.settings_dict
    host = quote(params["HOST"] or "localhost", safe="")
    port = f":{params['PORT']}" if params["PORT"] else ""
    password = f":{quote(params['PASSWORD'])}" if params["PASSWORD"] else ""
    return f"postgres://{params['USER']}{password}@{host}{port}/{params['NAME']}"


def container_env(service: str = "web", **overrides) -> dict[str, str]:
    """The environment of a compose service, with the test database and Redis."""
    env = {key: value for key, value in os.environ.items() if key in PASSTHROUGH}
    env.update(env_example())
    env.update(
        {k: str(v) for k, v in (compose()["services"][service].get("environment") or {}).items()}
    )
    env.update(
        DATABASE_URL=test_database_url(),
        REDIS_URL=settings.REDIS_URL,
        REDIS_CACHE_URL=settings.REDIS_URL,
        HEARTBEAT_DIR=str(ROOT / "var" / "run"),
        DATABASE_POOL="false",
        # A developer's .env must not switch anything on (read_env never overwrites).
        DEMO_PASSWORD="",
        DEBUG="false",
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    env.update(overrides)
    return env


def run_python(code: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_json(code: str, env: dict[str, str]):
    """Run code that prints one JSON document on its last line; return it."""
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
