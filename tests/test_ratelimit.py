"""The per-user rate limit: a sliding window, one notice per window, bounded memory."""

from __future__ import annotations

import tracemalloc

from bot.ratelimit import RateLimiter


def test_a_user_gets_limit_events_per_window_and_then_waits():
    limiter = RateLimiter(limit=3, window=10.0)
    assert [limiter.hit(1, now=t) for t in (0.0, 1.0, 2.0)] == [0.0, 0.0, 0.0]
    assert limiter.hit(1, now=3.0) == 7.0  # the first event leaves the window at 10
    assert limiter.hit(2, now=3.0) == 0.0  # another user is not affected
    assert limiter.hit(1, now=10.0) == 0.0


def test_a_limited_user_is_told_once_per_window():
    limiter = RateLimiter(limit=1, window=10.0)
    assert [limiter.tell(1, now=t) for t in (0.0, 5.0, 10.0, 11.0)] == [True, False, True, False]


def test_memory_holds_only_the_users_active_within_a_window():
    limiter = RateLimiter(limit=5, window=1.0)

    def traffic(start: int, seconds: int) -> int:
        for n in range(start * 1000, (start + seconds) * 1000):  # 1,000 new users a second
            limiter.hit(n, now=n / 1000)
            limiter.tell(n, now=n / 1000)
        return tracemalloc.get_traced_memory()[0]

    tracemalloc.start()
    try:
        after_two_windows = traffic(0, 2)
        after_sixty = traffic(2, 58)
    finally:
        tracemalloc.stop()
    assert after_sixty < 1.5 * after_two_windows
    # a user active within the window is still remembered amid the forgetting
    assert [limiter.hit(7, now=59.5) for _ in range(5)] == [0.0] * 5
    assert limiter.hit(8, now=59.9) == 0.0 and limiter.hit(7, now=60.0) > 0
