"""`steward run` as an operator starts it, in its own process: giving up on an unreachable
Discord with one line, and stopping on SIGTERM (during login, or with questions queued and gap counts being
written) without a traceback, without leaving a question unanswered and without losing an
acknowledged count."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import sys
from pathlib import Path

from tests.conftest import GUILD_A, TOKEN

REPO = Path(__file__).resolve().parent.parent


async def start_steward(
    tmp_path: Path, api_base: str, gateway_url: str | None = None, **env: str
) -> asyncio.subprocess.Process:
    """`python -m bot run` in its own process, its settings from the environment only."""
    values = {
        **os.environ,
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_API_BASE": api_base,
        "STEWARD_DATA_DIR": str(tmp_path / "data"),
        "STEWARD_GUILD_READY_TIMEOUT": "0.1",
        "PYTHONPATH": str(REPO),
        **env,
    }
    if gateway_url:
        values["DISCORD_GATEWAY_URL"] = gateway_url
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=values,
        cwd=tmp_path,  # no .env there
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def finish(proc: asyncio.subprocess.Process) -> tuple[int, str]:
    """Wait (at most 30 s) for the process; its exit code and stderr."""
    _out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode is not None
    return proc.returncode, err.decode()


def refused_address() -> str:
    """An address where nothing listens: connections are refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/v10"


class SilentServer:
    """Accepts connections and never answers."""

    def __init__(self) -> None:
        self.connected = asyncio.Event()
        self._writers: list[asyncio.StreamWriter] = []

    async def __aenter__(self) -> SilentServer:
        async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connected.set()
            self._writers.append(writer)

        self.server = await asyncio.start_server(hold, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for w in self._writers:
            w.close()
        self.server.close()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"


def assert_one_line_no_traceback(stderr: str, *needles: str) -> None:
    assert "Traceback" not in stderr, stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("steward: ") and all(n in last for n in needles), stderr


async def test_unreachable_api_gives_up_with_one_line(tmp_path):
    api = refused_address()
    proc = await start_steward(tmp_path, api, STEWARD_CONNECT_TIMEOUT="2")
    code, err = await finish(proc)
    assert code == 1
    assert_one_line_no_traceback(err, "cannot log in", "127.0.0.1", "gave up")


async def test_api_that_never_answers_gives_up_with_one_line(tmp_path):
    async with SilentServer() as silent:
        proc = await start_steward(tmp_path, silent.api_base, STEWARD_CONNECT_TIMEOUT="2")
        code, err = await finish(proc)
    assert code == 1
    assert_one_line_no_traceback(err, "no answer within 2 s")


async def test_gateway_that_never_answers_gives_up_with_one_line(tmp_path, standin):
    async with SilentServer() as silent:
        gateway = f"ws://127.0.0.1:{silent.port}/"
        proc = await start_steward(tmp_path, standin.api_base, gateway, STEWARD_CONNECT_TIMEOUT="3")
        code, err = await finish(proc)
    assert code == 1
    assert_one_line_no_traceback(err, "gateway", "within 3 s")


async def test_sigterm_during_login_stops_without_traceback(tmp_path):
    async with SilentServer() as silent:
        proc = await start_steward(tmp_path, silent.api_base)
        await asyncio.wait_for(silent.connected.wait(), 30)  # logging in: GET /users/@me
        proc.send_signal(signal.SIGTERM)
        code, err = await finish(proc)
    assert code == 0 and "Traceback" not in err, err


async def test_sigterm_with_a_long_queue_answers_or_refuses_every_question(tmp_path, standin):
    """SIGTERM while many questions wait for the semantic engine (far more than the shutdown
    grace could answer) and gap counts are pending: the questions not answered yet are
    refused with "ask again", none is left without a reply, and every gap a decline
    acknowledged is on disk."""
    proc = await start_steward(
        tmp_path,
        standin.api_base,
        standin.gateway_url,
        STEWARD_RATE_LIMIT="1000000",
        STEWARD_LOG_LEVEL="WARNING",
    )
    await standin.wait_until(
        lambda: standin.connected and any(c["name"] == "ask" for c in standin.global_commands),
        timeout=60,
        what="steward to connect",
    )
    await standin.wait_until_ready()
    questions = [f"Who won the regional chess cup in year {1500 + i}?" for i in range(400)]
    exchanges = []
    for q in questions:  # asked faster than they are answered: a queue, and counts pending
        payload = standin.slash_command("ask", {"question": q}, guild_id=GUILD_A)
        exchanges.append(standin._register_interaction(payload))
        await standin.dispatch("INTERACTION_CREATE", payload)
    await standin.wait_until(
        lambda: sum(bool(ex.callbacks) for ex in exchanges) >= 150, 60, "150 acknowledgements"
    )
    proc.send_signal(signal.SIGTERM)
    code, err = await finish(proc)
    assert code == 0 and "Traceback" not in err and "Event loop is closed" not in err, err

    def final(ex) -> dict:
        return ex.edits[-1].json if ex.edits else ex.callbacks[0].json.get("data") or {}

    def declined(ex) -> bool:  # told it is not answered
        embeds = final(ex).get("embeds") or []
        return bool(embeds) and "title" not in embeds[0]

    def refused(ex) -> bool:  # told to ask again
        return "ask again" in (final(ex).get("content") or "")

    acknowledged = [ex for ex in exchanges if ex.callbacks]
    assert all(declined(ex) or refused(ex) for ex in acknowledged)
    told = [ex for ex in acknowledged if declined(ex)]
    assert told and any(refused(ex) for ex in acknowledged)
    with sqlite3.connect(tmp_path / "data" / "steward.sqlite3") as db:
        stored = dict(
            db.execute("SELECT text, count FROM gaps WHERE guild_id = ?", (str(GUILD_A),))
        )
    for ex in told:
        question = ex.payload["data"]["options"][0]["value"]
        assert stored.get(" ".join(question.casefold().split())) == 1, question
