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
from bot.discord_bot import configure_endpoints
from bot.ll2.client import Unavailable, retry_phrase
from bot.render.alert import render_alert
from bot.render.message import Message
from bot.render.terminal import json_line, render_terminal, terminal_safe
from bot.runtime import Runtime
from bot.sync import SyncPosition

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
        message = render_alert(alert.notice)
        if as_json:
            record = {
                "flight_id": alert.event.flight_id,
                "kind": alert.event.kind,
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
            "kind": entry.kind,
            "guild_id": entry.guild_id,
            "channel_id": entry.channel_id,
            "outcome": delivery.outcome.value,
            "note": delivery.note,
        }
        line = " ".join(f"{k}={v}" for k, v in record.items())
        print(json.dumps(record) if as_json else terminal_safe(line))
    return EXIT_OK


def _estimate(runtime: Runtime, position: SyncPosition) -> str:
    hours = runtime.sync.estimate_hours(position)
    if hours is None:
        return "estimating…"
    if hours < 1:
        return f"about {max(1, round(hours * 60))} min left at the background budget"
    return f"about {hours:.1f} h left at the background budget"


async def run_sync(runtime: Runtime, *, full: bool) -> int:
    """Page through LL2's catalog on the background budget, waiting when it is spent."""
    sync = runtime.sync
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
            try:
                step = await sync.step()
            except Unavailable as error:
                wait = max(1.0, (error.retry_at or time.time() + 60) - time.time())
                note = f"{error.reason.value}; waiting, {retry_phrase(error.retry_at, time.time())}"
                progress.update(task, note=note)
                await asyncio.sleep(wait)
                continue
            if step is None:
                break
            position = step.position
            left = position.pages_left
            done_pages = position.pages_done
            progress.update(
                task,
                total=None if left is None else done_pages + left,
                completed=done_pages,
                note=f"{step.catalog.value} {step.offset + step.fetched}; "
                + _estimate(runtime, position),
            )
    after = await sync.indexed()
    changes = ", ".join(
        f"{kind.value}s {before[kind]} → {after[kind]} (+{after[kind] - before[kind]})"
        for kind in after
    )
    finished = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    console.print(f"Catalog sync complete at {finished}: {changes}")
    return EXIT_OK
