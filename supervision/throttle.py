"""Slowing and then refusing repeated wrong tries at /track/, per client address.

Every lookup is counted before it is evaluated (portal.ratelimits: one atomic Redis step),
and the number it gets decides: beyond REFUSE_AFTER it is refused unevaluated, so however
many arrive at once, at most REFUSE_AFTER guesses per address are checked in a window. A
lookup that finds its matter gives its count back, so the limit counts wrong tries only.
If Redis is down the page still answers (fails open) and logs a warning: a lookup still
needs both the code and the secret.
"""

import time

from portal.ratelimits import Limit

WINDOW_SECONDS = 15 * 60
SLOW_AFTER = 5  # failures in the window before each answer is delayed
REFUSE_AFTER = 10  # failures in the window before the address is refused (429)
DELAY_SECONDS = 1.0  # per failure beyond SLOW_AFTER, capped at MAX_DELAY_SECONDS
MAX_DELAY_SECONDS = 5.0

FAILURES = Limit("track-failures", limit=REFUSE_AFTER, window=WINDOW_SECONDS)


def attempt(address: str | None) -> int | None:
    """Count this lookup against the address; its number in the window, None without Redis."""
    return FAILURES.hit(address)


def refuses(count: int | None) -> bool:
    """Whether the lookup numbered `count` is beyond the limit (and must not be evaluated)."""
    return FAILURES.exceeded(count)


def is_refused(address: str | None) -> bool:
    """Whether the address has used up its tries already (for pages that make no guess)."""
    return FAILURES.count(address) >= REFUSE_AFTER


def succeeded(address: str | None) -> None:
    """The lookup found its matter: it was no wrong try."""
    FAILURES.release(address)


def slow_down(count: int | None) -> None:
    """Delay the answer once an address has failed SLOW_AFTER times: longer each time."""
    excess = (count or 0) - SLOW_AFTER
    if excess > 0:
        time.sleep(min(DELAY_SECONDS * excess, MAX_DELAY_SECONDS))
