"""Typed settings from the environment (and an optional `.env` file), read by every command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.paths import BUNDLED_KNOWLEDGE

DEFAULT_API_BASE = "https://discord.com/api/v10"


class Settings(BaseSettings):
    """Everything `steward` reads from its environment; the README's environment table."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    discord_token: SecretStr | None = None
    steward_data_dir: Path = Path("data")
    steward_knowledge_dir: Path | None = None
    steward_owner_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    discord_api_base: str = DEFAULT_API_BASE
    discord_gateway_url: str | None = None
    # Sync commands to this server only (instant), for development; global sync otherwise.
    steward_dev_guild_id: int | None = None
    steward_rate_limit: int = Field(default=5, ge=1)
    steward_rate_window: float = Field(default=10.0, gt=0)
    steward_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    # off: answer from the lexical index alone (no sentence-embedding model), for small hosts
    steward_semantic: bool = True
    # discord.py waits this long after the last GUILD_CREATE before on_ready.
    steward_guild_ready_timeout: float = Field(default=2.0, gt=0)
    # How long to keep trying to log in, and then to open the gateway, before giving up.
    steward_connect_timeout: float = Field(default=60.0, gt=0)

    @field_validator("steward_owner_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",")]
            return frozenset(int(p) for p in parts if p)
        return value

    @field_validator("steward_log_level", mode="before")
    @classmethod
    def _level_upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("discord_api_base")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def knowledge_dir(self) -> Path:
        """`STEWARD_KNOWLEDGE_DIR`, else the knowledge bundled with the code."""
        return self.steward_knowledge_dir or BUNDLED_KNOWLEDGE


def invalid_settings(error: ValidationError) -> list[str]:
    """One line per invalid variable, naming it (its value is not shown: it may be a secret)."""
    return [
        f"{'.'.join(str(part) for part in e['loc']).upper() or 'settings'}: {e['msg']}"
        for e in error.errors()
    ]
