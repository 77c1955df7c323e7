"""Counters for rate limits that hold under concurrency: count first, then decide.

A check-then-count limit lets parallel requests all pass the check before any of them is
counted (30 parallel guesses at /track/ once got 39 evaluated where 10 were allowed). Here
every attempt is counted with one atomic Redis step (SET NX EX + INCR in a MULTI block) that
returns this attempt's number; the caller then decides from that number, so the 11th of 30
simultaneous attempts sees 11 whatever the timing.

The window is fixed: it starts with the first attempt and the count disappears with it.
If Redis is down the counters answer None and the callers let the request through (fail
open) with a warning in the log: these limits slow guessing, they do not guard a secret.

This also covers the password-reset limit, so django-ratelimit (whose check and count are
separate cache calls, and which cannot give back an attempt that turned out right) is not
used.
"""

import functools
import logging
from dataclasses import dataclass

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

# Gives back one attempt, but never brings a key back to life after its window ended (a
# DECR on a missing key would create a counter without expiry).
_RELEASE = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('DECR', KEYS[1])
end
return 0
"""


@functools.lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    # Short timeouts: a Redis outage must not hold up the page for long.
    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


@dataclass(frozen=True)
class Limit:
    """At most `limit` counted attempts per subject (an address, an e-mail) per window."""

    name: str
    limit: int
    window: int  # seconds

    def key(self, subject: str | None) -> str:
        return f"portal:limit:{self.name}:{subject or 'unknown'}"

    def hit(self, subject: str | None) -> int | None:
        """Count one attempt and return its number in the window (1 for the first), or None
        when Redis cannot be reached."""
        key = self.key(subject)
        try:
            pipe = _client(settings.REDIS_URL).pipeline(transaction=True)
            pipe.set(key, 0, ex=self.window, nx=True)
            pipe.incr(key)
            _, count = pipe.execute()
        except redis.RedisError:
            logger.warning("rate limit %s: Redis unavailable, %s not counted", self.name, subject)
            return None
        return int(count)

    def exceeded(self, count: int | None) -> bool:
        return count is not None and count > self.limit

    def count(self, subject: str | None) -> int:
        """The attempts counted so far (0 when Redis cannot be reached)."""
        try:
            value = _client(settings.REDIS_URL).get(self.key(subject))
        except redis.RedisError:
            logger.warning("rate limit %s: Redis unavailable, not limiting %s", self.name, subject)
            return 0
        return int(value or 0)

    def release(self, subject: str | None) -> None:
        """Give back one counted attempt (it turned out to be legitimate)."""
        try:
            _client(settings.REDIS_URL).eval(_RELEASE, 1, self.key(subject))
        except redis.RedisError:
            logger.warning("rate limit %s: Redis unavailable, %s not released", self.name, subject)

    def reset(self, subject: str | None) -> None:
        try:
            _client(settings.REDIS_URL).delete(self.key(subject))
        except redis.RedisError:
            logger.warning("rate limit %s: Redis unavailable, %s not reset", self.name, subject)
