"""The decision model is reproducible from the repo's data."""

from __future__ import annotations

import pytest

pytest.importorskip("sklearn", reason="training needs the test extra's scikit-learn")


def test_training_reproduces_the_shipped_weights():
    from bot.training import main

    assert main(["--check"]) == 0
