"""/ask under load through the loopback gateway (figures only; nothing fails on timing).

    python benchmarks/bench_gateway.py [--rates 250,500,750] [--seconds 4] [--burst 1000]
                                       [--entries 0]

The loopback Discord stand-in from the tests runs in this process and generates the load; the
real Steward bot runs in a child process (as `steward run` would, on its own core), connected
through discord.py's own gateway and HTTP code. For each rate, /ask interactions are dispatched
at even intervals for a few seconds, each timed from its INTERACTION_CREATE frame to the bot's
interaction callback arriving back; then a burst of N at once shows the ceiling. Inside the bot
a ticker records how late the event loop wakes (its longest stall), and /proc gives the bot's
CPU time per interaction. The questions are the engine benchmark's mix (stored phrasings with a
word dropped or a typo, and off-topic ones); `--entries 10000` serves a synthetic knowledge
directory instead of the shipped one.
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
from bot.client import prepare_bot  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.paths import BUNDLED_KNOWLEDGE  # noqa: E402
from tests.discord_standin import DiscordStandIn, RecordedRequest  # noqa: E402

TOKEN = "bench-token"
GUILD = 3_000_000_000_000_000_001
TICK_S = 0.002  # the bot's ticker period
STALL_LOGGED_MS = 5.0  # stalls shorter than this are only counted


# -- the bot's side (child process) -----------------------------------------------------------


async def _ticker(stalls: list[tuple[float, float]], stop: asyncio.Event) -> None:
    """Record (when, how late in ms) every tick that woke more than STALL_LOGGED_MS late."""
    while not stop.is_set():
        start = time.monotonic()
        await asyncio.sleep(TICK_S)
        late_ms = (time.monotonic() - start - TICK_S) * 1000
        if late_ms > STALL_LOGGED_MS:
            stalls.append((start, late_ms))


async def serve_bot() -> list[tuple[float, float]]:
    """Run Steward from the environment's settings with a ticker until SIGTERM; its stalls."""
    settings = Settings()
    bot = prepare_bot(settings)
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


# -- the load's side (this process) ---------------------------------------------------------


class BenchStandIn(DiscordStandIn):
    """The tests' stand-in, noting when each interaction's callback arrives."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.answered: dict[str, asyncio.Future[float]] = {}

    async def _r_callback(
        self, rec: RecordedRequest, interaction_id: str, token: str
    ) -> tuple[int, Any]:
        result = await super()._r_callback(rec, interaction_id, token)
        future = self.answered.pop(token, None)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())
        return result

    async def timed(self, payload: dict[str, Any]) -> float:
        """Dispatch one interaction; milliseconds from its frame to the bot's callback."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.answered[payload["token"]] = future
        start = time.perf_counter()
        await self.dispatch("INTERACTION_CREATE", payload)
        return (await asyncio.wait_for(future, 30) - start) * 1000


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text())


async def _phase(
    standin: BenchStandIn, payloads: list[dict[str, Any]], rate: float | None, pid: int
) -> dict[str, Any]:
    """Dispatch `payloads` at `rate` per second (all at once when None) and time them."""
    cpu_before = _cpu_seconds(pid)
    wall_start, mono_start = time.perf_counter(), time.monotonic()
    tasks = []
    for i, payload in enumerate(payloads):
        if rate:
            delay = wall_start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(standin.timed(payload)))
    latencies = await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - wall_start
    return {
        "target_per_s": rate or "burst",
        "interactions": len(payloads),
        "achieved_per_s": round(len(payloads) / elapsed, 1),
        "median_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "max_ms": round(max(latencies), 2),
        "bot_cpu_ms_per_interaction": round(
            (_cpu_seconds(pid) - cpu_before) * 1000 / len(payloads), 3
        ),
        "_window": (mono_start, time.monotonic()),
    }


async def run_load(rates: list[float], seconds: float, burst: int, entries: int) -> dict[str, Any]:
    """Start the stand-in and the bot process, run every phase, return the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        knowledge = BUNDLED_KNOWLEDGE
        if entries:
            knowledge = Path(tmp) / "knowledge"
            generate(knowledge, entries, alternates=4, es_alternates=4)
        # the engine benchmark's mix: stored phrasings with a word dropped or a typo, off-topic
        engine, _problems = load_engine(knowledge)
        questions = questions_for(engine, 2000)
        del engine
        stalls_path = Path(tmp) / "stalls.json"
        async with BenchStandIn(token=TOKEN) as standin:
            standin.add_guild(GUILD, "Bench")
            env = {
                **os.environ,
                "DISCORD_TOKEN": TOKEN,
                "DISCORD_API_BASE": standin.api_base,
                "DISCORD_GATEWAY_URL": standin.gateway_url,
                "STEWARD_KNOWLEDGE_DIR": str(knowledge),
                "STEWARD_DATA_DIR": str(Path(tmp) / "data"),
                "STEWARD_RATE_LIMIT": str(10**9),
                "STEWARD_GUILD_READY_TIMEOUT": "0.1",
                "STEWARD_LOG_LEVEL": "WARNING",
            }
            child = await asyncio.create_subprocess_exec(
                sys.executable, __file__, "--serve-bot", str(stalls_path), env=env, cwd=tmp
            )
            try:
                await standin.wait_until(
                    lambda: (
                        standin.connected
                        and any(c["name"] == "ask" for c in standin.global_commands)
                    ),
                    timeout=120,
                    what="the bot to connect and sync its commands",
                )
                await asyncio.sleep(0.5)  # let the ticker start after on_ready

                def batch(count: int) -> list[dict[str, Any]]:
                    return [
                        standin.slash_command(
                            "ask",
                            {"question": questions[i % len(questions)]},
                            guild_id=GUILD,
                            user_id=int(standin.add_user(f"user{i}")["id"]),
                        )
                        for i in range(count)
                    ]

                await _phase(standin, batch(200), 200, child.pid)  # warm-up, not reported
                # The stand-in keeps every request and frame: keep its own collections (which
                # grow with that history) from delaying the load it generates.
                gc.freeze()
                gc.disable()
                phases = [
                    await _phase(standin, batch(int(rate * seconds)), rate, child.pid)
                    for rate in rates
                ]
                if burst:
                    phases.append(await _phase(standin, batch(burst), None, child.pid))
            finally:
                child.send_signal(signal.SIGTERM)
                await asyncio.wait_for(child.wait(), 60)
            stalls = await asyncio.to_thread(_read_json, stalls_path)
    for phase in phases:
        start, end = phase.pop("_window")
        inside = [ms for when, ms in stalls if start <= when <= end]
        phase["bot_longest_loop_stall_ms"] = round(max(inside, default=0.0), 1)
        phase["bot_stalls_over_50ms"] = sum(ms > 50 for ms in inside)
    return {
        "knowledge": f"synthetic, {entries} entries" if entries else "shipped",
        "setup": "stand-in and load in one process, the bot in another (one core each)",
        "phases": phases,
    }


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rates", default="250,500,750", help="comma-separated per-second rates")
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each paced phase")
    parser.add_argument("--burst", type=int, default=1000, help="then N at once (0: none)")
    parser.add_argument("--entries", type=int, default=0)
    parser.add_argument("--serve-bot", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bot:
        args.serve_bot.write_text(json.dumps(asyncio.run(serve_bot())))
        return
    rates = [float(r) for r in args.rates.split(",") if r.strip()]
    figures = asyncio.run(run_load(rates, args.seconds, args.burst, args.entries))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
