"""Production settings refuse DEBUG, a missing secret key and the demo password."""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import global_settings
from django.db import connection

from portal.models import User

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env_overrides):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "PORTAL_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example",
        "DEMO_PASSWORD": "",
        **env_overrides,
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_debug_on_is_refused():
    result = run_manage("check", DEBUG="true")
    assert result.returncode != 0
    assert "refuse to start with DEBUG on" in result.stderr


def test_demo_password_variable_is_refused():
    result = run_manage("check", DEMO_PASSWORD="demo12345")
    assert result.returncode != 0
    assert "DEMO_PASSWORD" in result.stderr


def test_missing_secret_key_is_refused():
    env = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env={**env, "PORTAL_ENV": "production"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_predeploy_fails_while_a_user_has_the_demo_password(settings):
    # given a committed user whose password is still the demo one (hashed as in production)
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    user = User.objects.create_user("demo-left-over", password=settings.DEMO_PASSWORD)
    User.objects.create_user("root", password="a-much-better-password-2026", is_superuser=True)
    url = database_url()
    # when the deploy step's checks run against that database
    result = run_manage("predeploy", DATABASE_URL=url, DATABASE_POOL="false")
    # then they fail and name the user
    assert result.returncode != 0
    assert "demo-left-over" in result.stderr
    # and pass once the password is changed
    user.set_password("a-much-better-password-2026")
    user.save(update_fields=["password"])
    result = run_manage("predeploy", DATABASE_URL=url, DATABASE_POOL="false")
    assert result.returncode == 0, result.stderr
    assert "the deployment checks pass" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_web_start_checks_no_password(settings):
    """`check --deploy` runs at each web start: it must not hash each user's password (0.24 s
    a user). With a demo-password user in the database it passes: it never read the users."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    User.objects.create_user("demo-left-over", password=settings.DEMO_PASSWORD)
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DATABASE_URL=database_url(),
        DATABASE_POOL="false",
    )
    assert result.returncode == 0, result.stderr


def database_url() -> str:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{quote(db['HOST'] or 'localhost', safe='')}"
    url += f":{db['PORT']}" if db["PORT"] else ""
    return url + f"/{db['NAME']}"
