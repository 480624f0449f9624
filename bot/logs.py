"""How Capcom's log lines look: readable text (the default) or one JSON object per line
(`LOG_FORMAT=json`), and never a secret in either.

A line says which interaction, guild, shard and command it is about where there is
one: the responder sets `LOG_CONTEXT` while it answers, and `Context` copies it into
each record as the record is made (the batched handler formats lines in a thread of
its own, where the context is not). No `discord` import: the edge fills the context.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from bot.settings import LogFormat, Settings

TEXT_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
TEXT_DATES = "%Y-%m-%d %H:%M:%S"
CONTEXT_FIELDS = ("interaction", "guild", "shard", "command")
REDACTED = "[redacted]"

LOG_CONTEXT: ContextVar[dict[str, Any] | None] = ContextVar("capcom_log_context", default=None)
"""What the current task's lines are about (keys from `CONTEXT_FIELDS`), or None."""


class Context(logging.Filter):
    """Copies `LOG_CONTEXT` into each record, as attributes named after its keys."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = LOG_CONTEXT.get()
        if context:
            for key, value in context.items():
                if value is not None and not hasattr(record, key):
                    setattr(record, key, value)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, the
    context fields the record has, and `exception` with its traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in CONTEXT_FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)


class Redacting(logging.Formatter):
    """Another formatter's line with every secret replaced: whatever a library or an
    error message says, the token, the LL2 key and the database password never reach
    the log."""

    def __init__(self, inner: logging.Formatter, secrets: Iterable[str]) -> None:
        super().__init__()
        self._inner = inner
        # Longest first, so a secret inside another is not left half shown.
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        line = self._inner.format(record)
        for secret in self._secrets:
            line = line.replace(secret, REDACTED)
        return line


def secrets_of(settings: Settings) -> list[str]:
    """The values no log line may show: the token, the LL2 key, the database password."""
    found = [
        secret.get_secret_value()
        for secret in (settings.discord_token, settings.ll2_api_key)
        if secret is not None
    ]
    password = _password(settings.database)
    if password:
        found.append(password)
    return found


def _password(url: str) -> str | None:
    """The password in a `scheme://user:password@host/…` URL, as written."""
    _, _, rest = url.partition("://")
    credentials, at, _ = rest.rpartition("@")
    if not at:
        return None
    _, colon, password = credentials.partition(":")
    return password if colon else None


def formatter(log_format: LogFormat, secrets: Iterable[str] = ()) -> logging.Formatter:
    inner = JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT, TEXT_DATES)
    return Redacting(inner, secrets)


def prepared(handler: logging.Handler, settings: Settings) -> logging.Handler:
    """`handler` writing the chosen format (`LOG_FORMAT`), context added, secrets removed."""
    handler.setFormatter(formatter(settings.log_format, secrets_of(settings)))
    handler.addFilter(Context())
    return handler
