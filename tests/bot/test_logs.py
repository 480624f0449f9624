"""Log lines: readable text or one JSON object per line, context added, secrets never."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from bot.logs import LOG_CONTEXT, REDACTED, prepared
from bot.settings import LogFormat, Settings

TOKEN = "discord-token-abc123"
KEY = "ll2-key-def456"
PASSWORD = "pg-pass-789"


def settings(log_format: LogFormat) -> Settings:
    return Settings(
        _env_file=None,
        log_format=log_format,
        discord_token=SecretStr(TOKEN),
        ll2_api_key=SecretStr(KEY),
        database_url=SecretStr(f"postgresql://capcom:{PASSWORD}@db.internal/capcom"),
    )


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, dict[str, io.StringIO]]]:
    logger = logging.getLogger("capcom.test.logs")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    streams = {"text": io.StringIO(), "json": io.StringIO()}
    handlers = [prepared(logging.StreamHandler(streams[f]), settings(f)) for f in ("text", "json")]
    for handler in handlers:
        logger.addHandler(handler)
    yield logger, streams
    for handler in handlers:
        logger.removeHandler(handler)


def test_json_lines_carry_the_interaction_they_are_about(
    logged: tuple[logging.Logger, dict[str, io.StringIO]],
) -> None:
    logger, streams = logged
    logger.info("starting")
    context = LOG_CONTEXT.set({"interaction": 7, "guild": 42, "shard": 1, "command": "flight"})
    try:
        logger.warning("/flight in guild %d: %d ms", 42, 120)
    finally:
        LOG_CONTEXT.reset(context)
    first, second = (json.loads(line) for line in streams["json"].getvalue().splitlines())
    assert set(first) == {"time", "level", "logger", "message"}
    assert first["message"] == "starting" and first["logger"] == "capcom.test.logs"
    assert second["level"] == "WARNING" and second["message"] == "/flight in guild 42: 120 ms"
    assert (second["interaction"], second["guild"], second["shard"], second["command"]) == (
        7,
        42,
        1,
        "flight",
    )
    assert (
        streams["text"]
        .getvalue()
        .splitlines()[1]
        .endswith("WARNING  capcom.test.logs: /flight in guild 42: 120 ms")
    )


def test_no_secret_reaches_either_format(
    logged: tuple[logging.Logger, dict[str, io.StringIO]],
) -> None:
    logger, streams = logged
    logger.info("token %s, key %s", TOKEN, KEY)
    try:
        raise ConnectionError(f"cannot connect to postgresql://capcom:{PASSWORD}@db.internal")
    except ConnectionError:
        logger.exception("database down")
    for stream in streams.values():
        text = stream.getvalue()
        assert REDACTED in text and "database down" in text
        for secret in (TOKEN, KEY, PASSWORD):
            assert secret not in text
    exception = json.loads(streams["json"].getvalue().splitlines()[1])["exception"]
    assert "ConnectionError" in exception
