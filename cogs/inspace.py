"""`/inspace`: who is in space right now."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_bot import CapcomBot
from bot.render.inspace import render_in_space
from bot.responder import Reply, asker, lang_of, respond
from cogs.everywhere import everywhere


class InSpace(commands.Cog):
    def __init__(self, bot: CapcomBot) -> None:
        self.bot = bot

    @everywhere
    @app_commands.command(name="inspace", description="Who is in space right now")
    async def inspace(self, interaction: discord.Interaction[Any]) -> None:
        service = self.bot.service
        lang = lang_of(interaction)

        async def produce() -> Reply:
            fetched = await service.in_space(asker=asker(interaction))
            message = render_in_space(fetched.value, fetched.freshness, service.now(), lang)
            return Reply(message, fetched.freshness)

        await respond(interaction, produce)


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, CapcomBot)
    await bot.add_cog(InSpace(bot))
