"""The decision model is reproducible from the repo's data."""

from __future__ import annotations

import pytest

pytest.importorskip("sklearn", reason="training needs the test extra's scikit-learn")


def test_training_reproduces_the_shipped_weights():
    from bot.training import main

    assert main(["--check"]) == 0


def test_misspelt_copies_slip_like_a_hurried_typist():
    import random

    from bot.training import misspelt

    question = "When was Executive Order 14025 signed by the president?"
    copies = [misspelt(question, random.Random(seed)) for seed in range(20)]
    assert all(c != question for c in copies)
    for copy in copies:
        assert "14025" in copy  # numbers and short words stay as written
        assert len(copy.split()) == len(question.split())
        assert copy.rstrip("?") == copy or copy.endswith("?")
    assert len(set(copies)) > 15
    assert misspelt(question, random.Random(3)) == misspelt(question, random.Random(3))


def test_a_query_map_learns_to_rank_and_to_hold_back_questions_no_entry_answers():
    import numpy as np

    from bot.training import MapGroup, fit_map

    rng = np.random.default_rng(0)

    def unit(v: np.ndarray) -> np.ndarray:
        return v / np.linalg.norm(v, axis=-1, keepdims=True)

    dim, count = 16, 6
    entries = unit(rng.normal(size=(count, dim)))
    drift = unit(rng.normal(size=dim))  # what askers add that the entries never say
    right = rng.integers(0, count, 300)
    asked = unit(entries[right] + 1.2 * drift + 0.6 * rng.normal(size=(300, dim)))
    unanswered = unit(entries[rng.integers(0, count, 150)] + 1.4 * rng.normal(size=(150, dim)))
    targets = np.zeros((450, count))
    targets[np.arange(300), right] = 1.0
    group = MapGroup(
        entries,
        np.arange(count),
        unit(entries + 0.2 * rng.normal(size=(count, dim))),
        np.arange(count),
        np.r_[asked, unanswered],
        targets,
    )

    def measure(matrix: np.ndarray) -> tuple[float, float]:
        score, _rows, _answers = group.scores(unit(group.questions @ matrix.T))
        first = float(np.mean(score[:300].argmax(1) == right))
        gap = float(score[:300].max(1).mean() - score[300:].max(1).mean())
        return first, gap

    before, after = measure(np.eye(dim)), measure(fit_map([group]))
    assert after[0] > before[0]  # more right entries first
    assert after[1] > before[1]  # answered questions stand further above the others


def test_the_runtime_walks_the_trained_trees_as_scikit_learn_wrote_them():
    import numpy as np

    from bot.training import fit_trees

    rng = np.random.default_rng(1)
    x = rng.normal(size=(400, 3))
    y = ((x[:, 0] > 0.2) ^ (x[:, 1] * x[:, 2] > 0.1)).astype(int)
    model = fit_trees(x, y, np.ones(400), np.arange(400) // 2, ("a", "b", "c"))

    def walk(row: np.ndarray) -> float:  # one tree at a time, by the node arrays' definition
        z = model.base
        for tree in model.trees:
            node = 0
            while tree.left[node] >= 0:
                go_left = row[tree.feature[node]] <= tree.threshold[node]
                node = tree.left[node] if go_left else tree.right[node]
            z += model.rate * tree.value[node]
        return float(1.0 / (1.0 + np.exp(-z)))

    # fresh rows, and rows lying exactly on split thresholds (which go left)
    on_splits = np.array([[t.threshold[0]] * 3 for t in model.trees[:20] if t.left[0] >= 0])
    rows = np.r_[rng.normal(size=(50, 3)), on_splits]
    assert np.allclose(model.predict(rows), [walk(r) for r in rows], rtol=0, atol=1e-12)
    assert model.predict(rows[:1]).shape == (1,)


def test_a_seed_retrains_reproducibly_and_another_seed_draws_other_samples():
    import numpy as np

    from bot.training import fit_trees

    rng = np.random.default_rng(2)
    x = rng.normal(size=(300, 2))
    y = (x[:, 0] + 0.5 * rng.normal(size=300) > 0).astype(int)

    def probabilities(seed: int) -> np.ndarray:
        model = fit_trees(x, y, np.ones(300), np.arange(300), ("a", "b"), seed)
        return model.predict(x[:50])

    assert np.array_equal(probabilities(0), probabilities(0))
    assert not np.allclose(probabilities(0), probabilities(1))
