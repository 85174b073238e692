"""The bot process's own set-up: logging."""

from __future__ import annotations

import logging

import pytest

from bot.client import configure_logging


@pytest.fixture
def root_logging():
    """Restore the logging set-up the test changes."""
    root, library = logging.getLogger(), logging.getLogger("discord")
    handlers, levels = list(root.handlers), (root.level, library.level)
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(levels[0])
    library.setLevel(levels[1])


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_at_debug_discord_pys_loggers_stay_at_info(root_logging):
    configure_logging("debug")  # STEWARD_LOG_LEVEL=DEBUG
    collect = Collect()
    logging.getLogger().addHandler(collect)
    try:
        for name in ("discord.gateway", "discord.http", "discord.client", "discord.state"):
            assert logging.getLogger(name).getEffectiveLevel() >= logging.INFO, name
        logging.getLogger("discord.gateway").debug("For Shard ID None: WebSocket Event: %s", "{}")
        logging.getLogger("steward").debug("steward's own debug line")
        logging.getLogger("discord.gateway").info("Shard ID None has connected")
    finally:
        logging.getLogger().removeHandler(collect)
    assert [r.getMessage() for r in collect.records] == [
        "steward's own debug line",
        "Shard ID None has connected",
    ]


def test_a_quieter_level_applies_to_discord_py_too(root_logging):
    configure_logging("WARNING")
    assert logging.getLogger("discord.gateway").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("steward").getEffectiveLevel() == logging.WARNING
