"""Asking: /ask with autocomplete, the "Ask Steward" message command, DMs, mentions, /sources."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.answers import MAX_QUESTION_CHARS, Answer, QuestionError
from bot.client import ShuttingDown, tell_shutting_down
from bot.embeds import SPANISH_LOCALES, answer_embed, answer_view, choose_language, clip
from bot.i18n import t
from bot.respond import quick, send_answer, within_window
from bot.text import detect_language, message_end, without_markup

if TYPE_CHECKING:
    from bot.client import StewardBot


class Ask(commands.Cog):
    """Everyone's commands: ask, and see where the answers come from."""

    def __init__(self, bot: StewardBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(name=_("Ask Steward"), callback=self.ask_message)
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        """Remove the context menu with the cog."""
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    # -- the core call, shared by every way of asking -------------------------------------

    async def answer_for(
        self, question: str, guild_id: int | None, locale: discord.Locale | None
    ) -> Answer:
        """Ask the engine on the worker (in Spanish for a Spanish client, else in the
        question's language) and count a declined or unsure question (not a greeting) as a gap
        of that server. Callers hold an intake job until the answer is sent, so shutdown waits
        for both."""
        guild = str(guild_id) if guild_id else None
        lang = "es" if locale in SPANISH_LOCALES else "auto"
        # a message over the limit (Discord allows 4,000 characters with Nitro) is read from
        # its end, where the question is; one with nothing to ask (a bare mention, an image)
        # gets what Steward does
        question = message_end(without_markup(question), MAX_QUESTION_CHARS)
        if not question.strip():
            return Answer.help("", "es" if lang == "es" else "en")
        answer = await self.bot.intake.result(
            self.bot.worker.submit(lambda: self.bot.engine.ask(question, guild, lang))
        )
        if guild and answer.counts_as_gap:  # not a greeting; its text as the core cleaned it
            await self.bot.records.count_gap(guild, answer.question)
        return answer

    def limited(self, user_id: int, lang: str, *, every_time: bool = True) -> str | None:
        """The rate-limit message for this user ("" to stay silent: told already in this
        window, and not `every_time`), or None when they may ask."""
        wait = self.bot.ratelimiter.hit(user_id)
        if not wait:
            return None
        if not every_time and not self.bot.ratelimiter.tell(user_id):
            return ""
        return t("rate_limited", lang, seconds=max(1, round(wait)))

    async def _private_default(self, guild_id: int | None) -> bool:
        if not guild_id:
            return False
        return (await self.bot.records.guild_config(str(guild_id))).private_default

    # -- slash command --------------------------------------------------------------------

    @app_commands.command(
        name=_("ask"),
        description=_(
            "Ask a question about worker organizing policy; the answer cites its sources"
        ),
    )
    @app_commands.describe(
        question=_("Your question (start typing to see FAQ questions)"),
        private=_("Only you see the answer"),
    )
    async def ask(
        self,
        interaction: discord.Interaction[StewardBot],
        question: app_commands.Range[str, 1, 2000],  # MAX_QUESTION_CHARS
        private: bool | None = None,
    ) -> None:
        """/ask question [private]"""
        lang = choose_language(interaction.locale, question)
        if message := self.limited(interaction.user.id, lang):
            await interaction.response.send_message(message, ephemeral=True)
            return
        with self.bot.intake.job():  # shutdown waits until the answer is sent
            ephemeral = (
                private
                if private is not None
                else await self._private_default(interaction.guild_id)
            )
            await self._answer(
                interaction,
                self.answer_for(question, interaction.guild_id, interaction.locale),
                lang,
                ephemeral,
            )

    @ask.autocomplete("question")
    async def ask_autocomplete(
        self, interaction: discord.Interaction[StewardBot], current: str
    ) -> list[app_commands.Choice[str]]:
        """Up to 25 FAQ questions ranked by the matcher for what has been typed so far."""
        guild = str(interaction.guild_id) if interaction.guild_id else None
        lang = choose_language(interaction.locale, current)
        choices = await quick(
            self.bot.worker,
            lambda: self.bot.engine.suggest(current[:300], guild, lang=lang),
            lambda: self.bot.engine.suggest("", guild, lang=lang),  # the first entries
        )
        return [
            app_commands.Choice(name=clip(s.question, 100), value=clip(s.question, 100))
            for s in choices
        ]

    async def ask_message(
        self, interaction: discord.Interaction[StewardBot], message: discord.Message
    ) -> None:
        """Message command "Ask Steward": answer the selected message's text, privately."""
        lang = choose_language(interaction.locale, message.content)
        if limit := self.limited(interaction.user.id, lang):
            await interaction.response.send_message(limit, ephemeral=True)
            return
        with self.bot.intake.job():
            await self._answer(
                interaction,
                self.answer_for(message.content, interaction.guild_id, interaction.locale),
                lang,
                ephemeral=True,
            )

    async def _answer(
        self,
        interaction: discord.Interaction[StewardBot],
        asking: Awaitable[Answer],
        lang: str,
        ephemeral: bool,
    ) -> None:
        """Answer in Discord's window: deferred first when the engine is slow to answer."""
        try:
            answer = await within_window(interaction, asking, ephemeral=ephemeral)
        except ShuttingDown:
            await tell_shutting_down(interaction)
            return
        except QuestionError as exc:
            await send_answer(interaction, content=t(exc.key, lang, **exc.values), ephemeral=True)
            return
        view = answer_view(answer)
        await send_answer(
            interaction,
            embed=answer_embed(answer),
            ephemeral=ephemeral,
            **({"view": view} if view else {}),
        )

    # -- direct messages and mentions -----------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer direct messages, and messages in a server that mention the bot."""
        me = self.bot.user
        if message.author.bot or me is None:
            return
        in_dm = message.guild is None
        if not in_dm and me not in message.mentions:
            return
        question = without_markup(message.content).strip()  # the bot's mention included
        lang = detect_language(question) if question else "en"
        limit = self.limited(message.author.id, lang, every_time=False)
        if limit is not None:
            if limit:  # once per window; a flood then gets silence, not a reply each
                await self._reply(message, content=limit)
            return
        try:
            with self.bot.intake.job():
                await self._answer_message(message, question, lang)
        except ShuttingDown:
            return

    async def _answer_message(self, message: discord.Message, question: str, lang: str) -> None:
        try:
            answer = await self.answer_for(
                question, message.guild.id if message.guild else None, None
            )
        except QuestionError as exc:
            await self._reply(message, content=t(exc.key, lang, **exc.values))
            return
        except ShuttingDown:
            await self._reply(message, content=t("shutting_down", lang))
            return
        await self._reply(
            message, embed=answer_embed(answer), view=answer_view(answer) or discord.utils.MISSING
        )

    async def _reply(self, message: discord.Message, **kwargs: Any) -> None:
        await message.reply(
            mention_author=False, allowed_mentions=discord.AllowedMentions.none(), **kwargs
        )

    # -- sources --------------------------------------------------------------------------

    @app_commands.command(
        name=_("sources"), description=_("The documents Steward's answers come from")
    )
    async def sources(self, interaction: discord.Interaction[StewardBot]) -> None:
        """/sources: the source catalogue with links."""
        lang = choose_language(interaction.locale, "")
        embed = discord.Embed(title=t("sources_title", lang), colour=discord.Colour.dark_green())
        for src in list(self.bot.engine.kb.sources.values())[:25]:
            link = f"[{clip(src.title, 180)}]({src.url})" if src.url else src.title
            embed.add_field(
                name=clip(f"{src.outlet} ({src.kind})", 256),
                value=clip(
                    f"{link}\n{t('published', lang)}: {src.published}"
                    + (f"\n{src.note}" if src.note else ""),
                    1024,
                ),
                inline=False,
            )
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: StewardBot) -> None:
    """Load the cog."""
    await bot.add_cog(Ask(bot))
