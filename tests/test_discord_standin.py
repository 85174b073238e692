"""A real discord.py ``commands.Bot`` against the loopback Discord stand-in.

Everything goes through discord.py's own HTTP client, webhook adapter and gateway code.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import math
import threading
from collections.abc import AsyncIterator

import aiohttp
import discord
import discord.gateway
import discord.http
import pytest
from discord import app_commands
from discord.ext import commands

from tests.discord_standin import (
    DEFAULT_API_BASE,
    DiscordStandIn,
    StandInTimeout,
    point_discord_py_at,
    restore_discord_py_defaults,
    running,
)

pytestmark = pytest.mark.filterwarnings("error")

TOKEN = "standin-test-token"
GUILD_ID = 1_100_000_000_000_000_001
TOPICS = ["card check", "collective bargaining", "grievance", "strike", "union dues"]
CALLBACK = "POST /interactions/{interaction_id}/{token}/callback"


# --------------------------------------------------------------------------- the bot under test


class Panel(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=30)

    @discord.ui.button(label="Shout", custom_id="panel:shout")
    async def shout(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await interaction.response.edit_message(content="SHOUTED", view=None)
        self.stop()

    @discord.ui.button(label="Whisper", custom_id="panel:whisper")
    async def whisper(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await interaction.response.send_message("psst", ephemeral=True)
        self.stop()


class Feedback(discord.ui.Modal, title="Feedback"):
    text: discord.ui.TextInput = discord.ui.TextInput(label="What happened?", custom_id="fb:text")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


class StewardTestBot(commands.Bot):
    seen_contents: list[str]  # content of every on_message
    command_errors: asyncio.Queue[app_commands.AppCommandError]


def make_bot() -> StewardTestBot:
    bot = StewardTestBot(
        command_prefix="!",
        intents=discord.Intents.default(),
        guild_ready_timeout=0.1,  # discord.py waits this long after the last GUILD_CREATE
    )
    bot.seen_contents = []
    bot.command_errors = asyncio.Queue()

    @bot.tree.error
    async def on_command_error(
        interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        bot.command_errors.put_nowait(error)

    @bot.tree.command(description="Repeat text")
    async def echo(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(text)

    @bot.tree.command(name="echo-private", description="Repeat text privately")
    async def echo_private(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(text, ephemeral=True)

    @bot.tree.command(name="echo-slow", description="Repeat text after thinking")
    async def echo_slow(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content=f"slow: {text}")
        original = await interaction.original_response()
        await interaction.followup.send(f"follow-up to {original.content!r}", ephemeral=True)

    @bot.tree.command(description="Look up a topic")
    async def topic(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(f"topic: {name}")

    @topic.autocomplete("name")
    async def topic_names(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=t, value=t) for t in TOPICS if current.lower() in t]

    faq = app_commands.Group(name="faq", description="The FAQ")

    @faq.command(description="Search the FAQ")
    async def search(interaction: discord.Interaction, query: str, limit: int = 3) -> None:
        await interaction.response.send_message(f"searching {query!r} (limit {limit})")

    bot.tree.add_command(faq)

    admin = app_commands.Group(name="admin", description="Admin tools")
    admin_faq = app_commands.Group(name="faq", description="FAQ admin", parent=admin)

    @admin_faq.command(description="Reload the FAQ")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def reload(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("reloaded", ephemeral=True)

    bot.tree.add_command(admin)

    @bot.tree.command(description="Recap the channel")
    async def recap(interaction: discord.Interaction) -> None:
        assert isinstance(interaction.channel, discord.TextChannel)
        recent = [m.content async for m in interaction.channel.history(limit=2)]
        await interaction.response.send_message(" | ".join(recent))

    @bot.tree.command(description="Show a panel")
    async def panel(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("panel", view=Panel())

    @bot.tree.command(description="Send feedback")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Feedback())

    @bot.tree.context_menu(name="Quote")
    async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
        await interaction.response.send_message(f"> {message.content}")

    @bot.tree.command(description="Checksum a file")
    async def upload(interaction: discord.Interaction, file: discord.Attachment) -> None:
        data = await file.read()
        digest = hashlib.sha256(data).hexdigest()[:12]
        await interaction.response.send_message(
            f"{file.filename}: {len(data)} bytes, {digest}",
            file=discord.File(io.BytesIO(data[::-1]), filename="reversed.bin"),
        )

    @bot.tree.command(description="DM me")
    async def dmme(interaction: discord.Interaction) -> None:
        await interaction.user.send("hello in private")
        await interaction.response.send_message("sent", ephemeral=True)

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if message.author.bot:
            return
        bot.seen_contents.append(message.content)
        if message.guild is None:
            await message.channel.send(f"DM received: {message.content}")
        elif bot.user is not None and bot.user.mentioned_in(message):
            await message.reply(f"you said: {message.content}")

    return bot


# --------------------------------------------------------------------------- fixtures


def _pending_tasks() -> list[asyncio.Task]:
    me = asyncio.current_task()
    return [t for t in asyncio.all_tasks() if t is not me and not t.done()]


@pytest.fixture
async def standin() -> AsyncIterator[DiscordStandIn]:
    async with DiscordStandIn(token=TOKEN) as s:
        s.add_guild(GUILD_ID, "Workers United", channels=["general", "faq"])
        point_discord_py_at(s.api_base, s.gateway_url)
        try:
            yield s
        finally:
            restore_discord_py_defaults()
    # Clean shutdown: neither the bot nor the stand-in leaves anything running.
    await asyncio.sleep(0)
    assert _pending_tasks() == []
    for thread in threading.enumerate():
        if thread.name.startswith("keep-alive-handler"):
            thread.join(2)
            assert not thread.is_alive(), "discord.py heartbeat thread still running"


@pytest.fixture
async def bot(
    standin: DiscordStandIn, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[StewardTestBot]:
    b = make_bot()
    async with running(b, standin, TOKEN, GUILD_ID):
        yield b
    assert standin.unknown_requests == [] and standin.internal_errors == []
    assert b.command_errors.empty(), b.command_errors.get_nowait()
    errors = [r for r in caplog.records if r.name.startswith("discord") and r.levelno >= 40]
    assert errors == [], [r.getMessage() for r in errors]


# --------------------------------------------------------------------------- login and gateway


async def test_login_ready_and_guild_visible(standin: DiscordStandIn, bot: commands.Bot) -> None:
    assert [r.route for r in standin.requests[:2]] == [
        "GET /users/@me",
        "GET /oauth2/applications/@me",
    ]
    assert standin.requests[0].headers["Authorization"] == f"Bot {TOKEN}"
    assert bot.user is not None and bot.user.id == standin.bot_id
    assert bot.application_id == standin.application_id
    assert bot.application is not None and bot.application.owner.id == int(standin.owner["id"])

    guild = bot.get_guild(GUILD_ID)
    assert guild is not None and guild.name == "Workers United"
    assert guild in bot.guilds and not guild.unavailable
    assert [c.name for c in guild.text_channels] == ["general", "faq"]
    assert guild.me is not None and guild.owner_id == int(standin.owner["id"])

    assert standin.identify_count == 1 and standin.resume_count == 0
    assert standin.gateway_connections[0]["v"] == "10"
    assert standin.gateway_connections[0]["encoding"] == "json"
    assert standin.identify_payload is not None
    assert standin.identify_payload["intents"] == discord.Intents.default().value
    assert standin.heartbeat_count >= 1 and math.isfinite(bot.latency)  # first beat was ACKed


async def test_heartbeats_are_acknowledged(standin: DiscordStandIn) -> None:
    standin.heartbeat_interval = 20  # ms
    b = make_bot()
    async with running(b, standin, TOKEN, GUILD_ID):
        await standin.wait_until(lambda: standin.heartbeat_count >= 4, what="4 heartbeats")
        assert b.latency < 1
    assert standin.identify_count == 1


async def test_pointing_helpers() -> None:
    point_discord_py_at("http://127.0.0.1:1/api/v10/", "ws://127.0.0.1:1/gateway")
    assert discord.http.Route("GET", "/users/@me").url == "http://127.0.0.1:1/api/v10/users/@me"
    assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:1/gateway"
    restore_discord_py_defaults()
    assert discord.http.Route.BASE == DEFAULT_API_BASE


async def test_rejected_token_raises_login_failure(standin: DiscordStandIn) -> None:
    b = make_bot()
    with pytest.raises(discord.LoginFailure):
        await b.start("not-the-token")
    await b.close()
    me = standin.find("GET /users/@me")
    assert me[-1].status == 401
    assert me[-1].response == {"message": "401: Unauthorized", "code": 0}
    assert standin.identify_count == 0


async def test_drop_gateway_resumes_and_replays(standin: DiscordStandIn, bot: commands.Bot) -> None:
    await standin.drop_gateway()
    assert not standin.connected
    # Sent while the bot is away: kept and replayed on RESUME, like Discord does.
    dm = standin.dm_message("are you still there?")
    await standin.dispatch("MESSAGE_CREATE", dm)
    await standin.wait_for_resume()

    assert standin.resume_count == 1 and standin.identify_count == 1
    resume = next(f for f in standin.gateway_received if f["op"] == 6)
    assert resume["d"]["token"] == TOKEN and resume["d"]["seq"] >= 2
    assert standin.gateway_connections[1]["v"] == "10"

    reply = await standin.wait_for_message(int(dm["channel_id"]))
    assert reply.json["content"] == "DM received: are you still there?"
    ex = await standin.interact(standin.slash_command("echo", {"text": "back"}, guild_id=GUILD_ID))
    assert (ex.type, ex.data["content"]) == (4, "back")


async def test_auto_sharded_bot_uses_gateway_bot(standin: DiscordStandIn) -> None:
    b = commands.AutoShardedBot(
        command_prefix="!", intents=discord.Intents.default(), guild_ready_timeout=0.1
    )
    async with running(b, standin, TOKEN, GUILD_ID):
        assert b.shard_count == 1 and b.get_guild(GUILD_ID) is not None
    assert [r.route for r in standin.requests].count("GET /gateway/bot") == 1
    assert standin.identify_payload is not None and standin.identify_payload["shard"] == [0, 1]


async def test_raw_gateway_protocol(standin: DiscordStandIn) -> None:
    async with aiohttp.ClientSession() as session:
        url = standin.gateway_url + "?v=10&encoding=json"
        async with session.ws_connect(url) as ws:
            hello = await ws.receive_json(timeout=5)
            assert hello["op"] == 10 and hello["d"]["heartbeat_interval"] == 41250
            await ws.send_json({"op": 1, "d": None})
            assert (await ws.receive_json(timeout=5))["op"] == 11
            await ws.send_json({"op": 6, "d": {"token": TOKEN, "session_id": "x", "seq": 1}})
            assert await ws.receive_json(timeout=5) == {"op": 9, "s": None, "t": None, "d": False}
            await ws.send_json({"op": 2, "d": {"token": "wrong", "intents": 0, "properties": {}}})
            closing = await ws.receive(timeout=5)
            assert closing.type is aiohttp.WSMsgType.CLOSE and closing.data == 4004
        async with session.ws_connect(standin.gateway_url + "?v=9&encoding=json") as ws:
            closing = await ws.receive(timeout=5)
            assert closing.type is aiohttp.WSMsgType.CLOSE and closing.data == 4012
    assert standin.identify_count == 1 and standin.resume_count == 0


async def test_clean_shutdown_ends_the_gateway_connection(standin: DiscordStandIn) -> None:
    b = make_bot()
    async with running(b, standin, TOKEN, GUILD_ID) as task:
        assert standin.connected
    assert task.result() is None and b.is_closed()
    await standin.wait_until(lambda: not standin.connected, what="the gateway to close")
    # bot.close() asks for 1000, but its own poll loop wins the race and sends 4000
    # (discord.py issues #6134/#6719: Discord keeps the session until it times out).
    assert standin.gateway_close_codes in ([1000], [4000])
    # The fixture then checks that no task or heartbeat thread is left running.


# --------------------------------------------------------------------------- app commands


async def test_tree_sync_registers_commands(standin: DiscordStandIn, bot: commands.Bot) -> None:
    synced = await bot.tree.sync()
    names = {"echo", "echo-private", "echo-slow", "topic", "faq", "panel", "feedback"}
    names |= {"Quote", "upload", "dmme", "admin", "recap"}
    assert {c.name for c in synced} == names
    assert {c["name"] for c in standin.global_commands} == names
    by_name = {c["name"]: c for c in standin.global_commands}
    assert {c.id for c in synced} == {int(c["id"]) for c in standin.global_commands}
    assert by_name["Quote"]["type"] == 3
    assert by_name["faq"]["options"][0]["name"] == "search"
    assert all(c["application_id"] == str(standin.application_id) for c in by_name.values())

    guild = discord.Object(GUILD_ID)
    bot.tree.copy_global_to(guild=guild)
    guild_synced = await bot.tree.sync(guild=guild)
    assert {c.guild_id for c in guild_synced} == {GUILD_ID}
    assert {c["name"] for c in standin.guild_commands[GUILD_ID]} == names

    again = await bot.tree.sync()  # ids are stable across syncs, as on Discord
    assert {c.id for c in again} == {c.id for c in synced}
    fetched = await bot.tree.fetch_commands()
    assert {c.id for c in fetched} == {c.id for c in synced}
    assert len(standin.find("PUT /applications/{application_id}/commands")) == 2
    assert len(standin.find("PUT /applications/{application_id}/guilds/{guild_id}/commands")) == 1


async def test_echo_in_guild_and_dm(standin: DiscordStandIn, bot: commands.Bot) -> None:
    await bot.tree.sync()
    payload = standin.slash_command("echo", {"text": "solidarity"}, guild_id=GUILD_ID)
    assert payload["data"]["id"] == next(
        c["id"] for c in standin.global_commands if c["name"] == "echo"
    )
    ex = await standin.interact(payload)
    assert ex.type == 4 and ex.data["content"] == "solidarity" and not ex.ephemeral
    assert ex.callback.query == {"with_response": "1"}
    assert ex.message is not None and ex.message["channel_id"] == payload["channel_id"]

    dm = await standin.interact(standin.slash_command("echo", {"text": "in private"}))
    assert (dm.type, dm.data["content"]) == (4, "in private")
    assert dm.message is not None and "guild_id" not in dm.message


async def test_ephemeral_reply(standin: DiscordStandIn, bot: commands.Bot) -> None:
    ex = await standin.interact(
        standin.slash_command("echo-private", {"text": "secret"}, guild_id=GUILD_ID)
    )
    assert ex.type == 4 and ex.ephemeral and ex.data["content"] == "secret"


async def test_deferred_reply_is_edited_then_followed_up(
    standin: DiscordStandIn, bot: commands.Bot
) -> None:
    ex = await standin.interact(
        standin.slash_command("echo-slow", {"text": "hi"}, guild_id=GUILD_ID)
    )
    assert ex.type == 5
    edit = await ex.next_edit()
    assert edit.method == "PATCH" and edit.path.endswith("/messages/@original")
    assert edit.json["content"] == "slow: hi"
    assert ex.message is not None and ex.message["content"] == "slow: hi"
    assert ex.message["flags"] & 128 == 0  # no longer "thinking"
    follow = await ex.next_followup()
    assert follow.query["wait"] == "1" and follow.json["content"] == "follow-up to 'slow: hi'"
    assert follow.json["flags"] & 64
    assert follow.message is not None and follow.message["webhook_id"] == str(
        standin.application_id
    )


async def test_subcommand_options(standin: DiscordStandIn, bot: commands.Bot) -> None:
    ex = await standin.interact(
        standin.slash_command("faq search", {"query": "dues", "limit": 5}, guild_id=GUILD_ID)
    )
    assert ex.data["content"] == "searching 'dues' (limit 5)"


async def test_subcommand_group_and_member_permissions(
    standin: DiscordStandIn, bot: StewardTestBot
) -> None:
    manager = discord.Permissions(manage_guild=True).value
    ok = await standin.interact(
        standin.slash_command("admin faq reload", guild_id=GUILD_ID, permissions=manager)
    )
    assert (ok.type, ok.data["content"]) == (4, "reloaded")

    denied = standin.slash_command("admin faq reload", guild_id=GUILD_ID)  # @everyone's perms
    await standin.dispatch("INTERACTION_CREATE", denied)
    error = await asyncio.wait_for(bot.command_errors.get(), 5)
    assert isinstance(error, app_commands.MissingPermissions)
    assert error.missing_permissions == ["manage_guild"]

    owner = await standin.interact(
        standin.slash_command("admin faq reload", guild_id=GUILD_ID, user_id=standin.owner["id"])
    )
    assert owner.data["content"] == "reloaded"  # the guild owner gets every permission


async def test_channel_history(standin: DiscordStandIn, bot: commands.Bot) -> None:
    for text in ("first", "second", "third"):
        await standin.dispatch("MESSAGE_CREATE", standin.guild_message(GUILD_ID, text))
    ex = await standin.interact(standin.slash_command("recap", guild_id=GUILD_ID))
    assert ex.data["content"] == "third | second"
    [history] = standin.find("GET /channels/{channel_id}/messages")
    assert history.query == {"limit": "2"}


async def test_autocomplete_returns_choices(standin: DiscordStandIn, bot: commands.Bot) -> None:
    ex = await standin.interact(
        standin.autocomplete("topic", {"name": "BARG"}, focused="name", guild_id=GUILD_ID)
    )
    assert ex.type == 8
    assert [c["name"] for c in ex.data["choices"]] == ["collective bargaining"]
    empty = await standin.interact(standin.autocomplete("topic", focused="name"))
    assert len(empty.data["choices"]) == len(TOPICS)


async def test_button_press_updates_the_message(standin: DiscordStandIn, bot: commands.Bot) -> None:
    ex = await standin.run_app_command(bot, standin.slash_command("panel", guild_id=GUILD_ID))
    ids = [c["custom_id"] for row in ex.data["components"] for c in row["components"]]
    assert ids == ["panel:shout", "panel:whisper"]
    assert ex.message is not None

    press = await standin.interact(standin.component_interaction("panel:shout", ex.message))
    assert press.type == 7 and press.data["content"] == "SHOUTED"
    assert press.data["components"] == []
    assert ex.message["content"] == "SHOUTED"  # the stand-in edited the panel message

    other = await standin.run_app_command(bot, standin.slash_command("panel", guild_id=GUILD_ID))
    assert other.message is not None
    whisper = await standin.interact(standin.component_interaction("panel:whisper", other.message))
    assert whisper.type == 4 and whisper.ephemeral and whisper.data["content"] == "psst"


@pytest.mark.parametrize("labels", [False, True])
async def test_modal_open_and_submit(
    standin: DiscordStandIn, bot: commands.Bot, labels: bool
) -> None:
    ex = await standin.run_app_command(bot, standin.slash_command("feedback", guild_id=GUILD_ID))
    assert ex.type == 9 and ex.data["title"] == "Feedback"
    inputs = [c for row in ex.data["components"] for c in row["components"]]
    assert [i["custom_id"] for i in inputs] == ["fb:text"]

    submit = standin.modal_submit(
        ex.data["custom_id"],
        {"fb:text": "the break room is cold"},
        guild_id=GUILD_ID,
        labels=labels,
    )
    done = await standin.interact(submit)
    assert done.type == 4 and done.ephemeral
    assert done.data["content"] == "thanks: the break room is cold"


async def test_message_context_menu(standin: DiscordStandIn, bot: commands.Bot) -> None:
    target = standin.guild_message(GUILD_ID, "we want a contract")
    ex = await standin.interact(standin.message_command("Quote", target))
    assert ex.type == 4 and ex.data["content"] == "> we want a contract"


async def test_attachment_is_downloaded_and_file_reply_recorded(
    standin: DiscordStandIn, bot: commands.Bot
) -> None:
    data = b"minutes of the organizing committee\n" * 50
    att = standin.add_attachment("minutes.txt", data, "text/plain")
    ex = await standin.interact(standin.slash_command("upload", {"file": att}, guild_id=GUILD_ID))
    digest = hashlib.sha256(data).hexdigest()[:12]
    assert ex.type == 4 and ex.data["content"] == f"minutes.txt: {len(data)} bytes, {digest}"
    assert [f.field for f in ex.files] == ["files[0]"]
    assert ex.files[0].filename == "reversed.bin" and ex.files[0].data == data[::-1]
    assert ex.message is not None
    assert ex.message["attachments"][0]["filename"] == "reversed.bin"
    assert ex.message["attachments"][0]["size"] == len(data)


async def test_too_long_reply_is_rejected_like_discord(
    standin: DiscordStandIn, bot: StewardTestBot
) -> None:
    payload = standin.slash_command("echo", {"text": "x" * 2001}, guild_id=GUILD_ID)
    await standin.dispatch("INTERACTION_CREATE", payload)
    req = await standin.wait_for_request(lambda r: r.route == CALLBACK and r.status == 400)
    assert req.response["code"] == 50035
    assert standin.interactions[payload["token"]].callbacks == []
    error = await asyncio.wait_for(bot.command_errors.get(), 5)
    assert isinstance(error, app_commands.CommandInvokeError)
    assert isinstance(error.original, discord.HTTPException)
    assert (error.original.status, error.original.code) == (400, 50035)


async def test_interact_times_out_helpfully(standin: DiscordStandIn, bot: StewardTestBot) -> None:
    with pytest.raises(StandInTimeout, match="callback"):
        await standin.interact(standin.slash_command("no-such-command"), timeout=0.3)
    error = await asyncio.wait_for(bot.command_errors.get(), 5)
    assert isinstance(error, app_commands.CommandNotFound)


# --------------------------------------------------------------------------- messages


async def test_dm_message_gets_a_reply(standin: DiscordStandIn, bot: commands.Bot) -> None:
    dm = standin.dm_message("what is card check?")
    await standin.dispatch("MESSAGE_CREATE", dm)
    reply = await standin.wait_for_message(int(dm["channel_id"]))
    assert reply.json["content"] == "DM received: what is card check?"
    assert reply.message is not None and reply.message["author"]["id"] == str(standin.bot_id)


async def test_guild_mention_reply_references_the_message(
    standin: DiscordStandIn, bot: StewardTestBot
) -> None:
    general = int(standin.guild_channel(GUILD_ID)["id"])
    quiet = standin.guild_message(GUILD_ID, "nobody asked the bot")
    asked = standin.guild_message(GUILD_ID, "are you there?", mention_bot=True)
    await standin.dispatch("MESSAGE_CREATE", quiet)
    await standin.dispatch("MESSAGE_CREATE", asked)

    reply = await standin.wait_for_message(general)
    assert reply.json["content"] == f"you said: <@{standin.bot_id}> are you there?"
    ref = reply.json["message_reference"]
    assert ref["message_id"] == int(asked["id"]) and ref["channel_id"] == general
    assert reply.message is not None and reply.message["type"] == 19
    # Without the message-content intent Discord hides other guild messages' content.
    assert bot.seen_contents == ["", f"<@{standin.bot_id}> are you there?"]


async def test_dm_channel_is_created_for_user_send(
    standin: DiscordStandIn, bot: commands.Bot
) -> None:
    ex = await standin.interact(standin.slash_command("dmme", guild_id=GUILD_ID))
    assert ex.ephemeral and ex.data["content"] == "sent"
    create = standin.find("POST /users/@me/channels")
    assert [r.json for r in create] == [{"recipient_id": int(standin.default_user["id"])}]
    channel = create[0].response
    assert channel["type"] == 1 and channel["recipients"][0]["id"] == standin.default_user["id"]
    msg = await standin.wait_for_message(int(channel["id"]))
    assert msg.json["content"] == "hello in private"


async def test_unknown_route_is_a_discord_style_404(
    standin: DiscordStandIn, bot: commands.Bot
) -> None:
    with pytest.raises(discord.NotFound) as info:
        await bot.http.request(discord.http.Route("GET", "/guilds/{guild_id}/bans", guild_id=1))
    assert info.value.code == 0
    [unknown] = standin.unknown_requests
    assert unknown.path == "/guilds/1/bans" and unknown.status == 404
    standin.requests.remove(unknown)  # the fixture asserts no unknown routes were hit
