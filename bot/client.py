"""The Discord bot: settings, cogs, command sync, logging, connecting and clean shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Iterator
from typing import Any, TypeVar

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot import health
from bot.answers import Engine, load_engine
from bot.config import Settings
from bot.heap import collector_paused, settle
from bot.i18n import t
from bot.permissions import locale_language, report_error
from bot.ratelimit import RateLimiter
from bot.records import Records
from bot.respond import send_answer
from bot.store import GuildStore
from bot.translator import StewardTranslator
from bot.worker import EngineWorker, warm_up

log = logging.getLogger("steward")

EXTENSIONS = ("cogs.ask", "cogs.faq", "cogs.admin")
# Failures worth another try: the network, a timeout, Discord's own 5xx (its docs: retry those
# with backoff; 429s are retried by discord.py after the time Discord names).
RETRYABLE = (OSError, aiohttp.ClientError, TimeoutError, discord.DiscordServerError)
ATTEMPT_TIMEOUT = 30.0  # one login attempt's longest wait
MAX_BACKOFF = 30.0
SHUTDOWN_GRACE = 10.0  # seconds that answers and changes in progress get to finish


def point_discord_at(api_base: str, gateway_url: str | None) -> None:
    """Send discord.py's REST calls to `api_base` and open the gateway at `gateway_url`."""
    discord.http.Route.BASE = api_base.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


T = TypeVar("T")


class ShuttingDown(Exception):
    """Raised for work that arrives after shutdown began."""


class Intake:
    """Counts the work in progress and refuses new work once closed, so shutdown can wait
    for every answer (and the gap it counts) before it flushes and closes the database.

    Engine work still waiting on the worker when shutdown begins is refused, not left to
    outlast the shutdown grace: its asker is told to ask again (`ShuttingDown`)."""

    def __init__(self) -> None:
        self.open = True
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._waiting: set[asyncio.Future[Any]] = set()
        self._refused: set[asyncio.Future[Any]] = set()

    @contextlib.contextmanager
    def job(self) -> Iterator[None]:
        """One piece of work; `ShuttingDown` once closed."""
        if not self.open:
            raise ShuttingDown
        self._busy += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._busy -= 1
            if not self._busy:
                self._idle.set()

    async def result(self, work: asyncio.Future[T]) -> T:
        """`work`'s result; `ShuttingDown` when shutdown began before it was done."""
        if not self.open:
            work.cancel()
            raise ShuttingDown
        self._waiting.add(work)
        try:
            return await work
        except asyncio.CancelledError:
            if work in self._refused:
                raise ShuttingDown from None
            raise
        finally:
            self._waiting.discard(work)
            self._refused.discard(work)

    async def close(self) -> None:
        """Refuse new work and the engine work not done yet; wait for the rest."""
        self.open = False
        for work in self._waiting:
            if work.cancel():
                self._refused.add(work)
        await self._idle.wait()


async def tell_shutting_down(interaction: discord.Interaction[Any]) -> None:
    """Tell the user Steward is restarting (privately), in the reply or the deferred one."""
    with contextlib.suppress(discord.HTTPException):
        await send_answer(
            interaction,
            content=t("shutting_down", locale_language(interaction)),
            ephemeral=True,
        )


class StewardTree(app_commands.CommandTree["StewardBot"]):
    """Answers the user briefly on any command error; logs without question text or user ids."""

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        """No new commands once shutdown began: the user is told to ask again."""
        if self.client.intake.open:
            return True
        if interaction.type is discord.InteractionType.application_command:
            await tell_shutting_down(interaction)
        return False

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        """Refusals are shown as they are; other errors briefly, and logged."""
        original = getattr(error, "original", error)
        if isinstance(original, ShuttingDown):
            return
        await report_error(interaction, original)


class StewardBot(commands.Bot):
    """Steward: slash commands, DMs and mentions, over the plain-Python engine."""

    def __init__(self, settings: Settings, engine: Engine, *, engine_threads: int = 1) -> None:
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
        self.worker = EngineWorker(engine_threads)
        self.records = Records(settings.steward_data_dir)
        # the store holds the one reference to the engine (a reload swaps it there)
        self.store = GuildStore(settings.steward_data_dir, engine, self.records, self.worker)
        self.ratelimiter = RateLimiter(settings.steward_rate_limit, settings.steward_rate_window)
        self.owner_ids = set(settings.steward_owner_ids)
        self._health_task: asyncio.Task[None] | None = None
        self.intake = Intake()
        self._prepared = False

    @property
    def engine(self) -> Engine:
        """The serving engine."""
        return self.store.engine

    async def prepare(self) -> None:
        """Everything local, before any network: records, server entries, cogs, warm-up."""
        if self._prepared:
            return
        await self.records.open()
        await self.worker.run(self.store.load_all)
        await self.worker.run(warm_up, self.engine)
        await self.tree.set_translator(StewardTranslator())
        for ext in EXTENSIONS:
            await self.load_extension(ext)
        from bot.embeds import ShowEntryButton

        self.add_dynamic_items(ShowEntryButton)
        self._prepared = True

    async def setup_hook(self) -> None:
        """Prepare (when not done yet), keep the health file fresh, then sync the commands."""
        await self.prepare()
        self._health_task = asyncio.create_task(self._keep_health_fresh(), name="health")
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
        """Stop reporting healthy and taking work; let the work in progress finish, write the
        buffered gap counts and close the database, then close the Discord connection."""
        if self._health_task is not None:
            self._health_task.cancel()
        health.clear(self.settings.steward_data_dir)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(SHUTDOWN_GRACE):
                await self.intake.close()
                await self.store.quiesce()
        await self.records.close()
        await super().close()
        await asyncio.to_thread(self.worker.shutdown)


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


class GaveUp(Exception):
    """Discord could not be reached in time; the message says where and why."""


def _why(exc: BaseException, waited: float) -> str:
    if isinstance(exc, TimeoutError):
        return f"no answer within {waited:g} s"
    return str(exc) or type(exc).__name__


async def log_in(bot: StewardBot, token: str, budget: float) -> None:
    """Log in, retrying with exponential backoff what may pass; `GaveUp` after `budget` s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + budget
    delay, attempts = 1.0, 0
    while True:
        attempts += 1
        wait = min(ATTEMPT_TIMEOUT, deadline - loop.time())
        try:
            async with asyncio.timeout(wait):
                await bot.login(token)
            return
        except RETRYABLE as exc:
            reason = _why(exc, wait)
        await bot.http.close()  # the next attempt opens a fresh session, on a fresh connector
        bot.http.connector = discord.utils.MISSING
        if loop.time() + delay >= deadline:
            raise GaveUp(
                f"cannot log in to Discord at {discord.http.Route.BASE}: {reason} "
                f"(gave up after {attempts} attempt(s) in {budget:g} s)"
            )
        log.warning("cannot log in to Discord (%s); trying again in %g s", reason, delay)
        await asyncio.sleep(delay)
        delay = min(delay * 2, MAX_BACKOFF)


async def connect(bot: StewardBot, budget: float) -> None:
    """Hold the gateway connection until the bot closes; `GaveUp` when the first one is not
    made within `budget` s (discord.py retries with backoff meanwhile, and forever once
    connected)."""
    first = asyncio.ensure_future(bot.wait_for("connect"))
    runner = asyncio.ensure_future(bot.connect(reconnect=True))
    try:
        await asyncio.wait({first, runner}, timeout=budget, return_when=asyncio.FIRST_COMPLETED)
        if not first.done() and not runner.done():
            raise GaveUp(
                f"no connection to Discord's gateway at "
                f"{discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY} within {budget:g} s"
            )
        await runner
    finally:
        first.cancel()
        runner.cancel()


async def _serve(bot: StewardBot, token: str) -> None:
    """Prepare, log in and connect; on SIGTERM or Ctrl-C at any point, close in order."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    budget = bot.settings.steward_connect_timeout

    async def live() -> None:
        await bot.prepare()
        await log_in(bot, token, budget)
        await connect(bot, budget)

    async with bot:
        running = asyncio.ensure_future(live())
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if running.done():
            running.result()  # why it stopped (GaveUp, LoginFailure, ...)
            return
        await bot.close()
        running.cancel()  # a login or its backoff in progress; the connection has closed
        await asyncio.gather(running, return_exceptions=True)


class ShortReconnectLogs(logging.Filter):
    """discord.py logs a whole traceback per gateway reconnect: keep it to one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Fold the exception into the message."""
        if record.exc_info and str(record.msg).startswith("Attempting a reconnect"):
            exc = record.exc_info[1]
            record.msg = f"{record.msg} (%s)"
            record.args = (*(record.args or ()), _why(exc, 60.0) if exc else "")
            record.exc_info = None
            record.exc_text = None
        return True


def configure_logging(level_name: str) -> None:
    """Log at `level_name` (STEWARD_LOG_LEVEL), but discord.py's own loggers at INFO or above
    whatever it is: at DEBUG they write gateway payloads, which pair user ids with questions."""
    level = logging.getLevelName(level_name.upper())
    level = level if isinstance(level, int) else logging.INFO
    discord.utils.setup_logging(level=level)
    logging.getLogger("discord").setLevel(max(level, logging.INFO))
    logging.getLogger("discord.client").addFilter(ShortReconnectLogs())


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
    except GaveUp as exc:
        print(f"steward: {exc}", file=sys.stderr)
        return 1
    return 0
