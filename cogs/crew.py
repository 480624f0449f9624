"""`/crew`: one astronaut."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_bot import CapcomBot
from bot.render.crew import render_crew
from bot.responder import Reply, asker, lang_of, respond
from cogs.autocomplete import choices
from cogs.everywhere import everywhere
from storage.index import EntityKind


class Crew(commands.Cog):
    def __init__(self, bot: CapcomBot) -> None:
        self.bot = bot

    @everywhere
    @app_commands.command(name="crew", description="An astronaut: photo, agency, flights, bio")
    @app_commands.describe(astronaut="Astronaut name or id")
    async def crew(self, interaction: discord.Interaction[Any], astronaut: str) -> None:
        service = self.bot.service
        lang = lang_of(interaction)

        async def produce() -> Reply:
            fetched = await service.astronaut(astronaut, asker=asker(interaction))
            message = render_crew(fetched.value, fetched.freshness, service.now(), lang)
            return Reply(message, fetched.freshness)

        await respond(interaction, produce)

    @crew.autocomplete("astronaut")
    async def _astronaut_names(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return await choices(self.bot.service, EntityKind.ASTRONAUT, current)


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, CapcomBot)
    await bot.add_cog(Crew(bot))
