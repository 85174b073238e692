"""Server entries on disk, layered over the shared knowledge."""

from __future__ import annotations

from pathlib import Path

from bot.answers import Engine
from bot.knowledge import parse_entries, validate_entries


class StoreError(Exception):
    """A server's stored entries cannot be used."""


class GuildStore:
    """Each server's entries under `data_dir/guilds/<id>/faq.yaml`."""

    def __init__(self, data_dir: Path, engine: Engine) -> None:
        self.data_dir = Path(data_dir)
        self.engine = engine

    def path(self, guild: str) -> Path:
        """The server's FAQ file."""
        return self.data_dir / "guilds" / guild / "faq.yaml"

    def load_guild(self, guild: str) -> None:
        """Load a server's entries into the engine (none when it has no file)."""
        path = self.path(guild)
        if not path.exists():
            return
        entries, problems = parse_entries(path.read_text(encoding="utf-8"), str(path), guild)
        problems += validate_entries(entries, self.engine.kb.sources,
                                     known_ids=self.engine.kb.entries)
        if problems:
            raise StoreError("; ".join(map(str, problems)))
        self.engine.replace_guild(guild, entries)
