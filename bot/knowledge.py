"""The knowledge base: sources, FAQ entries and their validation (`steward check`).

Everything here is plain Python. Entries are parsed from YAML into typed objects; every problem is
collected as a `Problem` with a file and line, so a moderator or a maintainer sees all of them at
once, and nothing is used until there are none.
"""

from __future__ import annotations

import bisect
import codecs
import itertools
import os
import pickle
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from bot.heap import collector_paused
from bot.text import Lexicon, basic_tokens, fold_quote, phrasing_key
from bot.yamlsafe import MAX_YAML_BYTES, LineDict, YamlError, load_yaml

LANGUAGES = ("en", "es")
TRANSLATED = ("es",)
# Used with `fullmatch` only: `$` also matches before a final newline ("an-id\n").
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# an http(s) link to a named host: no user part ("https://@everyone"), and nothing that would end
# a Markdown link early or open another one (whitespace, quotes, angle or square brackets, `)
URL_PATTERN = re.compile(
    r"https?://[^\s/?#@:<>\"\[\]`]+\.[^\s/?#@:<>\"\[\]`]+(?::\d{1,5})?(?:[/?#][^\s<>\"\[\]`]*)?"
)
MAX_ID = 64
MAX_QUESTION = 150
MAX_ANSWER = 1000
MAX_NOTE = 600
MAX_QUOTE = 500
MAX_ALTERNATES = 40
MAX_TAGS = 10
# the tag of an entry whose question the sources do not answer ("Did Biden cut off Amazon's
# contracts?"): Steward declines it, points to the related entries, and counts it as a gap
SILENT_TAG = "not-in-sources"
MAX_KNOWLEDGE_FILE_BYTES = 50_000_000  # the maintainers' own files; uploads keep the 1 MB limit
# Below this much FAQ YAML, starting a worker process costs more than it saves (the shipped
# knowledge is about 0.3 MB; the 10,000-entry benchmark 6-7 MB).
PARALLEL_PARSE_BYTES = 4_000_000

ENTRY_KEYS = frozenset(
    {"id", "question", "alternates", "answer", "sources", "note", "related", "tags", "translations"}
)
TRANSLATION_KEYS = frozenset({"question", "alternates", "answer", "note"})
SOURCE_KEYS = frozenset({"id", "title", "outlet", "url", "file", "published", "kind", "note"})


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge, reported as `path:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class NotUtf8Error(ValueError):
    """A file that is not UTF-8 text; `line` is where the first bad byte is (1-based)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def read_text(path: Path) -> str:
    """A file's text, which must be UTF-8 (`NotUtf8Error` says where it is not)."""
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise NotUtf8Error("the file is UTF-16, not UTF-8: save it as UTF-8", 1)
    # UTF-16 without a byte-order mark decodes as UTF-8 full of NUL characters
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise NotUtf8Error("the file holds NUL bytes (UTF-16?), not UTF-8 text", line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise NotUtf8Error(
            f"the file is not UTF-8 (byte 0x{data[exc.start]:02x}): save it as UTF-8", line
        ) from None


@dataclass(frozen=True)
class Source:
    """A document in the catalogue, with its full text for quote checks."""

    id: str
    title: str
    outlet: str
    url: str
    file: str
    published: str
    kind: str
    note: str | None
    text: str = field(repr=False, default="")

    @cached_property
    def folded_text(self) -> str:
        """The text with whitespace and typographic quotes folded (computed once)."""
        return fold_quote(self.text)


@dataclass(frozen=True)
class Citation:
    """An entry's reference: a catalogued source with a verbatim quote, or a bare URL."""

    source: str | None = None
    quote: str | None = None
    url: str | None = None
    title: str | None = None
    line: int | None = field(default=None, compare=False)  # where it was read, for problems

    def to_yaml(self) -> dict[str, str]:
        """The citation as it is written in a FAQ file."""
        data = {"source": self.source, "quote": self.quote, "url": self.url, "title": self.title}
        return {k: v for k, v in data.items() if v}


@dataclass(frozen=True)
class Translation:
    """An entry's text in another language."""

    question: str
    answer: str
    alternates: tuple[str, ...] = ()
    note: str | None = None

    def to_yaml(self) -> dict[str, Any]:
        """The translation as it is written in a FAQ file."""
        data: dict[str, Any] = {"question": self.question}
        if self.alternates:
            data["alternates"] = list(self.alternates)
        data["answer"] = self.answer
        if self.note:
            data["note"] = self.note
        return data


@dataclass(frozen=True)
class Entry:
    """One FAQ entry. `origin` is "shared" or the id of the server that owns it."""

    id: str
    question: str
    answer: str
    sources: tuple[Citation, ...]
    alternates: tuple[str, ...] = ()
    note: str | None = None
    related: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    translations: Mapping[str, Translation] = field(default_factory=dict)
    origin: str = "shared"
    path: str = ""
    line: int = 0

    def text(self, lang: str) -> tuple[str, str, str | None]:
        """Question, answer and note in `lang`, falling back to English."""
        tr = self.translations.get(lang)
        if tr is None:
            return self.question, self.answer, self.note
        return tr.question, tr.answer, tr.note if tr.note else None

    @property
    def silent(self) -> bool:
        """Whether this entry records a question the sources do not answer (`SILENT_TAG`)."""
        return SILENT_TAG in self.tags

    def phrasings(self) -> list[tuple[str, str]]:
        """Every (language, phrasing) the matcher indexes for this entry."""
        out = [("en", self.question), *(("en", a) for a in self.alternates)]
        for lang, tr in self.translations.items():
            out += [(lang, tr.question), *((lang, a) for a in tr.alternates)]
        return out

    @cached_property
    def keyed_phrasings(self) -> tuple[tuple[str, str, str], ...]:
        """Every (language, phrasing, `phrasing_key`), tokenised once for checks and index."""
        return tuple((lang, text, phrasing_key(text)) for lang, text in self.phrasings())

    def to_yaml(self) -> dict[str, Any]:
        """The entry as it is written in a FAQ file (the export format)."""
        data: dict[str, Any] = {"id": self.id, "question": self.question}
        if self.alternates:
            data["alternates"] = list(self.alternates)
        data["answer"] = self.answer
        data["sources"] = [c.to_yaml() for c in self.sources]
        if self.note:
            data["note"] = self.note
        if self.related:
            data["related"] = list(self.related)
        if self.tags:
            data["tags"] = list(self.tags)
        if self.translations:
            data["translations"] = {k: v.to_yaml() for k, v in self.translations.items()}
        return data


@dataclass
class KnowledgeBase:
    """The shared knowledge: source catalogue, entries in file order, and the lexicon."""

    root: Path
    sources: dict[str, Source]
    entries: dict[str, Entry]
    lexicon: Lexicon


class _Collector:
    """Gathers problems for one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def text(self, data: LineDict, key: str, limit: int, *, required: bool) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.add(data.line, f"missing field '{key}'")
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(data.line_of(key), f"'{key}' must be non-empty text")
            return None
        value = value.strip()
        if len(value) > limit:
            self.add(data.line_of(key), f"'{key}' is {len(value)} characters; the limit is {limit}")
        return value

    def text_list(self, data: LineDict, key: str, limit: int, most: int) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        line = data.line_of(key)
        if not isinstance(value, list):
            self.add(line, f"'{key}' must be a list")
            return ()
        out: list[str] = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                self.add(line, f"'{key}' items must be non-empty text, not {item!r}")
            elif len(item.strip()) > limit:
                self.add(line, f"an item of '{key}' is over {limit} characters: {item[:40]!r}...")
            else:
                out.append(item.strip())
        if len(out) > most:
            self.add(line, f"'{key}' has {len(out)} items; the limit is {most}")
        return tuple(out)

    def unknown_keys(self, data: LineDict, allowed: Iterable[str], what: str) -> None:
        for key in data:
            if key not in allowed:
                self.add(data.line_of(key), f"unknown key '{key}' in {what}")


def _parse_citation(col: _Collector, raw: Any, line: int) -> Citation | None:
    if not isinstance(raw, LineDict):
        col.add(line, "each source must be a mapping with 'source' and 'quote', or 'url'")
        return None
    col.unknown_keys(raw, ("source", "quote", "url", "title"), "a source reference")
    source, quote, url = raw.get("source"), raw.get("quote"), raw.get("url")
    title = raw.get("title")
    if url is not None:
        if source is not None:
            col.add(raw.line, "a source reference has either 'source' or 'url', not both")
            return None
        if not isinstance(url, str) or not URL_PATTERN.fullmatch(url.strip()):
            col.add(raw.line_of("url"), f"'url' must be an http(s) link, not {url!r}")
            return None
        if quote is not None and (not isinstance(quote, str) or len(quote) > MAX_QUOTE):
            col.add(raw.line_of("quote"), f"'quote' must be text of at most {MAX_QUOTE} characters")
            return None
        return Citation(
            url=url.strip(),
            title=title if isinstance(title, str) else None,
            quote=quote.strip() if isinstance(quote, str) else None,
            line=raw.line,
        )
    if not isinstance(source, str) or not source.strip():
        col.add(raw.line, "a source reference needs 'source' (a source id) or 'url'")
        return None
    if not isinstance(quote, str) or not quote.strip():
        col.add(raw.line_of("quote"), f"source '{source}' needs a 'quote' from its text")
        return None
    if len(quote) > MAX_QUOTE:
        col.add(raw.line_of("quote"), f"quote is {len(quote)} characters; the limit is {MAX_QUOTE}")
    return Citation(source=source.strip(), quote=quote.strip(), line=raw.line_of("quote"))


def _parse_translations(col: _Collector, data: LineDict) -> dict[str, Translation]:
    raw = data.get("translations")
    if raw is None:
        return {}
    if not isinstance(raw, LineDict):
        col.add(data.line_of("translations"), "'translations' must be a mapping of language codes")
        return {}
    out: dict[str, Translation] = {}
    for lang, body in raw.items():
        if lang not in TRANSLATED:
            col.add(
                raw.line_of(lang), f"unknown language '{lang}' (supported: {', '.join(TRANSLATED)})"
            )
            continue
        if not isinstance(body, LineDict):
            col.add(raw.line_of(lang), f"translation '{lang}' must be a mapping")
            continue
        col.unknown_keys(body, TRANSLATION_KEYS, f"translation '{lang}'")
        question = col.text(body, "question", MAX_QUESTION, required=True)
        answer = col.text(body, "answer", MAX_ANSWER, required=True)
        note = col.text(body, "note", MAX_NOTE, required=False)
        alternates = col.text_list(body, "alternates", MAX_QUESTION, MAX_ALTERNATES)
        if question and answer:
            out[lang] = Translation(question, answer, alternates, note)
    return out


def parse_entry(col: _Collector, data: Any, line: int, origin: str) -> Entry | None:
    """Build one entry from parsed YAML, adding every problem found to `col`."""
    if not isinstance(data, LineDict):
        col.add(line, "each entry must be a mapping")
        return None
    col.unknown_keys(data, ENTRY_KEYS, "an entry")
    entry_id = data.get("id")
    if entry_id is None:
        col.add(data.line, "missing field 'id'")
    elif (
        not isinstance(entry_id, str)
        or not ID_PATTERN.fullmatch(entry_id)
        or len(entry_id) > MAX_ID
    ):
        col.add(
            data.line_of("id"),
            f"bad id {entry_id!r}: use lowercase letters, digits and hyphens "
            f"(at most {MAX_ID} characters)",
        )
        entry_id = None
    question = col.text(data, "question", MAX_QUESTION, required=True)
    answer = col.text(data, "answer", MAX_ANSWER, required=True)
    note = col.text(data, "note", MAX_NOTE, required=False)
    alternates = col.text_list(data, "alternates", MAX_QUESTION, MAX_ALTERNATES)
    related = col.text_list(data, "related", MAX_ID, MAX_TAGS)
    tags = col.text_list(data, "tags", MAX_ID, MAX_TAGS)
    citations: list[Citation] = []
    raw_sources = data.get("sources")
    if raw_sources is None:
        col.add(data.line, "missing field 'sources' (at least one source is required)")
    elif not isinstance(raw_sources, list) or not raw_sources:
        col.add(data.line_of("sources"), "'sources' must be a non-empty list")
    else:
        for raw in raw_sources:
            cit = _parse_citation(col, raw, data.line_of("sources"))
            if cit:
                citations.append(cit)
    translations = _parse_translations(col, data)
    # An entry with other problems is still returned so cross-entry checks can report theirs
    # too; callers use nothing while any problem remains.
    if not (entry_id and question and answer):
        return None
    return Entry(
        id=entry_id,
        question=question,
        answer=answer,
        sources=tuple(citations),
        alternates=alternates,
        note=note,
        related=related,
        tags=tags,
        translations=translations,
        origin=origin,
        path=col.path,
        line=data.line,
    )


def parse_entries(
    text: str, path: str, origin: str = "shared", max_bytes: int = MAX_YAML_BYTES
) -> tuple[list[Entry], list[Problem]]:
    """Parse a FAQ file's text; every problem is returned with the entries."""
    col = _Collector(path)
    try:
        data = load_yaml(text, max_bytes=max_bytes)
    except YamlError as exc:
        col.add(exc.line, str(exc))
        return [], col.problems
    if data is None:
        return [], []
    return parse_entry_list(data, path, origin)


def parse_entry_list(
    data: Any, path: str, origin: str = "shared"
) -> tuple[list[Entry], list[Problem]]:
    """Entries from already parsed YAML (a list of mappings), with every problem."""
    col = _Collector(path)
    if not isinstance(data, list):
        col.add(getattr(data, "line", 1), "a FAQ file must be a YAML list of entries")
        return [], col.problems
    entries = [
        e for item in data if (e := parse_entry(col, item, getattr(item, "line", 1), origin))
    ]
    return entries, col.problems


def validate_entries(
    entries: Iterable[Entry],
    sources: Mapping[str, Source],
    *,
    known_ids: Iterable[str] = (),
    taken_phrasings: Mapping[str, str] | None = None,
    require_translations: bool = False,
    check_sources: bool = True,
) -> list[Problem]:
    """Cross-entry checks: ids, sources, quotes, related ids and one phrasing per entry.

    `known_ids` are ids that exist elsewhere (shared entries seen from a server) and may be
    related to but not reused; `taken_phrasings` maps phrasing keys already used to their entry.
    Without `check_sources` (a catalogue that could not be read is its own problem) citations
    are not checked against it.
    """
    entries = list(entries)
    problems: list[Problem] = []
    outside = set(known_ids)
    seen: dict[str, Entry] = {}
    phrasings: dict[str, str] = dict(taken_phrasings or {})
    for e in entries:
        if e.id in seen or e.id in outside:
            where = seen.get(e.id)
            also = f" (also at {where.path}:{where.line})" if where else " (already in use)"
            problems.append(Problem(e.path, e.line, f"duplicate id '{e.id}'{also}"))
        seen.setdefault(e.id, e)
    all_ids = outside | set(seen)
    for e in entries:
        unknown: set[str] = set()  # each unknown source once per entry
        for cit in e.sources:
            if cit.source is None or not check_sources:
                continue
            src = sources.get(cit.source)
            line = cit.line or e.line
            if src is None and cit.source not in unknown:
                unknown.add(cit.source)
                problems.append(Problem(e.path, line, f"{e.id}: unknown source '{cit.source}'"))
            elif src is not None and fold_quote(cit.quote or "") not in src.folded_text:
                problems.append(
                    Problem(
                        e.path,
                        line,
                        f"{e.id}: quote is not verbatim in source '{cit.source}': {cit.quote!r}",
                    )
                )
        for rel in e.related:
            if rel == e.id:
                problems.append(
                    Problem(e.path, e.line, f"{e.id}: an entry cannot be related to itself")
                )
            elif rel not in all_ids:
                problems.append(Problem(e.path, e.line, f"{e.id}: unknown related id '{rel}'"))
        if require_translations:
            for lang in TRANSLATED:
                if lang not in e.translations:
                    problems.append(
                        Problem(e.path, e.line, f"{e.id}: missing '{lang}' translation")
                    )
        own: set[str] = set()
        for _lang, text, key in e.keyed_phrasings:
            if not key:
                problems.append(Problem(e.path, e.line, f"{e.id}: phrasing {text!r} has no words"))
                continue
            if key in own:
                continue
            own.add(key)
            other = phrasings.get(key)
            if other is not None and other != e.id:
                problems.append(
                    Problem(e.path, e.line, f"{e.id}: phrasing {text!r} is also on entry '{other}'")
                )
            else:
                phrasings[key] = e.id
    return problems


def _load_sources(root: Path) -> tuple[dict[str, Source], list[Problem]]:
    path = root / "sources.yaml"
    col = _Collector(str(path))
    try:
        data = load_yaml(read_text(path))
    except FileNotFoundError:
        col.add(0, "missing the source catalogue sources.yaml")
        return {}, col.problems
    except (YamlError, NotUtf8Error) as exc:
        col.add(exc.line, str(exc))
        return {}, col.problems
    if not isinstance(data, list):
        col.add(1, "sources.yaml must be a YAML list of sources")
        return {}, col.problems
    sources: dict[str, Source] = {}
    for item in data:
        if not isinstance(item, LineDict):
            col.add(1, "each source must be a mapping")
            continue
        col.unknown_keys(item, SOURCE_KEYS, "a source")
        fields = {
            k: col.text(item, k, 500, required=True)
            for k in ("id", "title", "outlet", "file", "published", "kind")
        }
        url = item.get("url")
        if not isinstance(url, str) or not (url == "" or URL_PATTERN.fullmatch(url)):
            col.add(item.line_of("url"), "'url' must be an http(s) link (or \"\" for a reference)")
        note = col.text(item, "note", MAX_NOTE, required=False)
        sid = fields["id"]
        if sid is None or any(v is None for v in fields.values()) or not isinstance(url, str):
            continue
        if not ID_PATTERN.fullmatch(sid):
            col.add(item.line_of("id"), f"bad source id {sid!r}")
            continue
        if sid in sources:
            col.add(item.line_of("id"), f"duplicate source id '{sid}'")
            continue
        file_path = root / "sources" / str(fields["file"])
        if not file_path.resolve().is_relative_to((root / "sources").resolve()):
            col.add(item.line_of("file"), f"source file {fields['file']!r} is outside sources/")
            continue
        try:
            text = read_text(file_path)
        except OSError:
            col.add(item.line_of("file"), f"source file not found: sources/{fields['file']}")
            continue
        except NotUtf8Error as exc:
            col.problems.append(Problem(str(file_path), exc.line, str(exc)))
            continue
        sources[sid] = Source(
            sid,
            str(fields["title"]),
            str(fields["outlet"]),
            url,
            str(fields["file"]),
            str(fields["published"]),
            str(fields["kind"]),
            note,
            text,
        )
    return sources, col.problems


def _load_lexicon(root: Path) -> tuple[Lexicon, list[Problem]]:
    path = root / "synonyms.yaml"
    col = _Collector(str(path))
    if not path.exists():
        return Lexicon(), []
    try:
        data = load_yaml(read_text(path))
    except (YamlError, NotUtf8Error) as exc:
        col.add(exc.line, str(exc))
        return Lexicon(), col.problems
    if not isinstance(data, LineDict):
        col.add(1, "synonyms.yaml must be a mapping with 'stop_words' and 'synonyms'")
        return Lexicon(), col.problems
    col.unknown_keys(data, ("stop_words", "synonyms"), "synonyms.yaml")
    stops_raw = data.get("stop_words") or {}
    syn_raw = data.get("synonyms") or {}
    stops: list[str] = []
    if isinstance(stops_raw, LineDict):
        for lang, words in stops_raw.items():
            if lang not in LANGUAGES or not isinstance(words, list):
                col.add(stops_raw.line_of(lang), f"stop_words.{lang} must be a list, for en or es")
            else:
                stops += [str(w) for w in words]
    else:
        col.add(data.line_of("stop_words"), "'stop_words' must map a language to a list of words")
    synonyms: dict[str, list[str]] = {}
    if isinstance(syn_raw, LineDict):
        owner: dict[tuple[str, ...], str] = {}  # a variant's words -> its canonical word
        for canonical, variants in syn_raw.items():
            if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
                col.add(syn_raw.line_of(canonical), f"synonyms.{canonical} must be a list of text")
                continue
            synonyms[canonical] = variants
            for variant in [canonical, *variants]:
                words = tuple(basic_tokens(variant))
                first = owner.setdefault(words, canonical)
                if first != canonical:
                    col.add(
                        syn_raw.line_of(canonical),
                        f"'{variant}' is listed under both '{first}' and '{canonical}'",
                    )
    else:
        col.add(data.line_of("synonyms"), "'synonyms' must map a canonical word to its variants")
    common_path = root / "common-words.txt"
    common: list[str] = []
    if common_path.exists():
        try:
            lines = read_text(common_path).splitlines()
        except NotUtf8Error as exc:
            col.problems.append(Problem(str(common_path), exc.line, str(exc)))
            lines = []
        common = [w.strip() for w in lines if w.strip() and not w.startswith("#")]
    return Lexicon.from_mapping(synonyms, stops, common), col.problems


def load_knowledge(root: Path) -> tuple[KnowledgeBase, list[Problem]]:
    """Load and fully validate a knowledge directory; the base holds only valid entries."""
    with collector_paused():
        return _load_knowledge(Path(root))


def _load_knowledge(root: Path) -> tuple[KnowledgeBase, list[Problem]]:
    sources, problems = _load_sources(root)
    catalogue_read = bool(sources) or not problems
    lexicon, lex_problems = _load_lexicon(root)
    problems += lex_problems
    entries: list[Entry] = []
    faq_dir = root / "faq"
    files = sorted(faq_dir.glob("*.yaml")) if faq_dir.is_dir() else []
    if not files:
        problems.append(Problem(str(faq_dir), 0, "no FAQ files (faq/*.yaml)"))
    for found, file_problems in _parse_files(files):
        entries += found
        problems += file_problems
    problems += validate_entries(
        entries, sources, require_translations=True, check_sources=catalogue_read
    )
    by_id: dict[str, Entry] = {}
    for e in entries:
        by_id.setdefault(e.id, e)
    return KnowledgeBase(root, sources, by_id, lexicon), problems


def _parse_file(path: Path) -> tuple[list[Entry], list[Problem]]:
    try:
        text = read_text(path)
    except NotUtf8Error as exc:
        return [], [Problem(str(path), exc.line, str(exc))]
    return parse_entries(text, str(path), max_bytes=MAX_KNOWLEDGE_FILE_BYTES)


def parse_worker(paths: list[str]) -> None:
    """The worker process's side of `_parse_files`: parse files, pickle the results to stdout."""
    with collector_paused():
        results = [_parse_file(Path(p)) for p in paths]
    pickle.dump(results, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)


def _usable_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - platforms without affinity


def _parse_files(
    files: list[Path], *, parallel_from_bytes: int = PARALLEL_PARSE_BYTES
) -> list[tuple[list[Entry], list[Problem]]]:
    """Parse FAQ files in order.

    From `parallel_from_bytes` of YAML on, with a second core, a fresh interpreter running this
    module parses the later half meanwhile (YAML parsing is CPU-bound and holds the GIL). If that
    worker fails for any reason, this process parses its files too.
    """
    sizes = [p.stat().st_size for p in files]
    if len(files) < 2 or sum(sizes) < parallel_from_bytes or _usable_cpus() < 2:
        return [_parse_file(p) for p in files]
    cumulative = list(itertools.accumulate(sizes))
    split = min(bisect.bisect_left(cumulative, cumulative[-1] / 2) + 1, len(files) - 1)
    mine, theirs = files[:split], files[split:]
    package_parent = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([package_parent, *sys.path])}
    code = "import sys; from bot.knowledge import parse_worker; parse_worker(sys.argv[1:])"
    with subprocess.Popen(
        [sys.executable, "-c", code, *map(str, theirs)], stdout=subprocess.PIPE, env=env
    ) as worker:
        results = [_parse_file(p) for p in mine]
        output, _ = worker.communicate()
    try:
        if worker.returncode == 0:
            return results + pickle.loads(output)  # our own child process wrote it
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    return results + [_parse_file(p) for p in theirs]


def with_origin(entry: Entry, origin: str, path: str) -> Entry:
    """A copy of `entry` owned by `origin` and recorded as stored at `path`."""
    return replace(entry, origin=origin, path=path)
