"""The environment every test run starts from, whatever the caller's environment or `.env`.

The settings read everything from the environment and from `.env` (portal/settings.py). A
developer's `.env` made for `make run` (PORTAL_ENV=production to try the hardening,
REQUIRE_2FA=true, SESSION_IDLE_TIMEOUT=1, EMAIL_URL=smtp://..., CELERY_TASK_ALWAYS_EAGER=true)
or an odd shell (LANGUAGE, LC_ALL, TZ, PGOPTIONS) must not change what the tests see. So a
test run:

- reads no `.env` at all (PORTAL_DOTENV is set empty; the settings then read none);
- drops every variable the settings read, so each setting has its documented default, and
  every variable below that changes how Python, Django or libpq behave;
- keeps only where the services are (SERVICES): from the caller's environment, or, when the
  caller has not set them, from `.env` (PORTAL_DOTENV names another file), so a developer who
  keeps DATABASE_URL in `.env` can still run `pytest` by hand.

It is applied twice, both before any setting is read:
- as a pytest plugin (`-p portal.testenv` in pyproject's addopts): importing it fixes
  os.environ before pytest-django loads the settings, and every process a test starts (the
  Celery worker harness, the deploy-check subprocesses) inherits it;
- by `make test` around the lint and checks: `python -m portal.testenv -- CMD ...`.

`make run` does not use it: it still reads `.env`. A test that is about one variable sets it
itself (monkeypatch, override_settings, a subprocess's env). tests/portal/test_environment.py
runs part of the suite under a hostile `.env` and environment, and under `env -i`.

This module must not import Django.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOTENV = "PORTAL_DOTENV"

# Where the database and Redis are: the only variables taken from the caller (or `.env`).
SERVICES = ("DATABASE_URL", "REDIS_URL", "TEST_DATABASE_NAME")

# Read outside the settings, or by Python, Django, libpq and the tools under them.
ALSO_DROPPED = {
    "HEARTBEAT_DIR",  # portal/healthcheck.py
    "PORT",  # make run
    "DATABASE_REPLICA_URL",  # a replica the tests' server does not have
    "DJANGO_CONFIGURATION",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # any value is "true" to Django; tests/conftest.py sets it
    "LANGUAGE",  # GNU gettext's language list, over LANG
    "LC_MESSAGES",
    "LC_CTYPE",
    "LC_TIME",
    "LC_NUMERIC",
    "LC_COLLATE",
    "TZ",  # Django sets it from TIME_ZONE
    "PGOPTIONS",  # libpq: session settings (search_path, timezone, statement_timeout)
    "PGTZ",
    "PGDATESTYLE",
    "PGCLIENTENCODING",
    "PGDATABASE",
    "PGSERVICE",
    "CELERY_CONFIG_MODULE",
    "PYTHONWARNINGS",
}

PINNED = {
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    DOTENV: "",  # the settings read no .env
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
}


def settings_variables() -> set[str]:
    """Every variable portal/settings.py reads (env.str("NAME"), env.bool("NAME"), ...)."""
    text = (ROOT / "portal" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'env\.\w+\(\s*"([A-Z][A-Z0-9_]*)"', text))


def dotenv_values(path: Path) -> dict[str, str]:
    """NAME=value lines of a .env file (quotes stripped; no interpolation needed here)."""
    values = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return values
    for line in text.splitlines():
        match = re.match(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$", line)
        if match:
            value = match.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            values[match.group(1)] = value
    return values


def baseline(environ: dict[str, str]) -> dict[str, str]:
    """The environment a test run gets, from the caller's."""
    dotenv = environ.get(DOTENV)
    from_file = dotenv_values(Path(dotenv)) if dotenv else dotenv_values(ROOT / ".env")
    dropped = settings_variables() | ALSO_DROPPED
    result = {key: value for key, value in environ.items() if key not in dropped}
    for name in SERVICES:
        value = environ.get(name) or from_file.get(name)
        if value:
            result[name] = value
        else:
            result.pop(name, None)
    result.update(PINNED)
    return result


def apply(environ=os.environ) -> None:
    """Make `environ` (the process's own by default) the baseline, in place."""
    wanted = baseline(dict(environ))
    for key in list(environ):
        if key not in wanted:
            del environ[key]
    environ.update(wanted)


# As a pytest plugin: loaded by `-p portal.testenv` while pytest parses its arguments, before
# pytest-django (an entry-point plugin) imports the settings.
if __name__ != "__main__" and "pytest" in sys.modules:
    apply()


def main(argv: list[str]) -> int:
    """python -m portal.testenv -- CMD ARGS...: run CMD in the baseline environment."""
    command = argv[1:] if argv[:1] == ["--"] else argv
    if not command:
        print("usage: python -m portal.testenv -- CMD [ARGS...]", file=sys.stderr)
        return 2
    apply()
    os.execvp(command[0], command)  # noqa: S606 (the caller's own command)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
