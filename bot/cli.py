"""`capcom`: run the bot, or preview its messages from the command line.

Exit status: 0 done, 1 the request failed (unknown id, LL2 unreachable with
nothing cached, budget spent), 2 a setting or argument is wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from bot import __version__
from bot.cli_tasks import alerts_cycle, alerts_dry_run, run_sync, write_attachment
from bot.ll2.client import LL2Error, Unavailable
from bot.logs import prepared
from bot.render.crew import render_crew
from bot.render.errors import unavailable_text
from bot.render.flight import render_flight
from bot.render.flights import render_flight_list
from bot.render.lang import ENGLISH, Lang, catalogs, lang_for
from bot.render.message import Message
from bot.render.terminal import json_line, readable, render_terminal
from bot.runtime import Runtime, open_runtime
from bot.serve import NO_TOKEN, run_bot
from bot.service import UnknownQuery
from bot.settings import Settings, SettingsError, load_settings
from storage.database import StorageError

EXIT_FAILED = 1
EXIT_USAGE = 2


def _spacecraft_id(text: str) -> int:
    """A spacecraft id for `--spacecraft`: LL2 ids start at 1 (0 means every spacecraft
    in the page buttons)."""
    if not (text.isascii() and text.isdecimal()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a spacecraft id: {text!r}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="capcom", description="Capcom: a Discord bot for crewed spaceflight."
    )
    parser.add_argument("--version", action="version", version=f"capcom {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="run the Discord bot")

    preview = commands.add_parser(
        "preview", help="print the message the bot would send, without Discord"
    )
    what = preview.add_subparsers(dest="what", required=True, metavar="WHAT")
    flight = what.add_parser("flight", help="one spacecraft flight (like /flight)")
    flight.add_argument("flight", help="flight id or name")
    flight.add_argument(
        "--png", metavar="PATH", help="also write the timeline picture the message attaches"
    )
    flights = what.add_parser("flights", help="a page of flights (like /flights)")
    flights.add_argument(
        "--spacecraft", type=_spacecraft_id, help="only this spacecraft's flights (id)"
    )
    flights.add_argument("--page", type=int, default=1, help="page number, from 1")
    crew = what.add_parser("crew", help="one astronaut (like /crew)")
    crew.add_argument("astronaut", help="astronaut name or id")
    for sub in (flight, flights, crew):
        sub.add_argument("--json", action="store_true", help="print the Discord message body")
        sub.add_argument(
            "--locale",
            type=_locale,
            default=ENGLISH,
            metavar="LOCALE",
            help="a reader's Discord locale, e.g. de or pt-BR (default: English)",
        )

    alerts = commands.add_parser("alerts", help="landing alerts")
    alert_commands = alerts.add_subparsers(dest="alerts_command", required=True, metavar="ACTION")
    poll = alert_commands.add_parser("poll", help="run one polling cycle")
    poll.add_argument("--once", action="store_true", help="one cycle, then exit (the default)")
    poll.add_argument(
        "--dry-run", action="store_true", help="send and record nothing; print what would be sent"
    )
    poll.add_argument("--json", action="store_true", help="one JSON object per alert")

    sync = commands.add_parser("sync", help="fill the local index from LL2's catalog")
    sync.add_argument("--full", action="store_true", help="start again from the first page")
    return parser


def _locale(code: str) -> Lang:
    """`--locale`: a Discord locale Capcom has a catalog for, or `en-US`."""
    lang = lang_for(code)
    if lang is ENGLISH and code != ENGLISH.code:
        known = ", ".join(sorted(catalogs()))
        raise argparse.ArgumentTypeError(f"no catalog for {code!r}; known: en-US, {known}")
    return lang


async def _preview_message(runtime: Runtime, args: argparse.Namespace) -> Message:
    service = runtime.service
    now = service.now()
    if args.what == "flight":
        flight = await service.flight(args.flight, asker=None)
        return render_flight(flight.value, flight.freshness, now, args.locale)
    if args.what == "flights":
        page = await service.flight_page(args.spacecraft, args.page, asker=None)
        return render_flight_list(page.value, page.freshness, now, args.locale)
    astronaut = await service.astronaut(args.astronaut, asker=None)
    return render_crew(astronaut.value, astronaut.freshness, now, args.locale)


async def _preview(settings: Settings, args: argparse.Namespace) -> int:
    async with open_runtime(settings) as runtime:
        message = await _preview_message(runtime, args)
    if getattr(args, "png", None):
        problem = write_attachment(message, Path(args.png))
        if problem is not None:
            return _fail(problem)
    if args.json:
        print(json_line(message.to_dict()))
    else:
        print(render_terminal(message))
    return 0


async def _alerts_poll(settings: Settings, args: argparse.Namespace) -> int:
    async with open_runtime(settings) as runtime:
        if args.dry_run:
            return await alerts_dry_run(runtime, as_json=args.json)
        if settings.discord_token is None:
            return _fail(NO_TOKEN, EXIT_USAGE)
        return await alerts_cycle(runtime, settings.discord_token.get_secret_value(), args.json)


async def _sync(settings: Settings, args: argparse.Namespace) -> int:
    async with open_runtime(settings) as runtime:
        return await run_sync(runtime, full=args.full)


def _fail(text: str, status: int = EXIT_FAILED) -> int:
    print(f"capcom: {text}", file=sys.stderr)
    return status


def _run_async(work: Callable[[], Coroutine[Any, Any, int]]) -> int:
    try:
        return asyncio.run(work())
    except Unavailable as error:
        return _fail(readable(unavailable_text(error.reason, error.retry_at, time.time(), ENGLISH)))
    except (LL2Error, UnknownQuery) as error:
        return _fail(str(error))
    except StorageError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        return _fail(str(error), EXIT_USAGE)
    if args.command == "run":
        return run_bot(settings)
    # A preview prints one message, or one line saying why it could not.
    level = logging.CRITICAL if args.command == "preview" else settings.log_level_number
    logging.basicConfig(
        level=level, handlers=[prepared(logging.StreamHandler(sys.stderr), settings)]
    )
    if args.command == "alerts":
        return _run_async(lambda: _alerts_poll(settings, args))
    if args.command == "sync":
        return _run_async(lambda: _sync(settings, args))
    return _run_async(lambda: _preview(settings, args))


if __name__ == "__main__":
    sys.exit(main())
