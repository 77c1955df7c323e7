"""Benchmark: the reminder sweep's time and peak memory on the demo county (not a test).

    .venv/bin/python -m portal.devstack exec -- .venv/bin/python benchmarks/sweep.py --scale 1
    .venv/bin/python -m portal.devstack exec -- .venv/bin/python benchmarks/sweep.py --scale 10

Creates (once) a separate database `bench_s<scale>` next to DATABASE_URL's, migrates it and
loads `seed_demo --scale <scale>`; then empties the reminders table and times

  * a cold sweep (every due reminder inserted),
  * a warm sweep (everything already there: all ON CONFLICT no-ops),
  * delivery of what the cold sweep recorded,

reporting wall time, the Python heap's peak (tracemalloc) and the process's peak resident
memory. Targets (issue #7): the sweep under 5 s at scale 1 and under 30 s at scale 10, with
memory that does not grow with the number of items: the rows never enter Python.
"""

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def measure(label: str, func):
    tracemalloc.start()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "step": label,
        "seconds": elapsed,
        "heap_peak_mib": peak / 2**20,
        "rss_growth_mib": (rss_after - rss_before) / 1024,
        "result": result,
    }


def add_recipients() -> None:
    from django.contrib.auth.hashers import make_password

    from portal.models import Organization, User
    from portal.models.organizations import BRANCH_KINDS
    from portal.roles import Role

    if User.objects.filter(username__startswith="bench-").exists():
        return
    users = [
        User(
            username=f"bench-{org.pk}",
            full_name=f"书记{org.pk}",
            email=f"bench-{org.pk}@example.test",
            role=Role.SECRETARY if org.is_branch else Role.STAFF,
            organization=org,
            password=make_password(None),  # unusable: nobody logs in as these
        )
        for org in Organization.objects.filter(
            kind__in=[*BRANCH_KINDS, Organization.Kind.PARTY_COMMITTEE]
        ).only("pk", "kind")
    ]
    User.objects.bulk_create(users, batch_size=1000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reseed", action="store_true", help="drop and reload the database")
    args = parser.parse_args()

    import seeding

    name = seeding.database_name(args.scale)
    os.environ["DATABASE_URL"] = seeding.ensure(args.scale, reseed=args.reseed)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from portal.deadlines import registry
    from portal.models import Organization, User
    from portal.reminders.models import Reminder
    from portal.reminders.rows import rows_sql
    from portal.reminders.services import (
        reminder_rules_sync,
        reminders_deliver,
        reminders_sweep,
    )

    # The demo county has one user per role; give every branch a secretary (and every
    # township committee a staff member) so that items have recipients, as in real life.
    add_recipients()

    # The rules are created by the first sweep; create them before timing.
    rules = reminder_rules_sync(keys=registry())
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE reminders_reminder")
        items = {}
        for key, deadline in sorted(registry().items()):
            rule = rules[key]
            lookback = (rule.escalate_after_days or 1) + settings.REMINDERS_CATCH_UP_DAYS
            try:
                sql, params = rows_sql(deadline, today, rule.lookahead_days, lookback)
            except Exception as exc:  # an app's broken rows(): reported, not fatal
                items[key] = f"{exc.__class__.__name__}"
                continue
            cursor.execute(f"SELECT count(*) FROM ({sql}) AS r", params)  # noqa: S608
            items[key] = cursor.fetchone()[0]

    # Deliver without queuing mail tasks: the benchmark measures the database work.
    User.objects.update(email_mode=User.EmailMode.DIGEST)

    cold = measure("sweep (cold)", lambda: reminders_sweep(today=today))
    warm = measure("sweep (warm, all no-ops)", lambda: reminders_sweep(today=today))
    deliver = measure("delivery", reminders_deliver)
    # "My deadlines" for the user with the most reminders: the count and the first page.
    from django.db.models import Count

    from portal.reminders.selectors import ResponsibleItems

    busiest = User.objects.annotate(n=Count("reminders")).order_by("-n").first()

    def first_page():
        items = ResponsibleItems(busiest, today=today)
        return items.count(), items[:25]

    page = measure(f"my deadlines ({busiest.username})", first_page)

    print()
    print(f"scale {args.scale:g}: database {name}, today {today}")
    print(
        f"organisations {Organization.objects.count()}, users {User.objects.count()}, "
        f"open items in the sweep's window "
        f"{sum(n for n in items.values() if isinstance(n, int))}, "
        f"reminders recorded {Reminder.objects.count()}"
    )
    print()
    print(f"{'deadline':40} {'items':>8} {'reminders':>10}")
    for key, count in items.items():
        inserted = cold["result"].inserted.get(key, "failed")
        print(f"{key:40} {count!s:>8} {inserted!s:>10}")
    if cold["result"].failed:
        print("\nFAILED deadlines:")
        for key, error in cold["result"].failed.items():
            print(f"  {key}: {error}")
    print()
    print(f"{'step':28} {'seconds':>8} {'heap peak MiB':>14} {'RSS growth MiB':>15}")
    for row in (cold, warm, deliver, page):
        print(
            f"{row['step']:28} {row['seconds']:>8.2f} {row['heap_peak_mib']:>14.2f} "
            f"{row['rss_growth_mib']:>15.1f}"
        )
    target = 5 if args.scale <= 1 else 30
    verdict = "within" if cold["seconds"] < target else "OVER"
    print(f"\ncold sweep {cold['seconds']:.2f}s: {verdict} the {target}s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
