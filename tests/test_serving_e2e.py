"""Serving under load, end to end: engine work off the event loop, Discord's 3-second window,
mention floods, and a reload swapped in one step."""

from __future__ import annotations

import asyncio
import time

from bot.answers import Answer
from tests.conftest import GUILD_A

Q_DATE = "When was Executive Order 14025 signed?"
EMBEDDING_COST_S = 0.05  # what embedding a question may cost (the semantic layer: 20-40 ms)


def final_message(ex) -> dict:
    """What the user finally sees: the reply, or the edit that filled in a deferred one."""
    if ex.type == 5:
        assert ex.edits, f"{ex} was deferred and never answered"
        return ex.edits[-1].json
    return ex.data


async def test_burst_of_asks_is_acknowledged_and_answered_none_lost(standin, steward, monkeypatch):
    """60 /ask at once with an engine that takes 50 ms a question (3 s of work on one worker
    thread): each is answered, or deferred in time and answered after; none is lost."""
    real_ask = steward.engine.ask

    def costly_ask(*args: object, **kwargs: object) -> Answer:
        time.sleep(EMBEDDING_COST_S)  # holds the worker, not the event loop
        return real_ask(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(steward.engine, "ask", costly_ask)
    users = [int(standin.add_user(f"asker{i}")["id"]) for i in range(60)]
    payloads = [
        standin.slash_command("ask", {"question": Q_DATE}, guild_id=GUILD_A, user_id=u)
        for u in users
    ]
    exchanges = await asyncio.gather(*(standin.interact(p, timeout=30) for p in payloads))
    assert all(ex.type in (4, 5) for ex in exchanges)
    deferred = [ex for ex in exchanges if ex.type == 5]
    assert deferred, "3 s of queued work: the later questions must have been deferred"
    await standin.wait_until(
        lambda: all(ex.edits for ex in deferred), timeout=30, what="every deferred answer"
    )
    for ex in exchanges:
        assert "April 26, 2021" in final_message(ex)["embeds"][0]["description"]


async def test_autocomplete_answers_at_once_while_the_worker_is_busy(standin, steward):
    steward.worker.submit(time.sleep, 3)  # e.g. a reload in progress
    ex = await standin.interact(
        standin.autocomplete(
            "ask", {"question": "who chairs the task f"}, focused="question", guild_id=GUILD_A
        )
    )
    # not the ranked matches (they would need the worker): the first entries, at once
    first = [e.question for e in steward.engine.entries(str(GUILD_A)) if not e.silent][:25]
    assert [c["name"] for c in ex.data["choices"]] == [q[:100] for q in first]


async def test_reload_swaps_in_a_fresh_engine_keeping_server_entries(standin, steward):
    await steward.store.add(
        str(GUILD_A), _form("How much are union dues here?", "Dues are 1.5% of pay."), actor=1
    )
    before = steward.engine
    owner = int(standin.owner["id"])
    ex = await standin.run_app_command(
        steward, standin.slash_command("steward reload", guild_id=GUILD_A, user_id=owner)
    )
    assert ex.type == 5  # deferred at once: a rebuild can take seconds
    reply = await ex.next_followup()
    assert "eloaded" in reply.json["content"]
    assert steward.engine is not before
    assert steward.engine.ask("how much are union dues here", str(GUILD_A)).answered
    answer = await standin.interact(
        standin.slash_command("ask", {"question": Q_DATE}, guild_id=GUILD_A)
    )
    assert "April 26, 2021" in final_message(answer)["embeds"][0]["description"]


def _form(question: str, answer: str):
    from bot.store import form_to_data

    return form_to_data("", question, "", answer, "https://example.org/dues")


async def test_a_mention_flood_gets_one_notice_and_others_are_answered(standin, make_steward):
    from tests.conftest import TOKEN
    from tests.discord_standin import running

    bot = make_steward(steward_rate_limit=5, steward_rate_window=60)
    async with running(bot, standin, TOKEN, GUILD_A):
        flooder = int(standin.add_user("flooder")["id"])
        channel = int(standin.guild_channel(GUILD_A)["id"])
        for _ in range(30):
            await standin.dispatch(
                "MESSAGE_CREATE",
                standin.guild_message(GUILD_A, Q_DATE, author_id=flooder, mention_bot=True),
            )
        other = standin.guild_message(GUILD_A, Q_DATE, mention_bot=True)
        await standin.dispatch("MESSAGE_CREATE", other)
        await standin.wait_until(
            lambda: any(
                str(r.json.get("message_reference", {}).get("message_id")) == str(other["id"])
                for r in standin.find("POST /channels/{channel_id}/messages")
            ),
            timeout=10,
            what="the other member's answer",
        )
        await asyncio.sleep(0.3)  # any further replies to the flood would have landed by now
        posted = [
            r.json
            for r in standin.find("POST /channels/{channel_id}/messages")
            if r.path.split("/")[2] == str(channel)
        ]
    answers = [p for p in posted if p.get("embeds")]
    notices = [p for p in posted if "please wait" in (p.get("content") or "")]
    assert len(answers) == 5 + 1  # the flooder's five, and the other member's
    assert len(notices) == 1  # told once, then silence
    assert len(posted) == 7


async def test_confirming_a_large_import_is_acknowledged_first_then_done(standin, steward):
    import discord
    import yaml

    mod = discord.Permissions(manage_guild=True, view_channel=True, send_messages=True).value
    entries = [
        {
            "id": f"local-question-{i}",
            "question": f"What does local rule number {i} say about breaks?",
            "answer": f"Local rule {i} gives a ten minute break.",
            "sources": [{"url": f"https://example.org/rules/{i}"}],
        }
        for i in range(500)
    ]
    upload = standin.add_attachment("faq.yaml", yaml.safe_dump(entries).encode(), "text/yaml")
    preview = await standin.run_app_command(
        steward,
        standin.slash_command("faq import", {"file": upload}, guild_id=GUILD_A, permissions=mod),
        timeout=30,
    )
    followup = await preview.next_followup(timeout=30)
    steward.worker.submit(time.sleep, 2.5)  # the worker is busy when the moderator confirms
    done = await standin.interact(
        standin.component_interaction("steward:confirm", followup.message, permissions=mod)
    )
    assert done.type == 6  # acknowledged at once, the message to be updated
    edit = await done.next_edit(timeout=30)
    assert "500 added, 0 changed" in edit.json["content"]
    assert len(steward.engine.guild_entries(str(GUILD_A))) == 500
