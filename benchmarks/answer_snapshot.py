"""Every labelled question's answer, saved and compared: for changes meant to keep the answers
as they are (speed, memory, refactoring), with the semantic layer on and off.

    python benchmarks/answer_snapshot.py save FILE       # before the change
    python benchmarks/answer_snapshot.py compare FILE    # after it: what differs

The questions are those of `tests/data/dev.yaml`, `tests/data/train/` and `tests/data/valid/`
(not the unread test split). For each it keeps the answered entry's id, whether it was
answered and the confidence; `compare` answers them again with the current code, prints how
many differ per mode and the first few that do, and exits 1 when any does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answers import Engine, QuestionError  # noqa: E402
from bot.evaluation import EVAL_GUILD, load_suite  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402
from bot.paths import BUNDLED_KNOWLEDGE  # noqa: E402

DATA = ROOT / "tests" / "data"
SHOWN = 10  # differing questions printed per mode


def question_files() -> list[Path]:
    """The labelled files whose questions may be read."""
    train, valid = sorted((DATA / "train").glob("*.yaml")), sorted((DATA / "valid").glob("*.yaml"))
    return [DATA / "dev.yaml", *train, *valid]


def snapshot() -> dict[str, dict[str, list[object]]]:
    """Mode -> "file: question" -> [entry id, answered, confidence]."""
    kb, problems = load_knowledge(BUNDLED_KNOWLEDGE)
    if problems:
        raise SystemExit(f"invalid knowledge: {problems[0]}")
    out: dict[str, dict[str, list[object]]] = {}
    for mode in ("semantic", "lexical"):
        engine = Engine(kb, semantic=mode == "semantic")
        answers: dict[str, list[object]] = {}
        for path in question_files():
            suite = load_suite(path.read_text(encoding="utf-8"))
            engine.replace_guild(EVAL_GUILD, suite.server_entries)
            guild = EVAL_GUILD if suite.server_entries else None
            for case in suite.cases:
                key = f"{path.name}: {case.q}"
                try:
                    answer = engine.ask(case.q, guild)
                except QuestionError as exc:
                    answers[key] = ["refused", exc.key, 0.0]
                    continue
                answers[key] = [answer.id, answer.answered, round(answer.confidence, 9)]
            engine.replace_guild(EVAL_GUILD, [])
        out[mode] = answers
    return out


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    now = snapshot()
    if args.action == "save":
        args.file.write_text(json.dumps(now, ensure_ascii=False), encoding="utf-8")
        print(f"saved {sum(len(a) for a in now.values())} answers to {args.file}")
        return
    before = json.loads(args.file.read_text(encoding="utf-8"))
    differ = 0
    for mode, answers in now.items():
        changed = [q for q, a in answers.items() if before.get(mode, {}).get(q) != a]
        differ += len(changed)
        print(f"{mode}: {len(answers) - len(changed)} of {len(answers)} the same")
        for q in changed[:SHOWN]:
            print(f"  {q}\n    before {before.get(mode, {}).get(q)}, now {answers[q]}")
    raise SystemExit(1 if differ else 0)


if __name__ == "__main__":
    main()
