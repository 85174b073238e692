"""Shared fixtures: the bundled knowledge, and small knowledge directories built in tmp paths."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.answers import Engine
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.paths import BUNDLED_KNOWLEDGE

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def bundled() -> KnowledgeBase:
    """The shipped knowledge, loaded once (it must be valid)."""
    kb, problems = load_knowledge(BUNDLED_KNOWLEDGE)
    assert problems == []
    return kb


@pytest.fixture(scope="session")
def engine(bundled: KnowledgeBase) -> Engine:
    """An engine over the shipped knowledge (do not mutate: session-wide)."""
    return Engine(bundled)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge."""
    target = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, target)
    return target


SMALL_SOURCE = "The committee met on Monday. Alice Smith chairs the committee. It has 12 members."


@pytest.fixture
def make_knowledge(tmp_path: Path) -> Callable[[str], Path]:
    """Build a one-source knowledge directory with the given FAQ file text."""

    def build(faq_yaml: str, name: str = "test.yaml") -> Path:
        root = tmp_path / "kb"
        (root / "sources").mkdir(parents=True, exist_ok=True)
        (root / "faq").mkdir(exist_ok=True)
        (root / "sources" / "memo.txt").write_text(SMALL_SOURCE, encoding="utf-8")
        (root / "sources.yaml").write_text(
            textwrap.dedent(
                """\
                - id: memo
                  title: A memo
                  outlet: Test outlet
                  url: https://example.org/memo
                  file: memo.txt
                  published: "2024-01-01"
                  kind: news
                """
            ),
            encoding="utf-8",
        )
        (root / "faq" / name).write_text(textwrap.dedent(faq_yaml), encoding="utf-8")
        return root

    return build
