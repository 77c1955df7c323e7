"""Run the suite with the clock moved: `pytest --clock 2027-01-01T01:00+08:00`.

The whole run travels there (time-machine, ticking), so every test sees that moment as now:
the first hour of a year, or the last day of a quarter, where "the current period" has just
begun or is about to end. The offset from the real clock is put in PORTAL_TEST_CLOCK_OFFSET,
so that the processes the tests start (the Celery worker of tests/reminders, pytest-xdist's
workers) move by the same amount and every Python process agrees on the time.

What does not move: PostgreSQL's own clock (now(), CURRENT_DATE), which the code therefore never
reads for a date (it passes `today` from Python; the timestamps written by the audit triggers
and defaults are not compared with today), and headless Chromium's JavaScript clock, which no
page uses for a date.
"""

import datetime
import os

import time_machine

ENV = "PORTAL_TEST_CLOCK_OFFSET"
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def boundaries(today: datetime.date | None = None) -> list[str]:
    """The moments `make test` runs the date-sensitive tests at again: 01:00 on the next
    1 January (a year, half year, quarter and month all begin) and 23:00 on the last day of
    the current quarter (all of them end but the year, unless it is December)."""
    today = today or datetime.date.today()
    new_year = datetime.datetime(today.year + 1, 1, 1, 1, 0, tzinfo=SHANGHAI)
    quarter_end_month = (today.month - 1) // 3 * 3 + 3
    next_month = datetime.date(today.year + quarter_end_month // 12, quarter_end_month % 12 + 1, 1)
    last_day = next_month - datetime.timedelta(days=1)
    quarter_end = datetime.datetime.combine(last_day, datetime.time(23, 0), tzinfo=SHANGHAI)
    return [new_year.isoformat(timespec="minutes"), quarter_end.isoformat(timespec="minutes")]


_traveller = None


def offset_for(moment: str) -> float:
    target = datetime.datetime.fromisoformat(moment)
    if target.tzinfo is None:
        raise ValueError(f"--clock needs a UTC offset, e.g. {boundaries()[0]}")
    return (target - datetime.datetime.now(datetime.UTC)).total_seconds()


def start(moment: str | None = None) -> None:
    """Move this process's clock: to `moment`, or by the offset a parent process exported."""
    global _traveller
    if moment:
        os.environ[ENV] = str(offset_for(moment))
    if _traveller is not None or not os.environ.get(ENV):
        return
    offset = datetime.timedelta(seconds=float(os.environ[ENV]))
    _traveller = time_machine.travel(datetime.datetime.now(datetime.UTC) + offset, tick=True)
    _traveller.start()


def stop() -> None:
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None


def pinned(moment: str):
    """A test that reads the current period runs at a fixed moment, whatever the real date or
    --clock: `with pinned("2026-11-18T10:00+08:00"): ...` (or as a decorator)."""
    return time_machine.travel(datetime.datetime.fromisoformat(moment), tick=True)


if __name__ == "__main__":  # `python -m tests.clock`: the boundaries, one a line (Makefile)
    print("\n".join(boundaries()))
