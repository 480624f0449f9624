"""`/about`: where the data comes from, how old the cache is, what budget is left."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.discord_bot import CapcomBot
from bot.render.about import render_about
from bot.responder import Reply, lang_of, respond
from cogs.everywhere import everywhere


class About(commands.Cog):
    def __init__(self, bot: CapcomBot) -> None:
        self.bot = bot

    @everywhere
    @app_commands.command(name="about", description="Data source, cache age and LL2 budget")
    async def about(self, interaction: discord.Interaction[Any]) -> None:
        service = self.bot.service
        lang = lang_of(interaction)

        async def produce() -> Reply:
            status = await service.status()
            catalog = await self.bot.runtime.catalog.position()
            now, instance = service.now(), self.bot.instance
            message = render_about(status, __version__, now, instance, lang, catalog)
            return Reply(message, ephemeral=True)

        await respond(interaction, produce, ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, CapcomBot)
    await bot.add_cog(About(bot))
