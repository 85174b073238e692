"""The learned answer decision: a small boosted-trees classifier over per-candidate features
says how likely a candidate entry answers the question; two settings (Rasa's `threshold` and
`ambiguity_threshold`) and a lower bar for suggestions then decide. The weights ship as
`bot/decision.json`, written by `python -m bot.training` from the repo's labelled data; the
runtime needs only numpy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

MODEL_FILE = "decision.json"

# What each candidate is described by. None names a word of any knowledge base.
LEXICAL_FEATURES = (
    "lex_score",  # the lexical retriever's summary score of the best phrasing
    "q_cov",  # share of the question's (IDF-weighted) words the phrasing has
    "p_cov",  # share of the phrasing's words the question has
    "fuzzy",  # rapidfuzz token_sort_ratio of the content words
    "answer_cov",  # share of the question's words only the entry's answer has
    "missing_names",  # share of the question's weight: names and numbers the entry never uses
    "unknown",  # share of the question's weight the index has never seen
    "lex_margin",  # lex_score minus the best other candidate's
    "lex_top",  # 1 when this is the lexical retriever's first entry
    "type_unmet",  # asks when / how many, and the answer holds no date / number
    "q_len",  # log(1 + content words of the question)
    "phrasings",  # log(1 + the entry's phrasings)
    "corrected",  # 1 for the view of the question with its typos corrected
)
SEMANTIC_FEATURES = (
    *LEXICAL_FEATURES,
    "cosine",  # nearest phrasing's cosine (multilingual-e5-small)
    "cos_margin",  # cosine minus the best other candidate's
    "cos_top",  # 1 when this is the semantic retriever's first entry
    "cos_z",  # how far the cosine stands above the question's cosines to every phrasing
    "answer_cos",  # cosine of the question (e5 query) to the entry's answer (e5 passage)
    "answer_z",  # ... standardised against the question's cosines to every answer
    "answer_margin",  # answer_cos minus the best other candidate's
    "mapped",  # cosine plus answer_cos of the mapped question (`QueryMaps`)
    "mapped_margin",  # mapped minus the best other candidate's
)


@dataclass(frozen=True)
class Tree:
    """One regression tree: node arrays as scikit-learn stores them (a leaf has no children)."""

    feature: npt.NDArray[np.int64]
    threshold: npt.NDArray[np.float64]
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]

    def to_json(self) -> list[list[float]]:
        """The node arrays."""
        return [
            self.feature.tolist(),
            [round(float(x), 6) for x in self.threshold],
            self.left.tolist(),
            self.right.tolist(),
            [round(float(x), 6) for x in self.value],
        ]

    @classmethod
    def from_json(cls, data: list[list[float]]) -> Tree:
        """Read what `to_json` wrote."""
        feature, threshold, left, right, value = data
        return cls(
            np.asarray(feature, np.int64),
            np.asarray(threshold, float),
            np.asarray(left, np.int64),
            np.asarray(right, np.int64),
            np.asarray(value, float),
        )


def _depth(tree: Tree) -> int:
    """How many splits the longest path of a tree takes."""
    depth, level = 0, [0]
    while True:
        level = [c for n in level if tree.left[n] >= 0 for c in (tree.left[n], tree.right[n])]
        if not level:
            return depth
        depth += 1


@dataclass(frozen=True)
class BoostedTrees:
    """Gradient-boosted regression trees on the log-odds (scikit-learn's
    HistGradientBoostingClassifier, exported): the features interact (a high cosine means
    little when the question names what the entry never mentions), which a linear model
    cannot say."""

    features: tuple[str, ...]
    base: float  # the prior log-odds
    rate: float  # what each tree's value is multiplied by
    trees: tuple[Tree, ...]

    def __post_init__(self) -> None:
        # every tree's nodes in one flat array each; a leaf points to itself both ways (with an
        # infinite threshold), so all trees walk a fixed number of steps at once. A node's two
        # children sit side by side in one array (right, then left), so a step is one lookup.
        offsets = np.cumsum([0, *(len(t.feature) for t in self.trees)])
        parts: dict[str, list[npt.NDArray[Any]]] = {k: [] for k in ("f", "t", "c", "v")}
        depth = 0
        for start, tree in zip(offsets[:-1], self.trees, strict=True):
            leaf = tree.left < 0
            own = start + np.arange(len(tree.feature))
            parts["f"].append(np.where(leaf, 0, tree.feature))
            parts["t"].append(np.where(leaf, np.inf, tree.threshold))
            right = np.where(leaf, own, start + tree.right)
            left = np.where(leaf, own, start + tree.left)
            parts["c"].append(np.stack([right, left], axis=1).ravel())
            parts["v"].append(tree.value)
            depth = max(depth, _depth(tree))
        flat = {k: np.concatenate(v) if v else np.zeros(0) for k, v in parts.items()}
        index = {k: flat[k].astype(np.intp) for k in ("f", "c")}
        object.__setattr__(self, "_flat", (index["f"], flat["t"], index["c"], flat["v"]))
        object.__setattr__(self, "_roots", offsets[:-1].astype(np.intp))
        object.__setattr__(self, "_depth", depth)

    def predict(self, rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Probability that each row's candidate answers its question."""
        feature, threshold, children, value = self._flat  # type: ignore[attr-defined]
        count, width = rows.shape
        flat_rows = np.ascontiguousarray(rows, float).ravel()
        node = np.repeat(self._roots, count)  # type: ignore[attr-defined]
        row_start = np.tile(np.arange(count) * width, len(self.trees))
        for _ in range(self._depth):  # type: ignore[attr-defined]
            go_left = flat_rows.take(row_start + feature.take(node)) <= threshold.take(node)
            node = children.take(2 * node + go_left)
        leaves = value.take(node).reshape(len(self.trees), count)
        z = self.base + self.rate * leaves.sum(axis=0)
        # clipped: a pure leaf's log-odds can pass what exp() holds (the probability is 0 or 1)
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -500.0, 500.0))), float)

    def to_json(self) -> dict[str, Any]:
        """The model as written in the weights file."""
        return {
            "features": list(self.features),
            "base": round(self.base, 6),
            "rate": self.rate,
            "trees": [t.to_json() for t in self.trees],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BoostedTrees:
        """Read what `to_json` wrote."""
        return cls(
            tuple(data["features"]),
            float(data["base"]),
            float(data["rate"]),
            tuple(Tree.from_json(t) for t in data["trees"]),
        )


@dataclass(frozen=True)
class Policy:
    """A model and the settings that turn its probabilities into a decision."""

    model: BoostedTrees
    answer: float  # top candidate's probability at or above this: answer
    margin: float  # ... unless the second is closer than this (and not a related entry)
    suggest: float  # at or above this: offer as "did you mean"

    def to_json(self) -> dict[str, Any]:
        """The policy as written in the weights file."""
        return {
            **self.model.to_json(),
            "answer": round(self.answer, 4),
            "margin": round(self.margin, 4),
            "suggest": round(self.suggest, 4),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Policy:
        """Read what `to_json` wrote."""
        return cls(
            BoostedTrees.from_json(data),
            float(data["answer"]),
            float(data["margin"]),
            float(data["suggest"]),
        )


@dataclass(frozen=True)
class DecisionModel:
    """One policy with the semantic retriever, one for the lexical index alone."""

    semantic: Policy
    lexical: Policy

    def to_json(self) -> dict[str, Any]:
        """The weights file's content."""
        return {"semantic": self.semantic.to_json(), "lexical": self.lexical.to_json()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DecisionModel:
        """Read what `to_json` wrote."""
        return cls(Policy.from_json(data["semantic"]), Policy.from_json(data["lexical"]))


def load_model() -> DecisionModel:
    """The shipped decision model."""
    text = resources.files("bot").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return DecisionModel.from_json(json.loads(text))
