"""Where the knowledge bundled with the code lives: installed from a wheel, or in a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _bundled_knowledge() -> Path:
    # A wheel ships the repository's knowledge/ as package data, bot/bundled_knowledge
    # (pyproject.toml); a source checkout or an editable install reads knowledge/ itself.
    packaged = resources.files("bot") / "bundled_knowledge"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "knowledge"


BUNDLED_KNOWLEDGE = _bundled_knowledge()
