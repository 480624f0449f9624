"""`capcom run`: the bot's lifetime, as nested `async with` blocks, and clean shutdown."""

from __future__ import annotations

import asyncio
import logging
import logging.handlers
import queue
import signal
import sys

import discord

from bot.discord_bot import CapcomBot, configure_endpoints
from bot.runtime import open_runtime
from bot.settings import Settings
from storage.database import StorageError

log = logging.getLogger(__name__)

LOG_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"

NO_TOKEN = (
    "DISCORD_TOKEN is not set. Create an application at "
    "https://discord.com/developers/applications, open Bot → Reset Token, and put the token "
    "in .env as DISCORD_TOKEN=… (see .env.example)."
)


async def _serve(settings: Settings, token: str) -> None:
    configure_endpoints(settings.discord_api_base_url, settings.discord_gateway_url)
    async with open_runtime(settings) as runtime, CapcomBot(runtime) as bot:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, lambda: asyncio.ensure_future(bot.close()))
        await bot.start(token)
    log.info("stopped")


class _Enqueue(logging.handlers.QueueHandler):
    """Hands each record to the writing thread as it is: formatting it is that thread's
    work too (the standard `prepare` would format it here, on the event loop)."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        return record


def _log_in_background(level: int) -> logging.handlers.QueueListener:
    """The root logger at `level`, its lines formatted and written to stderr by a thread
    of their own: a log line costs the event loop a queue put, not a write."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(LOG_FORMAT, "%Y-%m-%d %H:%M:%S"))
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    listener = logging.handlers.QueueListener(records, handler)
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(_Enqueue(records))
    listener.start()
    return listener


def run_bot(settings: Settings) -> int:
    if settings.discord_token is None:
        print(f"capcom: {NO_TOKEN}", file=sys.stderr)
        return 2
    listener = _log_in_background(settings.log_level_number)
    try:
        try:
            asyncio.run(_serve(settings, settings.discord_token.get_secret_value()))
        finally:
            listener.stop()  # every line written before anything else is said
    except discord.LoginFailure:
        print(
            "capcom: Discord rejected DISCORD_TOKEN; reset it in the Developer Portal.",
            file=sys.stderr,
        )
        return 2
    except discord.PrivilegedIntentsRequired:
        print("capcom: Discord refused the requested intents.", file=sys.stderr)
        return 2
    except StorageError as error:
        print(f"capcom: {error}", file=sys.stderr)
        return 1
    return 0
