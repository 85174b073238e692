"""Answering an interaction inside Discord's window: 3 seconds for the first reply.

Work that can grow (matching under load, an import, a reload) is started at once; if it is not
done in about half the window the interaction is deferred ("thinking") and the answer follows
as an edit of that message, up to 15 minutes later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord

from bot.worker import EngineWorker

T = TypeVar("T")

WORK_BUDGET = 1.5  # seconds of work allowed before deferring
ACK_BY = 2.0  # seconds after the interaction was created by which it should be acknowledged


def _time_left(interaction: discord.Interaction[Any]) -> float:
    """Seconds of work before deferring: WORK_BUDGET from now, less if the interaction waited
    before reaching us (its age by its snowflake; a host clock that runs ahead only makes
    Steward defer sooner, one that runs behind is capped by WORK_BUDGET)."""
    age = (discord.utils.utcnow() - interaction.created_at).total_seconds()
    return max(0.0, min(WORK_BUDGET, ACK_BY - age))


async def within_window(
    interaction: discord.Interaction[Any],
    work: Awaitable[T],
    *,
    ephemeral: bool = True,
    update: bool = False,
) -> T:
    """Await `work`, deferring the interaction first if the work is not done in time: as a
    reply to come ("thinking"), or with `update` as an edit to come of the message whose
    button was pressed (see `send_update`)."""
    task = asyncio.ensure_future(work)
    done, _pending = await asyncio.wait({task}, timeout=_time_left(interaction))
    if not done and not interaction.response.is_done():
        if update:
            await interaction.response.defer()
        else:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    return await task


async def quick(worker: EngineWorker, fn: Callable[[], T], fallback: Callable[[], T]) -> T:
    """`fn()` on the worker if it is done within WORK_BUDGET, else `fallback()`: for
    autocomplete, which cannot be deferred (the late call is dropped if it has not started)."""
    try:
        return await asyncio.wait_for(worker.submit(fn), WORK_BUDGET)
    except TimeoutError:
        return fallback()


async def send_answer(interaction: discord.Interaction[Any], **kwargs: Any) -> None:
    """Reply, or fill in the deferred reply (`ephemeral` was fixed when deferring)."""
    kwargs.setdefault("allowed_mentions", discord.AllowedMentions.none())
    if interaction.response.is_done():
        kwargs.pop("ephemeral", None)
        await interaction.edit_original_response(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


async def send_update(interaction: discord.Interaction[Any], **kwargs: Any) -> None:
    """Edit the message whose button was pressed, whether or not the update was deferred."""
    if interaction.response.is_done():
        await interaction.edit_original_response(**kwargs)
    else:
        await interaction.response.edit_message(**kwargs)
