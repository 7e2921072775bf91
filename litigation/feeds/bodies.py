"""Built feeds kept in memory, keyed by (subscription id, stamp), least recently used out
first once their bytes pass a bound.

Per process: each server worker keeps its own (a feed is built at most once per worker and
stamp), nothing is shared or written to disk, and a restart starts empty. A key holds the
stamp, so a body built for another stamp is never served: a change gives a new key, and the
old body ages out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

Key = tuple[int, str]


class BodyCache:
    """An LRU of feed bodies bounded by their total size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._bodies: OrderedDict[Key, bytes] = OrderedDict()
        self._lock = threading.Lock()  # threaded workers share one cache

    def get(self, key: Key) -> bytes | None:
        """The body stored under `key`, now the most recently used; None if there is none."""
        with self._lock:
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
            return body

    def put(self, key: Key, body: bytes) -> None:
        """Keep `body` (and drop the feed's bodies of older stamps); one larger than the
        whole bound is not kept."""
        if len(body) > self.max_bytes:
            return
        with self._lock:
            for old in [k for k in self._bodies if k[0] == key[0]]:
                self.size -= len(self._bodies.pop(old))
            self._bodies[key] = body
            self.size += len(body)
            while self.size > self.max_bytes:
                _key, dropped = self._bodies.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        """Forget every body."""
        with self._lock:
            self._bodies.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._bodies)
