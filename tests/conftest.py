"""Shared fixtures: the bundled knowledge, and small knowledge directories built in tmp paths."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.answers import Engine
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.paths import BUNDLED_KNOWLEDGE

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def bundled() -> KnowledgeBase:
    """The shipped knowledge, loaded once (it must be valid)."""
    kb, problems = load_knowledge(BUNDLED_KNOWLEDGE)
    assert problems == []
    return kb


@pytest.fixture(scope="session")
def engine(bundled: KnowledgeBase) -> Engine:
    """An engine over the shipped knowledge (do not mutate: session-wide)."""
    return Engine(bundled)


# The unread split's scores, once per run, for its floors and for the run's closing summary.
_TEST_SPLIT: dict[str, dict] = {}


@pytest.fixture(scope="session")
def test_split_scores(engine: Engine) -> dict[str, dict]:
    """Every unread test file's summary (scores and confusion; nobody reads its failures)."""
    from bot.evaluation import load_suite, run_suite, summarise

    def entry_text(entry_id: str, lang: str) -> str | None:
        entry = engine.entry(entry_id)
        return entry.text(lang)[1] if entry else None

    if not _TEST_SPLIT:
        for path in sorted((DATA / "test").glob("*.yaml")):
            suite = load_suite(path.read_text(encoding="utf-8"))
            _TEST_SPLIT[path.name] = summarise(run_suite(suite, engine), entry_text)
    return _TEST_SPLIT


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """Print the unread split's per-kind scores (CI shows them on every run)."""
    if not _TEST_SPLIT:
        return
    terminalreporter.section("unread test split (tests/data/test)")
    for name, summary in _TEST_SPLIT.items():
        for metric, s in summary["scores"].items():
            terminalreporter.write_line(
                f"{name:22} {metric:28} {s['passed']:3}/{s['total']:<3} {s['score']:.1%}"
            )
        confusion = ", ".join(f"{k} {v}" for k, v in summary["confusion"].items())
        terminalreporter.write_line(f"{'':22} {confusion}")


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge."""
    target = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, target)
    return target


SMALL_SOURCE = "The committee met on Monday. Alice Smith chairs the committee. It has 12 members."


@pytest.fixture
def make_knowledge(tmp_path: Path) -> Callable[[str], Path]:
    """Build a one-source knowledge directory with the given FAQ file text."""

    def build(faq_yaml: str, name: str = "test.yaml") -> Path:
        root = tmp_path / "kb"
        (root / "sources").mkdir(parents=True, exist_ok=True)
        (root / "faq").mkdir(exist_ok=True)
        (root / "sources" / "memo.txt").write_text(SMALL_SOURCE, encoding="utf-8")
        (root / "sources.yaml").write_text(
            textwrap.dedent(
                """\
                - id: memo
                  title: A memo
                  outlet: Test outlet
                  url: https://example.org/memo
                  file: memo.txt
                  published: "2024-01-01"
                  kind: news
                """
            ),
            encoding="utf-8",
        )
        (root / "faq" / name).write_text(textwrap.dedent(faq_yaml), encoding="utf-8")
        return root

    return build


# -- the real bot against the loopback stand-in ---------------------------------------------

TOKEN = "steward-test-token"
GUILD_A = 2_100_000_000_000_000_001  # a Starbucks Workers United server
GUILD_B = 2_100_000_000_000_000_002  # an Amazon Labor Union server


@pytest.fixture
async def standin():
    """A loopback Discord with two servers; discord.py is pointed back at Discord afterwards."""
    from tests.discord_standin import DiscordStandIn, restore_discord_py_defaults

    async with DiscordStandIn(token=TOKEN) as s:
        s.add_guild(GUILD_A, "Starbucks Workers United", channels=["general"])
        s.add_guild(GUILD_B, "Amazon Labor Union", channels=["general"])
        try:
            yield s
        finally:
            restore_discord_py_defaults()


@pytest.fixture
def make_steward(standin, tmp_path: Path, knowledge_copy: Path):
    """Build a real StewardBot configured, like an operator would, to use the stand-in."""
    from bot.client import StewardBot, build_engine, point_discord_at
    from bot.config import Settings

    def make(**overrides: object) -> StewardBot:
        values: dict[str, object] = {
            "discord_token": TOKEN,
            "steward_data_dir": tmp_path / "data",
            "steward_knowledge_dir": knowledge_copy,
            "steward_owner_ids": frozenset({int(standin.owner["id"])}),
            "discord_api_base": standin.api_base,
            "discord_gateway_url": standin.gateway_url,
            "steward_guild_ready_timeout": 0.1,
        }
        values.update(overrides)
        settings = Settings(**values)  # type: ignore[arg-type]
        point_discord_at(settings.discord_api_base, settings.discord_gateway_url)
        return StewardBot(settings, build_engine(settings))

    return make


@pytest.fixture
async def steward(standin, make_steward):
    """A running Steward bot, closed cleanly after the test; no unknown routes were called."""
    from tests.discord_standin import running

    bot = make_steward()
    async with running(bot, standin, TOKEN, GUILD_A):
        yield bot
    assert standin.unknown_requests == [], [r.describe() for r in standin.unknown_requests]
    assert standin.internal_errors == []
