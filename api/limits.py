"""Rate limits per key: fixed windows in Redis (shared by workers) or in memory."""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

from litestar.exceptions import TooManyRequestsException

log = logging.getLogger("quotetrace.api")


class RateLimiter(Protocol):
    """Counts a request against a bucket; raises a 429 with Retry-After when over the limit."""

    def check(self, bucket: str) -> None: ...


def _refuse(limit: int, window: int, now: float) -> TooManyRequestsException:
    retry = max(1, int(window - now % window) + 1)
    return TooManyRequestsException(
        f"rate limit of {limit} requests per {window}s exceeded; retry in {retry}s",
        headers={"Retry-After": str(retry)})


class MemoryLimiter:
    """One process's counters; right for a single worker."""

    def __init__(self, limit: int, window: int) -> None:
        self.limit, self.window = limit, window
        self._counts: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    def check(self, bucket: str) -> None:
        now = time.time()
        slot = int(now // self.window)
        with self._lock:
            if len(self._counts) > 10_000:
                self._counts = {k: v for k, v in self._counts.items() if k[1] == slot}
            n = self._counts.get((bucket, slot), 0) + 1
            self._counts[(bucket, slot)] = n
        if n > self.limit:
            raise _refuse(self.limit, self.window, now)


class RedisLimiter:
    """Counters in Redis, so that every worker and replica shares one limit per key.

    While Redis is unreachable (at start or later), each process counts on its own, with a
    warning logged once per outage: limits still hold, per process, and matching stays up.
    """

    def __init__(self, url: str, limit: int, window: int) -> None:
        import redis

        self.limit, self.window = limit, window
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.fallback = MemoryLimiter(limit, window)
        self.down = False
        try:
            self.client.ping()
        except redis.RedisError as e:
            self._lost(e)

    def _lost(self, e: Exception) -> None:
        if not self.down:
            log.warning("Redis unreachable, rate limits counted per process until it is "
                        "back: %s", e)
        self.down = True

    def check(self, bucket: str) -> None:
        import redis

        now = time.time()
        name = f"quotetrace:rl:{bucket}:{int(now // self.window)}"
        pipe = self.client.pipeline()
        pipe.incr(name)
        pipe.expire(name, self.window + 1)
        try:
            n = int(pipe.execute()[0])
        except redis.RedisError as e:
            self._lost(e)
            self.fallback.check(bucket)
            return
        if self.down:
            log.warning("Redis is back: rate limits are shared again")
            self.down = False
        if n > self.limit:
            raise _refuse(self.limit, self.window, now)


def make_limiter(redis_url: str | None, limit: int, window: int) -> RateLimiter:
    if redis_url:
        return RedisLimiter(redis_url, limit, window)
    return MemoryLimiter(limit, window)
