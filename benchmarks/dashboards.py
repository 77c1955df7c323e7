"""Benchmark: the dashboards' and the search's queries at the demo county's size and at ten
times it (issue #11; not a test).

    .venv/bin/python benchmarks/dashboards.py          # part of make bench

Seeds `bench_s1` and `bench_s10` once (benchmarks/seeding.py, shared with bench-web), then
runs each dashboard's chart functions and the navigation bar's search in a child process per
size, on a READ ONLY connection (nothing is written to the databases measured), and prints
per case the queries, p50 and p95 at each size and the ratio p95(10×) / p95(1×), against the
issue's goals: a dashboard within 1.25×, the search under 100 ms p95 at 10×. The pages' own
query counts (≤ 12, the same for 1 row and 50) are pinned by the tests.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def cases():
    """(label, kind, function): kind "dashboard" or "search"."""
    from django.utils import timezone

    from cadres import dashboard as cadres_charts
    from grassroots import dashboard as grassroots_charts
    from grassroots import yearend
    from portal.models import Organization, User
    from portal.search import search
    from poverty import dashboard as poverty_charts
    from supervision import statistics
    from supervision.models import Complaint

    root = Organization.objects.get(parent__isnull=True)
    township = root.children.order_by("path").first()
    today = timezone.localdate()
    staff = User.objects.get(username="staff")
    office = User.objects.get(username="supervisor")
    children = {child.path: child for child in root.children.all()}

    def grassroots(org):
        def run():
            grassroots_charts.compliance_by_child(org, today, today)
            grassroots_charts.compliance_trend(org, today, today)
            grassroots_charts.member_structure(org, today)
            grassroots_charts.pipeline_funnel(org, today.year)

        return run

    def supervision():
        rows = Complaint.objects.for_statistics(office)
        statistics.charts(rows, statistics.summary(rows), today=today, office=True)

    return [
        ("grassroots dashboard, county", "dashboard", grassroots(root)),
        ("grassroots dashboard, township", "dashboard", grassroots(township)),
        ("year-end statistics, county", "dashboard", lambda: yearend.tables(root, today.year - 1)),
        (
            "cadres dashboard, county",
            "dashboard",
            lambda: (
                cadres_charts.structure(root, today),
                cadres_charts.appointments(root),
                cadres_charts.assessments(root, today.year - 1),
            ),
        ),
        (
            "poverty dashboard, county",
            "dashboard",
            lambda: (
                poverty_charts.households(root),
                poverty_charts.visits_by_child(root, children, today),
                poverty_charts.five_ones_by_child(root, children, today),
                poverty_charts.exits_by_month(root, today),
            ),
        ),
        ("supervision charts, office", "dashboard", supervision),
        ("search 'zhm' (initials)", "search", lambda: search(staff, "zhm")),
        ("search '王' (a name)", "search", lambda: search(staff, "王")),
        ("search '0012' (ID tail)", "search", lambda: search(staff, "0012")),
    ]


def measure() -> dict:
    """In the child: every case, timed RUNS times after a warm-up run."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.backends.signals import connection_created
    from django.test.utils import CaptureQueriesContext

    def read_only(sender, connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")

    connection_created.connect(read_only)
    connection.close()
    results = {}
    for label, kind, run in cases():
        run()
        times = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                run()
                times.append(time.perf_counter() - started)
        times.sort()
        results[label] = {
            "kind": kind,
            "queries": len(queries.captured_queries),
            "p50": statistics.median(times),
            "p95": times[round(0.95 * (len(times) - 1))],
        }
    return results


def main() -> int:
    if "--child" in sys.argv:
        print(json.dumps(measure()))
        return 0
    import seeding

    by_scale = {}
    for scale in (1, 10):
        url = seeding.ensure(scale)
        env = {**os.environ, "DATABASE_URL": url}
        out = subprocess.run(  # noqa: S603 (this script, by its own path)
            [sys.executable, __file__, "--child"], env=env, capture_output=True, text=True
        )
        if out.returncode:
            print(out.stderr)
            return out.returncode
        by_scale[scale] = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"\n{'case':34s} {'queries':>7s} {'p50 1x':>9s} {'p95 1x':>9s} {'p50 10x':>9s} "
        f"{'p95 10x':>9s} {'ratio':>6s}  goal"
    )
    failed = False
    for label, one in by_scale[1].items():
        ten = by_scale[10][label]
        ratio = ten["p95"] / one["p95"]
        if one["kind"] == "dashboard":
            ok = ratio <= 1.25 and one["queries"] == ten["queries"]
            goal = "p95 10x <= 1.25 x 1x"
        else:
            ok = ten["p95"] < 0.1
            goal = "p95 10x < 100 ms"
        failed |= not ok
        print(
            f"{label:34s} {one['queries']:>7d} {one['p50'] * 1000:8.1f}ms {one['p95'] * 1000:8.1f}ms"
            f" {ten['p50'] * 1000:8.1f}ms {ten['p95'] * 1000:8.1f}ms {ratio:5.2f}x  "
            f"{goal}: {'PASS' if ok else 'FAIL'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
