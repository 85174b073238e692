"""The bot's own records in an embedded SQLite database (async access through aiosqlite).

- `guild_config`: per-server settings (moderator roles, private answers by default).
- `history`: every change to an entry (who, when, before and after), for history, revert and audit.
- `gaps`: questions the bot declined or was unsure of, per server, as normalised text with a
  count and when last seen. No user ids are ever stored with question text.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite

from bot.text import last_sentence

SCHEMA = """
CREATE TABLE IF NOT EXISTS guild_config (
    guild_id TEXT PRIMARY KEY,
    private_default INTEGER NOT NULL DEFAULT 0,
    mod_roles TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,            -- 'shared' or a server id
    entry_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    action TEXT NOT NULL,           -- add, edit, remove, alias, import, revert
    actor_id TEXT,                  -- the moderator; NULL once forgotten on request
    at TEXT NOT NULL,
    before TEXT,                    -- the entry as JSON, NULL when it did not exist
    after TEXT                      -- the entry as JSON, NULL when removed
);
CREATE INDEX IF NOT EXISTS history_entry ON history (scope, entry_id, version);
CREATE TABLE IF NOT EXISTS gaps (
    guild_id TEXT NOT NULL,         -- a server id, or 'dm'
    text TEXT NOT NULL,
    count INTEGER NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (guild_id, text)
);
"""

GAP_RETENTION = timedelta(days=90)
GAP_FLUSH_SECONDS = 2.0
MAX_GAP_TEXT = 300


@dataclass(frozen=True)
class GuildConfig:
    """A server's settings."""

    private_default: bool = False
    mod_roles: tuple[int, ...] = ()


@dataclass(frozen=True)
class Change:
    """One recorded change to an entry."""

    scope: str
    entry_id: str
    version: int
    action: str
    actor_id: str | None
    at: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class Gap:
    """A question the bot could not answer, counted."""

    text: str
    count: int
    last_seen: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Records:
    """Async access to the records database at `data_dir/steward.sqlite3`."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / "steward.sqlite3"
        self._db: aiosqlite.Connection | None = None
        self._configs: dict[str, GuildConfig] = {}  # read on every /ask: kept in memory
        # Gap counts are buffered and written in batches (at most GAP_FLUSH_SECONDS late), so
        # answering never waits for a disk write; `close` and `gaps` flush first. A write in
        # progress is never cancelled (that could lose or double a batch): `close` wakes the
        # flusher and waits for it.
        self._pending_gaps: dict[tuple[str, str], tuple[int, str]] = {}
        self._flusher: asyncio.Task[None] | None = None
        self._flush_now = asyncio.Event()
        self._flush_lock = asyncio.Lock()

    async def open(self) -> None:
        """Open (creating if needed) the database."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = await aiosqlite.connect(self.path)
        await self._db.execute("PRAGMA journal_mode=WAL")
        await self._db.execute("PRAGMA synchronous=FULL")
        await self._db.executescript(SCHEMA)
        await self._db.commit()

    async def close(self) -> None:
        """Write buffered counts and close the database."""
        if self._flusher is not None:
            self._flush_now.set()
            # a batch that failed to write is lost either way; closing must go on
            await asyncio.gather(self._flusher, return_exceptions=True)
            self._flusher = None
        if self._db is not None:
            await self.flush_gaps()
            await self._db.close()
            self._db = None

    @property
    def db(self) -> aiosqlite.Connection:
        """The open connection."""
        if self._db is None:
            raise RuntimeError("Records.open() was not called")
        return self._db

    # -- server settings ------------------------------------------------------------------

    async def guild_config(self, guild_id: str) -> GuildConfig:
        """A server's settings (defaults when never set)."""
        cached = self._configs.get(guild_id)
        if cached is not None:
            return cached
        async with self.db.execute(
            "SELECT private_default, mod_roles FROM guild_config WHERE guild_id = ?", (guild_id,)
        ) as cur:
            row = await cur.fetchone()
        config = (
            GuildConfig()
            if row is None
            else GuildConfig(bool(row[0]), tuple(int(r) for r in json.loads(row[1])))
        )
        self._configs[guild_id] = config
        return config

    async def set_guild_config(self, guild_id: str, config: GuildConfig) -> None:
        """Store a server's settings."""
        await self.db.execute(
            "INSERT INTO guild_config (guild_id, private_default, mod_roles) VALUES (?, ?, ?) "
            "ON CONFLICT(guild_id) DO UPDATE SET private_default = excluded.private_default, "
            "mod_roles = excluded.mod_roles",
            (guild_id, int(config.private_default), json.dumps(list(config.mod_roles))),
        )
        await self.db.commit()
        self._configs[guild_id] = config

    # -- history --------------------------------------------------------------------------

    async def record_change(
        self,
        scope: str,
        entry_id: str,
        action: str,
        actor_id: int | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> int:
        """Append a change and return its version number (1 for the first change)."""
        async with self.db.execute(
            "SELECT COALESCE(MAX(version), 0) FROM history WHERE scope = ? AND entry_id = ?",
            (scope, entry_id),
        ) as cur:
            row = await cur.fetchone()
        version = int(row[0]) + 1 if row else 1
        await self.db.execute(
            "INSERT INTO history (scope, entry_id, version, action, actor_id, at, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                scope,
                entry_id,
                version,
                action,
                str(actor_id) if actor_id else None,
                _now(),
                json.dumps(before) if before is not None else None,
                json.dumps(after) if after is not None else None,
            ),
        )
        await self.db.commit()
        return version

    async def history(self, scope: str, entry_id: str) -> list[Change]:
        """Every change to one entry, oldest first."""
        return await self._changes("scope = ? AND entry_id = ? ORDER BY version", (scope, entry_id))

    async def recent_changes(self, scope: str, limit: int = 20) -> list[Change]:
        """The latest changes in a scope, newest first (the audit view)."""
        return await self._changes("scope = ? ORDER BY id DESC LIMIT ?", (scope, limit))

    async def _changes(self, where: str, params: tuple[object, ...]) -> list[Change]:
        async with self.db.execute(
            "SELECT scope, entry_id, version, action, actor_id, at, before, after FROM history "
            f"WHERE {where}",  # `where` is one of the literals above; values are parameters
            params,
        ) as cur:
            rows = await cur.fetchall()
        return [_change(r) for r in rows]

    async def forget_user(self, user_id: int) -> int:
        """Remove a user's id from every record; return how many records were changed."""
        cur = await self.db.execute(
            "UPDATE history SET actor_id = NULL WHERE actor_id = ?", (str(user_id),)
        )
        await self.db.commit()
        return cur.rowcount

    # -- gaps -----------------------------------------------------------------------------

    async def count_gap(self, guild_id: str, text: str) -> None:
        """Count one declined or unsure question: its last sentence, where the question is
        (not what the asker told first), normalised."""
        text = " ".join(last_sentence(text).casefold().split())[-MAX_GAP_TEXT:]
        if not text:
            return
        count, _seen = self._pending_gaps.get((guild_id, text), (0, ""))
        self._pending_gaps[(guild_id, text)] = (count + 1, _now())
        if self._flusher is None or self._flusher.done():
            self._flush_now.clear()
            self._flusher = asyncio.create_task(self._flush_later())

    async def _flush_later(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._flush_now.wait(), GAP_FLUSH_SECONDS)
        await self.flush_gaps()

    async def flush_gaps(self) -> None:
        """Write the buffered gap counts in one transaction (one flush at a time)."""
        async with self._flush_lock:
            pending, self._pending_gaps = self._pending_gaps, {}
            if not pending:
                return
            await self.db.executemany(
                "INSERT INTO gaps (guild_id, text, count, last_seen) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(guild_id, text) DO UPDATE SET count = count + excluded.count, "
                "last_seen = excluded.last_seen",
                [(g, text, n, seen) for (g, text), (n, seen) in pending.items()],
            )
            await self.db.commit()

    async def gaps(self, guild_id: str, limit: int = 25) -> list[Gap]:
        """The server's unanswered questions, most frequent first; expired ones are purged."""
        await self.flush_gaps()
        cutoff = (datetime.now(UTC) - GAP_RETENTION).isoformat(timespec="seconds")
        await self.db.execute("DELETE FROM gaps WHERE last_seen < ?", (cutoff,))
        await self.db.commit()
        async with self.db.execute(
            "SELECT text, count, last_seen FROM gaps WHERE guild_id = ? "
            "ORDER BY count DESC, last_seen DESC LIMIT ?",
            (guild_id, limit),
        ) as cur:
            rows = await cur.fetchall()
        return [Gap(r[0], int(r[1]), r[2]) for r in rows]

    async def drop_gap(self, guild_id: str, text: str) -> None:
        """Forget one gap (once it has been answered)."""
        await self.db.execute("DELETE FROM gaps WHERE guild_id = ? AND text = ?", (guild_id, text))
        await self.db.commit()


def _change(row: Any) -> Change:
    return Change(
        row[0],
        row[1],
        int(row[2]),
        row[3],
        row[4],
        row[5],
        json.loads(row[6]) if row[6] else None,
        json.loads(row[7]) if row[7] else None,
    )
