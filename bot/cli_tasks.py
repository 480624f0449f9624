"""The longer command-line jobs: an alert cycle and the catalog sync (with progress)."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import discord
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.alert_transport import DiscordTransport
from bot.catalog import SyncPosition, Turn, catalog_summary
from bot.discord_bot import configure_endpoints
from bot.render.alert import posting_lang, render_alert
from bot.render.errors import retry_text
from bot.render.lang import ENGLISH
from bot.render.message import Message
from bot.render.terminal import json_line, readable, render_terminal, terminal_safe
from bot.runtime import Runtime

EXIT_OK = 0


def write_attachment(message: Message, path: Path) -> str | None:
    """Writes the message's PNG attachment (`/flight`'s timeline) to `path`; what went
    wrong, if anything."""
    picture = next((a for a in message.attachments if a.filename.endswith(".png")), None)
    if picture is None:
        return "this message has no picture to write"
    try:
        path.write_bytes(picture.data)
    except OSError as error:
        return f"cannot write {path}: {error.strerror or error}"
    return None


async def alerts_dry_run(runtime: Runtime, *, as_json: bool) -> int:
    poll, planned = await runtime.alerts.dry_run()
    if poll.error:
        print(f"capcom: no poll: {poll.error}", file=sys.stderr)
        return 1
    for alert in planned:
        subscription = alert.subscription
        # No server to ask its language: the admin's pick, else English.
        message = render_alert(alert.notice, posting_lang(alert.notice.language, None))
        if as_json:
            record = {
                "flight_id": alert.event.flight_id,
                "kind": str(alert.event.kind),
                "guild_id": subscription.guild_id if subscription else None,
                "channel_id": subscription.channel_id if subscription else None,
                "message": message.to_dict(),
            }
            print(json_line(record))
        else:
            where = f"guild {subscription.guild_id}" if subscription else "no subscription"
            print(f"--- {alert.event.kind} of flight {alert.event.flight_id} → {where}")
            print(render_terminal(message))
    if poll.baseline:
        print(
            f"First poll: {poll.checked} people in space; nothing is announced until a"
            " poll has recorded who is up (run the bot, or `capcom alerts poll --once`).",
            file=sys.stderr,
        )
    elif not planned and not as_json:
        print(f"No alerts to send ({poll.checked} people in space).", file=sys.stderr)
    return EXIT_OK


async def alerts_cycle(runtime: Runtime, token: str, as_json: bool) -> int:
    """One real cycle: REST-only Discord login (no gateway), detect, deliver."""
    settings = runtime.settings
    configure_endpoints(settings.discord_api_base_url, settings.discord_gateway_url)
    client = discord.Client(intents=discord.Intents.none())
    try:
        await client.login(token)
        result = await runtime.alerts.cycle(DiscordTransport(client))
    finally:
        await client.close()
    if result.poll.error:
        print(f"capcom: no poll: {result.poll.error}", file=sys.stderr)
    for delivery in result.deliveries:
        entry = delivery.entry
        record = {
            "flight_id": entry.flight_id,
            "kind": str(entry.kind),
            "guild_id": entry.guild_id,
            "channel_id": entry.channel_id,
            "outcome": delivery.outcome.value,
            "note": delivery.note,
        }
        line = " ".join(f"{k}={v}" for k, v in record.items())
        print(json.dumps(record) if as_json else terminal_safe(line))
    return EXIT_OK


def _when(at: float, now: float) -> str:
    if at <= now + 1:
        return "now"
    clock = datetime.fromtimestamp(at, UTC).strftime("%H:%M UTC")
    wait = readable(retry_text(at, now, ENGLISH)).removeprefix("try again ")
    return f"at {clock} ({wait})"


def _note(position: SyncPosition, turn: Turn, now: float) -> str:
    """'flights 200 of 300, astronauts 0 of 700; next page now'."""
    waiting = f"{turn.waiting}; " if turn.waiting and turn.step is None else ""
    return f"{catalog_summary(position)}; {waiting}next page {_when(turn.next_at, now)}"


async def run_sync(runtime: Runtime, *, full: bool) -> int:
    """Page through LL2's catalog: a page whenever the budget has a spare slot (as the
    bot does) or room in the background share (asked for, so not paced), waiting in
    between."""
    sync = runtime.catalog
    interval = runtime.settings.sync_interval_seconds
    spare_slots = runtime.settings.sync_spare_slots
    if full:
        await sync.restart()
    before = await sync.indexed()
    console = Console(stderr=True)
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[note]}"),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("catalog sync", total=None, note="starting")
        while True:
            turn = await sync.turn(0.0, spare_slots=spare_slots)
            position = await sync.position()
            if not position.under_way:
                break
            now = time.time()
            left = position.pages_left
            progress.update(
                task,
                total=None if left is None else position.pages + left,
                completed=position.pages,
                note=_note(position, turn, now),
            )
            pause = turn.pause(now, interval)
            if pause:
                await asyncio.sleep(pause)
    after = await sync.indexed()
    changes = ", ".join(
        f"{kind.value}s {before[kind]} → {after[kind]} (+{after[kind] - before[kind]})"
        for kind in after
    )
    finished = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    console.print(f"Catalog sync complete at {finished}: {changes}")
    console.print(f"Catalog held: {catalog_summary(position)} (of LL2's count)")
    return EXIT_OK
