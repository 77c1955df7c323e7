"""Heartbeats of the Celery worker and beat, read by their container health checks.

Each process touches a file while its main loop turns: the worker from its event loop's timer,
beat at every scheduler tick (portal/healthcheck.py reads the files). `celery inspect ping`
would answer the same question, but it starts a Celery client and a broadcast round trip
through Redis at every probe; stat() of a file costs nothing.
"""

from celery import bootsteps
from celery.beat import PersistentScheduler

from portal.healthcheck import WORKER_INTERVAL, forget, touch


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Touches the worker's file from the worker's own timer: if the main loop hangs, so does
    the heartbeat."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.timer_entry = None

    def start(self, worker):
        touch("worker")
        self.timer_entry = worker.timer.call_repeatedly(WORKER_INTERVAL, touch, ("worker",))

    def stop(self, worker):
        if self.timer_entry is not None:
            self.timer_entry.cancel()
        forget("worker")


class HeartbeatScheduler(PersistentScheduler):
    """The default persistent scheduler, touching beat's file at each tick (at least every
    CELERY_BEAT_MAX_LOOP_INTERVAL seconds)."""

    def tick(self, *args, **kwargs):
        touch("beat")
        return super().tick(*args, **kwargs)

    def close(self):
        forget("beat")
        super().close()
