"""The floor for benchmark 2: a minimal discord.py bot with one no-op app command.

`python -m benchmarks.floor_bot` with DISCORD_TOKEN, DISCORD_API_BASE_URL and
DISCORD_GATEWAY_URL set. discord.py is pointed at the stand-in exactly as Capcom does it
(`discord.http.Route.BASE`, `discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`), with
the same intents; `/flight flight:<text>` answers "ok" at once. Prints `floor ready` when
ready; SIGTERM closes it.
"""

from __future__ import annotations

import asyncio
import os
import signal

import discord
import yarl
from discord import app_commands


class FloorBot(discord.Client):
    def __init__(self) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(intents=intents)
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(
            app_commands.Command(name="flight", description="No-op", callback=_flight)
        )

    async def setup_hook(self) -> None:
        await self.tree.sync()

    async def on_ready(self) -> None:
        print("floor ready", flush=True)


async def _flight(interaction: discord.Interaction[discord.Client], flight: str) -> None:
    await interaction.response.send_message("ok")


async def _main() -> None:
    discord.http.Route.BASE = os.environ["DISCORD_API_BASE_URL"].rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    async with FloorBot() as client:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, lambda: asyncio.ensure_future(client.close()))
        await client.start(os.environ["DISCORD_TOKEN"])


if __name__ == "__main__":
    asyncio.run(_main())
