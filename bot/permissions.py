"""Who may change what, checked in the bot on every command, button and modal submit.

Discord's `default_member_permissions` only hides commands in the client; it is not a security
check, so every handler that changes something calls one of these first.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.embeds import choose_language
from bot.i18n import t
from bot.knowledge import Entry

if TYPE_CHECKING:
    from bot.client import StewardBot

log = logging.getLogger("steward")


class NotAllowed(app_commands.CheckFailure):
    """A refusal whose text is shown to the user as it is."""


@dataclass(frozen=True)
class Scope:
    """Where a change goes: a server's entries, or the shared knowledge."""

    key: str  # the server id, or "shared"
    guild: str | None


def locale_language(interaction: discord.Interaction[Any]) -> str:
    """Spanish for a Spanish Discord client, English otherwise (the rule answers use)."""
    return choose_language(interaction.locale, "")


def is_owner(interaction: discord.Interaction[StewardBot]) -> bool:
    """A bot owner (STEWARD_OWNER_IDS)."""
    return interaction.user.id in (interaction.client.owner_ids or ())


async def require_moderator(interaction: discord.Interaction[StewardBot]) -> Scope:
    """The server scope, if the user has Manage Server or a configured moderator role."""
    lang = locale_language(interaction)
    if interaction.guild_id is None:
        raise NotAllowed(t("server_only", lang))
    guild = str(interaction.guild_id)
    if is_owner(interaction) or interaction.permissions.manage_guild:
        return Scope(guild, guild)
    config = await interaction.client.records.guild_config(guild)
    roles = {r.id for r in getattr(interaction.user, "roles", [])}
    if roles & set(config.mod_roles):
        return Scope(guild, guild)
    raise NotAllowed(t("only_moderators", lang))


def require_owner(interaction: discord.Interaction[StewardBot]) -> None:
    """Only bot owners may touch the shared knowledge."""
    if not is_owner(interaction):
        raise NotAllowed(t("only_owners", locale_language(interaction)))


async def scope_for_entry(
    interaction: discord.Interaction[StewardBot], entry_id: str
) -> tuple[Scope, Entry]:
    """The scope an existing entry lives in, if this user may change it there."""
    guild = str(interaction.guild_id) if interaction.guild_id else None
    entry = interaction.client.engine.entry(entry_id, guild)
    if entry is None:
        raise NotAllowed(t("unknown_entry", locale_language(interaction), entry_id=entry_id[:64]))
    if entry.origin == "shared":
        require_owner(interaction)
        return Scope("shared", guild), entry
    return await require_moderator(interaction), entry


async def report_error(interaction: discord.Interaction[Any], error: Exception) -> None:
    """Answer a refusal with its text, any other error briefly; log without question text."""
    if isinstance(error, app_commands.CheckFailure):
        message = str(error) or t("error", locale_language(interaction))
    else:
        command = interaction.command.qualified_name if interaction.command else "component"
        log.error("%s failed in guild %s", command, interaction.guild_id, exc_info=error)
        message = t("error", locale_language(interaction))
    with contextlib.suppress(discord.HTTPException):
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
