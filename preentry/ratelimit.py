"""A small in-memory token bucket per client address.

One process keeps its own buckets; with several workers each limits separately, which is
still a bound. Memory is bounded: past `max_clients` the least recently seen bucket goes.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class TokenBucketLimiter:
    def __init__(
        self,
        burst: int,
        per_second: float,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = burst
        self.per_second = per_second
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Spend one token of `client`: 0.0 when allowed, else the seconds until the next one."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.pop(client, None)
            if bucket is None:
                bucket = _Bucket(float(self.burst), now)
            else:
                elapsed = max(0.0, now - bucket.stamp)
                bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.per_second)
                bucket.stamp = now
            self._buckets[client] = bucket  # most recently seen last
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.per_second

    def retry_after_header(self, wait: float) -> str:
        return str(max(1, math.ceil(wait)))
