"""Settings, read from the environment and `.env` (names are the variables' names)."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from yarl import URL

from bot.ll2.api import VERSIONS
from storage.database import SQLITE_SCHEME, check_url

_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LogFormat = Literal["text", "json"]


class SettingsError(Exception):
    """A setting has a value Capcom cannot use; the message names the variable."""


def ll2_version(base_url: str) -> str:
    """The LL2 API version a base URL points at: its last path segment, e.g. `2.3.0`."""
    segments = [segment for segment in URL(base_url).path.split("/") if segment]
    version = segments[-1] if segments else ""
    if version not in VERSIONS:
        raise ValueError(
            "must end with a supported LL2 version ("
            + " or ".join(VERSIONS)
            + "), e.g. https://ll.thespacedevs.com/2.3.0"
        )
    return version


def _http_url(value: str) -> str:
    url = URL(value)
    if url.scheme not in ("http", "https", "ws", "wss") or not url.host:
        raise ValueError("must be an absolute http(s) or ws(s) URL")
    return value.rstrip("/")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        hide_input_in_errors=True,
    )

    discord_token: SecretStr | None = None
    discord_guild_id: int | None = Field(default=None, gt=0)
    discord_api_base_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str = "wss://gateway.discord.gg/"
    ll2_base_url: str = "https://ll.thespacedevs.com/2.3.0"
    ll2_api_key: SecretStr | None = None
    ll2_requests_per_hour: int = Field(default=15, ge=1, le=100_000)
    ll2_user_requests_per_hour: int | None = Field(default=None, ge=1, le=100_000)
    """None: a fifth of the hourly budget (see `user_share`)."""
    ll2_server_requests_per_hour: int | None = Field(default=None, ge=1, le=100_000)
    """None: two fifths of the hourly budget (see `server_share`)."""
    database_url: SecretStr | None = None
    database_path: Path = Path("./data/capcom.db")
    log_level: LogLevel = "INFO"
    log_format: LogFormat = "text"
    metrics_port: int | None = Field(default=None, ge=0, le=65_535)
    """None: no metrics server; 0: any free port (the log says which)."""
    metrics_host: str = "127.0.0.1"
    alert_poll_seconds: float = Field(default=1200, ge=0.1, le=86_400)
    alert_board_seconds: float = Field(default=60, ge=0.1, le=86_400)
    """How often live boards are compared with the cached data (no LL2 request)."""
    alert_board_stale_seconds: float = Field(default=21_600, ge=1, le=2_592_000)
    """From this age a board shows the upcoming launches' copy with its age."""
    sync_interval_seconds: float = Field(default=1800, ge=0.1, le=86_400)
    sync_spare_slots: bool = True
    upcoming_poll_seconds: float = Field(default=7200, ge=1, le=86_400)
    """Reminders: upcoming launches asked for this often while no launch is near."""
    upcoming_near_seconds: float = Field(default=10_800, ge=0, le=86_400)
    upcoming_near_poll_seconds: float = Field(default=1200, ge=1, le=86_400)
    """…and this often within `upcoming_near_seconds` of an exact NET, before and after."""
    upcoming_lead_seconds: float = Field(default=300, ge=0, le=3600)
    """…and once this long before each reminder, so it goes out on fresh data."""
    events_sync_seconds: float = Field(default=600, ge=0.1, le=86_400)
    """How often Discord scheduled events are brought in step with the cached launches."""
    events_horizon_days: float = Field(default=14, gt=0, le=365)
    events_per_server: int = Field(default=10, ge=1, le=100)
    """Capcom's scheduled events yet to start in one server (Discord allows 100 in all)."""
    shard_count: int | None = Field(default=None, ge=1, le=10_000)
    """None: as many as Discord recommends (`GET /gateway/bot`)."""
    shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = None
    """The shards this process runs (`0,1` or `0-3`); None: all of them."""

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _shard_list(cls, value: object) -> object:
        """`0,2,4-7` as ids; blank is unset."""
        if not isinstance(value, str):
            return value
        ids: list[int] = []
        for part in (p.strip() for p in value.split(",")):
            if not part:
                continue
            first, _, last = part.partition("-")
            if not (first.isdecimal() and (not last or last.isdecimal())):
                raise ValueError(f"{part!r} is not a shard id or a range like 0-3")
            ids += range(int(first), int(last or first) + 1)
        return tuple(sorted(set(ids))) or None

    @model_validator(mode="after")
    def _shards_fit(self) -> Settings:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("SHARD_IDS needs SHARD_COUNT, so every process agrees on it")
            if max(self.shard_ids) >= self.shard_count:
                raise ValueError(
                    f"SHARD_IDS names shard {max(self.shard_ids)}, but SHARD_COUNT is"
                    f" {self.shard_count} (shards are numbered from 0)"
                )
        return self

    @field_validator("discord_api_base_url", "discord_gateway_url", "ll2_base_url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        return _http_url(value)

    @field_validator("ll2_base_url")
    @classmethod
    def _supported_version(cls, value: str) -> str:
        ll2_version(value)
        return value

    @field_validator("database_url", mode="before")
    @classmethod
    def _database_url(cls, value: object) -> object:
        if isinstance(value, str):
            return check_url(value.strip()) if value.strip() else None
        return value

    @field_validator(
        "discord_token",
        "ll2_api_key",
        "shard_count",
        "discord_guild_id",
        "ll2_user_requests_per_hour",
        "ll2_server_requests_per_hour",
        "metrics_port",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @property
    def user_share(self) -> int:
        """LL2 requests one user's commands may cause in an hour: `LL2_USER_REQUESTS_PER_HOUR`,
        else a fifth of the budget (3 of 15, 200 of 1,000), at least 1."""
        return self.ll2_user_requests_per_hour or max(1, self.ll2_requests_per_hour // 5)

    @property
    def server_share(self) -> int:
        """The same for one server: `LL2_SERVER_REQUESTS_PER_HOUR`, else two fifths of the
        budget (6 of 15, 400 of 1,000), at least 1."""
        return self.ll2_server_requests_per_hour or max(1, 2 * self.ll2_requests_per_hour // 5)

    @property
    def ll2_version(self) -> str:
        return ll2_version(self.ll2_base_url)

    @property
    def database(self) -> str:
        """The database's URL: `DATABASE_URL`, else `DATABASE_PATH` as an SQLite URL."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"{SQLITE_SCHEME}{self.database_path}"

    @property
    def log_level_number(self) -> int:
        return logging.getLevelNamesMapping()[self.log_level]


def load_settings(env_file: Path | None = Path(".env")) -> Settings:
    """Read the settings, or raise SettingsError with one line per bad variable."""
    try:
        return Settings(_env_file=env_file)
    except ValidationError as error:
        lines = []
        for problem in error.errors(include_url=False, include_input=False):
            message = str(problem["msg"]).removeprefix("Value error, ")
            if problem["loc"]:
                message = f"{str(problem['loc'][0]).upper()}: {message}"
            lines.append(message)
        raise SettingsError("; ".join(lines)) from None
