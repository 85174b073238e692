"""A status file the running bot keeps fresh while it is connected to Discord's gateway, so
that `steward health` (a container's HEALTHCHECK) means "connected", not merely "running"."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

REFRESH_SECONDS = 30.0  # how often the bot rewrites the file while connected
STALE_SECONDS = 90.0  # older than this, the bot is not healthy (three missed refreshes)


def health_file(data_dir: Path) -> Path:
    """The status file in the data directory."""
    return data_dir / ".health"


def mark_connected(data_dir: Path) -> None:
    """Record that the bot is connected now (the time, in seconds since the epoch)."""
    # Renamed into place so a reader never sees half a file; no fsync: this runs on the event
    # loop (quick, and never racing `clear`); a file lost in a crash only reports unhealthy.
    path = health_file(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(".health.tmp")
    tmp.write_text(f"{time.time():.3f}\n", encoding="utf-8")
    tmp.replace(path)


def clear(data_dir: Path) -> None:
    """Remove the status file: the bot is stopping."""
    with contextlib.suppress(FileNotFoundError):
        health_file(data_dir).unlink()


def is_fresh(data_dir: Path, max_age: float = STALE_SECONDS) -> bool:
    """Whether the bot recorded a connection less than `max_age` seconds ago."""
    try:
        stamp = float(health_file(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return time.time() - stamp < max_age
