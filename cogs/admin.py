"""/steward: server settings (moderators) and knowledge upkeep (bot owners)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.embeds import clip
from bot.i18n import t
from bot.permissions import locale_language, require_moderator, require_owner
from bot.records import GuildConfig
from bot.store import StoreError
from cogs.faq import actor_name, refusal, reply

if TYPE_CHECKING:
    from bot.client import StewardBot

Inter = discord.Interaction["StewardBot"]


class Admin(
    commands.GroupCog,
    group_name="steward",
    group_description=_("Steward's settings for this server"),
):
    """Settings, the audit view, reloading shared knowledge and forgetting a user."""

    def __init__(self, bot: StewardBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(
        name=_("config"), description=_("Set moderator roles and private answers (moderators)")
    )
    @app_commands.describe(
        private_default=_("Answer privately unless the user asks otherwise"),
        mod_role=_("A role whose members may edit this server's FAQ (toggles it)"),
    )
    async def config(
        self,
        interaction: Inter,
        private_default: bool | None = None,
        mod_role: discord.Role | None = None,
    ) -> None:
        """/steward config [private_default] [mod_role]: change or show the server's settings."""
        scope = await require_moderator(interaction)
        lang = locale_language(interaction)
        config = await self.bot.records.guild_config(scope.key)
        roles = set(config.mod_roles)
        if mod_role is not None:
            roles ^= {mod_role.id}
        new = GuildConfig(
            config.private_default if private_default is None else private_default,
            tuple(sorted(roles)),
        )
        if new != config:
            await self.bot.records.set_guild_config(scope.key, new)
        roles_text = ", ".join(f"<@&{r}>" for r in new.mod_roles) or t("no_mod_roles", lang)
        private = t("on" if new.private_default else "off", lang)
        await reply(interaction, t("config_summary", lang, private=private, roles=roles_text))

    @app_commands.command(
        name=_("audit"), description=_("Recent changes to this server's FAQ (moderators)")
    )
    async def audit(self, interaction: Inter) -> None:
        """/steward audit: the latest changes, who made them and when."""
        scope = await require_moderator(interaction)
        lang = locale_language(interaction)
        changes = await self.bot.records.recent_changes(scope.key)
        if not changes:
            await reply(interaction, t("no_audit", lang))
            return
        lines = [
            f"{c.at[:16].replace('T', ' ')} · `{c.entry_id}` v{c.version} "
            f"{t(f'action_{c.action}', lang)} · {actor_name(c.actor_id, lang)}"
            for c in changes
        ]
        await reply(
            interaction,
            embed=discord.Embed(
                title=t("audit_title", lang), description=clip("\n".join(lines), 4096)
            ),
        )

    @app_commands.command(
        name=_("reload"), description=_("Reload the shared knowledge from disk (bot owners)")
    )
    async def reload(self, interaction: Inter) -> None:
        """/steward reload: validate the knowledge on disk and swap it in, or keep the old."""
        require_owner(interaction)
        lang = locale_language(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)  # a rebuild takes seconds
        try:
            count = await self.bot.store.reload_shared()
        except StoreError as exc:
            await reply(interaction, refusal(exc, lang))
            return
        await reply(interaction, t("reloaded", lang, count=count))

    @app_commands.command(
        name=_("forget"), description=_("Delete a user's id from the bot's records (bot owners)")
    )
    @app_commands.describe(user=_("The user whose records to delete"))
    async def forget(self, interaction: Inter, user: discord.User) -> None:
        """/steward forget user: remove a user's id from the change history."""
        require_owner(interaction)
        changed = await self.bot.records.forget_user(user.id)
        await reply(interaction, t("forgot_user", locale_language(interaction), count=changed))


async def setup(bot: StewardBot) -> None:
    """Load the cog."""
    await bot.add_cog(Admin(bot))
