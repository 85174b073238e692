"""A per-user sliding-window rate limit (plain Python, no Discord)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import TypeVar

V = TypeVar("V")


class RateLimiter:
    """At most `limit` events per `window` seconds per key; a refused key is told so once
    per window (`tell`), so a flood does not earn a reply per message.

    Keys are kept in order of their last event, so the idle ones are forgotten from the front
    as others arrive: memory holds only the keys active within a window, and no call walks
    them all (a burst from tens of thousands of members costs each call the same)."""

    def __init__(self, limit: int = 5, window: float = 10.0) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[int, deque[float]] = {}  # oldest last event first
        self._told: dict[int, float] = {}  # oldest first

    def hit(self, key: int, now: float | None = None) -> float:
        """Record an event; return 0 when allowed, else the seconds until one is allowed."""
        now = time.monotonic() if now is None else now
        events = self._events.pop(key, None) or deque()
        self._events[key] = events  # now the most recent
        while events and now - events[0] >= self.window:
            events.popleft()
        if len(events) >= self.limit:
            return self.window - (now - events[0])
        events.append(now)
        self._forget(now)
        return 0.0

    def tell(self, key: int, now: float | None = None) -> bool:
        """Whether to tell a refused `key` that it is limited: once per window."""
        now = time.monotonic() if now is None else now
        told = self._told.get(key)
        if told is not None and now - told < self.window:
            return False
        self._told.pop(key, None)
        self._told[key] = now
        self._forget(now)
        return True

    def _forget(self, now: float) -> None:
        _drop_idle(self._events, _last_event, now, self.window)
        _drop_idle(self._told, float, now, self.window)


def _drop_idle(table: dict[int, V], last: Callable[[V], float], now: float, window: float) -> None:
    """Drop up to two keys idle for a whole window, oldest first (each call adds at most one
    key, so a table holds little more than the keys active within a window)."""
    for _ in range(2):
        oldest = next(iter(table), None)
        if oldest is None or now - last(table[oldest]) < window:
            return
        del table[oldest]


def _last_event(events: deque[float]) -> float:
    return events[-1] if events else float("-inf")
