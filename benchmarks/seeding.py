"""The benchmark databases: `bench_s<scale>` next to DATABASE_URL's, seeded once and reused.

    .venv/bin/python benchmarks/seeding.py 1 3 10      # seed what is missing, print the times

Each database is migrated and loaded with `manage.py seed_demo --scale <scale>` in a child
process (at `nice` 5: the machine is shared); the loader's output, with its per-app times, is
kept in `var/bench/seed_s<scale>.log`, so a later benchmark run prints the times of the load it
reuses. `--reseed` drops and reloads.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "var" / "bench"


def database_name(scale: float) -> str:
    return f"bench_s{scale:g}".replace(".", "_")


def database_url(base_url: str, name: str) -> str:
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def log_path(scale: float) -> Path:
    return LOGS / f"seed_s{scale:g}.log"


def _exists(base_url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def _loaded(url: str) -> bool:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        table = conn.execute("SELECT to_regclass('portal_organization')").fetchone()[0]
        return table is not None and bool(
            conn.execute("SELECT 1 FROM portal_organization LIMIT 1").fetchone()
        )


def ensure(scale: float, *, base_url: str | None = None, reseed: bool = False) -> str:
    """Return the URL of the seeded `bench_s<scale>`, creating and loading it if needed."""
    import psycopg

    base_url = base_url or os.environ["DATABASE_URL"]
    name = database_name(scale)
    url = database_url(base_url, name)
    if reseed:
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if not _exists(base_url, name):
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # name is ours: bench_s<scale>
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_POOL": "false", "DEBUG": "false"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603 (our argv)
    if not _loaded(url):
        LOGS.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        with log_path(scale).open("w") as log:
            subprocess.run(  # noqa: S603 (our argv)
                ["nice", "-n", "5", *manage, "seed_demo", "--scale", f"{scale:g}"],  # noqa: S607
                env=env,
                check=True,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            log.write(f"total: {time.perf_counter() - started:.1f}s\n")
    return url


def seed_times(scale: float) -> dict[str, float]:
    """The per-step times of the load `bench_s<scale>` holds, from its log ({} if unknown)."""
    path = log_path(scale)
    if not path.exists():
        return {}
    times = {}
    for line in path.read_text().splitlines():
        match = re.match(r"\s*([\w.]+): ([\d.]+)s$", line)
        if match:
            times[match.group(1)] = float(match.group(2))
    return times


def print_seed_table(scales) -> None:
    rows = {scale: seed_times(scale) for scale in scales}
    steps = []
    for times in rows.values():
        steps += [step for step in times if step not in steps]
    print(f"{'seed_demo step':20}" + "".join(f"{f'scale {s:g} (s)':>14}" for s in scales))
    for step in steps:
        cells = "".join(
            f"{rows[s][step]:>14.1f}" if step in rows[s] else f"{'-':>14}" for s in scales
        )
        print(f"{step:20}{cells}")


def main() -> int:
    args = sys.argv[1:]
    reseed = "--reseed" in args
    scales = [float(a) for a in args if a != "--reseed"] or [1.0, 10.0]
    for scale in scales:
        ensure(scale, reseed=reseed)
    print_seed_table(scales)
    return 0


if __name__ == "__main__":
    sys.exit(main())
