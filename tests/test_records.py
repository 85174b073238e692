"""The records database: buffered gap counts survive a shutdown that races their flush."""

from __future__ import annotations

import asyncio
import sqlite3

import bot.records
from bot.records import Records


async def test_closing_while_the_flusher_writes_keeps_every_count(tmp_path, monkeypatch):
    monkeypatch.setattr(bot.records, "GAP_FLUSH_SECONDS", 0.01)
    records = Records(tmp_path)
    await records.open()
    for i in range(20_000):
        await records.count_gap("1", f"question {i}")
    while records._pending_gaps:  # noqa: ASYNC110 - until the flusher takes the batch...
        await asyncio.sleep(0)
    await records.count_gap("1", "one more")  # ...one more arrives meanwhile...
    await records.close()  # ...and shutdown begins
    with sqlite3.connect(records.path) as db:
        rows, total = db.execute("SELECT COUNT(*), SUM(count) FROM gaps").fetchone()
    assert (rows, total) == (20_001, 20_001)


async def test_a_flush_during_another_writes_each_count_once(tmp_path):
    records = Records(tmp_path)
    await records.open()
    for i in range(5_000):
        await records.count_gap("1", f"question {i % 2_500}")
    await asyncio.gather(records.flush_gaps(), records.flush_gaps(), records.gaps("1"))
    await records.close()
    with sqlite3.connect(records.path) as db:
        assert db.execute("SELECT COUNT(*), SUM(count) FROM gaps").fetchone() == (2_500, 5_000)


async def test_a_long_message_is_counted_by_its_question_not_what_the_asker_told_first(tmp_path):
    records = Records(tmp_path)
    await records.open()
    story = "My manager moved my shifts again!! I had to miss my kid's game\n"
    await records.count_gap("1", story + "Who pays for   the union lawyer?")
    await records.count_gap("1", "who pays for the union lawyer?")
    await records.count_gap("1", "x" * 400)
    gaps = await records.gaps("1")
    await records.close()
    assert [(g.text, g.count) for g in gaps] == [
        ("who pays for the union lawyer?", 2),
        ("x" * bot.records.MAX_GAP_TEXT, 1),
    ]
