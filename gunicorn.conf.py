"""gunicorn's settings (`gunicorn -c gunicorn.conf.py portal.wsgi:application`).

Sync workers behind nginx, which buffers slow clients' requests and answers (deploy/nginx.conf):
a worker is busy only while Django works. Each worker serves one request at a time, so its
database pool needs two connections at most (DATABASE_POOL_MAX_SIZE in docker-compose.yml).
"""

import os
import shutil
from pathlib import Path


def cpu_count() -> int:
    """The CPUs this container may use: its cgroup quota when it has one (`cpus:` in compose),
    else the CPUs the process may run on. os.cpu_count() would report the host's."""
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if quota != "max":
            return max(1, int(int(quota) / int(period) + 0.5))
    except (OSError, ValueError):
        pass
    return len(os.sched_getaffinity(0))


bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Two per CPU and one more (gunicorn's rule for sync workers), or GUNICORN_WORKERS.
workers = int(os.environ.get("GUNICORN_WORKERS") or 2 * cpu_count() + 1)
worker_class = "sync"
# The heartbeat file every worker touches: in memory, not on the container's overlay disk (a
# slow disk there makes the master kill healthy workers).
SHM = "/dev/shm"  # noqa: S108 - memory, private to the container
worker_tmp_dir = SHM if os.path.isdir(SHM) else None
# A request still running after this is killed (the database's statement_timeout matches it).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On a stop or a reload, workers finish what they serve for up to this long (compose's
# stop_grace_period is longer).
graceful_timeout = 30
keepalive = 5
# A worker is replaced after about this many requests: memory a library leaks stays bounded.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10

# Access log to stdout, without calendar tokens or token= values (portal/accesslog.py). The
# client is the first address nginx forwards; the request id matches the application's lines.
accesslog = "-"
errorlog = "-"
logger_class = "portal.accesslog.RedactingLogger"
access_log_format = (
    '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" id=%({x-request-id}o)s'
)


def on_starting(server):
    """Each worker counts its requests for /metrics in files here; a scrape adds them up."""
    directory = os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR",
        f"{SHM}/portal-metrics" if os.path.isdir(SHM) else "var/run/metrics",
    )
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
