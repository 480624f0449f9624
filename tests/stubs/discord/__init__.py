"""A local stand-in for Discord (REST API v10 + gateway) that the real discord.py client uses.

    async with DiscordStub() as stub:
        guild = stub.add_guild(name="Test", channels=["general"])
        configure_discord_client(stub.api_base_url, stub.gateway_url)
        await bot.login("token")              # GET /users/@me, GET /oauth2/applications/@me
        await bot.tree.sync()                 # send_command types options from the sync
        task = asyncio.create_task(bot.connect())
        await stub.wait_ready()
        handle = await stub.send_command("status")
        response = await handle.wait_response()
        await bot.close()                     # before the stand-in closes
        await task

It answers the way Discord does where a bot can get it wrong: message and embed limits,
component limits, the 3-second first response, the 15-minute interaction token, command naming
rules, permissions (403s, hidden commands), rate limits on demand, edits and deletes of
messages, guild scheduled events on a clock of its own. Everything the client calls is
recorded in `stub.calls`; unknown routes answer 404 and are recorded too (`stub.unknown_calls`).

discord.py 2.7 behaviours this relies on or exposes:
- JSON is only parsed with `Content-Type: application/json` exactly (no charset).
- A 429 without a `Via` header is taken for a Cloudflare ban: raised, not retried.
- The HTTP client retries 500/502/504/524 after 1, 3, 5, 7 s and raises on other 5xx at once;
  the webhook adapter (interaction callbacks, follow-ups, edits) retries every 5xx that way.
- `on_ready` waits `guild_ready_timeout` (2 s) after the last GUILD_CREATE: pass a small one.
- Any IDENTIFY but a client's first sleeps 5 s (`Client.before_identify_hook`); RESUME does not.

The package, by concern: `server` (the aiohttp app, routes, faults, records: `DiscordStub`),
`gateway` (the websocket), `interactions` (injected interactions and the bot's answers),
`commands` (command sync and who is offered which command), `messages` (messages and files,
edits and deletes), `events` (guild scheduled events), `limits` (message limits),
`permissions`, `model` (guilds, channels, members), `rest` (requests and error bodies).
"""

from __future__ import annotations

from tests.stubs.discord.commands import CommandUnavailable
from tests.stubs.discord.events import StoredEvent
from tests.stubs.discord.interactions import InteractionHandle, InteractionResponse
from tests.stubs.discord.limits import MESSAGE_FLAG_EPHEMERAL
from tests.stubs.discord.messages import Pings, StoredMessage
from tests.stubs.discord.model import ChannelSpec, GuildSpec, MemberSpec, RoleSpec, UserSpec
from tests.stubs.discord.permissions import (
    ALL_PERMISSIONS,
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    EVERYTHING_BUT_ADMIN,
    Overwrite,
    Perm,
)
from tests.stubs.discord.server import Call, DiscordStub, configure_discord_client

__all__ = [
    "ALL_PERMISSIONS",
    "DEFAULT_BOT_PERMISSIONS",
    "DEFAULT_EVERYONE_PERMISSIONS",
    "EVERYTHING_BUT_ADMIN",
    "MESSAGE_FLAG_EPHEMERAL",
    "Call",
    "ChannelSpec",
    "CommandUnavailable",
    "DiscordStub",
    "GuildSpec",
    "InteractionHandle",
    "InteractionResponse",
    "MemberSpec",
    "Overwrite",
    "Perm",
    "Pings",
    "RoleSpec",
    "StoredEvent",
    "StoredMessage",
    "UserSpec",
    "configure_discord_client",
]
