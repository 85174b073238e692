"""A per-user sliding-window rate limit (plain Python, no Discord)."""

from __future__ import annotations

import time
from collections import deque


class RateLimiter:
    """At most `limit` events per `window` seconds per key; a refused key is told so once
    per window (`tell`), so a flood does not earn a reply per message."""

    def __init__(self, limit: int = 5, window: float = 10.0) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[int, deque[float]] = {}
        self._told: dict[int, float] = {}

    def hit(self, key: int, now: float | None = None) -> float:
        """Record an event; return 0 when allowed, else the seconds until one is allowed."""
        now = time.monotonic() if now is None else now
        events = self._events.setdefault(key, deque())
        while events and now - events[0] >= self.window:
            events.popleft()
        if len(events) >= self.limit:
            return self.window - (now - events[0])
        events.append(now)
        if len(self._events) > 10_000:  # forget idle users so memory stays bounded
            self._events = {
                k: v for k, v in self._events.items() if v and now - v[-1] < self.window
            }
            self._told = {k: v for k, v in self._told.items() if now - v < self.window}
        return 0.0

    def tell(self, key: int, now: float | None = None) -> bool:
        """Whether to tell a refused `key` that it is limited: once per window."""
        now = time.monotonic() if now is None else now
        told = self._told.get(key)
        if told is not None and now - told < self.window:
            return False
        self._told[key] = now
        return True
