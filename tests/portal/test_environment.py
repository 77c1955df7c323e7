"""`make test` passes whatever the caller's environment or `.env` holds (portal/testenv.py).

The proof runs part of the suite in a subprocess, in a copy of the project whose `.env` is a
developer's worst (production switched on, every limit at 1, mail to a real server, tasks
eager, odd language and time zone), first with the same values in the environment as well,
then under `env -i` with only PATH and HOME (the embedded services start as in `make test`).
The part run is the tests that read those settings: production refusals, the session limits,
the lockout, two-factor sign-in, the client address, reminder delivery. The deploy check runs
under `env -i` too; and `make run`'s settings still read `.env`.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from portal import testenv

ROOT = Path(__file__).resolve().parents[2]

# A developer's environment and .env at their worst for the tests.
HOSTILE = {
    "PORTAL_ENV": "production",
    "DEBUG": "true",
    "SECRET_KEY": "short",
    "ALLOWED_HOSTS": "portal.example.invalid",
    "DEMO_PASSWORD": "from-a-developers-env",
    "REQUIRE_2FA": "true",
    "SESSION_IDLE_TIMEOUT": "1",
    "LOGIN_FAILURE_LIMIT": "1",
    "LOGIN_FAILURE_LIMIT_PER_ADDRESS": "1",
    "LOGIN_COOLOFF_MINUTES": "600",
    "PASSWORD_RESET_LIMIT_PER_ADDRESS": "0",
    "PASSWORD_RESET_LIMIT_PER_EMAIL": "0",
    "TRUSTED_PROXY_COUNT": "3",
    "EMAIL_URL": "smtp://nobody:secret@192.0.2.1:25",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "CELERY_TASK_ALWAYS_EAGER": "true",
    "TIME_ZONE": "Pacific/Kiritimati",
    "MEDIA_ROOT": "/nonexistent/media",
    "SITE_URL": "https://elsewhere.example.invalid",
    "EXPORT_BACKGROUND_ROWS": "0",
    "IMPORT_MAX_SIZE": "1",
    "SECURE_SSL_REDIRECT": "true",
    "DATABASE_POOL_MAX_SIZE": "1",
    "DATABASE_REPLICA_URL": "postgres://nobody@192.0.2.1:5432/replica",
    "CSP_REPORT_URI": "https://elsewhere.example.invalid/csp",
    "LOG_LEVEL": "DEBUG",
    "HEARTBEAT_DIR": "/nonexistent/run",
    "DJANGO_SETTINGS_MODULE": "nonexistent.settings",
    "LANGUAGE": "fr_FR:de",
    "LANG": "fr_FR.ISO-8859-1",
    "LC_ALL": "tr_TR.UTF-8",
    "TZ": "Pacific/Kiritimati",
    "PGOPTIONS": "-c statement_timeout=1",
    "PGTZ": "Pacific/Kiritimati",
}
# The tests that read those settings (each fails when its setting is not the default).
SUBSET = [
    "tests/portal/test_production_settings.py",
    "tests/portal/test_sessions.py",
    "tests/portal/test_lockout.py",
    "tests/portal/test_two_factor.py",
    "tests/portal/test_clientip.py",
    "tests/portal/test_deployment.py",
    "tests/reminders/test_delivery.py",
]
SUBSET_BARE = [
    "tests/portal/test_production_settings.py",
    "tests/portal/test_sessions.py",
    "tests/portal/test_lockout.py",
]
SKIP = shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", "*.pyc", ".env", "media")


def _test_database() -> str:
    # A database of its own beside this run's (whose name the settings already gave).
    return f"{connection.settings_dict['NAME']}_env"


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project with a hostile .env; the venv and var/ are the project's own (the
    embedded servers' data directory is shared, as a second `make test` would share it)."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    (ROOT / "var").mkdir(exist_ok=True)
    (copy / "var").symlink_to(ROOT / "var")
    lines = [f"{name}={value}" for name, value in HOSTILE.items()]
    lines += [
        # Where the services are is the one thing a test run takes from .env, and only when
        # the environment does not say: these must lose to the environment's.
        "DATABASE_URL=postgres://nobody@192.0.2.1:5432/nowhere",
        "REDIS_URL=redis://192.0.2.1:6379/0",
        # ... and this one is read (env -i has no other): the run's own test database.
        f"TEST_DATABASE_NAME={_test_database()}",
    ]
    (copy / ".env").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return copy


def _python(copy: Path) -> str:
    # The venv's own path, not the copy's link to it: the embedded PostgreSQL runs pg_ctl as
    # an unprivileged user, who may not enter the temporary directory the copy lives in. The
    # copy's code is what runs (`python -m` imports from the working directory first).
    return sys.executable


def _run(command, *, cwd: Path, env: dict, timeout: int = 900):
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    return result.returncode, result.stdout + result.stderr


def _bare_env() -> dict[str, str]:
    """What `env -i PATH=... HOME=...` leaves."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/")}


def test_the_suite_passes_under_a_hostile_env_file_and_environment(project):
    env = {**os.environ, **HOSTILE, "TEST_DATABASE_NAME": _test_database()}
    code, output = _run(
        [_python(project), "-m", "pytest", "-q", "--create-db", *SUBSET],
        cwd=project,
        env=env,
    )
    assert code == 0, output[-6000:]
    assert " passed" in output and " failed" not in output, output[-3000:]


@pytest.mark.skipif(not shutil.which("env"), reason="needs env(1)")
def test_the_suite_passes_under_env_i(project):
    # Only PATH and HOME: no DATABASE_URL or REDIS_URL, so the embedded servers start as in
    # `make test` (portal/devstack.py); the hostile .env is there too.
    python = _python(project)
    command = ["env", "-i", *(f"{k}={v}" for k, v in _bare_env().items())]
    command += [python, "-m", "portal.devstack", "exec", "--"]
    command += [python, "-m", "pytest", "-q", "--reuse-db", *SUBSET_BARE]
    code, output = _run(command, cwd=project, env=_bare_env())
    assert code == 0, output[-6000:]
    assert " passed" in output and " failed" not in output, output[-3000:]


def test_the_deploy_check_passes_under_env_i(project):
    command = ["env", "-i", *(f"{k}={v}" for k, v in _bare_env().items())]
    command += ["make", "--no-print-directory", "check-deploy", f"PY={_python(project)}"]
    code, output = _run(command, cwd=project, env=_bare_env(), timeout=300)
    assert code == 0, output[-4000:]
    assert "System check identified no issues" in output, output[-2000:]


def test_make_run_still_reads_the_env_file(project):
    # Outside the tests (make run, manage.py) the settings read .env; the environment wins.
    (project / ".env").write_text(
        "SITE_URL=https://from-the-env-file.example\nSESSION_IDLE_TIMEOUT=77\n"
        "DATABASE_URL=postgres://localhost/x\nREDIS_URL=redis://localhost:1/0\n",
        encoding="utf-8",
    )
    env = {**_bare_env(), "SESSION_IDLE_TIMEOUT": "99"}
    code, output = _run(
        [
            _python(project),
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'portal.settings'; "
            "django.setup(); from django.conf import settings; "
            "print(settings.SITE_URL, settings.SESSION_IDLE_TIMEOUT)",
        ],
        cwd=project,
        env=env,
        timeout=120,
    )
    assert code == 0, output
    assert output.split() == ["https://from-the-env-file.example", "99"]


# --- portal/testenv.py on its own ---------------------------------------------------------


def test_the_baseline_drops_what_the_settings_read_and_keeps_the_services(tmp_path):
    dotenv = tmp_path / "dev.env"
    dotenv.write_text("REDIS_URL=redis://from-file:6379/4\nDEBUG=true\n", encoding="utf-8")
    caller = {
        **HOSTILE,
        "PATH": "/usr/bin",
        "DATABASE_URL": "postgres://from-env/db",
        "PORTAL_DOTENV": str(dotenv),
    }
    result = testenv.baseline(caller)
    for name in HOSTILE:
        assert result.get(name) == testenv.PINNED.get(name), name
    assert result["DATABASE_URL"] == "postgres://from-env/db"  # the environment's
    assert result["REDIS_URL"] == "redis://from-file:6379/4"  # .env's, the environment had none
    assert result["PORTAL_DOTENV"] == ""  # the settings read no .env
    assert result["PATH"] == "/usr/bin"
    assert "DEBUG" not in result


def test_every_variable_the_settings_read_is_dropped():
    read = testenv.settings_variables()
    # The regex finds what the settings read; a few the tests rely on prove it works.
    assert {"PORTAL_ENV", "REQUIRE_2FA", "SESSION_IDLE_TIMEOUT", "EMAIL_URL"} <= read
    assert set(testenv.SERVICES) & read == {"DATABASE_URL", "REDIS_URL", "TEST_DATABASE_NAME"}
    assert not {name for name in read - set(testenv.SERVICES) if name in os.environ}, (
        "this run's environment still carries a setting (portal/testenv.py did not apply)"
    )
