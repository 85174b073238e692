"""Steward on Discord, end to end: the real bot through discord.py's own gateway and HTTP code
against the loopback stand-in (tests/discord_standin.py)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys

import discord
import pytest

from bot.answers import MAX_QUESTION_CHARS
from tests.conftest import GUILD_A, GUILD_B, TOKEN
from tests.discord_standin import StandInTimeout

EPHEMERAL = 64
Q_DATE = "When was Executive Order 14025 signed?"


def embed_of(data: dict) -> dict:
    assert data.get("embeds"), data
    return data["embeds"][0]


def buttons(data: dict) -> list[dict]:
    return [c for row in data.get("components", []) for c in row.get("components", [])]


async def test_commands_are_synced_with_spanish_localizations(standin, steward):
    names = {c["name"] for c in standin.global_commands}
    assert {"ask", "faq", "sources", "steward", "Ask Steward"} <= names
    ask = next(c for c in standin.global_commands if c["name"] == "ask")
    assert ask["name_localizations"]["es-ES"] == "preguntar"
    assert ask["description_localizations"]["es-419"].startswith("Haz una pregunta")
    faq = next(c for c in standin.global_commands if c["name"] == "faq")
    subs = {o["name"] for o in faq["options"]}
    assert {"show", "list", "add", "edit", "remove", "alias", "export", "import", "gaps"} <= subs
    # the form adds to the server only (a shared entry needs its Spanish text: files)
    add = next(o for o in faq["options"] if o["name"] == "add")
    assert not add.get("options")
    question = ask["options"][0]
    assert question["name"] == "question" and question["autocomplete"] is True
    assert question["max_length"] == MAX_QUESTION_CHARS  # a long message ends with its question


async def test_ask_answers_with_sources(standin, steward):
    ex = await standin.run_app_command(
        steward, standin.slash_command("ask", {"question": Q_DATE}, guild_id=GUILD_A)
    )
    assert ex.type == 4 and not ex.ephemeral
    embed = embed_of(ex.data)
    assert embed["title"] == Q_DATE
    assert "April 26, 2021" in embed["description"]
    sources = [f for f in embed["fields"] if f["name"].startswith("Sources")]
    assert sources and any("Federal Register" in f["name"] for f in sources)
    assert any("https://" in f["value"] and "> " in f["value"] for f in sources)
    assert "Confidence" in embed["footer"]["text"]
    assert ex.data["allowed_mentions"] == {"parse": []}


async def test_declined_question_cites_no_source(standin, steward):
    ex = await standin.run_app_command(
        steward,
        standin.slash_command("ask", {"question": "Who won the World Cup?"}, guild_id=GUILD_A),
    )
    embed = embed_of(ex.data)
    assert "I don't know" in embed["description"]
    assert not any(f["name"].startswith("Sources") for f in embed.get("fields", []))
    assert "title" not in embed


async def test_private_option_answers_ephemerally(standin, steward):
    ex = await standin.run_app_command(
        steward,
        standin.slash_command("ask", {"question": Q_DATE, "private": True}, guild_id=GUILD_A),
    )
    assert ex.ephemeral


async def test_autocomplete_ranks_faq_questions(standin, steward):
    ex = await standin.interact(
        standin.autocomplete(
            "ask", {"question": "who chairs the task f"}, focused="question", guild_id=GUILD_A
        )
    )
    assert ex.type == 8
    choices = ex.data["choices"]
    assert 1 <= len(choices) <= 25
    assert all(1 <= len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    assert "chair" in choices[0]["name"].lower()
    empty = await standin.interact(
        standin.autocomplete("ask", {"question": ""}, focused="question", guild_id=GUILD_A)
    )
    assert len(empty.data["choices"]) == 25


async def test_related_button_shows_that_entry(standin, steward):
    ex = await standin.run_app_command(
        steward,
        standin.slash_command(
            "ask",
            {"question": "Who chairs the Task Force on Worker Organizing and Empowerment?"},
            guild_id=GUILD_A,
        ),
    )
    related = buttons(ex.data)
    assert related and all(b["custom_id"].startswith("steward:show:en:") for b in related)
    target = related[0]["custom_id"].rsplit(":", 1)[1]
    press = await standin.interact(
        standin.component_interaction(related[0]["custom_id"], ex.message)
    )
    assert press.type == 4 and press.ephemeral
    assert embed_of(press.data)["footer"]["text"].endswith(target)
    # a forged custom_id ending in a newline (`$` matches before it) is not a Steward button
    forged = standin.component_interaction(f"{related[0]['custom_id']}\n", ex.message)
    with pytest.raises(StandInTimeout):
        await standin.interact(forged, timeout=1.0)


async def test_did_you_mean_offers_buttons(standin, steward):
    # "roundtable": its date, its place, its purpose? Steward asks back rather than guess
    ex = await standin.run_app_command(
        steward, standin.slash_command("ask", {"question": "roundtable"}, guild_id=GUILD_A)
    )
    embed = embed_of(ex.data)
    assert "title" not in embed and "Did you mean" in embed["fields"][0]["name"]
    shown = [b["custom_id"] for b in buttons(ex.data)]
    assert shown and all(c.startswith("steward:show:en:") for c in shown)


async def test_what_the_sources_do_not_say_is_declined_with_related_answers(standin, steward):
    question = "Did Biden cut off Amazon's federal contracts?"
    ex = await standin.run_app_command(
        steward, standin.slash_command("ask", {"question": question}, guild_id=GUILD_A)
    )
    embed = embed_of(ex.data)
    assert "title" not in embed and "do not answer" in embed["description"]
    assert embed["fields"][0]["name"] == "Related"
    assert not any(f["name"].startswith("Sources") for f in embed["fields"])
    assert [b["custom_id"] for b in buttons(ex.data)] == [
        "steward:show:en:sanders-amazon-contracts"
    ]


async def test_direct_message_gets_the_same_answer(standin, steward):
    dm = standin.dm_message(Q_DATE)
    await standin.dispatch("MESSAGE_CREATE", dm)
    reply = await standin.wait_for_message(int(dm["channel_id"]))
    assert "April 26, 2021" in reply.json["embeds"][0]["description"]
    assert reply.json["allowed_mentions"]["parse"] == []


async def test_mention_in_a_server_gets_a_reply(standin, steward):
    msg = standin.guild_message(GUILD_A, f"hey <@{standin.bot_id}> {Q_DATE}", mention_bot=True)
    await standin.dispatch("MESSAGE_CREATE", msg)
    reply = await standin.wait_for_message(int(msg["channel_id"]))
    assert str(reply.json["message_reference"]["message_id"]) == msg["id"]
    assert reply.json["allowed_mentions"]["replied_user"] is False
    assert "April 26, 2021" in reply.json["embeds"][0]["description"]


async def test_discord_markup_and_links_are_not_part_of_the_question(standin, steward):
    markup = f"<@&{GUILD_A}> {Q_DATE} <:pepe:123456789012345678> https://example.org/eo?id=1"
    ex = await standin.run_app_command(
        steward, standin.slash_command("ask", {"question": markup}, guild_id=GUILD_A)
    )
    assert "April 26, 2021" in embed_of(ex.data)["description"]
    msg = standin.guild_message(GUILD_A, f"<@{standin.bot_id}> <#42> {Q_DATE}", mention_bot=True)
    await standin.dispatch("MESSAGE_CREATE", msg)
    reply = await standin.wait_for_message(int(msg["channel_id"]))
    assert "April 26, 2021" in reply.json["embeds"][0]["description"]


async def test_a_bare_mention_gets_what_steward_does(standin, steward):
    msg = standin.guild_message(GUILD_A, f"<@{standin.bot_id}>", mention_bot=True)
    await standin.dispatch("MESSAGE_CREATE", msg)
    reply = await standin.wait_for_message(int(msg["channel_id"]))
    assert reply.json["embeds"][0]["description"].startswith("I'm Steward.")


async def test_a_message_longer_than_a_question_is_read_from_its_end(standin, steward):
    story = "My shift starts early and the bus is late again today. " * 60  # 3,300 characters
    target = standin.guild_message(GUILD_A, story + Q_DATE)
    ex = await standin.run_app_command(steward, standin.message_command("Ask Steward", target))
    assert len(story) > MAX_QUESTION_CHARS
    assert "April 26, 2021" in embed_of(ex.data)["description"]


async def test_message_without_mention_is_ignored(standin, steward):
    msg = standin.guild_message(GUILD_A, Q_DATE)
    await standin.dispatch("MESSAGE_CREATE", msg)
    ex = await standin.run_app_command(steward, standin.slash_command("sources", guild_id=GUILD_A))
    assert ex.type == 4
    assert not standin.find("POST /channels/{channel_id}/messages")


async def test_context_menu_answers_the_selected_message(standin, steward):
    target = standin.guild_message(GUILD_A, "who is the vice chair of the task force?")
    ex = await standin.run_app_command(steward, standin.message_command("Ask Steward", target))
    assert ex.ephemeral
    assert "Walsh" in embed_of(ex.data)["description"]


async def test_faq_show_list_and_sources(standin, steward):
    ex = await standin.run_app_command(
        steward,
        standin.slash_command("faq show", {"entry": "eo-14025-signed-date"}, guild_id=GUILD_A),
    )
    assert "April 26, 2021" in embed_of(ex.data)["description"]
    missing = await standin.interact(
        standin.slash_command("faq show", {"entry": "no-such-entry"}, guild_id=GUILD_A)
    )
    assert "no FAQ entry" in missing.data["content"]
    listing = await standin.run_app_command(
        steward, standin.slash_command("faq list", guild_id=GUILD_A)
    )
    first = embed_of(listing.data)
    assert first["footer"]["text"].startswith("Page 1 of")
    nxt = next(b for b in buttons(listing.data) if b["custom_id"] == "steward:page:next")
    page2 = await standin.interact(standin.component_interaction(nxt["custom_id"], listing.message))
    assert page2.type == 7 and embed_of(page2.data)["footer"]["text"].startswith("Page 2 of")
    sources = await standin.run_app_command(
        steward, standin.slash_command("sources", guild_id=GUILD_A)
    )
    values = " ".join(f["value"] for f in embed_of(sources.data)["fields"])
    assert "https://blavity.com/" in values and "thehill.com" in values


async def test_rate_limit_answers_privately(standin, steward):
    user = int(standin.add_user("fast-typer")["id"])
    results = []
    for _ in range(6):
        ex = await standin.interact(
            standin.slash_command("ask", {"question": Q_DATE}, guild_id=GUILD_A, user_id=user)
        )
        results.append(ex)
    assert all("embeds" in r.data for r in results[:5])
    assert results[5].ephemeral and "please wait" in results[5].data["content"]


async def test_spanish_client_gets_spanish(standin, steward):
    ex = await standin.run_app_command(
        steward,
        standin.slash_command("ask", {"question": Q_DATE}, guild_id=GUILD_A, locale="es-419"),
    )
    embed = embed_of(ex.data)
    assert "26 de abril de 2021" in embed["description"]
    assert any(f["name"].startswith("Fuentes") for f in embed["fields"])
    assert any("inglés" in f["value"] for f in embed["fields"])


async def test_an_english_client_asking_in_spanish_keywords_gets_spanish(standin, steward):
    ex = await standin.run_app_command(
        steward,
        standin.slash_command(
            "ask", {"question": "resultado votacion jfk8"}, guild_id=GUILD_A, locale="en-US"
        ),
    )
    embed = embed_of(ex.data)
    assert "2654" in embed["description"].replace(",", "").replace(".", "")
    assert any(f["name"].startswith("Fuentes") for f in embed["fields"])


async def test_reconnects_and_resumes_then_answers_again(standin, steward):
    await standin.drop_gateway()
    dm = standin.dm_message(Q_DATE)
    await standin.dispatch("MESSAGE_CREATE", dm)  # sent while away: replayed on RESUME
    await standin.wait_for_resume()
    assert standin.resume_count == 1 and standin.identify_count == 1
    reply = await standin.wait_for_message(int(dm["channel_id"]))
    assert "April 26, 2021" in reply.json["embeds"][0]["description"]
    ex = await standin.run_app_command(
        steward, standin.slash_command("ask", {"question": Q_DATE}, guild_id=GUILD_B)
    )
    assert "April 26, 2021" in embed_of(ex.data)["description"]


async def test_error_inside_a_command_answers_briefly_and_logs_no_question(
    standin, steward, caplog, monkeypatch
):
    secret = "my private question about organizing"

    def boom(*_a, **_k):
        raise RuntimeError("engine failure")

    monkeypatch.setattr(steward.engine, "ask", boom)
    ex = await standin.interact(
        standin.slash_command("ask", {"question": secret}, guild_id=GUILD_A)
    )
    assert ex.ephemeral and "went wrong" in ex.data["content"]
    logged = "\n".join(r.getMessage() + str(r.exc_info) for r in caplog.records)
    assert "engine failure" in logged
    assert secret not in logged


async def _run_cli(env: dict[str, str]) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    return proc.returncode or 0, err.decode()


async def test_missing_token_exits_with_a_clear_message(tmp_path):
    code, err = await _run_cli({"DISCORD_TOKEN": "", "STEWARD_DATA_DIR": str(tmp_path)})
    assert code == 2 and "DISCORD_TOKEN is not set" in err


async def test_rejected_token_exits_with_a_clear_message(standin, tmp_path):
    code, err = await _run_cli(
        {
            "DISCORD_TOKEN": "wrong-token",
            "STEWARD_DATA_DIR": str(tmp_path),
            "DISCORD_API_BASE": standin.api_base,
            "DISCORD_GATEWAY_URL": standin.gateway_url,
        }
    )
    assert code == 1 and "rejected the token" in err
    assert "wrong-token" not in err


async def test_sigterm_shuts_down_cleanly(standin, tmp_path):
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env={
            **os.environ,
            "DISCORD_TOKEN": TOKEN,
            "STEWARD_DATA_DIR": str(tmp_path),
            "DISCORD_API_BASE": standin.api_base,
            "DISCORD_GATEWAY_URL": standin.gateway_url,
            "STEWARD_GUILD_READY_TIMEOUT": "0.1",
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    await standin.wait_until_ready(timeout=20)
    await standin.wait_until(lambda: bool(standin.global_commands), 20, "command sync")
    proc.terminate()
    _out, err = await asyncio.wait_for(proc.communicate(), timeout=20)
    assert proc.returncode == 0, err.decode()
    assert not standin.connected
    assert discord.__version__


async def test_health_file_is_fresh_while_connected_and_gone_after_close(
    standin, make_steward, monkeypatch
):
    from bot import health
    from bot.cli import main
    from tests.discord_standin import running

    monkeypatch.setattr(health, "REFRESH_SECONDS", 0.05)
    bot = make_steward()
    data = bot.settings.steward_data_dir

    async def stamp_after(earlier: float) -> float:  # the file is polled: no event marks it
        async with asyncio.timeout(5):
            while True:
                with contextlib.suppress(FileNotFoundError):
                    if (stamp := float(health.health_file(data).read_text())) > earlier:
                        return stamp
                await asyncio.sleep(0.01)

    async with running(bot, standin, TOKEN, GUILD_A):
        await stamp_after(await stamp_after(0.0))  # written once connected, then refreshed
        assert main(["health", "--data", str(data)]) == 0
    assert not health.health_file(data).exists()
    assert main(["health", "--data", str(data)]) == 1
