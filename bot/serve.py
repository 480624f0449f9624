"""`capcom run`: the bot's lifetime, as nested `async with` blocks, and clean shutdown."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

import discord

from bot.batched_log import BatchedLog
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


def _log_in_background(level: int) -> BatchedLog:
    """The root logger at `level`, its lines formatted and written to stderr in batches by
    a thread of their own: a command's log line costs the event loop a queue put."""
    handler = BatchedLog(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT, "%Y-%m-%d %H:%M:%S"))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    return handler


def run_bot(settings: Settings) -> int:
    if settings.discord_token is None:
        print(f"capcom: {NO_TOKEN}", file=sys.stderr)
        return 2
    log_lines = _log_in_background(settings.log_level_number)
    try:
        try:
            asyncio.run(_serve(settings, settings.discord_token.get_secret_value()))
        finally:
            log_lines.flush()  # every line written before anything else is said
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
