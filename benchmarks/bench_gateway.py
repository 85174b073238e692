"""/ask through the loopback gateway: Steward against a do-nothing discord.py bot, in one run
(figures only; nothing fails on timing).

    python benchmarks/bench_gateway.py [--rates 200,300,400,500,600,800,1000,1200] [--seconds 3]
                                       [--burst 300] [--entries 0] [--semantic off]

The loopback Discord stand-in from the tests runs in this process and generates the load. Each
bot runs in a child process of its own, connected through discord.py's own gateway and HTTP
code: first a do-nothing bot (an /ask that replies with a fixed text at once, the ceiling of
discord.py and the stand-in on this machine), then Steward with `STEWARD_SEMANTIC` as given. For
each rate, /ask interactions are dispatched at even intervals for a few seconds; each is timed
from its INTERACTION_CREATE frame to its acknowledgement (the reply, or the deferral) and to
its answer (the reply, or the edit that fills in a deferred one). Then a burst of N at once goes
past saturation: how many were acknowledged within Discord's 3 s, answered, or lost. Inside each
bot a ticker records how late the event loop wakes (its longest stall). The sustained rate is
the highest paced rate that was kept up (95%) with every answer's p99 under 1 s. The questions
are the engine benchmark's mix; `--entries 10000` serves a synthetic knowledge directory.
`--engine-free` answers every question once before connecting and then serves those answers
from memory: what Steward's Discord side (embeds, buttons, the worker hand-off, gap counts)
sustains with the matching cost taken away, the ceiling any faster engine could reach here.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_engine import percentile, questions_for  # noqa: E402
from benchmarks.synthetic import generate  # noqa: E402
from bot.answers import load_engine  # noqa: E402
from bot.paths import BUNDLED_KNOWLEDGE  # noqa: E402
from tests.discord_standin import DiscordStandIn, RecordedRequest  # noqa: E402

TOKEN = "bench-token"
GUILD = 3_000_000_000_000_000_001
TICK_S = 0.002  # the bots' ticker period
STALL_LOGGED_MS = 5.0  # stalls shorter than this are only counted
LOST_AFTER_S = 30.0
ACK_WINDOW_MS = 3000.0


# -- the bots' side (child processes) ----------------------------------------------------------


async def _ticker(stalls: list[tuple[float, float]], stop: asyncio.Event) -> None:
    """Record (when, how late in ms) every tick that woke more than STALL_LOGGED_MS late."""
    while not stop.is_set():
        start = time.monotonic()
        await asyncio.sleep(TICK_S)
        late_ms = (time.monotonic() - start - TICK_S) * 1000
        if late_ms > STALL_LOGGED_MS:
            stalls.append((start, late_ms))


def _baseline_bot() -> Any:
    """A discord.py bot whose /ask does nothing but reply: the ceiling to compare with."""
    import discord
    from discord import app_commands

    class Baseline(discord.Client):
        def __init__(self) -> None:
            super().__init__(intents=discord.Intents.default())
            self.tree = app_commands.CommandTree(self)

            @self.tree.command(name="ask", description="replies at once")
            async def ask(interaction: discord.Interaction, question: str) -> None:
                await interaction.response.send_message("ok")

        async def setup_hook(self) -> None:
            await self.tree.sync()

    return Baseline()


def _answers_from_memory(bot: Any, questions: list[str]) -> None:
    """Make the bot's engine answer `questions` from memory: each asked once now, per language
    the bot may ask in, and then looked up (any other question is asked as usual)."""
    engine = bot.engine
    ask = engine.ask
    known = {(q, lang): ask(q, str(GUILD), lang) for q in questions for lang in ("auto", "es")}

    def remembered(question: str, guild: str | None = None, lang: str = "auto") -> Any:
        found = known.get((question, lang)) if guild == str(GUILD) else None
        return found if found is not None else ask(question, guild, lang)

    engine.ask = remembered


async def serve_bot(which: str, remembered: list[str] | None) -> list[tuple[float, float]]:
    """Run one bot (settings from the environment) with a ticker until SIGTERM; its stalls.
    `remembered`: questions Steward answers from memory (`--engine-free`)."""
    from bot.client import point_discord_at, prepare_bot
    from bot.config import Settings

    settings = Settings()
    if which == "steward":
        bot = prepare_bot(settings)
        if remembered is not None:
            _answers_from_memory(bot, remembered)
    else:
        point_discord_at(settings.discord_api_base, settings.discord_gateway_url)
        bot = _baseline_bot()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    stalls: list[tuple[float, float]] = []
    async with bot:
        assert settings.discord_token is not None
        runner = asyncio.create_task(bot.start(settings.discord_token.get_secret_value()))
        await bot.wait_until_ready()
        tick = asyncio.create_task(_ticker(stalls, stop))
        await stop.wait()
        await tick
        await bot.close()
        await runner
    return stalls


# -- the load's side (this process) -------------------------------------------------------------


class BenchStandIn(DiscordStandIn):
    """The tests' stand-in, noting when each interaction is acknowledged and answered."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.acked: dict[str, asyncio.Future[float]] = {}
        self.answered: dict[str, asyncio.Future[float]] = {}

    @staticmethod
    def _resolve(futures: dict[str, asyncio.Future[float]], token: str) -> None:
        future = futures.pop(token, None)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())

    async def _r_callback(
        self, rec: RecordedRequest, interaction_id: str, token: str
    ) -> tuple[int, Any]:
        result = await super()._r_callback(rec, interaction_id, token)
        self._resolve(self.acked, token)
        if isinstance(rec.json, dict) and rec.json.get("type") == 4:
            self._resolve(self.answered, token)
        return result

    async def _r_hook_edit(
        self, rec: RecordedRequest, application_id: str, token: str, message_id: str
    ) -> tuple[int, Any]:
        result = await super()._r_hook_edit(rec, application_id, token, message_id)
        self._resolve(self.answered, token)
        return result

    async def timed(self, question: str, user_id: int) -> tuple[float, float] | None:
        """Dispatch one /ask; milliseconds to its acknowledgement and to its answer, or None
        when it was lost."""
        payload = self.slash_command("ask", {"question": question}, guild_id=GUILD, user_id=user_id)
        loop = asyncio.get_running_loop()
        acked, answered = loop.create_future(), loop.create_future()
        self.acked[payload["token"]] = acked
        self.answered[payload["token"]] = answered
        start = time.perf_counter()
        await self.dispatch("INTERACTION_CREATE", payload)
        try:
            async with asyncio.timeout(LOST_AFTER_S):
                ack_at, answer_at = await acked, await answered
        except TimeoutError:
            return None
        return (ack_at - start) * 1000, (answer_at - start) * 1000


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _phase(
    standin: BenchStandIn, questions: list[str], count: int, rate: float | None, pid: int
) -> dict[str, Any]:
    """Dispatch `count` /ask at `rate` per second (all at once when None) and time them."""
    users = [int(standin.add_user(f"user{i}")["id"]) for i in range(count)]
    cpu_before, standin_before = _cpu_seconds(pid), _cpu_seconds(os.getpid())
    wall_start, mono_start = time.perf_counter(), time.monotonic()
    tasks = []
    for i in range(count):
        if rate:
            delay = wall_start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(standin.timed(questions[i % len(questions)], users[i])))
    results = await asyncio.gather(*tasks)
    done = [r for r in results if r is not None]
    acks = [a for a, _ in done]
    answers = [b for _, b in done]
    elapsed = max(answers, default=0) / 1000 if rate is None else time.perf_counter() - wall_start
    return {
        "target_per_s": rate or "burst",
        "interactions": count,
        "achieved_per_s": round(len(done) / elapsed, 1) if elapsed else 0.0,
        "lost": count - len(done),
        "acked_over_3s": sum(a > ACK_WINDOW_MS for a in acks),
        "deferred": sum(b - a > 1.0 for a, b in done),
        "ack_p99_ms": round(percentile(acks, 99), 1) if acks else None,
        "answer_median_ms": round(statistics.median(answers), 1) if answers else None,
        "answer_p99_ms": round(percentile(answers, 99), 1) if answers else None,
        "answer_max_ms": round(max(answers), 1) if answers else None,
        "bot_cpu_ms_per_interaction": round(
            (_cpu_seconds(pid) - cpu_before) * 1000 / max(1, count), 3
        ),
        # the stand-in and the load generator: what is left of the machine for the bot
        "standin_cpu_ms_per_interaction": round(
            (_cpu_seconds(os.getpid()) - standin_before) * 1000 / max(1, count), 3
        ),
        "_window": (mono_start, time.monotonic()),
    }


async def _measure(
    which: str,
    env: dict[str, str],
    questions: list[str],
    rates: list[float],
    seconds: float,
    burst: int,
    tmp: Path,
) -> dict[str, Any]:
    """One bot in its own process against a fresh stand-in: every phase, with loop stalls."""
    stalls_path = tmp / f"stalls-{which}.json"
    async with BenchStandIn(token=TOKEN) as standin:
        standin.add_guild(GUILD, "Bench")
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--serve-bot",
            which,
            str(stalls_path),
            env={
                **env,
                "DISCORD_API_BASE": standin.api_base,
                "DISCORD_GATEWAY_URL": standin.gateway_url,
            },
            cwd=tmp,
        )
        try:
            await standin.wait_until(
                lambda: (
                    standin.connected and any(c["name"] == "ask" for c in standin.global_commands)
                ),
                timeout=120,
                what=f"the {which} bot to connect and sync its commands",
            )
            await asyncio.sleep(0.5)  # let the ticker start after on_ready
            await _phase(standin, questions, 200, 200, child.pid)  # warm-up, not reported
            # The stand-in keeps every request and frame: keep its own collections (which grow
            # with that history) from delaying the load it generates.
            gc.freeze()
            gc.disable()
            phases = [
                await _phase(standin, questions, int(rate * seconds), rate, child.pid)
                for rate in rates
            ]
            if burst:
                phases.append(await _phase(standin, questions, burst, None, child.pid))
            gc.enable()
        finally:
            child.send_signal(signal.SIGTERM)
            await asyncio.wait_for(child.wait(), 60)
    stalls = json.loads(await asyncio.to_thread(stalls_path.read_text))
    for phase in phases:
        start, end = phase.pop("_window")
        inside = [ms for when, ms in stalls if start <= when <= end]
        phase["bot_longest_loop_stall_ms"] = round(max(inside, default=0.0), 1)
        phase["bot_stalls_over_100ms"] = sum(ms > 100 for ms in inside)
    paced = [p for p in phases if p["target_per_s"] != "burst"]
    kept = [
        p["achieved_per_s"]
        for p in paced
        if p["achieved_per_s"] >= 0.95 * p["target_per_s"]
        and not p["lost"]
        and (p["answer_p99_ms"] or 0) < 1000
    ]
    return {"sustained_per_s": max(kept, default=0.0), "phases": phases}


async def run_load(
    rates: list[float],
    seconds: float,
    burst: int,
    entries: int,
    semantic: str,
    engine_free: bool = False,
) -> dict[str, Any]:
    """Measure the do-nothing bot, then Steward; return both and how they compare."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        knowledge = BUNDLED_KNOWLEDGE
        if entries:
            knowledge = tmp / "knowledge"
            generate(knowledge, entries, alternates=4, es_alternates=4)
        engine, _problems = load_engine(knowledge)
        questions = questions_for(engine, 2000)
        del engine
        env = {
            **os.environ,
            "DISCORD_TOKEN": TOKEN,
            "STEWARD_KNOWLEDGE_DIR": str(knowledge),
            "STEWARD_DATA_DIR": str(tmp / "data"),
            "STEWARD_RATE_LIMIT": str(10**9),
            "STEWARD_GUILD_READY_TIMEOUT": "0.1",
            "STEWARD_LOG_LEVEL": "WARNING",
            "STEWARD_SEMANTIC": semantic,
        }
        if engine_free:
            (tmp / "questions.json").write_text(json.dumps(questions))
            env["BENCH_ANSWERS_FROM"] = str(tmp / "questions.json")
        args = (questions, rates, seconds, burst, tmp)
        baseline = await _measure("baseline", env, *args)
        steward = await _measure("steward", env, *args)
    top = baseline["sustained_per_s"]
    ratio = steward["sustained_per_s"] / top if top else 0.0
    return {
        "knowledge": f"synthetic, {entries} entries" if entries else "shipped",
        "semantic": semantic,
        "engine": "answers from memory" if engine_free else "each question matched",
        "setup": "stand-in and load in one process, each bot in another, one after the other",
        "do_nothing_bot": baseline,
        "steward": steward,
        "steward_share_of_do_nothing_rate": round(ratio, 2),
    }


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--rates",
        default="200,300,400,500,600,800,1000,1200",
        help="comma-separated per-second rates (the sustained rate is one of them)",
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each paced phase")
    parser.add_argument("--burst", type=int, default=300, help="then N at once (0: none)")
    parser.add_argument("--entries", type=int, default=0)
    parser.add_argument("--semantic", choices=("on", "off"), default="off")
    parser.add_argument(
        "--engine-free", action="store_true", help="Steward answers from memory (see above)"
    )
    parser.add_argument("--serve-bot", nargs=2, metavar=("WHICH", "STALLS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bot:
        which, stalls = args.serve_bot
        remembered = os.environ.get("BENCH_ANSWERS_FROM")
        questions = json.loads(Path(remembered).read_text()) if remembered else None
        Path(stalls).write_text(json.dumps(asyncio.run(serve_bot(which, questions))))
        return
    rates = [float(r) for r in args.rates.split(",") if r.strip()]
    figures = asyncio.run(
        run_load(rates, args.seconds, args.burst, args.entries, args.semantic, args.engine_free)
    )
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
