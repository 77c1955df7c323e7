"""Benchmark: an export's peak memory at 1,000 and at 100,000 rows (not a test; printed figures).

    .venv/bin/python -m portal.devstack exec -- .venv/bin/python benchmarks/exports.py

Recreates a database `bench_exports` next to DATABASE_URL's, migrates it and loads
--rows Party members (bulk inserts: this measures the export, not the seeding), 1 % of
them in a branch of their own. Then, each in a fresh process, it writes the member list
export as the export button and the background task write it (portal.exchange.services
export_start + export_write, county staff, ID numbers masked), .xlsx and CSV:

  * the small branch's members (the list filtered by ?branch=): --rows / 100 rows,
  * every member: --rows rows,

and prints each process's peak resident memory while it writes (sampled every 5 ms) over its
own baseline (after Django and the export's modules are loaded), and their ratio. Streaming must keep the growth flat: the
writer holds a chunk of rows, never the file (issue #10 goal: < 100 MB growth at 100,000
rows).
"""

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE = "bench_exports"
GOAL_MB = 100


def bench_database_url(base_url: str, name: str) -> str:
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(base_url: str) -> None:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


def load(rows: int) -> dict:
    """The county, a big and a small branch, a staff user and `rows` members."""
    import datetime

    import pgtrigger

    from grassroots.models import PartyMember
    from portal import services
    from portal.models import Organization, User
    from portal.roles import Role

    county = services.organization_create(
        name="云溪县委", kind=Organization.Kind.COUNTY_COMMITTEE, category="organ"
    )
    town = services.organization_create(
        name="青龙镇党委", kind="committee", category="organ", parent=county
    )
    big = services.organization_create(
        name="上金寨村党支部", kind="branch", category="village", parent=town
    )
    small = services.organization_create(
        name="下金寨村党支部", kind="branch", category="village", parent=town
    )
    User.objects.create_user(
        username="bench-staff", password=None, role=Role.STAFF, organization=county
    )
    small_rows = rows // 100
    batch = []
    # Seeding only: the audit triggers would double the insert's cost and are not measured.
    with pgtrigger.ignore():
        for n in range(rows):
            birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=n % 18000)
            batch.append(
                PartyMember(
                    name=f"党员{n}",
                    name_initials="DY",
                    gender="male" if n % 2 else "female",
                    birth_date=birth,
                    # 18 characters, unique; masked in the export, never checked here
                    id_number=f"4331{n:014d}",
                    phone=f"139{n:08d}",
                    education="senior",
                    branch=small if n < small_rows else big,
                    stage="full",
                    joined_on=datetime.date(2000, 7, 1),
                    full_on=datetime.date(2001, 7, 1),
                )
            )
            if len(batch) == 5000:
                PartyMember.objects.bulk_create(batch)
                batch = []
        PartyMember.objects.bulk_create(batch)
    return {"small": small.pk}


def current_rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() // 1024


class PeakSampler(threading.Thread):
    """The highest resident set size seen while the export runs, sampled every 5 ms (the
    process's own high-water mark, ru_maxrss, is already set by Django's start-up)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = current_rss_kib()
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.005):
            self.peak = max(self.peak, current_rss_kib())


def measure(fmt: str, params: dict) -> dict:
    """In this (fresh) process: the resident memory before the export, and its peak while
    the export is written."""
    _setup()
    from portal.exchange import registry, services
    from portal.models import User

    export = registry.get("members")
    user = User.objects.get(username="bench-staff")
    # Load what the export uses before the baseline: the export's own cost is measured.
    warm = services.export_query(user=user, params={"branch": ["0"]})
    services.export_start(export=export, query=warm, fmt=fmt, background=False)
    gc.collect()
    baseline = current_rss_kib()
    sampler = PeakSampler()
    sampler.start()
    started = time.perf_counter()
    query = services.export_query(user=user, params=params)
    begun = services.export_start(export=export, query=query, fmt=fmt, background=False)
    with tempfile.TemporaryFile() as target:
        rows = services.export_write(begun.tables, fmt, target, reveal=False)
        size = target.tell()
    seconds = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    peak = max(sampler.peak, current_rss_kib())
    return {
        "rows": rows,
        "seconds": seconds,
        "growth_mb": (peak - baseline) / 1024,
        "peak_mb": peak / 1024,
        "file_mb": size / 2**20,
    }


def run_child(fmt: str, params: dict) -> dict:
    out = subprocess.run(  # noqa: S603 - this script itself, with fixed arguments
        [sys.executable, __file__, "--measure", fmt, json.dumps(params)],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:  # a child: the database is already set up
        fmt, params = args.measure
        print(json.dumps(measure(fmt, json.loads(params))))
        return 0

    base = os.environ["DATABASE_URL"]
    recreate_database(base)
    os.environ["DATABASE_URL"] = bench_database_url(base, DATABASE)
    _setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    small = load(args.rows)["small"]
    print(f"loaded {args.rows:,} members in {time.perf_counter() - started:.0f} s")

    from portal.exchange.writer import CHUNK_SIZE

    results = []
    for fmt in ("xlsx", "csv"):
        for label, params in (("one branch", {"branch": [str(small)]}), ("every member", {})):
            figures = run_child(fmt, params)
            results.append((fmt, label, figures))

    print(f"\nMember list export ({DATABASE}, county staff, writer in-process as the task runs it)")
    print(
        f"{'format':<6}  {'rows':>8}  {'what':<13}{'seconds':>9}{'rows/s':>9}"
        f"{'file MB':>9}{'RSS growth MB':>15}{'peak RSS MB':>13}"
    )
    for fmt, label, f in results:
        print(
            f"{fmt:<6}  {f['rows']:>8,}  {label:<13}{f['seconds']:>9.1f}"
            f"{f['rows'] / f['seconds']:>9.0f}{f['file_mb']:>9.1f}{f['growth_mb']:>15.1f}"
            f"{f['peak_mb']:>13.0f}"
        )
    for fmt in ("xlsx", "csv"):
        small_f, big_f = (f for fmt_, _l, f in results if fmt_ == fmt)
        # A tiny export may grow by a fraction of a MB: compare with at least 1 MB.
        ratio = big_f["growth_mb"] / max(small_f["growth_mb"], 1.0)
        verdict = "PASS" if big_f["growth_mb"] < GOAL_MB else "FAIL"
        print(
            f"{fmt}: peak RSS growth {big_f['growth_mb']:.1f} MB at {big_f['rows']:,} rows vs "
            f"{small_f['growth_mb']:.1f} MB at {small_f['rows']:,}: {ratio:.2f}× for "
            f"{big_f['rows'] / max(small_f['rows'], 1):.0f}× the rows (flat: the writer holds "
            f"one chunk of {CHUNK_SIZE:,} rows); goal < {GOAL_MB} MB growth: {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
