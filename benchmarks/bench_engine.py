"""Speed and memory of the answer engine, lexical + semantic (figures only; nothing here fails
on timing).

    python benchmarks/bench_engine.py [--entries 10000] [--queries 1000] [--es-alternates 4]
                                      [--naive-queries 200] [--embed-limit-min 25]
                                      [--skip-shipped] [--skip-synthetic] [--out FILE]

Quick run: `python benchmarks/bench_engine.py --entries 2000 --queries 200`.

Shipped knowledge (bundled vectors): per-question latency of `Engine.ask` with the embedding and
with the semantic layer off (`Engine(kb, semantic=False)`, what `STEWARD_SEMANTIC=off` gives),
autocomplete latency, the cold start of a fresh install (`python -m bot ask ...` in an empty
working and data directory, wall time of the whole command) and a warm start (the same again),
and the peak RSS of a child process that loads the engine and answers 200 questions.

Synthetic knowledge (`benchmarks/synthetic.py`, English and Spanish phrasings): the first build
as the bot would do it (`background=True`, a data directory): time until the lexical engine
answers, time until the semantic index is ready. If the embedding takes longer than
`--embed-limit-min`, it is stopped there and the rate (phrasings per second) and the
extrapolated total are reported; the vectors still missing are then filled with placeholder unit
vectors (reported as such) so that the restart below measures a full-size cache. Then a restart
from the cache in a fresh child process: load time, peak RSS, per-question latency at that size,
autocomplete latency.

Every start-up and memory figure comes from a fresh child process (this file with `--child`);
peak RSS is the child's own high-water mark (`VmHWM`), with `ru_maxrss` beside it (see
`peak_rss_mb` for why the two can differ).

Both sizes: the same questions timed with a naive
`rapidfuzz.process.extractOne(question, all_phrasings, scorer=fuzz.WRatio)`.

The questions are stored phrasings with a word dropped or a typo, and off-topic ones (one in
five). Times are wall times on whatever else the machine is doing; the JSON says how loaded it
was (`os.getloadavg`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import generate  # noqa: E402
from bot import matcher as matcher_module  # noqa: E402
from bot.answers import Engine, load_engine  # noqa: E402
from bot.heap import collector_paused, settle  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402
from bot.matcher import SHARED  # noqa: E402
from bot.paths import BUNDLED_KNOWLEDGE  # noqa: E402
from bot.semantic import BUNDLED_VECTORS, VectorCache, default_embedder, text_key  # noqa: E402

COLD_START_QUESTION = "When was Executive Order 14025 signed?"
RSS_QUESTIONS = 200  # questions the shipped peak-RSS child answers
OFF_TOPIC = (
    "What is the minimum wage in Texas?",
    "who won the world cup",
    "How do I file a grievance about my manager?",
    "good morning!",
    "¿Qué hora es en Madrid?",
    "write me a poem about unions",
)


def percentile(values: Sequence[float], pct: float) -> float:
    """The pct-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def questions_for(engine: Engine, count: int, seed: int = 3) -> list[str]:
    """Realistic questions: stored phrasings with a word dropped or a typo, and off-topic ones."""
    rng = random.Random(seed)
    phrasings = [t for e in engine.entries() for _l, t in e.phrasings()]
    out: list[str] = []
    for i in range(count):
        if i % 5 == 4:
            out.append(rng.choice(OFF_TOPIC))
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


def partials(questions: Sequence[str]) -> list[str]:
    """What autocomplete sees: the first half of each question (at least 3 characters)."""
    return [q[: max(3, len(q) // 2)] for q in questions]


def time_calls(fn: Callable[[str], object], items: Sequence[str]) -> list[float]:
    """Per-call wall time in milliseconds."""
    times = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times: Sequence[float]) -> dict[str, float]:
    """Count, median, p99 and max in ms."""
    return {
        "n": len(times),
        "median_ms": round(statistics.median(times), 3),
        "p99_ms": round(percentile(times, 99), 3),
        "max_ms": round(max(times), 3),
    }


def peak_rss_mb() -> float:
    """This process's peak resident set size so far: the high-water mark of its own address
    space (`VmHWM`). `getrusage(RUSAGE_SELF).ru_maxrss` is reported beside it by the children
    (`ru_maxrss_mb`), but on Linux a child's ru_maxrss starts at its parent's RSS (it is carried
    over fork and exec), so it overstates a small child of a large parent."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return ru_maxrss_mb()


def ru_maxrss_mb() -> float:
    """`resource.getrusage(RUSAGE_SELF).ru_maxrss` in MB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def load() -> list[float]:
    """The 1, 5 and 15 minute load averages (the machine is shared)."""
    return [round(x, 2) for x in os.getloadavg()]


def all_phrasings(engine: Engine) -> list[str]:
    """Every phrasing of every visible entry (what the naive baseline searches)."""
    return [t for e in engine.entries() for _l, t in e.phrasings()]


def embedded_texts(engine: Engine) -> list[str]:
    """Every text the semantic index holds for the shared knowledge: `bot.matcher`'s
    `semantic_texts` where it exists (phrasings and answers), else the phrasings."""
    texts_of = getattr(matcher_module, "semantic_texts", None)
    if texts_of is None:
        return all_phrasings(engine)
    return [t for e in engine.kb.entries.values() for t in texts_of(e)]


def code_state() -> dict[str, float]:
    """Modification times of the engine's code (others may be editing it during a run)."""
    return {p.name: p.stat().st_mtime for p in sorted((ROOT / "bot").glob("*.py"))}


def naive(phrasings: list[str], questions: Sequence[str]) -> list[float]:
    """The naive baseline's per-question times."""
    return time_calls(lambda q: process.extractOne(q, phrasings, scorer=fuzz.WRatio), questions)


def against_naive(engine: Engine, phrasings: list[str], questions: list[str]) -> dict[str, Any]:
    """The naive WRatio baseline beside the engine, on the same questions."""
    naive_times = naive(phrasings, questions)
    ours = time_calls(engine.ask, questions)
    return {
        **summary(naive_times),
        "engine_median_ms_same_questions": round(statistics.median(ours), 3),
        "speedup_median": round(statistics.median(naive_times) / statistics.median(ours), 2),
    }


def answer_mix(engine: Engine, questions: Sequence[str]) -> dict[str, int]:
    """How many of the questions were answered / got suggestions / were declined (a sanity
    check that the timed engine really decided something)."""
    out = {"answered": 0, "suggested": 0, "declined": 0}
    for q in questions:
        a = engine.ask(q)
        key = "answered" if a.answered else "suggested" if a.suggestions else "declined"
        out[key] += 1
    return out


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child process: no Steward settings inherited."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEWARD_")}
    env.update(extra)
    return env


def run_child(mode: str, params: dict[str, Any], env: dict[str, str] | None = None) -> Any:
    """Run this file in `--child` mode in a fresh process; its JSON result. The child's stderr
    (progress lines) goes to ours."""
    params = {**params, "spawned_at": time.time()}
    proc = subprocess.run(
        [sys.executable, __file__, "--child", mode, json.dumps(params)],
        stdout=subprocess.PIPE,
        text=True,
        env=env or child_env(),
        check=False,
    )
    if proc.returncode != 0:
        return {"error": f"child exited {proc.returncode} (its stderr is above)"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- shipped knowledge ------------------------------------------------------------------------


def cold_and_warm_start(runs: int) -> dict[str, Any]:
    """`python -m bot ask ...` from an empty working directory (so an empty ./data): the first
    run, then `runs` more in the same directory."""
    out: dict[str, Any] = {"command": f'python -m bot ask "{COLD_START_QUESTION}"'}
    with tempfile.TemporaryDirectory() as tmp:
        walls = []
        for _ in range(1 + runs):
            start = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "bot", "ask", COLD_START_QUESTION],
                cwd=tmp,
                env=child_env(),
                capture_output=True,
                text=True,
                check=False,
            )
            walls.append(round(time.perf_counter() - start, 3))
            if proc.returncode != 0:
                out["error"] = f"exit {proc.returncode}: {proc.stderr[-500:]}"
                break
            out.setdefault("output_start", proc.stdout.strip()[:300])
        data = Path(tmp) / "data"
        out["data_dir_files_after"] = (
            sorted(str(p.relative_to(data)) for p in data.rglob("*") if p.is_file())
            if data.is_dir()
            else []
        )
    out["cold_start_s"] = walls[0]
    if len(walls) > 1:
        out["warm_start_s"] = walls[1]
        out["warm_start_runs_s"] = walls[1:]
    out["note"] = (
        "the OS file cache is not dropped (no root), so 'cold' means a fresh process, an empty "
        "data directory and nothing of Steward loaded, not cold disk"
    )
    return out


def bench_shipped(args: argparse.Namespace) -> dict[str, Any]:
    """Latency at the shipped size, start-up, and the serving process's peak memory."""
    result: dict[str, Any] = {"loadavg_at_start": load()}
    # the child processes first, while this process is still small (see `peak_rss_mb`)
    result["start"] = cold_and_warm_start(args.warm_runs)
    result["peak_rss"] = run_child("shipped-rss", {"questions": RSS_QUESTIONS})
    result["peak_rss_semantic_off"] = run_child(
        "shipped-rss", {"questions": RSS_QUESTIONS}, env=child_env(STEWARD_SEMANTIC="off")
    )
    result["peak_rss_goal"] = "<= 300 MB (semantic on)"
    start = time.perf_counter()
    engine, problems = load_engine(BUNDLED_KNOWLEDGE)
    result["load_in_process_s"] = round(time.perf_counter() - start, 3)
    assert not problems, problems[:3]
    phrasings = all_phrasings(engine)
    result["entries"] = len(engine.kb.entries)
    result["phrasings"] = len(phrasings)
    embedder = default_embedder()
    result["semantic_available"] = embedder is not None
    if embedder is not None:
        bundled = VectorCache(BUNDLED_KNOWLEDGE / BUNDLED_VECTORS)
        result["bundled_vectors"] = len(bundled)
        texts = set(embedded_texts(engine))
        result["semantic_texts"] = len(texts)
        result["semantic_texts_missing_from_bundled_vectors"] = sum(
            text_key(embedder.model_id, t) not in bundled for t in texts
        )
    qs = questions_for(engine, args.queries)
    time_calls(engine.ask, qs[:50])  # warm caches (and the model's first run)
    result["ask_semantic"] = summary(time_calls(engine.ask, qs))
    result["ask_semantic"]["decisions"] = answer_mix(engine, qs)

    lexical = Engine(load_knowledge(BUNDLED_KNOWLEDGE)[0], semantic=False)
    time_calls(lexical.ask, qs[:50])
    result["ask_semantic_off"] = summary(time_calls(lexical.ask, qs))
    result["ask_semantic_off"]["decisions"] = answer_mix(lexical, qs)

    first = time.perf_counter()
    engine.suggest("wh", None, 25)
    result["autocomplete_first_call_ms"] = round((time.perf_counter() - first) * 1000, 3)
    result["autocomplete"] = summary(
        time_calls(lambda q: engine.suggest(q, None, 25), partials(qs))
    )

    result["naive_wratio_extractone"] = against_naive(engine, phrasings, qs[: args.naive_queries])
    return result


def child_shipped_rss(params: dict[str, Any]) -> dict[str, Any]:
    """A serving process on the shipped knowledge (loaded and settled as `steward run` does)
    that answers `questions` questions; its peak RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with collector_paused():
            engine, problems = load_engine(BUNDLED_KNOWLEDGE, Path(tmp), background=True)
            settle()
        loaded = time.perf_counter() - start
        assert not problems
        rss_loaded = peak_rss_mb()
        qs = questions_for(engine, params["questions"])
        for q in qs:
            engine.ask(q)
        for q in partials(qs):
            engine.suggest(q, None, 25)
        return {
            "semantic": engine.matcher.semantic is not None,
            "load_s": round(loaded, 3),
            "peak_rss_after_load_mb": rss_loaded,
            "peak_rss_mb": peak_rss_mb(),
            "ru_maxrss_mb": ru_maxrss_mb(),
            "questions_answered": len(qs),
            "process_wall_s": round(time.time() - params["spawned_at"], 3),
        }


# -- synthetic knowledge ----------------------------------------------------------------------


def _timed_flush(cache: VectorCache, spent: list[float]) -> None:
    """Count the time the embedding thread spends writing segment files (and compacting)."""
    flush = cache.flush

    def timed() -> None:
        start = time.perf_counter()
        try:
            flush()
        finally:
            spent[0] += time.perf_counter() - start

    cache.flush = timed  # type: ignore[method-assign]


def child_first_build(params: dict[str, Any]) -> dict[str, Any]:
    """The first start on a knowledge directory nothing was embedded for, as the bot runs it
    (background embedding, lexical answers meanwhile), in a fresh process."""
    root, data = Path(params["root"]), Path(params["data"])
    args = argparse.Namespace(**params["args"])
    out: dict[str, Any] = {"loadavg_at_start": load()}
    start = time.perf_counter()
    with collector_paused():
        engine, problems = load_engine(root, data, background=True)
        settle()
    loaded = time.perf_counter() - start
    assert not problems, problems[:3]
    qs = questions_for(engine, args.queries)
    engine.ask(qs[0])
    answering = time.perf_counter() - start
    out["load_engine_returned_s"] = round(loaded, 3)
    out["first_lexical_answer_s"] = round(answering, 3)
    semantic = engine.matcher.semantic
    if semantic is None:
        out["error"] = "semantic layer unavailable"
        return out
    model = semantic.embedder.model_id
    keys = {text_key(model, t) for t in embedded_texts(engine)}
    out["phrasings"] = len(all_phrasings(engine))
    out["distinct_texts_to_embed"] = len(keys)
    spent = [0.0]
    _timed_flush(semantic.cache, spent)
    # the bot answers during the build: a few questions on the lexical policy meanwhile
    during = time_calls(engine.ask, qs[1 : 1 + args.during_queries])
    out["ask_during_build"] = summary(during)
    limit = args.embed_limit_min * 60
    progress: list[dict[str, float]] = []
    next_report = 60.0
    while not semantic.ready(SHARED):
        elapsed = time.perf_counter() - start
        if elapsed >= next_report:
            progress.append({"s": round(elapsed), "embedded": len(semantic.cache)})
            print(
                f"  embedding: {len(semantic.cache)}/{len(keys)} after {elapsed:.0f} s",
                file=sys.stderr,
                flush=True,
            )
            next_report += 60
        if elapsed > limit:
            break
        time.sleep(0.5)
    elapsed = time.perf_counter() - start
    done = semantic.ready(SHARED)
    embedded = len(semantic.cache)
    out["embedding_progress"] = progress
    out["flush_and_compaction_s"] = round(spent[0], 1)
    out["peak_rss_mb"] = peak_rss_mb()
    if done:
        out["semantic_ready_s"] = round(elapsed, 1)
        out["embedded_texts_per_s"] = round(embedded / (elapsed - loaded), 1)
    else:
        semantic.load(SHARED, [])  # a newer generation: the build stops after its current batch
        for thread in threading.enumerate():
            if thread.name == f"embed-{SHARED}":
                thread.join(timeout=120)
        embedded = len(semantic.cache)
        elapsed = time.perf_counter() - start
        rate = embedded / (elapsed - loaded)
        out["semantic_ready_s"] = None
        out["stopped_after_s"] = round(elapsed, 1)
        out["embedded_when_stopped"] = embedded
        out["phrasings_per_s"] = round(rate, 1)
        out["extrapolated_semantic_ready_s"] = round(loaded + len(keys) / rate, 0)
        out["extrapolated_semantic_ready_min"] = round((loaded + len(keys) / rate) / 60, 1)
        # a full-size cache for the restart: the rest as placeholder unit vectors (their values
        # do not change the cost of loading, storing or searching them)
        missing = [k for k in keys if k not in semantic.cache]
        rng = np.random.default_rng(0)
        vecs = rng.standard_normal((len(missing), semantic.embedder.dim)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        semantic.cache.put(missing, vecs)
        semantic.cache.flush()
        out["placeholder_vectors_written"] = len(missing)
        out["embedded_texts_per_s"] = out.pop("phrasings_per_s")
    out["cache_files"] = sorted(p.name for p in (data / "vectors").glob("*"))
    out["cache_mb_on_disk"] = round(
        sum(p.stat().st_size for p in (data / "vectors").glob("*")) / 1e6, 1
    )
    return out


def bench_synthetic(args: argparse.Namespace) -> dict[str, Any]:
    """First build, then a restart from the cache, at the synthetic size."""
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root, data = Path(tmp) / "knowledge", Path(tmp) / "data"
        start = time.perf_counter()
        generate(root, args.entries, alternates=4, es_alternates=args.es_alternates)
        result["entries"] = args.entries
        result["es_alternates"] = args.es_alternates
        result["generate_s"] = round(time.perf_counter() - start, 1)
        result["faq_yaml_mb"] = round(
            sum(p.stat().st_size for p in root.glob("faq/*.yaml")) / 1e6, 1
        )
        result["first_build"] = run_child(
            "first-build",
            {
                "root": str(root),
                "data": str(data),
                "args": {
                    "queries": args.queries,
                    "during_queries": args.during_queries,
                    "embed_limit_min": args.embed_limit_min,
                },
            },
        )
        result["restart"] = run_child(
            "restart",
            {
                "root": str(root),
                "data": str(data),
                "queries": args.queries,
                "naive_queries": args.naive_queries,
            },
        )
    result["goals"] = "restart load < 3 s, peak RSS <= 500 MB, autocomplete median < 20 ms"
    return result


def child_restart(params: dict[str, Any]) -> dict[str, Any]:
    """The bot's restart on the synthetic knowledge with its vectors cached: load (as
    `steward run` does), latency, autocomplete, peak RSS; then the naive baseline."""
    out: dict[str, Any] = {"imports_done_s": round(time.time() - params["spawned_at"], 3)}
    start = time.perf_counter()
    with collector_paused():
        engine, problems = load_engine(Path(params["root"]), Path(params["data"]), background=True)
        settle()
    out["load_s"] = round(time.perf_counter() - start, 3)
    out["process_start_to_loaded_s"] = round(time.time() - params["spawned_at"], 3)
    assert not problems, problems[:3]
    semantic = engine.matcher.semantic
    out["semantic_ready_at_load"] = semantic is not None and semantic.ready(SHARED)
    out["cached_vectors"] = len(semantic.cache) if semantic else 0
    out["peak_rss_after_load_mb"] = peak_rss_mb()
    qs = questions_for(engine, params["queries"])
    first = time.perf_counter()
    engine.ask(qs[0])
    out["first_answer_ms"] = round((time.perf_counter() - first) * 1000, 3)
    out["process_start_to_first_answer_s"] = round(time.time() - params["spawned_at"], 3)
    time_calls(engine.ask, qs[:50])
    out["ask"] = summary(time_calls(engine.ask, qs))
    out["ask"]["decisions"] = answer_mix(engine, qs[:200])
    first = time.perf_counter()
    engine.suggest("wh", None, 25)
    out["autocomplete_first_call_ms"] = round((time.perf_counter() - first) * 1000, 3)
    out["autocomplete"] = summary(time_calls(lambda q: engine.suggest(q, None, 25), partials(qs)))
    out["peak_rss_mb"] = peak_rss_mb()
    out["ru_maxrss_mb"] = ru_maxrss_mb()
    phrasings = all_phrasings(engine)
    out["phrasings"] = len(phrasings)
    out["naive_wratio_extractone"] = against_naive(engine, phrasings, qs[: params["naive_queries"]])
    return out


CHILDREN = {
    "shipped-rss": child_shipped_rss,
    "first-build": child_first_build,
    "restart": child_restart,
}


def main() -> None:
    """Run the benchmark and print the figures as JSON."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--es-alternates", type=int, default=4)
    parser.add_argument("--naive-queries", type=int, default=200)
    parser.add_argument(
        "--during-queries",
        type=int,
        default=50,
        help="questions timed while the first build embeds",
    )
    parser.add_argument(
        "--embed-limit-min",
        type=float,
        default=25.0,
        help="stop the first build's embedding after this many minutes",
    )
    parser.add_argument("--warm-runs", type=int, default=2, help="warm starts after the cold one")
    parser.add_argument("--skip-shipped", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PARAMS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, params = args.child
        print(json.dumps(CHILDREN[mode](json.loads(params))))
        return
    code_at_start = code_state()
    results: dict[str, Any] = {
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "args": {k: v for k, v in vars(args).items() if k != "child" and v is not None},
    }
    if not args.skip_shipped:
        results["shipped"] = bench_shipped(args)
        print("shipped part done", file=sys.stderr, flush=True)
    if not args.skip_synthetic:
        results["synthetic"] = bench_synthetic(args)
    results["loadavg_at_end"] = load()
    results["bot_code_changed_during_run"] = sorted(
        name for name, mtime in code_state().items() if code_at_start.get(name) != mtime
    )
    text = json.dumps(results, indent=2, default=str)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
