"""The Discord bot: settings, cogs, command sync, logging and clean shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot import health
from bot.answers import Engine, load_engine
from bot.config import Settings
from bot.heap import collector_paused, settle
from bot.permissions import report_error
from bot.ratelimit import RateLimiter
from bot.records import Records
from bot.store import GuildStore
from bot.translator import StewardTranslator

log = logging.getLogger("steward")

EXTENSIONS = ("cogs.ask", "cogs.faq", "cogs.admin")


def point_discord_at(api_base: str, gateway_url: str | None) -> None:
    """Send discord.py's REST calls to `api_base` and open the gateway at `gateway_url`."""
    discord.http.Route.BASE = api_base.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


class StewardTree(app_commands.CommandTree["StewardBot"]):
    """Answers the user briefly on any command error; logs without question text or user ids."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        """Refusals are shown as they are; other errors briefly, and logged."""
        await report_error(interaction, getattr(error, "original", error))


class StewardBot(commands.Bot):
    """Steward: slash commands, DMs and mentions, over the plain-Python engine."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        intents = discord.Intents.default()  # no privileged intents: see README
        intents.message_content = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=StewardTree,
            help_command=None,
            guild_ready_timeout=settings.steward_guild_ready_timeout,
        )
        self.settings = settings
        self.engine = engine
        self.records = Records(settings.steward_data_dir)
        self.store = GuildStore(settings.steward_data_dir, engine, self.records)
        self.ratelimiter = RateLimiter(settings.steward_rate_limit, settings.steward_rate_window)
        self.owner_ids = set(settings.steward_owner_ids)
        self._health_task: asyncio.Task[None] | None = None

    async def setup_hook(self) -> None:
        """Open records, load server entries, load cogs, register buttons, sync commands."""
        await self.records.open()
        self.store.load_all()
        await self.tree.set_translator(StewardTranslator())
        for ext in EXTENSIONS:
            await self.load_extension(ext)
        from bot.embeds import ShowEntryButton

        self.add_dynamic_items(ShowEntryButton)
        self._health_task = asyncio.create_task(self._keep_health_fresh(), name="health")
        self.engine.matcher.warm()  # build what questions need now, not on the first one
        dev_guild = self.settings.steward_dev_guild_id
        if dev_guild:
            guild = discord.Object(id=dev_guild)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()

    async def on_message(self, message: discord.Message, /) -> None:
        """Messages are answered by the Ask cog; Steward has no prefix commands."""

    async def _keep_health_fresh(self) -> None:
        """While connected to the gateway, refresh the status file `steward health` reads."""
        await self.wait_until_ready()
        while not self.is_closed():
            if self.ws is not None and self.ws.open:
                health.mark_connected(self.settings.steward_data_dir)
            await asyncio.sleep(health.REFRESH_SECONDS)

    async def close(self) -> None:
        """Stop reporting healthy, close the Discord connection, then the records database."""
        if self._health_task is not None:
            self._health_task.cancel()
        health.clear(self.settings.steward_data_dir)
        await super().close()
        await self.records.close()


def build_engine(settings: Settings) -> Engine:
    """Load and validate the shared knowledge; exit with every problem listed if invalid."""
    root = settings.knowledge_dir
    # vectors the cache lacks are computed in the background while the lexical index answers
    engine, problems = load_engine(
        root, settings.steward_data_dir, semantic=settings.steward_semantic, background=True
    )
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        raise SystemExit(f"steward: the knowledge in {root} has {len(problems)} problem(s)")
    return engine


def prepare_bot(settings: Settings) -> StewardBot:
    """The bot for this process: Discord's addresses set, the knowledge loaded and settled."""
    point_discord_at(settings.discord_api_base, settings.discord_gateway_url)
    with collector_paused():
        bot = StewardBot(settings, build_engine(settings))
        settle()  # no garbage collection of this process ever walks the index (bot.heap)
    return bot


async def _serve(bot: StewardBot, token: str) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
    async with bot:
        await bot.start(token)


def configure_logging(level_name: str) -> None:
    """Log at `level_name` (STEWARD_LOG_LEVEL), but discord.py's own loggers at INFO or above
    whatever it is: at DEBUG they write gateway payloads, which pair user ids with questions."""
    level = logging.getLevelName(level_name.upper())
    level = level if isinstance(level, int) else logging.INFO
    discord.utils.setup_logging(level=level)
    logging.getLogger("discord").setLevel(max(level, logging.INFO))


def run_bot(settings: Settings) -> int:
    """`steward run`: start the bot with these settings."""
    configure_logging(settings.steward_log_level)
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        print(
            "steward: DISCORD_TOKEN is not set. Create a bot in the Discord developer portal "
            "and export its token as DISCORD_TOKEN (see README).",
            file=sys.stderr,
        )
        return 2
    bot = prepare_bot(settings)
    try:
        asyncio.run(_serve(bot, settings.discord_token.get_secret_value().strip()))
    except discord.LoginFailure:
        print(
            "steward: Discord rejected the token in DISCORD_TOKEN (401 Unauthorized). "
            "Copy the bot token again from the developer portal.",
            file=sys.stderr,
        )
        return 1
    except discord.PrivilegedIntentsRequired:  # pragma: no cover - Steward asks for none
        print("steward: Discord refused the requested intents.", file=sys.stderr)
        return 1
    return 0
