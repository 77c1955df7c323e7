"""Checks that read the database, run once per deployment by `manage.py predeploy`.

They are not registered with Django's check framework on purpose: `check --deploy` runs at
every web start, and hashing each active user's password against the demo one costs about
0.24 s a user (four minutes for 1,000 users). The compose file runs `predeploy` in the
migrate step, after the migrations, before any web process starts.
"""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q


def demo_password_not_in_use() -> list[checks.CheckMessage]:
    from portal.models import User

    users = User.objects.filter(is_active=True).only("username", "password").iterator()
    weak = [u.username for u in users if u.check_password(settings.DEMO_PASSWORD)]
    if not weak:
        return []
    return [
        checks.Error(
            "Users still have the demo password: " + ", ".join(sorted(weak)[:10]),
            hint="Change these passwords (or deactivate the demo users) before going live.",
            id="portal.E001",
        )
    ]


def migrations_applied() -> list[checks.CheckMessage]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return []
    return [
        checks.Error(
            f"{len(plan)} migrations are not applied, the first {plan[0][0]}.",
            hint="Run `manage.py migrate` before starting the new version.",
            id="portal.E002",
        )
    ]


def an_administrator_exists() -> list[checks.CheckMessage]:
    from portal.models import User
    from portal.roles import Role

    administrators = User.objects.filter(Q(is_superuser=True) | Q(role=Role.ADMIN), is_active=True)
    if administrators.exists():
        return []
    return [
        checks.Warning(
            "No active administrator: nobody can create accounts or unlock a locked-out user.",
            hint="Create one with `manage.py createsuperuser` (docs/operations.md).",
            id="portal.W003",
        )
    ]


DATABASE_CHECKS = [migrations_applied, demo_password_not_in_use, an_administrator_exists]


def run_database_checks() -> list[checks.CheckMessage]:
    messages = []
    for check in DATABASE_CHECKS:
        try:
            messages += check()
        except DatabaseError as error:
            messages.append(
                checks.Error(
                    f"The database could not be read: {error}",
                    hint="Check DATABASE_URL and that PostgreSQL is up.",
                    id="portal.E000",
                )
            )
            break
    return messages
