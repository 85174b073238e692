"""Long messages: the validation split asked as it is, and again after a sentence or two about
the asker, as people write a long message with the question at its end (figures only).

    python benchmarks/bench_context.py [--split tests/data/valid] [--before 0,1,2]
                                       [--semantic on|off]

Before each question go `--before` sentences drawn (with a fixed seed) from
`benchmarks/preambles.yaml`: written by a helper who never saw the FAQ, in the question's
language, and never trained on.
Prints each kind's right / total and the answers given wrongly, per number of sentences before;
never a question.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answers import Engine  # noqa: E402
from bot.evaluation import METRICS, load_suite, run_suite, summarise  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402
from bot.paths import BUNDLED_KNOWLEDGE  # noqa: E402
from bot.yamlsafe import load_yaml  # noqa: E402

PROBE = Path(__file__).resolve().parent / "preambles.yaml"
WRONG = ("answered_wrong", "answered_when_it_should_not")


def figures(engine: Engine, split: Path, before: int) -> dict[str, object]:
    """Every file of `split` with `before` probe sentences before each question."""
    preambles = load_yaml(PROBE.read_text(encoding="utf-8"))
    rng = random.Random(before)
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    confusion: Counter[str] = Counter()

    def entry_text(entry_id: str, lang: str) -> str | None:
        entry = engine.entry(entry_id)
        return entry.text(lang)[1] if entry else None

    for path in sorted(split.glob("*.yaml")):
        suite = load_suite(path.read_text(encoding="utf-8"))
        for case in suite.cases:
            lang = "es" if case.section.startswith("spanish") else "en"
            case.q = " ".join([*rng.sample(preambles[lang], before), case.q])
        summary = summarise(run_suite(suite, engine), entry_text)
        for metric, score in summary["scores"].items():
            passed[metric] += score["passed"]
            total[metric] += score["total"]
        confusion.update(summary["confusion"])
    kinds = [m for m in METRICS.values() if total[m]]
    return {
        "sentences_before": before,
        **{m: f"{passed[m]}/{total[m]}" for m in kinds},
        "right": sum(passed[m] for m in kinds),
        "answered_wrongly": sum(confusion[w] for w in WRONG),
    }


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", type=Path, default=ROOT / "tests" / "data" / "valid")
    parser.add_argument("--before", default="0,1,2", help="comma-separated sentence counts")
    parser.add_argument("--semantic", choices=("on", "off"), default="on")
    args = parser.parse_args()
    os.environ["STEWARD_SEMANTIC"] = args.semantic
    kb, _problems = load_knowledge(BUNDLED_KNOWLEDGE)
    engine = Engine(kb, semantic=args.semantic == "on")
    for before in (int(b) for b in args.before.split(",")):
        print(json.dumps(figures(engine, args.split, before)), flush=True)


if __name__ == "__main__":
    main()
