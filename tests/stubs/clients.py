"""A real discord.py client connected to the Discord stand-in, for the stand-in's tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypeVar

import discord
import pytest
from discord.ext import commands

from tests.stubs.discord import DiscordStub, configure_discord_client

C = TypeVar("C", bound=commands.Bot)


@asynccontextmanager
async def connected(
    stub: DiscordStub, client: C, token: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[C]:
    """`client` logged in, its commands synced and READY; closed afterwards. discord.py's
    endpoint defaults are restored by `monkeypatch` after the test."""
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    gateway_class = discord.gateway.DiscordWebSocket
    monkeypatch.setattr(gateway_class, "DEFAULT_GATEWAY", gateway_class.DEFAULT_GATEWAY)
    configure_discord_client(stub.api_base_url, stub.gateway_url)
    await client.login(token)
    await client.tree.sync()
    runner = asyncio.create_task(client.connect())
    await asyncio.wait_for(client.wait_until_ready(), 5)
    try:
        yield client
    finally:
        await client.close()
        await runner


class GuildsBot(commands.Bot):
    """A client with Capcom's intents (guilds only) and no commands of its own."""

    def __init__(self) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents(guilds=True),
            help_command=None,
            guild_ready_timeout=0.05,
        )
