"""`/upcoming` and its page buttons: parse, call, render, send."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_bot import CapcomBot, service_of
from bot.ll2.fairness import Asker
from bot.render.custom_ids import UPCOMING_PAGE_PATTERN, upcoming_page_custom_id
from bot.render.lang import Lang
from bot.render.upcoming import render_upcoming
from bot.responder import Reply, asker, lang_of, respond
from bot.service import SpaceService
from cogs.everywhere import everywhere


async def _upcoming_page(service: SpaceService, page: int, who: Asker, lang: Lang) -> Reply:
    fetched = await service.upcoming(asker=who)
    message = render_upcoming(fetched.value, page, fetched.freshness, service.now(), lang)
    return Reply(message, fetched.freshness)


class UpcomingPageButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=UPCOMING_PAGE_PATTERN
):
    """Previous / Next of `/upcoming`: the custom_id holds the target page, so a press
    works after a restart."""

    def __init__(self, page: int) -> None:
        super().__init__(discord.ui.Button(custom_id=upcoming_page_custom_id(page)))
        self.page = page

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> UpcomingPageButton:
        return cls(max(1, int(match["page"])))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        service = service_of(interaction)
        who, lang = asker(interaction), lang_of(interaction)
        await respond(interaction, lambda: _upcoming_page(service, self.page, who, lang), edit=True)


class Upcoming(commands.Cog):
    def __init__(self, bot: CapcomBot) -> None:
        self.bot = bot

    @everywhere
    @app_commands.command(
        name="upcoming", description="The next crewed launches: when, status, crew, webcast"
    )
    @app_commands.describe(page="Page number")
    async def upcoming(
        self, interaction: discord.Interaction[Any], page: app_commands.Range[int, 1, 1000] = 1
    ) -> None:
        service = self.bot.service
        who, lang = asker(interaction), lang_of(interaction)
        await respond(interaction, lambda: _upcoming_page(service, page, who, lang))


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, CapcomBot)
    bot.add_dynamic_items(UpcomingPageButton)
    await bot.add_cog(Upcoming(bot))
