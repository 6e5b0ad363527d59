"""Remember message ids for a while so that a redelivered webhook is not answered twice (bounded, with a TTL)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class SeenIds:
    """At most `max_size` ids, each forgotten after `ttl_s` seconds. Single event loop: no locking needed."""

    def __init__(self, max_size: int = 10_000, ttl_s: float = 24 * 3600, clock: Callable[[], float] = time.monotonic):
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._max_size, self._ttl_s, self._clock = max_size, ttl_s, clock

    def first_time(self, message_id: str) -> bool:
        """True the first time an id is seen (within the TTL); it is remembered from then on."""
        now = self._clock()
        while self._seen and (len(self._seen) >= self._max_size or next(iter(self._seen.values())) < now - self._ttl_s):
            self._seen.popitem(last=False)
        if message_id in self._seen:
            return False
        self._seen[message_id] = now
        return True
