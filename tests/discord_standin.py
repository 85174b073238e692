"""A loopback stand-in for Discord's REST API and gateway, for testing a real discord.py bot.

The bot runs through discord.py's own HTTP and gateway code; only the two base addresses change::

    async with DiscordStandIn(token="test-token") as standin:
        guild = standin.add_guild(name="Workers United")
        point_discord_py_at(standin.api_base, standin.gateway_url)
        task = asyncio.create_task(bot.start("test-token"))
        await standin.wait_until_ready()
        await bot.wait_until_ready()  # discord.py waits guild_ready_timeout (2 s default) first
        payload = standin.slash_command("echo", {"text": "hi"}, guild_id=int(guild["id"]))
        exchange = await standin.interact(payload)
        assert exchange.type == 4 and exchange.data["content"] == "hi"
        await bot.close()  # before the stand-in closes, or the bot keeps reconnecting
        await task

REST replies use ``Content-Type: application/json`` exactly (discord.py decodes nothing else) and
every request is recorded in :attr:`DiscordStandIn.requests`. The gateway speaks plain-text JSON
(no compression) at ``/gateway``: HELLO, HEARTBEAT_ACK, IDENTIFY -> READY + GUILD_CREATE,
RESUME -> replay + RESUMED, and REQUEST_GUILD_MEMBERS -> GUILD_MEMBERS_CHUNK.

Like Discord, the stand-in hides the content of guild messages that neither mention the bot nor
come from it unless the bot identified with the message-content intent.
"""

# The API takes `timeout=` arguments on purpose, as asyncio.wait_for does.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord
import discord.gateway
import discord.http
import yarl
from aiohttp import WSMsgType, web

__all__ = [
    "DEFAULT_API_BASE",
    "DEFAULT_GATEWAY_URL",
    "DiscordStandIn",
    "InteractionExchange",
    "RecordedRequest",
    "StandInTimeout",
    "UploadedFile",
    "point_discord_py_at",
    "restore_discord_py_defaults",
]

DEFAULT_API_BASE = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"
DISCORD_EPOCH_MS = 1420070400000
MESSAGE_CONTENT_INTENT = 1 << 15
EPHEMERAL = 1 << 6
LOADING = 1 << 7
MAX_CONTENT = 2000
MAX_CHOICES = 25

Json = dict[str, Any]


def point_discord_py_at(api_base: str, gateway_url: str) -> None:
    """Make every discord.py client in this process use ``api_base`` (REST) and ``gateway_url``."""
    discord.http.Route.BASE = api_base.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def restore_discord_py_defaults() -> None:
    """Undo :func:`point_discord_py_at` (point discord.py back at discord.com)."""
    point_discord_py_at(DEFAULT_API_BASE, DEFAULT_GATEWAY_URL)


class StandInTimeout(AssertionError):
    """Raised when something the test waits for does not happen in time."""


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart request (``files[n]``)."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    """One REST request the bot made, and the stand-in's reply."""

    index: int
    method: str
    path: str  # below the API base, e.g. "/channels/1/messages"
    query: dict[str, str]
    json: Any  # JSON body, or the parsed payload_json of a multipart body
    files: list[UploadedFile]
    headers: dict[str, str]
    route: str | None = None  # e.g. "POST /channels/{channel_id}/messages"; None if unknown
    status: int = 0
    response: Any = None  # the JSON answered (204 follow-up: the message it created)

    @property
    def unknown(self) -> bool:
        """True when no stand-in route matched (answered 404)."""
        return self.route is None

    @property
    def message(self) -> Json | None:
        """The message object this request created or edited, if any."""
        resp = self.response
        if isinstance(resp, dict) and "resource" in resp:
            return resp["resource"].get("message")
        if isinstance(resp, dict) and "channel_id" in resp and "content" in resp:
            return resp
        return None

    def describe(self) -> str:
        return f"{self.method} {self.path} -> {self.status}"


class _ApiError(Exception):
    def __init__(self, status: int, message: str, code: int = 0, errors: Json | None = None):
        super().__init__(message)
        self.status = status
        self.payload: Json = {"message": message, "code": code}
        if errors is not None:
            self.payload["errors"] = errors


def _invalid_form(field_name: str, message: str, code: str = "BASE_TYPE_INVALID") -> _ApiError:
    return _ApiError(
        400,
        "Invalid Form Body",
        50035,
        {field_name: {"_errors": [{"code": code, "message": message}]}},
    )


class InteractionExchange:
    """Everything the bot did with one interaction: callback, @original edits, follow-ups.

    ``type`` and ``data`` are those of the (first) interaction callback.
    """

    def __init__(self, standin: DiscordStandIn, payload: Json) -> None:
        self._standin = standin
        self.payload = payload
        self.id = int(payload["id"])
        self.token: str = payload["token"]
        self.callbacks: list[RecordedRequest] = []
        self.edits: list[RecordedRequest] = []  # PATCH @original or a follow-up
        self.followups: list[RecordedRequest] = []  # POST /webhooks/{app}/{token}
        self.deletes: list[RecordedRequest] = []
        self.original_message: Json | None = None
        self._followup_cursor = 0
        self._edit_cursor = 0

    @property
    def callback(self) -> RecordedRequest:
        if not self.callbacks:
            raise AssertionError(f"interaction {self.id} has not been answered")
        return self.callbacks[0]

    @property
    def type(self) -> int:
        """The callback type (4 message, 5 deferred, 6 deferred update, 7 update, 8, 9)."""
        return int(self.callback.json["type"])

    @property
    def data(self) -> Json:
        """The callback's ``data`` (message, choices or modal), ``{}`` when absent."""
        return self.callback.json.get("data") or {}

    @property
    def files(self) -> list[UploadedFile]:
        return self.callback.files

    @property
    def message(self) -> Json | None:
        """The interaction's original response message as the stand-in holds it now."""
        return self.original_message

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.data.get("flags", 0)) & EPHEMERAL)

    async def wait_for_callback(self, timeout: float = 5.0) -> RecordedRequest:
        await self._standin._wait(lambda: bool(self.callbacks), timeout, f"callback for {self}")
        return self.callbacks[0]

    async def next_followup(self, timeout: float = 5.0) -> RecordedRequest:
        """The next follow-up (``interaction.followup.send``) not returned before."""
        i = self._followup_cursor
        await self._standin._wait(lambda: len(self.followups) > i, timeout, f"follow-up #{i + 1}")
        self._followup_cursor += 1
        return self.followups[i]

    async def next_edit(self, timeout: float = 5.0) -> RecordedRequest:
        """The next edit of @original or of a follow-up, not returned before."""
        i = self._edit_cursor
        await self._standin._wait(lambda: len(self.edits) > i, timeout, f"edit #{i + 1} of {self}")
        self._edit_cursor += 1
        return self.edits[i]

    def __repr__(self) -> str:
        data = self.payload.get("data") or {}
        name = data.get("name") or data.get("custom_id")
        return f"<InteractionExchange id={self.id} type={self.payload['type']} {name!r}>"


@dataclass
class _Connection:
    ws: web.WebSocketResponse
    query: dict[str, str]
    send_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def send(self, frame: Json) -> bool:
        async with self.send_lock:
            if self.ws.closed:
                return False
            try:
                await self.ws.send_str(json.dumps(frame))
            except (ConnectionError, RuntimeError):
                return False
            return True


@dataclass
class _Session:
    session_id: str
    conn: _Connection | None
    seq: int = 0
    log: list[tuple[int, Json]] = field(default_factory=list)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    ready: bool = False


RouteHandler = Callable[..., Awaitable[tuple[int, Any]]]


class DiscordStandIn:
    """Discord's REST API and gateway on 127.0.0.1, for one bot.

    ``token``: if given, only this bot token is accepted (others get 401 / gateway close 4004);
    change :attr:`token` at any time. ``heartbeat_interval`` is in milliseconds.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        bot_id: int | None = None,
        bot_name: str = "Steward",
        application_id: int | None = None,
        application_flags: int = 0,
        heartbeat_interval: int = 41250,
        emulate_message_content_intent: bool = True,
    ) -> None:
        self.token = token
        self.heartbeat_interval = heartbeat_interval
        self.emulate_message_content_intent = emulate_message_content_intent
        self._last_snowflake = 0
        self._tokens: set[str] = set()

        self.users: dict[int, Json] = {}
        self.bot_user = self.add_user(bot_name, bot_id, bot=True)
        self.bot_id = int(self.bot_user["id"])
        self.application_id = application_id or self.bot_id
        self.application_flags = application_flags
        self.owner = self.add_user("owner")
        self.default_user = self.add_user("tester")

        self.guilds: dict[int, Json] = {}
        self.channels: dict[int, Json] = {}  # every known channel, guild or DM
        self.dm_channels: dict[int, Json] = {}  # user id -> DM channel
        self.messages: dict[int, Json] = {}
        self.attachments: dict[int, tuple[Json, bytes]] = {}
        self.global_commands: list[Json] = []
        self.guild_commands: dict[int, list[Json]] = {}
        self._command_ids: dict[tuple[int | None, int, str], int] = {}

        self.requests: list[RecordedRequest] = []
        self.internal_errors: list[Exception] = []  # exceptions in the stand-in's own handlers
        self.interactions: dict[str, InteractionExchange] = {}  # by token
        self.gateway_received: list[Json] = []  # every frame the bot sent
        self.gateway_connections: list[dict[str, str]] = []  # query of every connection
        self.gateway_close_codes: list[int | None] = []  # close code of every ended connection
        self.identify_payload: Json | None = None
        self.identify_count = 0
        self.resume_count = 0
        self.heartbeat_count = 0
        self.drop_count = 0

        self._session: _Session | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self._message_cursors: dict[int, int] = {}
        self._cond: asyncio.Condition | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """What ``discord.http.Route.BASE`` should be."""
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        """What ``DiscordWebSocket.DEFAULT_GATEWAY`` should be (also READY's resume URL)."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        """Listen on a free port on 127.0.0.1."""
        self._cond = asyncio.Condition()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway_handler)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self._attachment_handler)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._api_handler)
        app.router.add_route("*", "/{tail:.*}", self._api_handler)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        """Close every gateway connection and stop listening."""
        for ws in list(self._sockets):
            with contextlib.suppress(Exception):
                await ws.close(code=1001, message=b"stand-in shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> DiscordStandIn:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ------------------------------------------------------------------ ids and waiting

    def snowflake(self) -> int:
        """A new snowflake: time-based like Discord's, strictly increasing."""
        now = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last_snowflake = max(self._last_snowflake + 1, now)
        return self._last_snowflake

    def _new_token(self) -> str:
        while True:
            tok = "aW50ZXJhY3Rpb24" + secrets.token_hex(20)
            if tok not in self._tokens:
                self._tokens.add(tok)
                return tok

    async def _notify(self) -> None:
        if self._cond is None:
            return
        async with self._cond:
            self._cond.notify_all()

    async def _wait(self, check: Callable[[], Any], timeout: float, what: str) -> Any:
        assert self._cond is not None, "DiscordStandIn.start() was not called"
        try:
            async with asyncio.timeout(timeout), self._cond:
                return await self._cond.wait_for(check)
        except TimeoutError:
            recent = "\n  ".join(r.describe() for r in self.requests[-8:]) or "(none)"
            raise StandInTimeout(
                f"timed out after {timeout}s waiting for {what}; last requests:\n  {recent}"
            ) from None

    async def wait_until(
        self, predicate: Callable[[], Any], timeout: float = 5.0, what: str = "a condition"
    ) -> Any:
        """Wait until ``predicate()`` is truthy (re-checked whenever the stand-in records
        something: a request, a gateway frame, a connection change); returns its value."""
        return await self._wait(predicate, timeout, what)

    # ------------------------------------------------------------------ builders: entities

    def add_user(
        self,
        username: str,
        user_id: int | None = None,
        *,
        bot: bool = False,
        global_name: str | None = None,
    ) -> Json:
        """Register a user and return its payload."""
        uid = user_id or self.snowflake()
        user = {
            "id": str(uid),
            "username": username,
            "discriminator": "0",
            "global_name": global_name,
            "avatar": None,
            "bot": bot,
            "system": False,
            "public_flags": 0,
            "flags": 0,
        }
        if bot:
            user.update(verified=True, mfa_enabled=False, locale="en-US")
        self.users[uid] = user
        return user

    def user(self, user_id: int | None = None) -> Json:
        """The payload of a registered user (default: :attr:`default_user`)."""
        if user_id is None:
            return self.default_user
        try:
            return self.users[int(user_id)]
        except KeyError:
            return self.add_user(f"user{user_id}", int(user_id))

    def member_payload(
        self,
        user_id: int,
        *,
        roles: Sequence[int] = (),
        nick: str | None = None,
        permissions: str | None = None,
    ) -> Json:
        """A guild member payload (with ``user``); ``permissions`` as interactions carry it."""
        member: Json = {
            "user": dict(self.user(user_id)),
            "roles": [str(r) for r in roles],
            "nick": nick,
            "avatar": None,
            "joined_at": _iso(datetime.now(UTC)),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if permissions is not None:
            member["permissions"] = str(permissions)
        return member

    @staticmethod
    def text_channel(
        name: str,
        channel_id: int | None = None,
        *,
        position: int = 0,
        parent_id: int | None = None,
        topic: str | None = None,
    ) -> Json:
        """A guild text channel payload for :meth:`add_guild` (id assigned there when None)."""
        return {
            "id": str(channel_id) if channel_id else None,
            "type": 0,
            "name": name,
            "position": position,
            "permission_overwrites": [],
            "topic": topic,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": str(parent_id) if parent_id else None,
            "flags": 0,
        }

    @staticmethod
    def role(
        name: str,
        role_id: int | None = None,
        *,
        permissions: int | str = 0,
        position: int = 1,
    ) -> Json:
        """A role payload for :meth:`add_guild` (id assigned there when None)."""
        return {
            "id": str(role_id) if role_id else None,
            "name": name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": position,
            "permissions": str(permissions),
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }

    def add_guild(
        self,
        guild_id: int | None = None,
        name: str = "Test Guild",
        *,
        channels: Sequence[str | Json] = ("general",),
        roles: Sequence[Json] = (),
        owner_id: int | None = None,
        members: Iterable[int | Json] = (),
        everyone_permissions: int | str | None = None,
    ) -> Json:
        """Add a guild the bot is in; returns its GUILD_CREATE payload (kept and reused).

        The bot, the owner and :attr:`default_user` are always members. Add guilds before the
        bot connects; to add one later: ``await standin.dispatch("GUILD_CREATE", add_guild(...))``.
        """
        gid = guild_id or self.snowflake()
        owner = int(owner_id) if owner_id else int(self.owner["id"])
        if everyone_permissions is None:
            everyone_permissions = DEFAULT_MEMBER_PERMISSIONS
        everyone = self.role("@everyone", gid, permissions=everyone_permissions, position=0)
        role_list = [everyone]
        for r in roles:
            r = dict(r)
            r["id"] = r.get("id") or str(self.snowflake())
            role_list.append(r)
        chan_list = []
        for pos, c in enumerate(channels):
            c = self.text_channel(c, position=pos) if isinstance(c, str) else dict(c)
            c["id"] = c.get("id") or str(self.snowflake())
            c["guild_id"] = str(gid)
            chan_list.append(c)
            self.channels[int(c["id"])] = c
        member_list: list[Json] = []
        seen: set[int] = set()
        for m in [self.bot_id, owner, int(self.default_user["id"]), *members]:
            mp = self.member_payload(m) if isinstance(m, int) else dict(m)
            uid = int(mp["user"]["id"])
            if uid not in seen:
                seen.add(uid)
                self.users.setdefault(uid, mp["user"])
                member_list.append(mp)
        guild: Json = {
            "id": str(gid),
            "name": name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(owner),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": "en-US",
            "features": [],
            "system_channel_id": chan_list[0]["id"] if chan_list else None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "application_id": None,
            "joined_at": _iso(datetime.now(UTC)),
            "large": False,
            "unavailable": False,
            "member_count": len(member_list),
            "roles": role_list,
            "emojis": [],
            "stickers": [],
            "channels": chan_list,
            "threads": [],
            "members": member_list,
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }
        self.guilds[gid] = guild
        return guild

    def guild_channel(self, guild_id: int, name: str | None = None) -> Json:
        """A guild's channel by name (default: its first text channel)."""
        for c in self.guilds[int(guild_id)]["channels"]:
            if c["type"] == 0 and (name is None or c["name"] == name):
                return c
        raise KeyError(f"no text channel {name!r} in guild {guild_id}")

    def dm_channel(self, user_id: int | None = None) -> Json:
        """The DM channel between the bot and a user (created on first use)."""
        user = self.user(user_id)
        uid = int(user["id"])
        chan = self.dm_channels.get(uid)
        if chan is None:
            cid = self.snowflake()
            chan = {
                "id": str(cid),
                "type": 1,
                "last_message_id": None,
                "recipients": [dict(user)],
                "flags": 0,
            }
            self.dm_channels[uid] = chan
            self.channels[cid] = chan
        return chan

    def add_attachment(
        self, filename: str, data: bytes, content_type: str = "application/octet-stream"
    ) -> Json:
        """Serve ``data`` from the stand-in and return the attachment payload for it."""
        aid = self.snowflake()
        url = f"{self.base_url}/attachments/{aid}/{filename}"
        payload = {
            "id": str(aid),
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
            "ephemeral": False,
        }
        self.attachments[aid] = (payload, data)
        return payload

    # ------------------------------------------------------------------ builders: messages

    def _message_base(self, channel_id: int, author: Json, content: str) -> Json:
        mid = self.snowflake()
        chan = self.channels.get(int(channel_id))
        msg: Json = {
            "id": str(mid),
            "channel_id": str(channel_id),
            "type": 0,
            "content": content,
            "author": dict(author),
            "timestamp": _iso(discord.utils.snowflake_time(mid)),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": False,
            "flags": 0,
        }
        if chan is not None and chan.get("guild_id"):
            msg["guild_id"] = chan["guild_id"]
        return msg

    def guild_message(
        self,
        guild_id: int,
        content: str,
        *,
        channel_id: int | None = None,
        author_id: int | None = None,
        mention_bot: bool = False,
        attachments: Sequence[Json] = (),
    ) -> Json:
        """A MESSAGE_CREATE payload for a guild message (``mention_bot`` prefixes ``<@bot>``)."""
        chan = self.channels[int(channel_id)] if channel_id else self.guild_channel(guild_id)
        author = self.user(author_id)
        if mention_bot:
            content = f"<@{self.bot_id}> {content}"
        msg = self._message_base(int(chan["id"]), author, content)
        msg["guild_id"] = str(guild_id)
        member = self.member_payload(int(author["id"]))
        member.pop("user")
        msg["member"] = member
        if mention_bot:
            bot_member = self.member_payload(self.bot_id)
            bot_member.pop("user")
            msg["mentions"] = [{**self.bot_user, "member": bot_member}]
        msg["attachments"] = [dict(a) for a in attachments]
        self.messages[int(msg["id"])] = msg
        return msg

    def dm_message(
        self, content: str, *, author_id: int | None = None, attachments: Sequence[Json] = ()
    ) -> Json:
        """A MESSAGE_CREATE payload for a direct message from a user to the bot."""
        author = self.user(author_id)
        chan = self.dm_channel(int(author["id"]))
        msg = self._message_base(int(chan["id"]), author, content)
        msg["attachments"] = [dict(a) for a in attachments]
        self.messages[int(msg["id"])] = msg
        return msg

    # ------------------------------------------------------------------ builders: interactions

    def _interaction(
        self,
        itype: int,
        data: Json | None,
        *,
        guild_id: int | None,
        channel_id: int | None,
        user_id: int | None,
        permissions: int | str | None,
        app_permissions: int | str | None,
        locale: str,
        message: Json | None = None,
    ) -> Json:
        iid = self.snowflake()
        user = self.user(user_id)
        payload: Json = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": itype,
            "token": self._new_token(),
            "version": 1,
            "locale": locale,
            "app_permissions": str(
                DEFAULT_APP_PERMISSIONS if app_permissions is None else app_permissions
            ),
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if data is not None:
            payload["data"] = data
        if guild_id is not None:
            guild = self.guilds[int(guild_id)]
            chan = self.channels[int(channel_id)] if channel_id else self.guild_channel(guild_id)
            if permissions is None:
                permissions = (
                    ALL_PERMISSIONS
                    if guild["owner_id"] == user["id"]
                    else int(guild["roles"][0]["permissions"])
                )
            payload.update(
                guild_id=str(guild_id),
                guild={"id": str(guild_id), "locale": "en-US", "features": []},
                guild_locale=guild.get("preferred_locale", "en-US"),
                channel_id=chan["id"],
                channel=dict(chan),
                member=self.member_payload(int(user["id"]), permissions=str(permissions)),
                context=0,
                authorizing_integration_owners={"0": str(guild_id)},
            )
        else:
            chan = self.channels[int(channel_id)] if channel_id else self.dm_channel(user_id)
            payload.update(
                channel_id=chan["id"],
                channel=dict(chan),
                user=dict(user),
                context=1,
                authorizing_integration_owners={"0": "0"},
            )
        if message is not None:
            payload["message"] = message
        return payload

    def _command_id(self, name: str, ctype: int, guild_id: int | None) -> int | None:
        for cmd in self.guild_commands.get(guild_id, []) if guild_id else self.global_commands:
            if cmd["name"] == name and int(cmd.get("type", 1)) == ctype:
                return int(cmd["id"])
        return None

    def _command_data(
        self, name: str, ctype: int, guild_id: int | None, guild_command: bool | None
    ) -> Json:
        """``id``/``name``/``type`` (and ``guild_id`` for a guild command) of a command."""
        global_id = self._command_id(name, ctype, None)
        guild_id_cmd = self._command_id(name, ctype, guild_id) if guild_id else None
        if guild_command is None:
            guild_command = global_id is None and guild_id_cmd is not None
        data: Json = {"name": name, "type": ctype}
        if guild_command:
            if guild_id is None:
                raise ValueError("a guild command needs guild_id")
            data["id"] = str(guild_id_cmd or self.snowflake())
            data["guild_id"] = str(guild_id)
        else:
            data["id"] = str(global_id or self.snowflake())
        return data

    def _options(
        self, options: Mapping[str, Any] | Sequence[Json] | None, resolved: Json
    ) -> list[Json]:
        if options is None:
            return []
        if not isinstance(options, Mapping):
            return [dict(o) for o in options]
        out = []
        for name, value in options.items():
            if isinstance(value, bool):
                out.append({"name": name, "type": 5, "value": value})
            elif isinstance(value, int):
                out.append({"name": name, "type": 4, "value": value})
            elif isinstance(value, float):
                out.append({"name": name, "type": 10, "value": value})
            elif isinstance(value, str):
                out.append({"name": name, "type": 3, "value": value})
            elif isinstance(value, Mapping) and "filename" in value and "url" in value:
                resolved.setdefault("attachments", {})[str(value["id"])] = dict(value)
                out.append({"name": name, "type": 11, "value": str(value["id"])})
            elif isinstance(value, Mapping) and "type" in value and "value" in value:
                out.append({"name": name, **value})
            else:
                raise TypeError(f"cannot infer the option type of {name}={value!r}")
        return out

    def slash_command(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[Json] | None = None,
        *,
        guild_id: int | None = None,
        channel_id: int | None = None,
        user_id: int | None = None,
        permissions: int | str | None = None,
        app_permissions: int | str | None = None,
        locale: str = "en-US",
        guild_command: bool | None = None,
        resolved: Json | None = None,
        _itype: int = 2,
        _focused: str | None = None,
    ) -> Json:
        """An INTERACTION_CREATE payload for a slash command (type 2); DM when ``guild_id`` is None.

        ``name`` may hold a subcommand path: ``"faq search"`` or ``"admin faq reload"``.
        ``options`` maps option names to values; the type is inferred (str 3, int 4, bool 5,
        float 10, an :meth:`add_attachment` payload 11, or ``{"type": t, "value": v}``), or pass
        a list of raw option dicts. ``guild_command`` selects the guild-scoped registration
        (default: the global one when both are registered). ``permissions`` is the member's
        permission integer (default: @everyone's, or all for the guild owner).
        """
        head, *path = name.split()
        res: Json = dict(resolved or {})
        opts = self._options(options, res)
        if _focused is not None:
            for o in opts:
                if o["name"] == _focused:
                    o["focused"] = True
                    break
            else:
                opts.append({"name": _focused, "type": 3, "value": "", "focused": True})
        for depth, sub in enumerate(reversed(path)):
            opts = [{"name": sub, "type": 1 if depth == 0 else 2, "options": opts}]
        data = self._command_data(head, 1, guild_id, guild_command)
        data["options"] = opts
        if res:
            data["resolved"] = res
        return self._interaction(
            _itype,
            data,
            guild_id=guild_id,
            channel_id=channel_id,
            user_id=user_id,
            permissions=permissions,
            app_permissions=app_permissions,
            locale=locale,
        )

    def autocomplete(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[Json] | None = None,
        *,
        focused: str,
        **kwargs: Any,
    ) -> Json:
        """An autocomplete interaction (type 4): like :meth:`slash_command`, ``focused`` option
        marked (added with value "" if absent). Values are what the user has typed so far."""
        return self.slash_command(name, options, _itype=4, _focused=focused, **kwargs)

    def component_interaction(
        self,
        custom_id: str,
        message: Json,
        *,
        component_type: int = 2,
        values: Sequence[str] | None = None,
        user_id: int | None = None,
        permissions: int | str | None = None,
        app_permissions: int | str | None = None,
        locale: str = "en-US",
    ) -> Json:
        """A component interaction (type 3: button 2, string select 3, ...) on ``message``.

        ``message`` is the message the component is attached to, e.g. ``exchange.message``;
        its guild and channel are used. discord.py only routes the press to a view once the
        command that sent it has read the callback reply (see :meth:`run_app_command`).
        """
        data: Json = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = list(values)
        gid = message.get("guild_id")
        return self._interaction(
            3,
            data,
            guild_id=int(gid) if gid else None,
            channel_id=int(message["channel_id"]),
            user_id=user_id,
            permissions=permissions,
            app_permissions=app_permissions,
            locale=locale,
            message=dict(message),
        )

    def modal_submit(
        self,
        custom_id: str,
        values: Mapping[str, str],
        *,
        guild_id: int | None = None,
        channel_id: int | None = None,
        user_id: int | None = None,
        labels: bool = False,
        message: Json | None = None,
        permissions: int | str | None = None,
        locale: str = "en-US",
    ) -> Json:
        """A modal submit (type 5): ``values`` maps text-input custom_ids to what was typed.

        Inputs come in action rows, or in label components (type 18) with ``labels=True``.
        """
        comps: list[Json] = []
        for cid, value in values.items():
            text = {"type": 4, "id": len(comps) + 1, "custom_id": cid, "value": value}
            if labels:
                comps.append({"type": 18, "id": 100 + len(comps), "component": text})
            else:
                comps.append({"type": 1, "id": 100 + len(comps), "components": [text]})
        return self._interaction(
            5,
            {"custom_id": custom_id, "components": comps},
            guild_id=guild_id,
            channel_id=channel_id,
            user_id=user_id,
            permissions=permissions,
            app_permissions=None,
            locale=locale,
            message=message,
        )

    def message_command(
        self,
        name: str,
        target: Json,
        *,
        user_id: int | None = None,
        permissions: int | str | None = None,
        guild_command: bool | None = None,
        locale: str = "en-US",
    ) -> Json:
        """A message context-menu command (type 2, command type 3) on message ``target``."""
        gid = target.get("guild_id")
        guild_id = int(gid) if gid else None
        data = self._command_data(name, 3, guild_id, guild_command)
        data.update(target_id=target["id"], resolved={"messages": {target["id"]: dict(target)}})
        return self._interaction(
            2,
            data,
            guild_id=guild_id,
            channel_id=int(target["channel_id"]),
            user_id=user_id,
            permissions=permissions,
            app_permissions=None,
            locale=locale,
        )

    def user_command(
        self,
        name: str,
        target_user_id: int,
        *,
        guild_id: int | None = None,
        user_id: int | None = None,
        permissions: int | str | None = None,
        guild_command: bool | None = None,
        locale: str = "en-US",
    ) -> Json:
        """A user context-menu command (type 2, command type 2) on a user."""
        target = self.user(target_user_id)
        data = self._command_data(name, 2, guild_id, guild_command)
        resolved: Json = {"users": {target["id"]: dict(target)}}
        if guild_id is not None:
            member = self.member_payload(int(target["id"]), permissions=DEFAULT_MEMBER_PERMISSIONS)
            member.pop("user")
            resolved["members"] = {target["id"]: member}
        data.update(target_id=target["id"], resolved=resolved)
        return self._interaction(
            2,
            data,
            guild_id=guild_id,
            channel_id=None,
            user_id=user_id,
            permissions=permissions,
            app_permissions=None,
            locale=locale,
        )

    # ------------------------------------------------------------------ gateway: test-facing

    @property
    def connected(self) -> bool:
        """True while a bot holds an identified gateway connection."""
        s = self._session
        return s is not None and s.conn is not None and not s.conn.ws.closed

    async def wait_until_ready(self, timeout: float = 5.0) -> None:
        """Wait until the bot has identified and READY + GUILD_CREATEs were sent."""

        def ready() -> bool:
            return self._session is not None and self._session.ready and self.connected

        await self._wait(ready, timeout, "IDENTIFY and READY")

    async def dispatch(self, event: str, data: Json) -> int:
        """Send a gateway DISPATCH; returns its sequence number.

        While the connection is down the event is kept and replayed on RESUME, as Discord does.
        """
        session = self._session
        if session is None:
            raise RuntimeError("no bot has identified with the stand-in gateway yet")
        if event == "INTERACTION_CREATE":
            self._register_interaction(data)
        elif event in ("MESSAGE_CREATE", "MESSAGE_UPDATE"):
            self.messages.setdefault(int(data["id"]), data)
            data = self._apply_content_intent(data)
        async with session.lock:
            return await self._send_dispatch(session, event, data)

    async def interact(self, payload: Json, timeout: float = 5.0) -> InteractionExchange:
        """Dispatch INTERACTION_CREATE and wait for the bot's callback."""
        exchange = self._register_interaction(payload)
        await self.dispatch("INTERACTION_CREATE", payload)
        await exchange.wait_for_callback(timeout)
        return exchange

    async def run_app_command(
        self, client: discord.Client, payload: Json, timeout: float = 5.0
    ) -> InteractionExchange:
        """:meth:`interact`, then wait until ``client`` has finished running the command.

        Use this before pressing a button the command sent or submitting a modal it opened:
        discord.py registers views and modals only after reading the callback reply.
        """

        def same(interaction: discord.Interaction, _command: object) -> bool:
            return interaction.id == int(payload["id"])

        done = asyncio.ensure_future(
            client.wait_for("app_command_completion", check=same, timeout=timeout)
        )
        try:
            exchange = await self.interact(payload, timeout)
            await done
        except TimeoutError:
            raise StandInTimeout(
                f"command {payload['data'].get('name')!r} did not complete"
            ) from None
        finally:
            done.cancel()
        return exchange

    async def drop_gateway(self, code: int = 4000) -> None:
        """Close the bot's gateway connection with a resumable close code (default 4000).

        discord.py resumes after any close code except 1000 sent by itself and 4004, 4010-4014.
        """
        session = self._session
        if session is None or session.conn is None:
            raise RuntimeError("the bot is not connected")
        async with session.lock:
            conn, session.conn = session.conn, None
        self.drop_count += 1
        await conn.ws.close(code=code, message=b"dropped by stand-in")

    async def wait_for_resume(self, count: int | None = None, timeout: float = 5.0) -> None:
        """Wait until ``resume_count`` reaches ``count`` (default: one per drop so far)."""
        target = self.drop_count if count is None else count
        await self._wait(lambda: self.resume_count >= target and self.connected, timeout, "RESUME")

    # ------------------------------------------------------------------ REST: test-facing

    def find(self, route: str) -> list[RecordedRequest]:
        """Recorded requests of one route, e.g. ``"POST /channels/{channel_id}/messages"``."""
        return [r for r in self.requests if r.route == route]

    @property
    def unknown_requests(self) -> list[RecordedRequest]:
        """Requests no route matched (each was answered 404)."""
        return [r for r in self.requests if r.unknown]

    @property
    def failed_requests(self) -> list[RecordedRequest]:
        """Requests answered with a 4xx/5xx status."""
        return [r for r in self.requests if r.status >= 400]

    async def wait_for_request(
        self,
        predicate: Callable[[RecordedRequest], bool],
        timeout: float = 5.0,
        *,
        after: int = 0,
    ) -> RecordedRequest:
        """The first recorded request (index >= ``after``, past or future) matching ``predicate``.

        Use ``after=len(standin.requests)`` to ignore everything recorded so far.
        """

        def match() -> RecordedRequest | None:
            return next((r for r in self.requests[after:] if predicate(r)), None)

        return await self._wait(match, timeout, "a matching request")

    async def wait_for_message(self, channel_id: int, timeout: float = 5.0) -> RecordedRequest:
        """The next ``POST /channels/{channel_id}/messages`` not returned by an earlier call."""
        cid = str(channel_id)
        start = self._message_cursors.get(int(channel_id), 0)

        def match() -> RecordedRequest | None:
            for r in self.requests[start:]:
                if (
                    r.route == "POST /channels/{channel_id}/messages"
                    and r.path.split("/")[2] == cid
                    and r.status
                ):
                    return r
            return None

        req = await self._wait(match, timeout, f"a message posted to channel {channel_id}")
        self._message_cursors[int(channel_id)] = req.index + 1
        return req

    # ------------------------------------------------------------------ gateway internals

    def _register_interaction(self, payload: Json) -> InteractionExchange:
        exchange = self.interactions.get(payload["token"])
        if exchange is None:
            exchange = self.interactions[payload["token"]] = InteractionExchange(self, payload)
            self._tokens.add(payload["token"])
        return exchange

    def _apply_content_intent(self, data: Json) -> Json:
        if not self.emulate_message_content_intent or not data.get("guild_id"):
            return data
        intents = int((self.identify_payload or {}).get("intents", 0))
        if intents & MESSAGE_CONTENT_INTENT:
            return data
        author = (data.get("author") or {}).get("id")
        mentioned = any(str(m.get("id")) == str(self.bot_id) for m in data.get("mentions", []))
        if author == str(self.bot_id) or mentioned:
            return data
        return {**data, "content": "", "embeds": [], "attachments": [], "components": []}

    async def _send_dispatch(self, session: _Session, event: str, data: Json) -> int:
        """Log and send one dispatch; caller holds ``session.lock``."""
        session.seq += 1
        frame = {"op": 0, "s": session.seq, "t": event, "d": data}
        session.log.append((session.seq, frame))
        if session.conn is not None:
            await session.conn.send(frame)
        return session.seq

    async def _gateway_handler(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        conn = _Connection(ws, dict(request.query))
        self._sockets.add(ws)
        self.gateway_connections.append(conn.query)
        try:
            if request.query.get("v") != "10":
                await ws.close(code=4012, message=b"Invalid API version")
                return ws
            if request.query.get("encoding", "json") != "json":
                await ws.close(code=4002, message=b"Only encoding=json is served")
                return ws
            await conn.send({"op": 10, "s": None, "t": None, "d": self._hello()})
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    try:
                        frame = json.loads(msg.data)
                    except ValueError:
                        await ws.close(code=4002, message=b"Error while decoding payload")
                        break
                    self.gateway_received.append(frame)
                    await self._on_frame(conn, frame)
                elif msg.type is WSMsgType.BINARY:
                    await ws.close(code=4002, message=b"Binary frames are not served")
                    break
        finally:
            self._sockets.discard(ws)
            self.gateway_close_codes.append(ws.close_code)
            session = self._session
            if session is not None and session.conn is conn:
                session.conn = None
            await self._notify()
        return ws

    def _hello(self) -> Json:
        return {"heartbeat_interval": self.heartbeat_interval, "_trace": ["standin"]}

    async def _on_frame(self, conn: _Connection, frame: Json) -> None:
        op = frame.get("op")
        d = frame.get("d")
        if op == 1:
            self.heartbeat_count += 1
            await conn.send({"op": 11, "s": None, "t": None, "d": None})
        elif op == 2:
            await self._identify(conn, d or {})
        elif op == 6:
            await self._resume(conn, d or {})
        elif op == 8:
            await self._request_members(d or {})
        await self._notify()

    def _token_ok(self, token: str | None) -> bool:
        if not token:
            return False
        token = token.removeprefix("Bot ")
        return self.token is None or token == self.token

    async def _identify(self, conn: _Connection, d: Json) -> None:
        self.identify_count += 1
        self.identify_payload = d
        if not self._token_ok(d.get("token")):
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        old = self._session
        if old is not None and old.conn is not None and old.conn is not conn:
            with contextlib.suppress(Exception):
                await old.conn.ws.close(code=4009, message=b"Session replaced")
        session = _Session(session_id=secrets.token_hex(16), conn=conn)
        self._session = session
        ready: Json = {
            "v": 10,
            "user": dict(self.bot_user),
            "user_settings": {},
            "guilds": [{"id": str(gid), "unavailable": True} for gid in self.guilds],
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": self.application_flags},
            "geo_ordered_rtc_regions": [],
            "_trace": ["standin"],
        }
        if "shard" in d:
            ready["shard"] = d["shard"]
        async with session.lock:
            await self._send_dispatch(session, "READY", ready)
            for guild in self.guilds.values():
                await self._send_dispatch(session, "GUILD_CREATE", guild)
            session.ready = True

    async def _resume(self, conn: _Connection, d: Json) -> None:
        session = self._session
        if (
            session is None
            or d.get("session_id") != session.session_id
            or not self._token_ok(d.get("token"))
        ):
            await conn.send({"op": 9, "s": None, "t": None, "d": False})
            return
        last = int(d.get("seq") or 0)
        async with session.lock:
            session.conn = conn
            for seq, frame in session.log:
                if seq > last:
                    await conn.send(frame)
            await self._send_dispatch(session, "RESUMED", {"_trace": ["standin"]})
            self.resume_count += 1

    async def _request_members(self, d: Json) -> None:
        session = self._session
        guild = self.guilds.get(int(d.get("guild_id") or 0))
        if session is None or guild is None:
            return
        members = guild["members"]
        if d.get("user_ids"):
            wanted = {str(u) for u in d["user_ids"]}
            members = [m for m in members if m["user"]["id"] in wanted]
        elif d.get("query"):
            q = str(d["query"]).lower()
            members = [m for m in members if m["user"]["username"].lower().startswith(q)]
        if d.get("limit"):
            members = members[: int(d["limit"])]
        chunk: Json = {
            "guild_id": guild["id"],
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if d.get("nonce"):
            chunk["nonce"] = d["nonce"]
        if d.get("presences"):
            chunk["presences"] = []
        async with session.lock:
            await self._send_dispatch(session, "GUILD_MEMBERS_CHUNK", chunk)

    # ------------------------------------------------------------------ REST internals

    async def _attachment_handler(self, request: web.Request) -> web.StreamResponse:
        entry = self.attachments.get(int(request.match_info["attachment_id"]))
        if entry is None or entry[0]["filename"] != request.match_info["filename"]:
            return web.Response(status=404, text="asset not found")
        payload, data = entry
        return web.Response(body=data, headers={"Content-Type": payload["content_type"]})

    async def _api_handler(self, request: web.Request) -> web.StreamResponse:
        prefix = "/api/v10"
        raw = request.rel_url.path
        path = raw[len(prefix) :] if raw.startswith(prefix + "/") else raw
        body, files = await _read_body(request)
        rec = RecordedRequest(
            index=-1,
            method=request.method,
            path=path,
            query=dict(request.query),
            json=body,
            files=files,
            headers=dict(request.headers),
        )
        try:
            if not raw.startswith(prefix + "/"):
                raise _ApiError(404, "404: Not Found")
            handler, params, route, needs_auth = self._match(request.method, path)
            rec.route = route
            if handler is None:
                raise _ApiError(404, "404: Not Found")
            if needs_auth and not self._token_ok(request.headers.get("Authorization")):
                raise _ApiError(401, "401: Unauthorized")
            status, payload = await handler(rec, **params)
        except _ApiError as exc:
            status, payload = exc.status, exc.payload
        except Exception as exc:  # a stand-in bug or a payload it cannot read: fail loudly
            self.internal_errors.append(exc)
            status, payload = (
                400,
                {"message": f"stand-in could not handle this: {exc!r}", "code": 0},
            )
        rec.status = status
        if payload is not None:
            rec.response = payload
        rec.index = len(self.requests)  # recorded once answered, so waiters see it complete
        self.requests.append(rec)
        await self._notify()
        if payload is None:
            return web.Response(status=status)
        return web.Response(
            status=status,
            body=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )

    def _match(
        self, method: str, path: str
    ) -> tuple[RouteHandler | None, dict[str, str], str | None, bool]:
        parts = path.strip("/").split("/")
        for r_method, template, handler, needs_auth in self._routes():
            if r_method != method:
                continue
            t_parts = template.strip("/").split("/")
            if len(t_parts) != len(parts):
                continue
            params: dict[str, str] = {}
            for t, p in zip(t_parts, parts, strict=True):
                if t.startswith("{") and t.endswith("}"):
                    if p.startswith("@") and t != "{message_id}":
                        break
                    params[t[1:-1]] = p
                elif t != p:
                    break
            else:
                return handler, params, f"{method} {template}", needs_auth
        return None, {}, None, False

    def _routes(self) -> list[tuple[str, str, RouteHandler, bool]]:
        cmds = "/applications/{application_id}/commands"
        gcmds = "/applications/{application_id}/guilds/{guild_id}/commands"
        hook = "/webhooks/{application_id}/{token}"
        msgs = "/channels/{channel_id}/messages"
        return [
            ("GET", "/users/@me", self._r_me, True),
            ("GET", "/users/{user_id}", self._r_user, True),
            ("POST", "/users/@me/channels", self._r_create_dm, True),
            ("GET", "/oauth2/applications/@me", self._r_app_info, True),
            ("GET", "/applications/@me", self._r_app_info, True),
            ("GET", "/gateway", self._r_gateway, False),
            ("GET", "/gateway/bot", self._r_gateway_bot, True),
            ("GET", cmds, self._r_get_commands, True),
            ("PUT", cmds, self._r_put_commands, True),
            ("POST", cmds, self._r_post_command, True),
            ("GET", gcmds, self._r_get_commands, True),
            ("PUT", gcmds, self._r_put_commands, True),
            ("POST", gcmds, self._r_post_command, True),
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._r_callback, False),
            ("POST", hook, self._r_followup, False),
            ("GET", hook + "/messages/{message_id}", self._r_hook_get, False),
            ("PATCH", hook + "/messages/{message_id}", self._r_hook_edit, False),
            ("DELETE", hook + "/messages/{message_id}", self._r_hook_delete, False),
            ("GET", "/channels/{channel_id}", self._r_get_channel, True),
            ("GET", msgs, self._r_history, True),
            ("POST", msgs, self._r_send_message, True),
            ("GET", msgs + "/{message_id}", self._r_get_message, True),
            ("PATCH", msgs + "/{message_id}", self._r_edit_message, True),
            ("DELETE", msgs + "/{message_id}", self._r_delete_message, True),
            ("PUT", msgs + "/{message_id}/reactions/{emoji}/@me", self._r_no_content, True),
            ("POST", "/channels/{channel_id}/typing", self._r_no_content, True),
        ]

    # --- handlers: identity

    async def _r_me(self, rec: RecordedRequest) -> tuple[int, Any]:
        return 200, dict(self.bot_user)

    async def _r_user(self, rec: RecordedRequest, user_id: str) -> tuple[int, Any]:
        user = self.users.get(int(user_id)) if user_id.isdigit() else None
        if user is None:
            raise _ApiError(404, "Unknown User", 10013)
        return 200, dict(user)

    async def _r_app_info(self, rec: RecordedRequest) -> tuple[int, Any]:
        return 200, {
            "id": str(self.application_id),
            "name": self.bot_user["username"],
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "bot": dict(self.bot_user),
            "owner": dict(self.owner),
            "team": None,
            "verify_key": "0" * 64,
            "flags": self.application_flags,
            "tags": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "approximate_guild_count": len(self.guilds),
        }

    async def _r_gateway(self, rec: RecordedRequest) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url}

    async def _r_gateway_bot(self, rec: RecordedRequest) -> tuple[int, Any]:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    async def _r_create_dm(self, rec: RecordedRequest) -> tuple[int, Any]:
        recipient = (rec.json or {}).get("recipient_id")
        if recipient is None:
            raise _invalid_form("recipient_id", "This field is required", "BASE_TYPE_REQUIRED")
        return 200, dict(self.dm_channel(int(recipient)))

    # --- handlers: application commands

    def _check_app(self, application_id: str) -> None:
        if application_id != str(self.application_id):
            raise _ApiError(403, "Missing Access", 50001)

    def _command_list(self, guild_id: str | None) -> list[Json]:
        if guild_id is None:
            return self.global_commands
        return self.guild_commands.setdefault(int(guild_id), [])

    def _register_command(self, cmd: Json, guild_id: str | None) -> Json:
        ctype = int(cmd.get("type", 1))
        name = cmd.get("name")
        if not name:
            raise _invalid_form("name", "This field is required", "BASE_TYPE_REQUIRED")
        key = (int(guild_id) if guild_id else None, ctype, name)
        cid = self._command_ids.setdefault(key, self.snowflake())
        out = {
            **cmd,
            "id": str(cid),
            "application_id": str(self.application_id),
            "version": str(self.snowflake()),
            "type": ctype,
            "description": cmd.get("description", ""),
            "default_member_permissions": cmd.get("default_member_permissions"),
            "nsfw": cmd.get("nsfw", False),
        }
        if guild_id is not None:
            out["guild_id"] = str(guild_id)
        return out

    async def _r_get_commands(
        self, rec: RecordedRequest, application_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        self._check_app(application_id)
        return 200, list(self._command_list(guild_id))

    async def _r_put_commands(
        self, rec: RecordedRequest, application_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        self._check_app(application_id)
        if not isinstance(rec.json, list):
            raise _invalid_form("_root", "Must be an array")
        registered = [self._register_command(c, guild_id) for c in rec.json]
        target = self._command_list(guild_id)
        target[:] = registered
        return 200, registered

    async def _r_post_command(
        self, rec: RecordedRequest, application_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        self._check_app(application_id)
        cmd = self._register_command(rec.json or {}, guild_id)
        target = self._command_list(guild_id)
        target[:] = [c for c in target if c["id"] != cmd["id"]] + [cmd]
        return 201, cmd

    # --- handlers: interactions and webhooks

    def _exchange(
        self, token: str, code: int = 10015, message: str = "Unknown Webhook"
    ) -> InteractionExchange:
        exchange = self.interactions.get(token)
        if exchange is None:
            raise _ApiError(404, message, code)
        return exchange

    def _check_message_body(self, body: Json) -> None:
        content = body.get("content")
        if content is not None and len(str(content)) > MAX_CONTENT:
            raise _invalid_form(
                "content", f"Must be {MAX_CONTENT} or fewer in length.", "BASE_TYPE_MAX_LENGTH"
            )
        if len(body.get("embeds") or []) > 10:
            raise _invalid_form("embeds", "Must be 10 or fewer in length.", "BASE_TYPE_MAX_LENGTH")

    async def _r_callback(
        self, rec: RecordedRequest, interaction_id: str, token: str
    ) -> tuple[int, Any]:
        exchange = self._exchange(token, 10062, "Unknown interaction")
        if str(exchange.id) != interaction_id:
            raise _ApiError(404, "Unknown interaction", 10062)
        if exchange.callbacks:
            raise _ApiError(400, "Interaction has already been acknowledged.", 40060)
        body = rec.json if isinstance(rec.json, dict) else {}
        ctype = int(body.get("type", 0))
        itype = int(exchange.payload["type"])
        allowed = {2: {4, 5, 9, 12}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}.get(itype, {1})
        if ctype not in allowed:
            raise _ApiError(400, f"Interaction callback type {ctype} is not valid here", 40000)
        data = body.get("data") or {}
        info: Json = {"id": str(exchange.id), "type": itype}
        result: Json = {"interaction": info}
        if ctype == 8:
            choices = data.get("choices")
            if not isinstance(choices, list) or len(choices) > MAX_CHOICES:
                raise _invalid_form("data.choices", "Must be 25 or fewer in length.")
            for i, choice in enumerate(choices):
                if not 1 <= len(str(choice.get("name", ""))) <= 100:
                    raise _invalid_form(
                        f"data.choices.{i}.name", "Must be between 1 and 100 in length."
                    )
        elif ctype == 9:
            if not data.get("custom_id") or not data.get("title"):
                raise _invalid_form("data", "A modal needs custom_id and title")
        elif ctype in (4, 5):
            self._check_message_body(data)
            flags = int(data.get("flags") or 0)
            msg = self._bot_message(
                int(exchange.payload["channel_id"]),
                data if ctype == 4 else {"content": ""},
                rec.files,
                exchange=exchange,
            )
            msg["flags"] = flags if ctype == 4 else (flags & EPHEMERAL) | LOADING
            exchange.original_message = msg
            info.update(
                response_message_id=msg["id"],
                response_message_loading=ctype == 5,
                response_message_ephemeral=bool(flags & EPHEMERAL),
            )
            result["resource"] = {"type": ctype, "message": msg}
        elif ctype in (6, 7):
            target = exchange.payload.get("message")
            if target is None:
                raise _ApiError(400, "This interaction has no message to update", 40000)
            msg = self.messages.get(int(target["id"])) or dict(target)
            self.messages[int(msg["id"])] = msg
            if ctype == 7:
                self._check_message_body(data)
                self._apply_edit(msg, data, rec.files)
            exchange.original_message = msg
            info.update(
                response_message_id=msg["id"],
                response_message_loading=False,
                response_message_ephemeral=bool(int(msg.get("flags", 0)) & EPHEMERAL),
            )
            if ctype == 7:
                result["resource"] = {"type": 7, "message": msg}
        exchange.callbacks.append(rec)
        return 200, result

    def _hook_message(self, exchange: InteractionExchange, message_id: str) -> Json:
        if message_id == "@original":
            if exchange.original_message is None:
                raise _ApiError(404, "Unknown Message", 10008)
            return exchange.original_message
        for f in exchange.followups:
            if f.response and f.response["id"] == message_id:
                return self.messages.get(int(message_id), f.response)
        raise _ApiError(404, "Unknown Message", 10008)

    def _check_hook(self, application_id: str, token: str) -> InteractionExchange:
        exchange = self._exchange(token)
        if application_id != str(self.application_id):
            raise _ApiError(404, "Unknown Webhook", 10015)
        return exchange

    async def _r_followup(
        self, rec: RecordedRequest, application_id: str, token: str
    ) -> tuple[int, Any]:
        exchange = self._check_hook(application_id, token)
        if not exchange.callbacks:
            raise _ApiError(404, "Unknown Webhook", 10015)
        body = rec.json if isinstance(rec.json, dict) else {}
        self._check_message_body(body)
        msg = self._bot_message(
            int(exchange.payload["channel_id"]), body, rec.files, exchange=exchange
        )
        exchange.followups.append(rec)
        wait = rec.query.get("wait", "").lower() in ("1", "true")
        rec.response = msg  # visible through rec.message even when not returned
        return (200, msg) if wait else (204, None)

    async def _r_hook_get(
        self, rec: RecordedRequest, application_id: str, token: str, message_id: str
    ) -> tuple[int, Any]:
        exchange = self._check_hook(application_id, token)
        return 200, self._hook_message(exchange, message_id)

    async def _r_hook_edit(
        self, rec: RecordedRequest, application_id: str, token: str, message_id: str
    ) -> tuple[int, Any]:
        exchange = self._check_hook(application_id, token)
        msg = self._hook_message(exchange, message_id)
        body = rec.json if isinstance(rec.json, dict) else {}
        self._check_message_body(body)
        self._apply_edit(msg, body, rec.files)
        exchange.edits.append(rec)
        return 200, msg

    async def _r_hook_delete(
        self, rec: RecordedRequest, application_id: str, token: str, message_id: str
    ) -> tuple[int, Any]:
        exchange = self._check_hook(application_id, token)
        msg = self._hook_message(exchange, message_id)
        self.messages.pop(int(msg["id"]), None)
        if msg is exchange.original_message:
            exchange.original_message = None
        exchange.deletes.append(rec)
        return 204, None

    # --- handlers: channels and messages

    def _channel(self, channel_id: str) -> Json:
        chan = self.channels.get(int(channel_id)) if channel_id.isdigit() else None
        if chan is None:
            raise _ApiError(404, "Unknown Channel", 10003)
        return chan

    def _channel_message(self, channel_id: str, message_id: str) -> Json:
        self._channel(channel_id)
        msg = self.messages.get(int(message_id)) if message_id.isdigit() else None
        if msg is None or msg["channel_id"] != channel_id:
            raise _ApiError(404, "Unknown Message", 10008)
        return msg

    async def _r_get_channel(self, rec: RecordedRequest, channel_id: str) -> tuple[int, Any]:
        return 200, dict(self._channel(channel_id))

    async def _r_send_message(self, rec: RecordedRequest, channel_id: str) -> tuple[int, Any]:
        self._channel(channel_id)
        body = rec.json if isinstance(rec.json, dict) else {}
        self._check_message_body(body)
        if (
            not any(body.get(k) for k in ("content", "embeds", "components", "sticker_ids", "poll"))
            and not rec.files
        ):
            raise _ApiError(400, "Cannot send an empty message", 50006)
        return 200, self._bot_message(int(channel_id), body, rec.files)

    async def _r_history(self, rec: RecordedRequest, channel_id: str) -> tuple[int, Any]:
        self._channel(channel_id)
        limit = max(1, min(int(rec.query.get("limit", 50)), 100))
        before = int(rec.query.get("before", 1 << 63))
        after = int(rec.query.get("after", 0))
        found = [
            m
            for mid, m in self.messages.items()
            if m["channel_id"] == channel_id and after < mid < before
        ]
        found.sort(key=lambda m: int(m["id"]))
        # Newest first, like Discord; with ``after`` the ``limit`` messages right after it.
        page = found[:limit] if "after" in rec.query else found[-limit:]
        return 200, page[::-1]

    async def _r_get_message(
        self, rec: RecordedRequest, channel_id: str, message_id: str
    ) -> tuple[int, Any]:
        return 200, self._channel_message(channel_id, message_id)

    async def _r_edit_message(
        self, rec: RecordedRequest, channel_id: str, message_id: str
    ) -> tuple[int, Any]:
        msg = self._channel_message(channel_id, message_id)
        body = rec.json if isinstance(rec.json, dict) else {}
        self._check_message_body(body)
        self._apply_edit(msg, body, rec.files)
        return 200, msg

    async def _r_delete_message(
        self, rec: RecordedRequest, channel_id: str, message_id: str
    ) -> tuple[int, Any]:
        self._channel_message(channel_id, message_id)
        self.messages.pop(int(message_id))
        return 204, None

    async def _r_no_content(
        self, rec: RecordedRequest, channel_id: str, **_: str
    ) -> tuple[int, Any]:
        self._channel(channel_id)
        return 204, None

    # --- message objects

    def _attachments_from(
        self, body: Json, files: list[UploadedFile], old: list[Json]
    ) -> list[Json]:
        by_index = {}
        for f in files:
            if f.field.startswith("files[") and f.field.endswith("]"):
                by_index[f.field[6:-1]] = f
        old_by_id = {a["id"]: a for a in old}
        out = []
        entries = body.get("attachments")
        if entries is None:
            entries = [{"id": k, "filename": f.filename} for k, f in by_index.items()]
        for entry in entries:
            key = str(entry.get("id"))
            if key in by_index:
                f = by_index[key]
                att = self.add_attachment(
                    entry.get("filename") or f.filename or "file",
                    f.data,
                    f.content_type or "application/octet-stream",
                )
                if entry.get("description"):
                    att["description"] = entry["description"]
                out.append(att)
            elif key in old_by_id:
                out.append(old_by_id[key])
        return out

    def _bot_message(
        self,
        channel_id: int,
        body: Json,
        files: list[UploadedFile],
        *,
        exchange: InteractionExchange | None = None,
    ) -> Json:
        msg = self._message_base(channel_id, self.bot_user, str(body.get("content") or ""))
        msg.update(
            tts=bool(body.get("tts", False)),
            embeds=list(body.get("embeds") or []),
            components=list(body.get("components") or []),
            flags=int(body.get("flags") or 0),
            attachments=self._attachments_from(body, files, []),
        )
        if body.get("poll"):
            msg["poll"] = body["poll"]
        ref = body.get("message_reference")
        if ref:
            ref = {"type": 0, "channel_id": str(channel_id), **ref}
            msg["message_reference"] = ref
            msg["type"] = 19
            target = self.messages.get(int(ref["message_id"])) if ref.get("message_id") else None
            if target is not None:
                msg["referenced_message"] = target
            elif ref.get("fail_if_not_exists", True) and ref.get("message_id"):
                raise _invalid_form(
                    "message_reference", "Unknown message", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE"
                )
        if exchange is not None:
            p = exchange.payload
            user = (p.get("member") or {}).get("user") or p.get("user") or {}
            msg["webhook_id"] = str(self.application_id)
            msg["application_id"] = str(self.application_id)
            msg["type"] = 20 if int(p["type"]) == 2 else msg["type"]
            msg["interaction_metadata"] = {
                "id": str(exchange.id),
                "type": int(p["type"]),
                "user": dict(user),
                "authorizing_integration_owners": p.get("authorizing_integration_owners", {}),
            }
        chan = self.channels.get(channel_id)
        if chan is not None:
            chan["last_message_id"] = msg["id"]
        self.messages[int(msg["id"])] = msg
        return msg

    def _apply_edit(self, msg: Json, body: Json, files: list[UploadedFile]) -> None:
        for key in ("content", "embeds", "components"):
            if key in body:
                msg[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
        if "flags" in body and body["flags"] is not None:
            msg["flags"] = int(body["flags"]) | (int(msg.get("flags", 0)) & EPHEMERAL)
        msg["flags"] = int(msg.get("flags", 0)) & ~LOADING
        if "attachments" in body or files:
            msg["attachments"] = self._attachments_from(body, files, msg.get("attachments", []))
        msg["edited_timestamp"] = _iso(datetime.now(UTC))


async def _read_body(request: web.Request) -> tuple[Any, list[UploadedFile]]:
    ctype = request.content_type
    if ctype.startswith("multipart/"):
        payload: Any = None
        files: list[UploadedFile] = []
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            data = await part.read(decode=False)  # type: ignore[union-attr]
            name = part.name or ""
            if name == "payload_json":
                payload = json.loads(data.decode())
            else:
                files.append(
                    UploadedFile(name, part.filename, part.headers.get("Content-Type"), bytes(data))
                )
        return payload, files
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        return raw.decode(errors="replace"), []


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat()


ALL_PERMISSIONS = discord.Permissions.all().value
DEFAULT_MEMBER_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    read_message_history=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    use_application_commands=True,
    use_external_emojis=True,
).value
DEFAULT_APP_PERMISSIONS = (
    DEFAULT_MEMBER_PERMISSIONS
    | discord.Permissions(manage_messages=True, send_messages_in_threads=True).value
)


# --------------------------------------------------------------------------- running a bot


async def _until_ready(bot: discord.Client, standin: DiscordStandIn, guild_id: int | None) -> None:
    await standin.wait_until_ready()
    await bot.wait_until_ready()
    if guild_id is not None and bot.get_guild(guild_id) is None:  # GUILD_CREATE came late
        await bot.wait_for("guild_available", timeout=5)


@contextlib.asynccontextmanager
async def running(
    bot: discord.Client, standin: DiscordStandIn, token: str, guild_id: int | None = None
) -> AsyncIterator[asyncio.Task[None]]:
    """Run ``bot.start`` as a task until the bot is ready; close it cleanly afterwards."""
    task = asyncio.create_task(bot.start(token), name="bot.start")
    ready = asyncio.create_task(_until_ready(bot, standin, guild_id))
    try:
        await asyncio.wait({task, ready}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
        if not ready.done():
            ready.cancel()
            if task.done():
                task.result()  # raise why the bot stopped
            raise AssertionError("bot did not become ready")
        ready.result()
        yield task
    finally:
        ready.cancel()
        await bot.close()
        async with asyncio.timeout(5):
            await asyncio.gather(task, return_exceptions=True)
        assert task.done()
