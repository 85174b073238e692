"""Speed and memory of the answer engine (figures only; nothing here fails on timing).

    python benchmarks/bench_engine.py [--entries 10000] [--queries 2000] [--es-alternates 4]

Reports, at the synthetic size: load + validate + index time, per-question latency (median,
p99, max) on one core, autocomplete latency, peak memory; the same question set timed with a
naive `rapidfuzz.process.extractOne(question, all_phrasings, scorer=fuzz.WRatio)` for the ratio;
and the median latency at the shipped knowledge size.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import generate  # noqa: E402
from bot.answers import Engine, load_engine  # noqa: E402
from bot.heap import collector_paused, settle  # noqa: E402
from bot.paths import BUNDLED_KNOWLEDGE  # noqa: E402


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def questions_for(engine: Engine, count: int, seed: int = 3) -> list[str]:
    """Realistic questions: stored phrasings with a word dropped or a typo, and off-topic ones."""
    rng = random.Random(seed)
    phrasings = [t for e in engine.entries() for _l, t in e.phrasings()]
    out: list[str] = []
    off_topic = [
        "What is the minimum wage in Texas?",
        "who won the world cup",
        "How do I file a grievance about my manager?",
        "good morning!",
        "¿Qué hora es en Madrid?",
        "write me a poem about unions",
    ]
    for i in range(count):
        if i % 5 == 4:
            out.append(rng.choice(off_topic))
            continue
        words = rng.choice(phrasings).split()
        if len(words) > 3 and rng.random() < 0.5:
            del words[rng.randrange(len(words))]
        if rng.random() < 0.3:
            j = rng.randrange(len(words))
            w = words[j]
            if len(w) > 4:
                k = rng.randrange(1, len(w) - 1)
                words[j] = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
        out.append(" ".join(words))
    return out


def time_calls(fn, items: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    """Per-call wall time in milliseconds."""
    times = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times: list[float]) -> dict[str, float]:
    """Median, p99 and max in ms."""
    return {
        "median_ms": round(statistics.median(times), 3),
        "p99_ms": round(percentile(times, 99), 3),
        "max_ms": round(max(times), 3),
    }


def main() -> None:
    """Run the benchmark and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--es-alternates", type=int, default=4)
    parser.add_argument("--naive-queries", type=int, default=200)
    args = parser.parse_args()
    results: dict[str, object] = {}

    shipped, problems = load_engine(BUNDLED_KNOWLEDGE)
    assert not problems
    qs = questions_for(shipped, args.queries)
    time_calls(shipped.ask, qs[:100])  # warm caches
    results["shipped"] = {
        "entries": len(shipped.kb.entries),
        "phrasings": shipped.matcher.phrasing_count,
        **summary(time_calls(shipped.ask, qs)),
    }

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "knowledge"
        generate(root, args.entries, alternates=4, es_alternates=args.es_alternates)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        with collector_paused():  # what `steward run` does (bot.client.prepare_bot)
            engine, problems = load_engine(root)
            settle()
        gc.collect()  # anything a collection still has to walk counts too
        indexed = time.perf_counter()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        assert not problems, problems[:3]
        phrasings = [t for e in engine.entries() for _l, t in e.phrasings()]
        results["synthetic"] = {
            "entries": len(engine.kb.entries),
            "phrasings": len(phrasings),
            "faq_yaml_mb": round(sum(p.stat().st_size for p in root.glob("faq/*.yaml")) / 1e6, 1),
            "load_validate_index_s": round(indexed - start, 3),
            "peak_rss_mb": round(peak_mb, 1),
            "rss_growth_mb": round((peak_mb * 1024 - rss_before) / 1024, 1),
        }
        qs = questions_for(engine, args.queries)
        time_calls(engine.ask, qs[:100])
        ask_times = time_calls(engine.ask, qs)
        results["synthetic"]["ask"] = summary(ask_times)  # type: ignore[index]
        partial = [q[: max(3, len(q) // 2)] for q in qs]
        first = time.perf_counter()
        engine.matcher.complete("a")  # the bot builds the word statistics at start-up
        results["synthetic"]["autocomplete_warm_up_s"] = round(time.perf_counter() - first, 3)  # type: ignore[index]
        results["synthetic"]["autocomplete"] = summary(  # type: ignore[index]
            time_calls(lambda q: engine.suggest(q, None, 25), partial)
        )
        naive_qs = qs[: args.naive_queries]
        naive = time_calls(lambda q: process.extractOne(q, phrasings, scorer=fuzz.WRatio), naive_qs)
        ours = time_calls(engine.ask, naive_qs)
        results["naive_wratio_extractone"] = {
            **summary(naive),
            "speedup_median": round(statistics.median(naive) / statistics.median(ours), 1),
        }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
