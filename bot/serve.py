"""`capcom run`: the bot's lifetime, as nested `async with` blocks, and clean shutdown.

Before logging in, Capcom waits for Discord to answer at all: a DNS failure, a refused
connection, a proxy or an outage is said in one line per try, and tried again with
exponential back-off (at most `RETRY_MAX_SECONDS` apart), as discord.py's gateway does
once connected. A token Discord rejects stops it at once (exit 2).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys

import aiohttp
import discord
import yarl

from bot.batched_log import BatchedLog
from bot.discord_bot import CapcomBot, configure_endpoints
from bot.logs import prepared
from bot.monitor import CannotServe, serving
from bot.runtime import open_runtime
from bot.settings import Settings
from storage.database import StorageError

log = logging.getLogger(__name__)

NO_TOKEN = (
    "DISCORD_TOKEN is not set. Create an application at "
    "https://discord.com/developers/applications, open Bot → Reset Token, and put the token "
    "in .env as DISCORD_TOKEN=… (see .env.example)."
)
RETRY_FIRST_SECONDS = 1.0
RETRY_MAX_SECONDS = 60.0
PROBE_TIMEOUT = aiohttp.ClientTimeout(total=10)


def unreachable_because(error: Exception) -> str:
    """Why a request got no answer, in words (DNS, refused, proxy, TLS, timeout)."""
    if isinstance(error, TimeoutError):
        return f"no answer within {PROBE_TIMEOUT.total:.0f} s"
    if isinstance(error, aiohttp.ClientConnectorDNSError):
        return f"its name does not resolve ({error.os_error.strerror or error.os_error})"
    if isinstance(error, aiohttp.ClientProxyConnectionError):
        return f"the proxy cannot be reached ({error.os_error.strerror or error.os_error})"
    if isinstance(error, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError):
        return f"TLS failed ({error})"
    if isinstance(error, aiohttp.ClientConnectorError):
        number = error.os_error.errno  # asyncio words a refusal "Connect call failed (…)"
        reason = os.strerror(number) if number else str(error.os_error)
        return reason[:1].lower() + reason[1:]
    return f"{type(error).__name__}: {error}"


async def _probe(session: aiohttp.ClientSession, api_base_url: str) -> str | None:
    """Why Discord's API does not answer, or None if it does (any answer below 500: the
    unauthenticated `GET /gateway` needs no token)."""
    try:
        async with session.get(f"{api_base_url}/gateway") as response:
            if response.status >= 500:
                return f"it answered HTTP {response.status}"
            return None
    except (aiohttp.ClientError, TimeoutError, OSError) as error:
        return unreachable_because(error)


async def wait_for_discord(api_base_url: str, stopping: asyncio.Event) -> bool:
    """Return True once Discord's API answers, trying with exponential back-off and
    logging each failed try; False if `stopping` is set first."""
    delay = RETRY_FIRST_SECONDS
    url = yarl.URL(api_base_url)
    where = f"{url.host}:{url.port}"
    attempt = 0
    async with aiohttp.ClientSession(timeout=PROBE_TIMEOUT) as session:
        while not stopping.is_set():
            attempt += 1
            problem = await _probe(session, api_base_url)
            if problem is None:
                if attempt > 1:
                    log.info("Discord answers at %s now (try %d)", where, attempt)
                return True
            log.warning(
                "cannot reach Discord at %s (DISCORD_API_BASE_URL): %s; trying again in %.0f s"
                " (try %d)",
                where,
                problem,
                delay,
                attempt,
            )
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await stopping.wait()
            delay = min(delay * 2, RETRY_MAX_SECONDS)
    return False


def _silence_voice_warnings() -> None:
    """Capcom has no voice: discord.py's start-up warnings that the voice libraries
    (PyNaCl, davey) are missing are noise."""
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


async def _serve(settings: Settings, token: str) -> None:
    configure_endpoints(settings.discord_api_base_url, settings.discord_gateway_url)
    _silence_voice_warnings()
    async with (
        open_runtime(settings) as runtime,
        CapcomBot(runtime) as bot,
        serving(settings, runtime, bot),
    ):
        stopping = asyncio.Event()
        closing: list[asyncio.Future[None]] = []

        def stop() -> None:
            stopping.set()
            closing.append(asyncio.ensure_future(bot.close()))

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop)
        if await wait_for_discord(settings.discord_api_base_url, stopping):
            await bot.start(token)
    log.info("stopped")


def _log_in_background(settings: Settings) -> BatchedLog:
    """The root logger at `LOG_LEVEL`, its lines formatted (`LOG_FORMAT`) and written to
    stderr in batches by a thread of their own: a command's log line costs the event
    loop a queue put."""
    handler = BatchedLog(sys.stderr)
    root = logging.getLogger()
    root.setLevel(settings.log_level_number)
    root.addHandler(prepared(handler, settings))
    return handler


def run_bot(settings: Settings) -> int:
    if settings.discord_token is None:
        print(f"capcom: {NO_TOKEN}", file=sys.stderr)
        return 2
    log_lines = _log_in_background(settings)
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
    except CannotServe as error:
        print(f"capcom: {error}", file=sys.stderr)
        return 2
    except StorageError as error:
        print(f"capcom: {error}", file=sys.stderr)
        return 1
    except discord.HTTPException as error:
        print(f"capcom: Discord refused to start the bot: {error}", file=sys.stderr)
        return 1
    except (aiohttp.ClientError, OSError) as error:  # Discord went away while logging in
        print(f"capcom: lost Discord while starting: {unreachable_because(error)}", file=sys.stderr)
        return 1
    return 0
