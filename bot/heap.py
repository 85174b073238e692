"""Keeping Python's cyclic garbage collector away from the long-lived knowledge index.

Building the index allocates hundreds of thousands of containers and none of them is garbage,
yet every automatic collection on the way walks them all again: about a third of the load time
at 10,000 entries. `collector_paused` covers the bulk build (one collection follows it instead
of dozens during it). Once built, a full collection still walks the whole index (about 0.2 s at
that size) and would stall the bot's event loop at random moments, so the serving process calls
`settle` before the collector resumes, which hides everything alive from collections for good.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a bulk build with automatic collections off (reference counting still frees)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def settle() -> None:
    """Keep every object alive now out of all later collections (`gc.freeze`).

    Called inside `collector_paused`, right after the bulk build, no collection ever walks what
    was built, not even once. For the serving process only: an object frozen here that later
    becomes part of an unreachable reference cycle is never freed, so code that builds many bots
    (the tests) must not call it.
    """
    gc.freeze()


def resettle() -> None:
    """After rebuilding the index: settle again if this process has settled before."""
    if gc.get_freeze_count():
        settle()
