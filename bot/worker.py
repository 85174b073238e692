"""The one place the bot's engine work runs: a thread pool, so the event loop never waits for it.

Matching (and embedding, with the semantic layer) takes milliseconds to tens of milliseconds
per question; rebuilding the index after a reload takes seconds. Run on the event loop, that
work stalls every other interaction and heartbeat. Every call into the engine from the bot goes
through `EngineWorker.run` instead. With the default single thread, engine reads and writes
are serialised in submission order, so the engine needs no locks of its own; more threads are
only safe for an engine that is itself thread-safe.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, ParamSpec, TypeVar

if TYPE_CHECKING:
    from bot.answers import Engine

P = ParamSpec("P")
T = TypeVar("T")


class EngineWorker:
    """A dedicated thread pool for engine calls, awaited from the event loop."""

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="steward-engine")

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> asyncio.Future[T]:
        """Queue `fn(*args, **kwargs)`; the future can be awaited, shielded or cancelled (a
        call not yet started is then dropped from the queue)."""
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `fn(*args, **kwargs)` on the worker and return (or raise) its result."""
        return await self.submit(fn, *args, **kwargs)

    def shutdown(self) -> None:
        """Drop queued calls and wait for the running one."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def warm_up(engine: Engine) -> None:
    """Build what the engine builds lazily on first use (autocomplete's word statistics, the
    keyword language map, ...) by asking it once, so no user's first question pays for it."""
    engine.matcher.warm()
    engine.suggest("a")
    engine.ask("a")
