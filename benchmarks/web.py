"""Benchmark: every main page at the demo county's size and at ten times it (not a test).

    .venv/bin/python benchmarks/web.py              # make bench-web

Seeds `bench_s1`, `bench_s3` and `bench_s10` once (benchmarks/seeding.py; reused afterwards),
then for scales 1 and 10 starts gunicorn as in production (DEBUG off, 4 workers, static files
collected and served by WhiteNoise) on the loopback, and loads each page with 1 client and
with 16 clients (threads, keep-alive connections, a fixed number of requests), next to
`/healthz` (the floor) and Django admin's changelist for the same models. Queries per page
are counted in-process (Django's test client on the same database). It prints tables and a
PASS/FAIL per goal of issue #12:

  * p95 at scale 10 <= 1.25 x p95 at scale 1, every page (one client);
  * every list's throughput >= 2 x admin's changelist of the same model, 1 and 16 clients;
  * p50 <= 15 x /healthz's p50, every page, both sizes (one client);
  * <= 12 queries per page, the same at both sizes;
  * seed_demo --scale 10 < 10 minutes; a 10,000-row transaction through the services costs
    the same per row as a 100-row one;
  * gunicorn worker RSS <= 200 MiB after the run.
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import seeding  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8799"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
ONE_CLIENT_REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
MANY_CLIENTS = 16
MANY_CLIENT_REQUESTS = int(os.environ.get("BENCH_MANY_REQUESTS", "64"))

# (label, kind, user, path, admin changelist of the same model or None)
PAGES = [
    ("/healthz", "floor", None, "/healthz", None),
    ("home (staff)", "deadlines", "staff", "/", None),
    ("home (secretary)", "deadlines", "secretary", "/", None),
    ("my deadlines (staff)", "deadlines", "staff", "/deadlines/", None),
    ("my deadlines (secretary)", "deadlines", "secretary", "/deadlines/", None),
    ("iCal feed (staff)", "deadlines", "staff", "{ical}", None),
    ("member list", "list", "staff", "/grassroots/members/", "/admin/grassroots/partymember/"),
    ("meeting list", "list", "staff", "/grassroots/meetings/", "/admin/grassroots/meeting/"),
    ("grassroots rollup", "dashboard", "staff", "/grassroots/", None),
    ("cadre list", "list", "staff", "/cadres/list/", "/admin/cadres/cadre/"),
    ("appointment list", "list", "staff", "/cadres/appointments/", "/admin/cadres/appointment/"),
    ("reserve list", "list", "staff", "/cadres/reserve/", "/admin/cadres/reserveentry/"),
    ("household list", "list", "staff", "/poverty/households/", "/admin/poverty/household/"),
    ("village list", "list", "staff", "/poverty/villages/", "/admin/poverty/village/"),
    ("poverty dashboard", "dashboard", "staff", "/poverty/", None),
    (
        "complaint list",
        "list",
        "supervisor",
        "/supervision/complaints/",
        "/admin/supervision/complaint/",
    ),
    ("complaint statistics", "dashboard", "supervisor", "/supervision/statistics/", None),
]
USERS = ["staff", "secretary", "supervisor", "admin"]
# Sessions are made in-process and read by gunicorn: both sign with this key.
SECRET_KEY = "bench-only-" + "x" * 50


# --- Load generation --------------------------------------------------------------------------


def fetch(conn, path, cookie):
    headers = (
        {"Host": "127.0.0.1", "Cookie": f"sessionid={cookie}"} if cookie else {"Host": "127.0.0.1"}
    )
    started = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")
    return elapsed, len(body)


def run_load(path, cookie, clients, total):
    """`total` requests over `clients` threads; returns latencies (s) and wall time (s)."""
    latencies, lock, errors = [], threading.Lock(), []
    per_client = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]

    def worker(count):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        try:
            for _ in range(count):
                elapsed, _size = fetch(conn, path, cookie)
                with lock:
                    latencies.append(elapsed)
        except Exception as exc:  # reported below, the run goes on
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in per_client]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors:
        raise errors[0]
    return latencies, wall


def percentile(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    index = min(len(values) - 1, max(0, round(q / 100 * (len(values) - 1))))
    return values[index]


# --- One scale (a child process: Django is set up on that scale's database) -------------------


def prepare(url: str) -> dict:
    """Sessions for the demo users, the staff's calendar URL, and queries per page."""
    os.environ["DATABASE_URL"] = url
    os.environ["SECRET_KEY"] = SECRET_KEY
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.models import User

    # Signed in as production requires: password changed, and a second factor verified in
    # the session (an authenticator device for the bench; django-otp then reads it on every
    # request, as it does for a real user).
    User.objects.filter(username__in=USERS).update(must_change_password=False)
    cookies, clients = {}, {}
    for name in USERS:
        user = User.objects.get(username=name)
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        cookies[name] = client.cookies["sessionid"].value
        clients[name] = client
    token = User.objects.get(username="staff").calendar_token
    ical = f"/calendar/{token}.ics"
    queries = {}
    for label, _kind, user, path, admin in PAGES:
        path = path.format(ical=ical)
        client = clients[user] if user else Client(HTTP_HOST="127.0.0.1")
        client.get(path)  # warm: imports, first-use caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{label}: {response.status_code}")
        queries[label] = len(captured)
        if admin:
            clients["admin"].get(admin)
            with CaptureQueriesContext(connection) as captured:
                clients["admin"].get(admin)
            queries[f"admin: {label}"] = len(captured)
    return {"cookies": cookies, "ical": ical, "queries": queries}


def worker_rss_mib(master_pid: int) -> list[float]:
    rss = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master_pid):
            rss.append(int(fields["VmRSS"].split()[0]) / 1024)
    return rss


def gunicorn_env(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "PORTAL_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "DEMO_PASSWORD": "",
        "LOG_LEVEL": "WARNING",
    }


def one_scale(scale: float, out: Path) -> None:
    url = seeding.ensure(scale)
    prepared = prepare(url)
    env = gunicorn_env(url)
    subprocess.run(  # noqa: S603 - our argv
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
        cwd=ROOT,
    )
    server = subprocess.Popen(  # noqa: S603 - our argv
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "portal.wsgi:application",
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{PORT}",
            "--timeout=120",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
                fetch(conn, "/healthz", None)
                conn.close()
                break
            except (OSError, RuntimeError, http.client.HTTPException):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        results = {}
        for label, kind, user, path, admin in PAGES:
            path = path.format(ical=prepared["ical"])
            cookie = prepared["cookies"].get(user) if user else None
            targets = [(label, path, cookie)]
            if admin:
                targets.append((f"admin: {label}", admin, prepared["cookies"]["admin"]))
            for name, target, session in targets:
                run_load(target, session, 1, 4)  # warm every worker a little
                single, single_wall = run_load(target, session, 1, ONE_CLIENT_REQUESTS)
                many, many_wall = run_load(target, session, MANY_CLIENTS, MANY_CLIENT_REQUESTS)
                results[name] = {
                    "kind": kind if not name.startswith("admin: ") else "admin",
                    "p50": percentile(single, 50),
                    "p95": percentile(single, 95),
                    "rps1": len(single) / single_wall,
                    "p50_16": percentile(many, 50),
                    "p95_16": percentile(many, 95),
                    "rps16": len(many) / many_wall,
                    "queries": prepared["queries"].get(name),
                }
                print(
                    f"  s{scale:g} {name:34} p50 {results[name]['p50'] * 1000:7.1f} ms  "
                    f"p95 {results[name]['p95'] * 1000:7.1f} ms  "
                    f"16 clients {results[name]['rps16']:6.1f}/s",
                    flush=True,
                )
        rss = worker_rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    out.write_text(json.dumps({"scale": scale, "pages": results, "rss": rss}))


# --- A big transaction through the services ---------------------------------------------------


def transaction_cost(url: str, sizes=(100, 10_000)) -> dict[int, float]:
    """ms per member registered through grassroots.services.member_create, in one transaction
    of each size (rolled back afterwards)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import datetime

    import django

    django.setup()
    from django.db import transaction

    from grassroots import services
    from portal.idnumbers import check_char
    from portal.models import Organization

    branch = Organization.objects.branches().order_by("path").first()
    costs = {}
    for size in sizes:
        with transaction.atomic():
            started = time.perf_counter()
            for n in range(size):
                # Unique ID numbers: a birth day per 500 rows, an odd (male) sequence number.
                birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=n // 500)
                first17 = f"990101{birth:%Y%m%d}{n % 500 * 2 + 1:03d}"
                services.member_create(
                    name=f"测试{n}",
                    gender="male",
                    birth_date=birth,
                    id_number=first17 + check_char(first17),
                    branch=branch,
                    stage="applicant",
                    applied_on=datetime.date(2025, 1, 1),
                )
            costs[size] = (time.perf_counter() - started) * 1000 / size
            transaction.set_rollback(True)
    return costs


# --- Report -----------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(small: dict, large: dict, tx: dict | None) -> int:
    pages_small, pages_large = small["pages"], large["pages"]
    failures = 0
    floor = {1: pages_small["/healthz"]["p50"], 10: pages_large["/healthz"]["p50"]}

    print("\n== Latency, one client (ms) ==")
    print(
        f"{'page':36}{'p50 s1':>9}{'p95 s1':>9}{'p50 s10':>9}{'p95 s10':>9}"
        f"{'p95 10/1':>9}{'  ≤1.25':>7}{'p50/floor s1':>13}{'s10':>6}{'  ≤15':>6}"
    )
    for label, *_ in PAGES:
        a, b = pages_small[label], pages_large[label]
        ratio = b["p95"] / a["p95"]
        flat = ratio <= 1.25
        near_floor = max(a["p50"] / floor[1], b["p50"] / floor[10])
        floor_ok = near_floor <= 15
        if label != "/healthz":
            failures += (not flat) + (not floor_ok)
        print(
            f"{label:36}{a['p50'] * 1000:>9.1f}{a['p95'] * 1000:>9.1f}{b['p50'] * 1000:>9.1f}"
            f"{b['p95'] * 1000:>9.1f}{ratio:>9.2f}{verdict(flat):>7}"
            f"{a['p50'] / floor[1]:>13.1f}{b['p50'] / floor[10]:>6.1f}{verdict(floor_ok):>6}"
        )

    print("\n== Lists against Django admin's changelist (requests/s) ==")
    print(
        f"{'list':24}{'scale':>6}{'ours 1c':>9}{'admin 1c':>9}{'x':>6}{'ours 16c':>10}"
        f"{'admin 16c':>10}{'x':>6}{'  ≥2':>6}"
    )
    for label, _kind, _user, _path, admin in PAGES:
        if not admin:
            continue
        for scale, pages in ((1, pages_small), (10, pages_large)):
            ours, theirs = pages[label], pages[f"admin: {label}"]
            x1, x16 = ours["rps1"] / theirs["rps1"], ours["rps16"] / theirs["rps16"]
            ok = x1 >= 2 and x16 >= 2
            failures += not ok
            print(
                f"{label:24}{scale:>6}{ours['rps1']:>9.1f}{theirs['rps1']:>9.1f}{x1:>6.2f}"
                f"{ours['rps16']:>10.1f}{theirs['rps16']:>10.1f}{x16:>6.2f}{verdict(ok):>6}"
            )

    print("\n== Throughput with 16 clients (requests/s) and p95 (ms) ==")
    print(f"{'page':36}{'rps s1':>8}{'p95 s1':>9}{'rps s10':>9}{'p95 s10':>9}")
    for label, *_ in PAGES:
        a, b = pages_small[label], pages_large[label]
        print(
            f"{label:36}{a['rps16']:>8.1f}{a['p95_16'] * 1000:>9.1f}{b['rps16']:>9.1f}"
            f"{b['p95_16'] * 1000:>9.1f}"
        )

    print("\n== Queries per page ==")
    print(f"{'page':44}{'s1':>5}{'s10':>5}  ≤12, same")
    for label in pages_small:
        a, b = pages_small[label]["queries"], pages_large[label]["queries"]
        if a is None:
            continue
        if label.startswith("admin: "):  # Django's own pages: shown, not judged
            print(f"{label:44}{a:>5}{b:>5}")
            continue
        ok = a == b and a <= 12
        failures += not ok
        print(f"{label:44}{a:>5}{b:>5}  {verdict(ok)}")

    print("\n== seed_demo (s) ==")
    seeding.print_seed_table([1, 3, 10])
    total = seeding.seed_times(10).get("total")
    ok = total is not None and total < 600
    failures += not ok
    print(f"seed_demo --scale 10: {total}s  < 600 s  {verdict(ok)}")
    if tx:
        ratio = tx[max(tx)] / tx[min(tx)]
        ok = ratio <= 1.25
        failures += not ok
        print(
            f"member_create in one transaction: {min(tx)} rows {tx[min(tx)]:.2f} ms/row, "
            f"{max(tx)} rows {tx[max(tx)]:.2f} ms/row, ratio {ratio:.2f}  ≤1.25  {verdict(ok)}"
        )

    print("\n== gunicorn workers' RSS after the run (MiB) ==")
    for scale, result in ((1, small), (10, large)):
        rss = result["rss"]
        ok = bool(rss) and max(rss) <= 200
        failures += not ok
        print(f"scale {scale}: {', '.join(f'{r:.0f}' for r in rss)}  ≤200  {verdict(ok)}")
    print(f"\n{failures} goal(s) failed" if failures else "\nevery goal passed")
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--one-scale", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--transaction", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--skip-transaction", action="store_true")
    args = parser.parse_args()
    if args.one_scale is not None:
        one_scale(args.one_scale, args.out)
        return 0
    if args.transaction:
        args.out.write_text(json.dumps(transaction_cost(seeding.ensure(1))))
        return 0

    for scale in (1, 3, 10):
        seeding.ensure(scale)
    out_dir = seeding.LOGS
    out_dir.mkdir(parents=True, exist_ok=True)
    me = [sys.executable, __file__]
    for scale in (1, 10):
        print(f"scale {scale}:", flush=True)
        subprocess.run(  # noqa: S603 - our argv
            [*me, "--one-scale", str(scale), "--out", str(out_dir / f"web_s{scale}.json")],
            check=True,
        )
    tx = None
    if not args.skip_transaction:
        path = out_dir / "transaction.json"
        subprocess.run([*me, "--transaction", "--out", str(path)], check=True)  # noqa: S603
        tx = {int(k): v for k, v in json.loads(path.read_text()).items()}
    small = json.loads((out_dir / "web_s1.json").read_text())
    large = json.loads((out_dir / "web_s10.json").read_text())
    return report(small, large, tx)


if __name__ == "__main__":
    sys.exit(main())
