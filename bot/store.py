"""Server entries on disk, layered over the shared knowledge, and every change to them.

Each server's entries live in `data_dir/guilds/<id>/faq.yaml`, in the knowledge format. Owners'
edits to the shared knowledge are written back to the knowledge directory. Every change:
validated with the same rules as `steward check` (nothing written on failure), made under one
lock per scope, written atomically, recorded in the history database, and live in the matcher
at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from bot.answers import Engine, load_engine
from bot.atomic import write_atomic
from bot.heap import collector_paused, resettle
from bot.i18n import t
from bot.knowledge import (
    MAX_ID,
    MAX_KNOWLEDGE_FILE_BYTES,
    Entry,
    NotUtf8Error,
    Problem,
    _Collector,
    parse_entries,
    parse_entry,
    read_text,
    validate_entries,
)
from bot.records import Records
from bot.text import basic_tokens, phrasing_key
from bot.worker import EngineWorker, warm_up
from bot.yamlsafe import MAX_YAML_BYTES, SURROGATE_PROBLEM, UNPAIRED_SURROGATE, LineDict, dump_yaml

log = logging.getLogger("steward.store")

SHARED = "shared"
MAX_IMPORT_ENTRIES = 500
OWNER_FILE = "owner-added.yaml"

T = TypeVar("T")


class StoreError(Exception):
    """A change was refused; `problems` lists why. Nothing was written.

    `key` and `values` name the refusal's message in `bot.i18n`; `str()` is the English text.
    """

    def __init__(self, key: str, problems: Iterable[Problem | str] = (), **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values
        self.problems = [str(p) for p in problems]

    def message(self, lang: str = "en") -> str:
        """The refusal in `lang` (as a sentence), then every problem line as the checker
        wrote it."""
        said = t(self.key, lang, **self.values)
        return "\n".join([said[:1].upper() + said[1:], *self.problems])

    def __str__(self) -> str:
        return self.message()


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do, shown before it is confirmed."""

    scope: str
    entries: tuple[Entry, ...]
    added: tuple[str, ...]
    changed: tuple[str, ...]
    unchanged: tuple[str, ...]
    base: str  # fingerprint of the scope when the plan was made


def fingerprint(entry: Entry | None) -> str:
    """A short hash of an entry's content, to detect edits made from a stale form."""
    if entry is None:
        return "none"
    blob = json.dumps(entry.to_yaml(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def slugify(text: str, taken: Iterable[str]) -> str:
    """An unused entry id made from the question's words."""
    words = [w for w in basic_tokens(text) if re.fullmatch(r"[a-z0-9]+", w)][:8]
    base = "-".join(words)[: MAX_ID - 4].strip("-") or "entry"
    taken = set(taken)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


# a link source in the form: the URL, a title, and a quote in quotation marks after " | " (a
# title may hold " | " itself: "Minutes | SBWU")
_LINK_LINE = re.compile(r'(https?://\S+)(?:\s+(.*?))??(?:\s+\|\s+["“](.*)["”])?\s*$')


def form_to_data(
    entry_id: str, question: str, alternates: str, answer: str, sources: str, note: str = ""
) -> LineDict:
    """The modal's text fields as an entry mapping (a source per line: "source-id | quote",
    or 'URL [title] [| "quote"]')."""
    data = LineDict()
    data.line = 1
    data["id"] = entry_id
    data["question"] = question
    alts = [a.strip() for a in alternates.splitlines() if a.strip()]
    if alts:
        data["alternates"] = alts
    data["answer"] = answer
    refs: list[Any] = []
    for line in sources.splitlines():
        line = line.strip()
        if not line:
            continue
        ref = LineDict()
        ref.line = 1
        if link := _LINK_LINE.match(line):
            url, title, quote = link.groups()
            ref["url"] = url
            if title:
                ref["title"] = title
            if quote:
                ref["quote"] = quote
        else:
            source, sep, quote = line.partition("|")
            ref["source"] = source.strip()
            if sep:
                ref["quote"] = quote.strip().strip('"“”')
        refs.append(ref)
    data["sources"] = refs
    if note.strip():
        data["note"] = note
    return data


def entry_to_form(entry: Entry) -> dict[str, str]:
    """An entry as the modal's text fields (for /faq edit)."""
    lines = []
    for c in entry.sources:
        link = f"{c.url} {c.title or ''}".strip()
        quote = f' | "{c.quote}"' if c.quote else ""
        lines.append(f"{link}{quote}" if c.url else f"{c.source} | {c.quote}")
    return {
        "question": entry.question,
        "alternates": "\n".join(entry.alternates),
        "answer": entry.answer,
        "sources": "\n".join(lines),
        "note": entry.note or "",
    }


class GuildStore:
    """Reads and changes server entries (and, for owners, the shared knowledge).

    `engine` is the one reference to the serving engine (a reload swaps it). With a `worker`
    (the bot), validation and index updates run on it, off the event loop; without one (the
    CLI, tests of the core) they run inline.
    """

    def __init__(
        self,
        data_dir: Path,
        engine: Engine,
        records: Records | None = None,
        worker: EngineWorker | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.engine = engine
        self.records = records
        self.worker = worker
        self._locks: dict[str, asyncio.Lock] = {}
        # servers whose file could not be loaded: not served, and never written over
        self.unloaded: dict[str, StoreError] = {}

    async def quiesce(self) -> None:
        """Wait for the changes in progress (each holds its scope's lock), so their history
        is recorded before the database closes."""
        for lock in list(self._locks.values()):
            async with lock:
                pass

    async def _off_loop(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` on the worker, or inline without one."""
        if self.worker is None:
            return fn(*args)
        return await self.worker.run(fn, *args)

    # -- paths and loading ----------------------------------------------------------------

    def path(self, guild: str) -> Path:
        """The server's FAQ file."""
        return self.data_dir / "guilds" / guild / "faq.yaml"

    def lock(self, scope: str) -> asyncio.Lock:
        """The one lock for a scope ("shared" or a server id)."""
        return self._locks.setdefault(scope, asyncio.Lock())

    def load_guild(self, guild: str) -> None:
        """Load a server's entries into the engine (none when it has no file)."""
        path = self.path(guild)
        if not path.exists():
            return
        try:
            text = read_text(path)
        except NotUtf8Error as exc:
            raise StoreError(
                "store_guild_invalid", [Problem(str(path), exc.line, str(exc))], guild=guild
            ) from None
        except OSError as exc:
            problem = Problem(str(path), 0, f"cannot be read: {exc.strerror}")
            raise StoreError("store_guild_invalid", [problem], guild=guild) from None
        entries, problems = parse_entries(text, str(path), guild)
        problems += self._validate(guild, entries, replacing=[e.id for e in entries])
        if problems:
            raise StoreError("store_guild_invalid", problems, guild=guild)
        self.engine.replace_guild(guild, entries)

    def load_all(self) -> None:
        """Load every server's entries; a server whose file cannot be loaded is logged, kept in
        `unloaded` (its moderators are told on their next /faq) and its file left as it is."""
        for guild in self.guild_ids():
            try:
                self.load_guild(guild)
            except StoreError as exc:
                self.unloaded[guild] = exc
                log.error("not serving server %s's entries: %s", guild, exc)

    def guild_ids(self) -> list[str]:
        """The servers that have a folder in the data directory."""
        root = self.data_dir / "guilds"
        return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []

    def retry_unloaded(self, guild: str) -> StoreError | None:
        """For its moderators: why a server's file is still not served, after loading it again
        (None: it is served)."""
        if guild not in self.unloaded:
            return None
        try:
            self.load_guild(guild)
        except StoreError as exc:
            self.unloaded[guild] = exc
            return self._unloaded_refusal(guild)
        del self.unloaded[guild]
        log.info("serving server %s's entries again", guild)
        return None

    def _unloaded_refusal(self, guild: str) -> StoreError:
        return StoreError("store_guild_unloaded", self.unloaded[guild].problems, guild=guild)

    # -- validation -----------------------------------------------------------------------

    def _visible_phrasings(self, scope: str, skip: set[str]) -> dict[str, str]:
        """Phrasing keys already used in the scope's view, except on entries in `skip`."""
        out: dict[str, str] = {}
        pool = self.engine.entries(None if scope == SHARED else scope)
        for e in pool:
            if e.id in skip and (scope == SHARED or e.origin == scope):
                continue
            for _lang, _text, key in e.keyed_phrasings:
                out.setdefault(key, e.id)
        return out

    def _validate(
        self, scope: str, entries: list[Entry], replacing: Iterable[str]
    ) -> list[Problem]:
        """Check `entries` as they would stand in `scope`, replacing the ids in `replacing`."""
        skip = set(replacing)
        if scope == SHARED:
            known = [e.id for e in self.engine.kb.entries.values() if e.id not in skip]
        else:
            known = [
                e.id for e in self.engine.entries(scope) if e.id not in skip or e.origin == SHARED
            ]
        return validate_entries(
            entries,
            self.engine.kb.sources,
            known_ids=known,
            taken_phrasings=self._visible_phrasings(scope, skip),
        )

    def parse_form(self, scope: str, data: LineDict, *, editing: Entry | None = None) -> Entry:
        """Build and validate an entry from form data; `StoreError` lists every problem."""
        col = _Collector("form")
        if editing is not None and editing.translations:
            data["translations"] = _translations_data(editing)
        entry = _parse_typed_entry(col, data, scope)
        if entry is not None and editing is not None:
            entry = replace(entry, related=editing.related, tags=editing.tags)
        return self._checked(
            scope,
            entry,
            col,
            "store_entry_not_saved",
            replacing=[entry.id] if entry and editing else [],
        )

    def _checked(
        self, scope: str, entry: Entry | None, col: _Collector, refusal: str, replacing: list[str]
    ) -> Entry:
        """The entry, or `StoreError(refusal)` with its own and its cross-entry problems."""
        problems = list(col.problems)
        if entry is not None:
            problems += self._validate(scope, [entry], replacing=replacing)
        if entry is None or problems:
            raise StoreError(refusal, problems)
        return entry

    # -- writing --------------------------------------------------------------------------

    def _scope_entries(self, scope: str) -> list[Entry]:
        if scope == SHARED:
            return list(self.engine.kb.entries.values())
        return self.engine.guild_entries(scope)

    async def _file_text(self, scope: str, entries: list[Entry], path: Path) -> str:
        """The file holding `entries`, read back as the loader will read it: a change that
        would leave a file Steward cannot load (or a server file it could not load) is refused."""
        if scope in self.unloaded:
            raise self._unloaded_refusal(scope)
        limit = MAX_KNOWLEDGE_FILE_BYTES if scope == SHARED else MAX_YAML_BYTES
        text, (parsed, problems) = await asyncio.to_thread(_read_back, entries, path, scope, limit)
        if scope != SHARED and not problems:  # the whole server, as `load_guild` checks it
            current = [e.id for e in self.engine.guild_entries(scope)]
            problems = self._validate(scope, parsed, replacing=current + [e.id for e in parsed])
        if problems:
            raise StoreError("store_would_not_load", problems)
        return text

    def _shared_problems(self, entries: list[Entry], touched: list[Entry]) -> list[Problem]:
        """What the loader would find wrong after a change to the shared knowledge, checked on
        the entries the change can affect: the changed ones (with the Spanish text the loader
        requires), and the shared or server entries related to an entry it removes."""
        ids = {e.id for e in entries}
        changed = {e.id for e in touched}
        check = [e for e in entries if e.id in changed or not ids.issuperset(e.related)]
        problems = validate_entries(
            check,
            self.engine.kb.sources,
            known_ids=ids - {e.id for e in check},
            require_translations=True,
        )
        if removed := changed - ids:
            for guild in self.guild_ids():
                own = self.engine.guild_entries(guild)
                mine = {e.id for e in own}
                orphans = [e for e in own if (removed - mine) & set(e.related)]
                problems += validate_entries(
                    orphans,
                    self.engine.kb.sources,
                    known_ids=(ids | mine) - {e.id for e in orphans},
                )
        return problems

    async def _write_scope(
        self, scope: str, entries: list[Entry], touched: Iterable[Entry]
    ) -> None:
        """Write the files a change touches (atomically), off the event loop."""
        if scope != SHARED:
            text = await self._file_text(scope, entries, self.path(scope))
            await asyncio.to_thread(write_atomic, self.path(scope), text)
            return
        touched = list(touched)
        if problems := self._shared_problems(entries, touched):
            raise StoreError("store_would_not_load", problems)
        root = self.engine.kb.root / "faq"
        files = {Path(e.path).name if e.path else OWNER_FILE for e in touched}
        texts = {}
        for name in files:
            in_file = [e for e in entries if (Path(e.path).name if e.path else OWNER_FILE) == name]
            texts[name] = await self._file_text(scope, in_file, root / name)
        for name, text in texts.items():
            await asyncio.to_thread(write_atomic, root / name, text)

    async def _commit(
        self, scope: str, action: str, actor: int | None, before: Entry | None, after: Entry | None
    ) -> int:
        """Apply one entry change: file, index, history. Caller holds the scope's lock."""
        entries = self._scope_entries(scope)
        key = (after or before).id  # type: ignore[union-attr]
        if after is not None and scope == SHARED and not after.path:
            after = replace(after, path=str(self.engine.kb.root / "faq" / OWNER_FILE))
        new_list = [e for e in entries if e.id != key]
        if after is not None:
            index = next((i for i, e in enumerate(entries) if e.id == key), len(new_list))
            new_list.insert(index, after)
        touched = [e for e in (before, after) if e is not None]
        await self._write_scope(scope, new_list, touched)
        owner = None if scope == SHARED else scope
        if after is None:
            await self._off_loop(lambda: self.engine.drop(key, owner))
        else:
            await self._off_loop(lambda: self.engine.put(after, owner))
        if self.records is None:
            return 0
        return await self.records.record_change(
            scope,
            key,
            action,
            actor,
            before.to_yaml() if before else None,
            after.to_yaml() if after else None,
        )

    def _own(self, scope: str, entry_id: str) -> Entry:
        entry = self.engine.entry(entry_id, None if scope == SHARED else scope)
        if entry is None or (scope != SHARED and entry.origin != scope):
            key = "store_no_entry_shared" if scope == SHARED else "store_no_entry_server"
            raise StoreError(key, entry_id=entry_id)
        return entry

    async def add(self, scope: str, data: LineDict, actor: int | None) -> Entry:
        """Add a new entry from form data; its id is made from the question when missing."""
        async with self.lock(scope):
            if not data.get("id"):
                taken = [e.id for e in self.engine.entries(None if scope == SHARED else scope)]
                data["id"] = slugify(str(data.get("question") or ""), taken)
            entry = await self._off_loop(self.parse_form, scope, data)
            await self._commit(scope, "add", actor, None, entry)
            return entry

    async def edit(
        self, scope: str, entry_id: str, data: LineDict, actor: int | None, expected: str
    ) -> Entry:
        """Replace an entry from form data, refusing when it changed since the form opened."""
        async with self.lock(scope):
            before = self._own(scope, entry_id)
            if fingerprint(before) != expected:
                raise StoreError("store_stale_edit", entry_id=entry_id)
            data["id"] = entry_id
            entry = await self._off_loop(
                lambda: replace(self.parse_form(scope, data, editing=before), path=before.path)
            )
            await self._commit(scope, "edit", actor, before, entry)
            return entry

    async def set_translation(
        self,
        scope: str,
        entry_id: str,
        lang: str,
        fields: dict[str, str],
        actor: int | None,
        expected: str,
    ) -> Entry:
        """Add or replace an entry's text in another language."""
        async with self.lock(scope):
            before = self._own(scope, entry_id)
            if fingerprint(before) != expected:
                raise StoreError("store_stale_translation", entry_id=entry_id)
            data = _entry_data(before)
            body = LineDict()
            body.line = 1
            body["question"] = fields.get("question", "")
            alts = [a.strip() for a in fields.get("alternates", "").splitlines() if a.strip()]
            if alts:
                body["alternates"] = alts
            body["answer"] = fields.get("answer", "")
            if fields.get("note", "").strip():
                body["note"] = fields["note"]
            translations = LineDict()
            translations.line = 1
            for other, tr in before.translations.items():
                if other != lang:
                    translations[other] = _as_linedict(tr.to_yaml())
            translations[lang] = body
            data["translations"] = translations
            return await self._update(
                scope, before, data, "translate", actor, "store_translation_not_saved"
            )

    async def _update(
        self,
        scope: str,
        before: Entry,
        data: LineDict,
        action: str,
        actor: int | None,
        refusal: str,
    ) -> Entry:
        """Replace `before` with the entry in `data` (checked, kept in the same file).

        The caller holds the scope's lock."""
        col = _Collector(action)
        parsed = _parse_typed_entry(col, data, scope)
        entry = await self._off_loop(
            self._checked,
            scope,
            parsed and replace(parsed, path=before.path),
            col,
            refusal,
            [before.id],
        )
        await self._commit(scope, action, actor, before, entry)
        return entry

    async def remove(self, scope: str, entry_id: str, actor: int | None) -> Entry:
        """Remove an entry."""
        async with self.lock(scope):
            before = self._own(scope, entry_id)
            await self._commit(scope, "remove", actor, before, None)
            return before

    async def alias(self, scope: str, entry_id: str, phrasing: str, actor: int | None) -> Entry:
        """Add an alternate phrasing to an entry."""
        async with self.lock(scope):
            before = self._own(scope, entry_id)
            if phrasing_key(phrasing) in {phrasing_key(p) for _lang, p in before.phrasings()}:
                raise StoreError("store_phrasing_exists", entry_id=entry_id)
            data = _entry_data(before)
            data["alternates"] = [*before.alternates, phrasing.strip()]
            return await self._update(
                scope, before, data, "alias", actor, "store_phrasing_not_added"
            )

    async def revert(
        self, scope: str, entry_id: str, version: int, actor: int | None
    ) -> Entry | None:
        """Restore an entry to how it was right after change `version` (None: it was removed)."""
        if self.records is None:
            raise StoreError("store_no_history")
        async with self.lock(scope):
            changes = {c.version: c for c in await self.records.history(scope, entry_id)}
            change = changes.get(version)
            if change is None:
                if changes:
                    raise StoreError(
                        "store_no_version_range",
                        entry_id=entry_id,
                        version=version,
                        last=max(changes),
                    )
                raise StoreError("store_no_version", entry_id=entry_id, version=version)
            current = self.engine.entry(entry_id, None if scope == SHARED else scope)
            if current is not None and scope != SHARED and current.origin != scope:
                current = None
            if change.after is None:
                if current is None:
                    raise StoreError("store_already_removed", entry_id=entry_id)
                await self._commit(scope, "revert", actor, current, None)
                return None
            data = _as_linedict(change.after)
            col = _Collector(f"version {version}")
            parsed = _parse_typed_entry(col, data, scope)
            if parsed is not None and current is not None:
                parsed = replace(parsed, path=current.path)
            entry = await self._off_loop(
                self._checked, scope, parsed, col, "store_version_unrestorable", [entry_id]
            )
            await self._commit(scope, "revert", actor, current, entry)
            return entry

    # -- import and export ----------------------------------------------------------------

    def export(self, scope: str) -> str:
        """The scope's entries as a YAML file."""
        return dump_yaml([e.to_yaml() for e in self._scope_entries(scope)])

    def plan_import(self, scope: str, text: str) -> ImportPlan:
        """Validate an uploaded file merged into the scope's entries (the file's entries are
        added or replace those with their ids; the others stay); nothing is written."""
        entries, problems = parse_entries(text, "upload", scope)
        if problems:
            raise StoreError("store_not_imported", problems)
        if not entries:
            raise StoreError("store_import_empty")
        if len(entries) > MAX_IMPORT_ENTRIES:
            raise StoreError("store_too_many_entries", count=len(entries), limit=MAX_IMPORT_ENTRIES)
        current = {e.id: e for e in self._scope_entries(scope)}
        incoming = {e.id: e for e in entries}
        merged = [incoming.pop(i, e) for i, e in current.items()] + list(incoming.values())
        problems = self._validate(scope, merged, replacing=list(current))
        if problems:
            raise StoreError("store_not_imported", problems)
        added = tuple(e.id for e in entries if e.id not in current)
        changed = tuple(
            e.id
            for e in entries
            if e.id in current
            and fingerprint(current[e.id]) != fingerprint(_same_home(e, current[e.id]))
        )
        unchanged = tuple(e.id for e in entries if e.id in current and e.id not in changed)
        return ImportPlan(
            scope,
            tuple(merged),
            added,
            changed,
            unchanged,
            self._scope_fingerprint(scope),
        )

    def _scope_fingerprint(self, scope: str) -> str:
        blob = "|".join(f"{e.id}:{fingerprint(e)}" for e in self._scope_entries(scope))
        return hashlib.sha256(blob.encode()).hexdigest()[:12]

    async def apply_import(self, plan: ImportPlan, actor: int | None) -> None:
        """Apply a confirmed plan, unless the scope changed since it was made."""
        scope = plan.scope
        if scope == SHARED:
            raise StoreError("store_shared_import")
        async with self.lock(scope):
            if self._scope_fingerprint(scope) != plan.base:
                raise StoreError("store_import_stale")
            current = {e.id: e for e in self._scope_entries(scope)}
            text = await self._file_text(scope, list(plan.entries), self.path(scope))
            await asyncio.to_thread(write_atomic, self.path(scope), text)
            await self._off_loop(lambda: self.engine.replace_guild(scope, plan.entries))
            if self.records is not None:
                for e in plan.entries:
                    if e.id in plan.added or e.id in plan.changed:
                        before = current.get(e.id)
                        await self.records.record_change(
                            scope,
                            e.id,
                            "import",
                            actor,
                            before.to_yaml() if before else None,
                            e.to_yaml(),
                        )

    # -- shared knowledge -----------------------------------------------------------------

    async def reload_shared(self) -> int:
        """Reload the shared knowledge from disk; an invalid directory is refused.

        A new engine is built beside the serving one (on the worker) with every server's
        entries, then swapped in as one reference: questions never see a half-built index.
        """
        async with self.lock(SHARED):
            return await self._off_loop(self._rebuild_shared)

    def _rebuild_shared(self) -> int:
        old = self.engine
        with collector_paused():  # one bulk build, settled before the collector resumes
            index = old.matcher.semantic
            fresh, problems = load_engine(
                old.kb.root,
                semantic=index is not None,
                background=True,
                vectors=index.cache if index else None,
            )
            if problems:
                raise StoreError("store_knowledge_invalid", problems)
            for guild in old.guilds():
                fresh.replace_guild(guild, old.guild_entries(guild))
            warm_up(fresh)
            self.engine = fresh
            resettle()
        return len(fresh.kb.entries)


def _read_back(
    entries: list[Entry], path: Path, scope: str, limit: int
) -> tuple[str, tuple[list[Entry], list[Problem]]]:
    """The file text for `entries`, and what the loader makes of it (entries are immutable, so
    this runs off the event loop)."""
    text = dump_yaml([e.to_yaml() for e in entries])
    return text, parse_entries(text, str(path), scope, max_bytes=limit)


def _parse_typed_entry(col: _Collector, data: LineDict, scope: str) -> Entry | None:
    """An entry from what someone typed (a form, a phrasing, a stored version): text that no
    file can hold is refused here, naming the field, before it could be saved."""
    bad = [key for key, value in data.items() if _holds_surrogate(value)]
    for key in bad:
        col.add(data.line_of(key), f"'{key}' {SURROGATE_PROBLEM}")
    return None if bad else parse_entry(col, data, 1, scope)


def _holds_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return UNPAIRED_SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_holds_surrogate(k) or _holds_surrogate(v) for k, v in value.items())
    return isinstance(value, list) and any(_holds_surrogate(v) for v in value)


def _same_home(new: Entry, old: Entry) -> Entry:
    return replace(new, path=old.path, line=old.line)


def _as_linedict(value: Any) -> Any:
    """Plain data (from JSON) as the loader's line-aware mappings."""
    if isinstance(value, dict):
        out = LineDict()
        out.line = 1
        for k, v in value.items():
            out[k] = _as_linedict(v)
        return out
    if isinstance(value, list):
        return [_as_linedict(v) for v in value]
    return value


def _entry_data(entry: Entry) -> LineDict:
    return _as_linedict(entry.to_yaml())


def _translations_data(entry: Entry) -> LineDict:
    return _as_linedict({k: v.to_yaml() for k, v in entry.translations.items()})
