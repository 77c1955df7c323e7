"""Slowing and then refusing repeated wrong tries at /track/, per client address.

Counts live in the Redis cache for a window. If Redis is down the page still answers
(fails open) and logs a warning: a lookup still needs both the code and the secret.
"""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 15 * 60
SLOW_AFTER = 5  # failures in the window before each answer is delayed
REFUSE_AFTER = 10  # failures in the window before the address is refused (429)
DELAY_SECONDS = 1.0  # per failure beyond SLOW_AFTER, capped at MAX_DELAY_SECONDS
MAX_DELAY_SECONDS = 5.0


def _key(address: str | None) -> str:
    return f"supervision:track-failures:{address or 'unknown'}"


def failures(address: str | None) -> int:
    try:
        return int(cache.get(_key(address), 0))
    except Exception:  # noqa: BLE001 - any cache failure: fail open
        logger.warning("track throttle: cache unavailable, not limiting %s", address)
        return 0


def record_failure(address: str | None) -> None:
    key = _key(address)
    try:
        if not cache.add(key, 1, WINDOW_SECONDS):
            cache.incr(key)
    except Exception:  # noqa: BLE001
        logger.warning("track throttle: cache unavailable, failure of %s not counted", address)


def is_refused(address: str | None) -> bool:
    return failures(address) >= REFUSE_AFTER


def slow_down(address: str | None) -> None:
    """Delay the answer once an address has failed SLOW_AFTER times: longer each time."""
    excess = failures(address) - SLOW_AFTER + 1
    if excess > 0:
        time.sleep(min(DELAY_SECONDS * excess, MAX_DELAY_SECONDS))
