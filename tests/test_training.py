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
