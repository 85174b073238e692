"""Calibrate the matcher's thresholds on labelled questions.

    python benchmarks/calibrate.py [--grid] [EVAL_FILE ...]

Prints, for each eval file, the scores the current `Thresholds` reach, the score distribution of
correct top matches against off-topic top matches, and with `--grid` the best settings of a small
grid (ranked by the worst of the per-section accuracies, so no section is traded away). The
defaults in `bot/matcher.py` are the result; nothing here changes them.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answers import Engine  # noqa: E402
from bot.evaluation import load_cases, run_eval, summarise  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402
from bot.matcher import DEFAULT_THRESHOLDS, Thresholds  # noqa: E402

DEFAULT_FILES = [ROOT / "tests" / "data" / "dev.yaml", ROOT / "tests" / "data" / "holdout.yaml"]


def scores_for(engine: Engine, files: list[Path]) -> dict[str, float]:
    """Per-section accuracy over all files together."""
    cases = [c for f in files for c in load_cases(f.read_text(encoding="utf-8"))]
    summary = summarise(run_eval(cases, lambda q: engine.ask(q)))
    return {k: v["score"] for k, v in summary["scores"].items()}


def distribution(engine: Engine, files: list[Path]) -> None:
    """Top-match scores for questions that should be answered vs declined."""
    good: list[float] = []
    bad: list[float] = []
    for f in files:
        for case in load_cases(f.read_text(encoding="utf-8")):
            best = engine.matcher.match(case.q).best
            score = best.score if best else 0.0
            (bad if case.section in ("abstain", "spanish_abstain") else good).append(score)
    for name, xs in (("should answer", good), ("should decline", bad)):
        qs = statistics.quantiles(xs, n=10) if len(xs) > 1 else xs
        print(f"{name:15s} n={len(xs):3d} deciles: {' '.join(f'{q:.2f}' for q in qs)}")


def main() -> None:
    """Run the calibration report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--grid", action="store_true")
    args = parser.parse_args()
    files = args.files or DEFAULT_FILES
    kb, problems = load_knowledge(ROOT / "knowledge")
    if problems:
        raise SystemExit("\n".join(map(str, problems)))
    engine = Engine(kb)
    print("current:", scores_for(engine, files))
    distribution(engine, files)
    if not args.grid:
        return
    results: list[tuple[float, float, Thresholds]] = []
    grid = itertools.product((0.45, 0.5, 0.55), (1.0, 1.5), (0.7, 1.0), (0.6, 0.7, 0.8, 1.0))
    for answer, name_weight, beta2, predicate in grid:
        th = replace(
            DEFAULT_THRESHOLDS,
            answer=answer,
            name_weight=name_weight,
            beta2=beta2,
            predicate_penalty=predicate,
        )
        engine.matcher.thresholds = th
        s = scores_for(engine, files)
        results.append((min(s.values()), statistics.mean(s.values()), th))
    results.sort(key=lambda r: (r[0], r[1]), reverse=True)
    for worst, mean, th in results[:8]:
        print(
            f"worst={worst:.3f} mean={mean:.3f} answer={th.answer} names={th.name_weight} "
            f"beta2={th.beta2} predicate={th.predicate_penalty}"
        )


if __name__ == "__main__":
    main()
