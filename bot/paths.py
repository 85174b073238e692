"""Default locations of the shared knowledge and the data directory."""

from __future__ import annotations

import os
from pathlib import Path

BUNDLED_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


def default_knowledge_dir() -> Path:
    """`$STEWARD_KNOWLEDGE_DIR`, else the knowledge directory bundled with the code."""
    env = os.environ.get("STEWARD_KNOWLEDGE_DIR")
    return Path(env) if env else BUNDLED_KNOWLEDGE


def default_data_dir() -> Path:
    """`$STEWARD_DATA_DIR`, else `./data`."""
    return Path(os.environ.get("STEWARD_DATA_DIR") or "data")
