"""Server entries on disk: validation, atomic writes, history, import plans, crash safety."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.answers import Engine
from bot.atomic import write_atomic
from bot.knowledge import load_knowledge, parse_entries
from bot.records import Records
from bot.store import (
    GuildStore,
    StoreError,
    entry_to_form,
    fingerprint,
    form_to_data,
    slugify,
)
from bot.yamlsafe import dump_yaml

GUILD = "42"


@pytest.fixture
async def store(tmp_path: Path, knowledge_copy: Path):
    kb, problems = load_knowledge(knowledge_copy)
    assert problems == []
    records = Records(tmp_path / "data")
    await records.open()
    yield GuildStore(tmp_path / "data", Engine(kb), records)
    await records.close()


def form(question: str = "When does our chapter vote on the contract?", **extra: str):
    fields = {
        "question": question,
        "alternates": "chapter contract vote date",
        "answer": "Our chapter votes on the contract on June 3.",
        "sources": "https://example.org/chapter",
    }
    fields.update(extra)
    return form_to_data("", **fields)


async def test_add_writes_a_valid_file_and_is_live(store):
    entry = await store.add(GUILD, form(), actor=1)
    assert entry.id == "when-does-our-chapter-vote-on-the-contract"
    stored, problems = parse_entries(store.path(GUILD).read_text(), "f", GUILD)
    assert problems == [] and [e.id for e in stored] == [entry.id]
    answer = store.engine.ask("when does our chapter vote on the contract", GUILD)
    assert answer.answered and answer.id == entry.id
    assert not store.engine.ask("when does our chapter vote on the contract", "other").answered
    assert not store.engine.ask("when does our chapter vote on the contract", None).answered


async def test_an_unchanged_edit_form_keeps_every_source_as_it_was(store):
    sources = (
        'https://example.org/bylaws Bylaws | SBWU | "The chapter keeps a strike fund."\n'
        "https://example.org/minutes Minutes | SBWU\n"
        "blavity-roundtable | Laura Garza of Starbucks Workers United"
    )
    entry = await store.add(GUILD, form(sources=sources), actor=1)
    assert [c.to_yaml() for c in entry.sources] == [
        {
            "url": "https://example.org/bylaws",
            "title": "Bylaws | SBWU",
            "quote": "The chapter keeps a strike fund.",
        },
        {"url": "https://example.org/minutes", "title": "Minutes | SBWU"},
        {"source": "blavity-roundtable", "quote": "Laura Garza of Starbucks Workers United"},
    ]
    version = fingerprint(entry)
    saved = await store.edit(
        GUILD, entry.id, form_to_data(entry.id, **entry_to_form(entry)), 1, version
    )
    assert saved.sources == entry.sources and fingerprint(saved) == version


async def test_invalid_entry_changes_nothing_and_lists_every_problem(store):
    bad = form(
        question="When was Executive Order 14025 signed?",
        sources="eo-14025 | not in the order\nmissing-source | x\nftp://nope",
    )
    with pytest.raises(StoreError) as info:
        await store.add(GUILD, bad, actor=1)
    text = str(info.value)
    assert "not verbatim" in text and "unknown source 'missing-source'" in text
    assert "is also on entry 'eo-14025-signed-date'" in text
    assert not store.path(GUILD).exists()
    assert store.engine.guild_entries(GUILD) == []


async def test_server_ids_cannot_shadow_shared_ids(store):
    data = form()
    data["id"] = "eo-14025-signed-date"
    with pytest.raises(StoreError, match="duplicate id"):
        await store.add(GUILD, data, actor=1)


async def test_stale_edit_is_refused(store):
    entry = await store.add(GUILD, form(), actor=1)
    version = fingerprint(entry)
    await store.edit(GUILD, entry.id, form(answer="Our chapter votes on June 4."), 2, version)
    with pytest.raises(StoreError, match="changed by someone else"):
        await store.edit(GUILD, entry.id, form(answer="Stale."), 3, version)
    assert "June 4" in store.engine.entry(entry.id, GUILD).answer


async def test_history_and_revert(store):
    entry = await store.add(GUILD, form(), actor=7)
    await store.alias(GUILD, entry.id, "contract vote when", actor=8)
    for again in ("Contract vote, when?", entry.question.upper()):  # a phrasing it has already
        with pytest.raises(StoreError, match="already has that phrasing"):
            await store.alias(GUILD, entry.id, again, actor=8)
    await store.remove(GUILD, entry.id, actor=9)
    changes = await store.records.history(GUILD, entry.id)
    assert [(c.version, c.action, c.actor_id) for c in changes] == [
        (1, "add", "7"),
        (2, "alias", "8"),
        (3, "remove", "9"),
    ]
    assert changes[2].after is None and changes[2].before["alternates"][-1] == "contract vote when"
    restored = await store.revert(GUILD, entry.id, 2, actor=7)
    assert restored is not None and "contract vote when" in restored.alternates
    with pytest.raises(StoreError, match="no version 9"):
        await store.revert(GUILD, entry.id, 9, actor=7)
    assert await store.records.forget_user(7) == 2
    assert all(c.actor_id != "7" for c in await store.records.history(GUILD, entry.id))


async def test_concurrent_adds_are_all_kept(store):
    forms = [
        form(question=f"What is rule {i} of the chapter?", alternates=f"rule {i}")
        for i in range(20)
    ]
    await asyncio.gather(*[store.add(GUILD, f, actor=i) for i, f in enumerate(forms)])
    stored, problems = parse_entries(store.path(GUILD).read_text(), "f", GUILD)
    assert problems == [] and len(stored) == 20


async def test_import_plan_then_apply(store):
    await store.add(GUILD, form(), actor=1)
    exported = store.export(GUILD)
    assert store.plan_import(GUILD, exported).unchanged
    changed = exported.replace("June 3", "June 10") + textwrap.dedent("""\
        - id: dues
          question: How much are union dues here?
          answer: Dues are 1.5% of pay.
          sources:
          - url: https://example.org/dues
        """)
    plan = store.plan_import(GUILD, changed)
    assert plan.added == ("dues",) and len(plan.changed) == 1
    await store.apply_import(plan, actor=1)
    assert store.engine.ask("how much are union dues here", GUILD).id == "dues"
    # an import merges: entries the file leaves out stay, and an empty file is refused
    alone = store.plan_import(GUILD, changed.split("- id: dues")[0].replace("June 10", "June 17"))
    assert alone.changed and not alone.added and len(alone.entries) == 2
    for empty in ("", "# nothing yet\n", "[]"):
        with pytest.raises(StoreError, match="no entries"):
            store.plan_import(GUILD, empty)
    with pytest.raises(StoreError, match="changed since"):
        await store.apply_import(plan, actor=1)  # the scope moved on: plan is stale
    with pytest.raises(StoreError, match=r"anchors|aliases"):
        store.plan_import(GUILD, "a: &x [1]\nb: *x\n")


async def test_reload_refuses_invalid_knowledge_and_keeps_serving(store, knowledge_copy):
    path = knowledge_copy / "faq" / "executive-orders.yaml"
    path.write_text(path.read_text().replace("quote: ", "quote: NOT-IN-SOURCE ", 1))
    with pytest.raises(StoreError, match="still serving"):
        await store.reload_shared()
    assert store.engine.ask("When was Executive Order 14025 signed?").answered
    path.write_text(path.read_text().replace("NOT-IN-SOURCE ", ""))
    assert await store.reload_shared() == len(store.engine.kb.entries)


def test_slugify_avoids_taken_ids():
    assert slugify("When is the meeting?", ["when-is-the-meeting"]) == "when-is-the-meeting-2"
    assert slugify("¿¿??", []) == "entry"


def test_atomic_write_replaces_whole_file(tmp_path):
    target = tmp_path / "a" / "f.yaml"
    write_atomic(target, "one\n")
    write_atomic(target, "two\n")
    assert target.read_text() == "two\n"
    assert [p.name for p in target.parent.iterdir()] == ["f.yaml"]


WRITER = textwrap.dedent("""\
    import asyncio, sys
    from pathlib import Path
    from bot.answers import Engine
    from bot.knowledge import load_knowledge
    from bot.records import Records
    from bot.store import GuildStore, form_to_data

    async def main():
        kb, _ = load_knowledge(Path(sys.argv[1]))
        records = Records(Path(sys.argv[2]))
        await records.open()
        store = GuildStore(Path(sys.argv[2]), Engine(kb), records)
        i = 0
        while True:
            data = form_to_data("", question=f"What is local rule {i}?", alternates=f"rule {i}",
                                answer="It is in the bylaws " * 20, sources="https://example.org/b")
            entry = await store.add("7", data, actor=1)
            await store.alias("7", entry.id, f"local rule number {i}", actor=1)
            print(i, flush=True)
            i += 1

    asyncio.run(main())
""")


def test_sigkill_during_writes_leaves_every_file_valid(tmp_path, knowledge_copy):
    data = tmp_path / "data"
    root = Path(__file__).resolve().parent.parent
    for _round in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(knowledge_copy), str(data)],
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        assert proc.stdout is not None
        for _ in range(5):  # let several writes happen, then kill in the middle of the stream
            assert proc.stdout.readline(), "the writer stopped early"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        path = data / "guilds" / "7" / "faq.yaml"
        entries, problems = parse_entries(path.read_text(), str(path), "7")
        assert problems == [] and len(entries) >= 5
        assert not [p for p in path.parent.iterdir() if p.name != "faq.yaml"]  # no temp left
        db = sqlite3.connect(data / "steward.sqlite3")
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        db.close()


# -- one bad file never takes the bot down --------------------------------------------------


async def test_a_server_file_that_cannot_be_loaded_is_skipped_and_left_as_it_is(store, caplog):
    await store.add(GUILD, form(), actor=1)
    bad = store.path("77")
    bad.parent.mkdir(parents=True)
    latin1 = "- id: cafe\n  question: ¿Dónde está el café?\n".encode("latin-1")
    bad.write_bytes(latin1)
    fresh = GuildStore(store.data_dir, Engine(store.engine.kb), store.records)
    fresh.load_all()
    assert fresh.engine.ask("when does our chapter vote on the contract", GUILD).answered
    assert list(fresh.unloaded) == ["77"]
    assert any("not serving server 77's entries" in r.getMessage() for r in caplog.records)
    refusal = fresh.retry_unloaded("77")
    assert refusal is not None and f"{bad}:2: the file is not UTF-8" in refusal.message()
    assert "could not be loaded" in refusal.message()
    with pytest.raises(StoreError, match="changes to this server's FAQ are paused"):
        await fresh.add("77", form(), actor=1)
    plan = fresh.plan_import("77", store.export(GUILD))
    with pytest.raises(StoreError, match="paused"):
        await fresh.apply_import(plan, actor=1)
    assert bad.read_bytes() == latin1
    bad.write_text(
        "- id: cafe\n  question: ¿Dónde está el café?\n  answer: Aquí.\n"
        "  sources: [{url: 'https://example.org/cafe'}]\n",
        encoding="utf-8",
    )
    assert fresh.retry_unloaded("77") is None and "77" not in fresh.unloaded
    assert fresh.engine.ask("¿Dónde está el café?", "77").id == "cafe"


@pytest.mark.parametrize("field", ["question", "alternates", "answer", "sources"])
async def test_text_no_file_can_hold_is_refused_at_the_form(store, field):
    values = {
        "question": "When does our chapter vote?",
        "alternates": "chapter vote",
        "answer": "On June 3.",
        "sources": "https://example.org/chapter",
    }
    values[field] += "\ud800"
    with pytest.raises(StoreError, match=f"'{field}' holds an unpaired UTF-16 surrogate"):
        await store.add(GUILD, form_to_data("", **values), actor=1)
    assert not store.path(GUILD).exists()
    entry = await store.add(GUILD, form(), actor=1)
    with pytest.raises(StoreError, match="'alternates' holds an unpaired"):
        await store.alias(GUILD, entry.id, "vote \udc00 date", actor=1)
    with pytest.raises(StoreError, match="not imported"):
        store.plan_import(GUILD, '- id: x\n  question: "a \\ud800"\n')
    stored, problems = parse_entries(store.path(GUILD).read_text(), "f", GUILD)
    assert problems == [] and stored[0].alternates == ("chapter contract vote date",)


async def test_a_change_whose_file_would_not_load_again_is_refused(store):
    # YAML writes "'it's'" as '''it''s''', so a file uploaded as JSON just under the 1 MB
    # limit comes out over it: saved as it was, the server would be dropped at the next start
    words = " ".join(["it's"] * 25)
    entries = [
        {
            "id": f"rule-{i}",
            "question": f"What is rule zq{i}?",
            "alternates": [f"'zq{i}x{j} {words}'" for j in range(40)],
            "answer": f"Rule {i} is in the bylaws.",
            "sources": [{"url": "https://example.org/bylaws"}],
        }
        for i in range(160)
    ]
    upload = json.dumps(entries)
    assert len(upload.encode()) < 1_000_000 < len(dump_yaml(entries).encode())
    plan = store.plan_import(GUILD, upload)
    with pytest.raises(StoreError, match="would not load again") as refused:
        await store.apply_import(plan, actor=1)
    assert "larger than 1000 KB" in refused.value.message()
    assert not store.path(GUILD).exists() and store.engine.guild_entries(GUILD) == []


async def test_reload_names_a_file_that_is_not_utf8_and_keeps_serving(store, knowledge_copy):
    path = knowledge_copy / "faq" / "task-force.yaml"
    path.write_bytes(path.read_bytes().replace(b"Task Force", "Tâsk Force".encode("latin-1"), 1))
    with pytest.raises(StoreError, match="still serving") as refused:
        await store.reload_shared()
    assert f"{path}:" in refused.value.message() and "not UTF-8" in refused.value.message()
    assert store.engine.ask("Who chairs the task force?").answered


async def test_a_shared_change_the_loader_would_refuse_is_not_written(store, knowledge_copy):
    files = {p: p.read_bytes() for p in (knowledge_copy / "faq").glob("*.yaml")}
    with pytest.raises(StoreError, match="missing 'es' translation"):
        await store.add("shared", form(), actor=1)  # shared entries need their Spanish text
    related_to = next(e for e in store.engine.kb.entries.values() if e.related).related[0]
    with pytest.raises(StoreError, match=f"unknown related id '{related_to}'"):
        await store.remove("shared", related_to, actor=1)
    assert {p: p.read_bytes() for p in (knowledge_copy / "faq").glob("*.yaml")} == files
    assert not (knowledge_copy / "faq" / "owner-added.yaml").exists()
    assert load_knowledge(knowledge_copy)[1] == []


async def test_removing_a_server_entry_another_relates_to_is_refused(store):
    first = await store.add(GUILD, form(), actor=1)
    data = form("Where does our chapter vote?", alternates="chapter vote place")
    data["related"] = [first.id]
    second = await store.add(GUILD, data, actor=1)
    assert second.related == (first.id,)
    with pytest.raises(StoreError, match=f"unknown related id '{first.id}'"):
        await store.remove(GUILD, first.id, actor=1)
    assert [e.id for e in parse_entries(store.path(GUILD).read_text(), "f", GUILD)[0]] == [
        first.id,
        second.id,
    ]


async def test_removing_a_shared_entry_a_server_entry_relates_to_is_refused(store):
    shared = store.engine.kb.entries.values()
    related = {r for e in shared for r in e.related}
    target = next(e.id for e in shared if e.id not in related and not e.silent)
    data = form()
    data["related"] = [target]
    mine = await store.add(GUILD, data, actor=1)
    with pytest.raises(StoreError, match=f"{mine.id}: unknown related id '{target}'"):
        await store.remove("shared", target, actor=1)
    assert store.engine.entry(target) is not None
    await store.remove(GUILD, mine.id, actor=1)
    await store.remove("shared", target, actor=1)
    assert load_knowledge(store.engine.kb.root)[1] == []
