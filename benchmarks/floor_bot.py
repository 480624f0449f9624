"""The floor for benchmark 2: a minimal discord.py bot that answers `/flight` with the
very message Capcom sends for that flight, replayed.

`python -m benchmarks.floor_bot` with DISCORD_TOKEN, DISCORD_API_BASE_URL,
DISCORD_GATEWAY_URL and FLOOR_REPLIES set. discord.py is pointed at the stand-in exactly
as Capcom does it (`discord.http.Route.BASE`, `discord.gateway.DiscordWebSocket.
DEFAULT_GATEWAY`), with the same intents. FLOOR_REPLIES names a JSON file of replies
captured from Capcom (`capture`, `save_replies`): for each `flight` option, the message
body Capcom's callback carried and the bytes of its files. The floor turns each into
discord.py objects once, at start-up (embeds, the view, allowed mentions), and answers
`/flight flight:<text>` at once with them through the same `send_message` call Capcom
uses (a new `discord.File` per answer, as discord.py closes it once sent): what is left
is what any discord.py bot pays to send that message, so the benchmark's ratio is
Capcom's own cost, not the size of its answer. A flight with no captured reply is
answered "ok". Prints `floor ready` when ready; SIGTERM closes it.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import os
import signal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import yarl
from discord import app_commands

from bot.render.message import Attachment

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class CapturedReply:
    """A message body as Capcom's interaction callback carried it, and its files (each
    with its bytes)."""

    body: JSON
    files: tuple[Attachment, ...] = ()


def capture(body: JSON, attachments: Iterable[JSON], uploads: Mapping[int, bytes]) -> CapturedReply:
    """The reply whose callback carried `body` and whose message got `attachments` (the
    stand-in's message objects, each with its `id`), the bytes taken from `uploads`."""
    files = tuple(
        Attachment(a["filename"], uploads[int(a["id"])], a.get("description")) for a in attachments
    )
    return CapturedReply(body, files)


def reply_key(flight: str, locale: str) -> str:
    """The key of Capcom's answer to `/flight flight` for a reader in `locale`."""
    return f"{flight}/{locale}"


def save_replies(path: Path, replies: Mapping[str, CapturedReply]) -> None:
    path.write_text(
        json.dumps(
            {
                key: {
                    "body": reply.body,
                    "files": [
                        {
                            "filename": f.filename,
                            "description": f.description,
                            "data": base64.b64encode(f.data).decode(),
                        }
                        for f in reply.files
                    ],
                }
                for key, reply in replies.items()
            }
        )
    )


def load_replies(path: Path) -> dict[str, CapturedReply]:
    raw = json.loads(path.read_text())
    return {
        key: CapturedReply(
            entry["body"],
            tuple(
                Attachment(f["filename"], base64.b64decode(f["data"]), f.get("description"))
                for f in entry["files"]
            ),
        )
        for key, entry in raw.items()
    }


class Replay:
    """One captured reply as discord.py objects, built once; `send_kwargs` per answer."""

    def __init__(self, reply: CapturedReply) -> None:
        body = reply.body
        self._files = reply.files
        self._kwargs: dict[str, Any] = {
            "content": body.get("content"),
            "embeds": [discord.Embed.from_dict(e) for e in body.get("embeds") or []],
            "allowed_mentions": _allowed_mentions(body.get("allowed_mentions")),
        }
        view = _view(body.get("components") or [])
        if view is not None:
            self._kwargs["view"] = view
        flags = discord.MessageFlags._from_value(int(body.get("flags") or 0))
        if flags.suppress_notifications:
            self._kwargs["silent"] = True
        if flags.ephemeral:
            self._kwargs["ephemeral"] = True

    def send_kwargs(self) -> dict[str, Any]:
        kwargs = dict(self._kwargs)
        if self._files:
            kwargs["files"] = [
                discord.File(io.BytesIO(f.data), filename=f.filename, description=f.description)
                for f in self._files
            ]
        return kwargs


def _allowed_mentions(data: JSON | None) -> discord.AllowedMentions:
    if data is None:
        return discord.AllowedMentions.none()
    parse = data.get("parse") or []

    def listed(kind: str) -> bool | list[discord.Object]:
        if kind in data:
            return [discord.Object(int(i)) for i in data[kind]]
        return kind in parse

    return discord.AllowedMentions(
        everyone="everyone" in parse,
        users=listed("users"),
        roles=listed("roles"),
        replied_user=bool(data.get("replied_user", False)),
    )


def _view(rows: list[JSON]) -> discord.ui.View | None:
    """A stopped view (discord.py keeps no state for it) with the rows' buttons and selects."""
    if not rows:
        return None
    view = discord.ui.View(timeout=None)
    for number, row in enumerate(rows):
        for component in row["components"]:
            view.add_item(_item(component, number))
    view.stop()
    return view


def _item(data: JSON, row: int) -> discord.ui.Item[discord.ui.View]:
    if data["type"] == discord.ComponentType.button.value:
        emoji = data.get("emoji")
        return discord.ui.Button(
            style=discord.ButtonStyle(data.get("style", 2)),
            label=data.get("label"),
            custom_id=data.get("custom_id"),
            url=data.get("url"),
            disabled=bool(data.get("disabled", False)),
            emoji=emoji.get("name") if emoji else None,
            row=row,
        )
    if data["type"] == discord.ComponentType.string_select.value:
        return discord.ui.Select(
            custom_id=data["custom_id"],
            placeholder=data.get("placeholder"),
            min_values=data.get("min_values", 1),
            max_values=data.get("max_values", 1),
            disabled=bool(data.get("disabled", False)),
            options=[
                discord.SelectOption(
                    label=o["label"], value=o["value"], description=o.get("description")
                )
                for o in data["options"]
            ],
            row=row,
        )
    raise ValueError(f"the floor cannot replay a component of type {data['type']}")


class FloorBot(discord.Client):
    def __init__(self, replies: Mapping[str, CapturedReply]) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(intents=intents)
        self.replays = {key: Replay(reply) for key, reply in replies.items()}
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(
            app_commands.Command(name="flight", description="Replays", callback=_flight)
        )

    async def setup_hook(self) -> None:
        await self.tree.sync()

    async def on_ready(self) -> None:
        print("floor ready", flush=True)


async def _flight(interaction: discord.Interaction[FloorBot], flight: str) -> None:
    replay = interaction.client.replays.get(reply_key(flight, interaction.locale.value))
    if replay is None:
        await interaction.response.send_message("ok")
    else:
        await interaction.response.send_message(**replay.send_kwargs())


async def _main() -> None:
    discord.http.Route.BASE = os.environ["DISCORD_API_BASE_URL"].rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    path = os.environ.get("FLOOR_REPLIES")
    replies = load_replies(Path(path)) if path else {}
    async with FloorBot(replies) as client:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, lambda: asyncio.ensure_future(client.close()))
        await client.start(os.environ["DISCORD_TOKEN"])


if __name__ == "__main__":
    asyncio.run(_main())
