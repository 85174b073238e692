"""Concurrent /ask through the loopback gateway (figures only; nothing fails on timing).

    python benchmarks/bench_gateway.py [--n 1000] [--entries 0]

Starts the loopback Discord stand-in from the tests and the real Steward bot against it, fires N
/ask interactions at once through the gateway, and times each from dispatch to the bot's
interaction callback. With `--entries 10000` the bot serves a synthetic knowledge directory, and
a ticker task reports the longest stall of the event loop while the questions are answered.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_engine import percentile  # noqa: E402
from benchmarks.synthetic import generate  # noqa: E402
from bot.client import StewardBot, build_engine, point_discord_at  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.paths import BUNDLED_KNOWLEDGE  # noqa: E402
from tests.discord_standin import DiscordStandIn, restore_discord_py_defaults, running  # noqa: E402

TOKEN = "bench-token"
GUILD = 3_000_000_000_000_000_001
QUESTIONS = ["When was Executive Order 14025 signed?", "who chairs the task force",
             "How many Starbucks stores voted to unionize?", "What is the minimum wage in Texas?",
             "¿Quién es Laura Garza?", "what did sanders want biden to do about amazon"]


async def ticker(stalls: list[float], stop: asyncio.Event) -> None:
    """Record how late each 1 ms tick fires: the event loop's longest stall."""
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(0.001)
        stalls.append((time.perf_counter() - start) * 1000 - 1)


async def main_async(n: int, entries: int) -> dict[str, object]:
    """Run the benchmark once."""
    with tempfile.TemporaryDirectory() as tmp:
        knowledge = BUNDLED_KNOWLEDGE
        if entries:
            knowledge = Path(tmp) / "knowledge"
            generate(knowledge, entries, alternates=4, es_alternates=4)
        async with DiscordStandIn(token=TOKEN) as standin:
            standin.add_guild(GUILD, "Bench")
            settings = Settings(
                discord_token=TOKEN, steward_data_dir=Path(tmp) / "data",
                steward_knowledge_dir=knowledge, discord_api_base=standin.api_base,
                discord_gateway_url=standin.gateway_url, steward_guild_ready_timeout=0.1,
                steward_rate_limit=10**9)
            point_discord_at(settings.discord_api_base, settings.discord_gateway_url)
            bot = StewardBot(settings, build_engine(settings))
            try:
                async with running(bot, standin, TOKEN, GUILD):
                    payloads = [standin.slash_command(
                        "ask", {"question": QUESTIONS[i % len(QUESTIONS)]}, guild_id=GUILD,
                        user_id=int(standin.add_user(f"user{i}")["id"])) for i in range(n)]
                    latencies: list[float] = []

                    async def one(payload: dict) -> None:
                        start = time.perf_counter()
                        await standin.interact(payload, timeout=60)
                        latencies.append((time.perf_counter() - start) * 1000)

                    stalls: list[float] = []
                    stop = asyncio.Event()
                    tick = asyncio.create_task(ticker(stalls, stop))
                    start = time.perf_counter()
                    await asyncio.gather(*(one(p) for p in payloads))
                    elapsed = time.perf_counter() - start
                    stop.set()
                    await tick
            finally:
                restore_discord_py_defaults()
    return {
        "interactions": n, "knowledge_entries": len(bot.engine.kb.entries),
        "interactions_per_s": round(n / elapsed, 1),
        "dispatch_to_callback_median_ms": round(statistics.median(latencies), 2),
        "dispatch_to_callback_p99_ms": round(percentile(latencies, 99), 2),
        "longest_event_loop_stall_ms": round(max(stalls), 2) if stalls else None,
        "note": "stand-in and bot share one process and one core: figures include both sides",
    }


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main_async(args.n, args.entries)), indent=2))


if __name__ == "__main__":
    main()
