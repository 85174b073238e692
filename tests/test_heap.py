"""The garbage-collector controls around the knowledge index."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap

from bot.heap import collector_paused, resettle


def test_collector_paused_restores_the_previous_state():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_resettle_leaves_a_process_that_never_settled_alone():
    before = gc.get_freeze_count()
    resettle()
    assert gc.get_freeze_count() == before == 0


def test_settling_freezes_the_built_index_out_of_collections():
    # In a child process: freezing is process-wide and the tests must not freeze themselves.
    script = textwrap.dedent(
        """
        import gc
        from bot.answers import Engine
        from bot.heap import resettle, settle
        from bot.knowledge import load_knowledge
        from bot.paths import BUNDLED_KNOWLEDGE

        engine = Engine(load_knowledge(BUNDLED_KNOWLEDGE)[0])
        settle()
        frozen = gc.get_freeze_count()
        assert frozen > engine.matcher.phrasing_count, frozen
        assert len(gc.get_objects()) < frozen / 10  # what a collection still walks
        assert engine.ask("When was Executive Order 14025 signed?").answered
        resettle()
        assert gc.get_freeze_count() >= frozen
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_an_index_a_reload_replaced_is_freed_in_a_settled_process():
    # Frozen objects are never collected: only what reference counting frees goes away, so an
    # index held in a reference cycle would stay in memory, one more per reload.
    script = textwrap.dedent(
        """
        import asyncio, gc, tempfile, weakref
        from pathlib import Path
        from bot.answers import load_engine
        from bot.heap import collector_paused, settle
        from bot.paths import BUNDLED_KNOWLEDGE
        from bot.records import Records
        from bot.store import GuildStore

        async def main():
            data = Path(tempfile.mkdtemp())
            with collector_paused():
                engine, _ = load_engine(BUNDLED_KNOWLEDGE, semantic=False)
                settle()
            records = Records(data)
            await records.open()
            try:
                store = GuildStore(data, engine, records)
                assert engine.ask("When was Executive Order 14025 signed?").answered
                old = weakref.ref(engine.matcher)
                del engine
                frozen = gc.get_freeze_count()
                for _ in range(3):
                    await store.reload_shared()
                    assert store.engine.ask("When was Executive Order 14025 signed?").answered
                assert old() is None
                assert gc.get_freeze_count() < frozen * 1.2, (frozen, gc.get_freeze_count())
            finally:
                await records.close()
            print("ok")

        asyncio.run(main())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
