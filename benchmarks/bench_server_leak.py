"""Questions about the shared FAQ asked in a server that has entries of its own: how many get
one of that server's answers instead (a leak), against the same questions asked with no server
entries (figures only).

    python benchmarks/bench_server_leak.py [--split tests/data/valid] [--servers 2]

The questions are the split's shared-FAQ files (answerable, off-topic and near-miss questions);
the servers are the split's own server files, each loaded in turn as the asking server. Prints,
as JSON, each kind's outcome with no server entries and in the servers (right, answered with a
server entry's answer, answered wrongly otherwise, declined), and the utility in the servers
(+1 right, -1.5 for every wrong answer); never a question.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answers import Engine  # noqa: E402
from bot.evaluation import EVAL_GUILD, Case, judge, load_suite  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402
from bot.paths import BUNDLED_KNOWLEDGE  # noqa: E402

SHARED_KINDS = ("answerable", "abstain", "confusable")


def outcome(engine: Engine, case: Case, guild: str | None, own: set[str]) -> str:
    """leak (one of the server's entries answered) / right / wrong (another answer) /
    declined."""
    answer = engine.ask(case.q, guild)
    if answer.answered and answer.id in own and answer.origin == guild:
        return "leak"
    if judge(case, answer).passed:
        return "right"
    return "wrong" if answer.answered else "declined"


def figures(engine: Engine, split: Path, servers: int) -> dict[str, object]:
    """Every shared-FAQ question alone, then in each of the first `servers` server files."""
    suites = [load_suite(p.read_text(encoding="utf-8")) for p in sorted(split.glob("*.yaml"))]
    cases = [
        c for s in suites if not s.server_entries for c in s.cases if c.section in SHARED_KINDS
    ]
    hosts = [s.server_entries for s in suites if s.server_entries][:servers]
    alone: Counter[tuple[str, str]] = Counter()
    inside: Counter[tuple[str, str]] = Counter()
    for case in cases:
        alone[case.section, outcome(engine, case, None, set())] += 1
    for entries in hosts:
        engine.replace_guild(EVAL_GUILD, entries)
        own = {e.id for e in entries}
        for case in cases:
            inside[case.section, outcome(engine, case, EVAL_GUILD, own)] += 1
        engine.replace_guild(EVAL_GUILD, [])
    right = sum(n for (_kind, what), n in inside.items() if what == "right")
    wrong = sum(n for (_kind, what), n in inside.items() if what in ("leak", "wrong"))
    return {
        "questions": len(cases),
        "servers": len(hosts),
        "alone": {f"{k}/{w}": n for (k, w), n in sorted(alone.items())},
        "in_a_server": {f"{k}/{w}": n for (k, w), n in sorted(inside.items())},
        "in_a_server_utility": right - 1.5 * wrong,
    }


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", type=Path, default=ROOT / "tests" / "data" / "valid")
    parser.add_argument("--servers", type=int, default=2, help="how many server files to use")
    args = parser.parse_args()
    kb, _problems = load_knowledge(BUNDLED_KNOWLEDGE)
    print(json.dumps(figures(Engine(kb), args.split, args.servers), indent=2))


if __name__ == "__main__":
    main()
