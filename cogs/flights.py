"""`/flight` and `/flights`, their page buttons and the crew menu: parse, call, render, send."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_bot import CapcomBot, service_of
from bot.ll2.fairness import Asker
from bot.render.crew import render_crew
from bot.render.custom_ids import (
    CREW_SELECT_CUSTOM_ID,
    FLIGHTS_PAGE_PATTERN,
    flights_page_custom_id,
    parse_flights_page_custom_id,
)
from bot.render.flight import render_flight
from bot.render.flights import render_flight_list
from bot.render.lang import Lang
from bot.responder import Reply, asker, lang_of, respond
from bot.service import SpaceService
from cogs.autocomplete import choices
from cogs.everywhere import everywhere
from storage.index import EntityKind


async def _flight_page(
    service: SpaceService, spacecraft_id: int | None, page: int, who: Asker, lang: Lang
) -> Reply:
    fetched = await service.flight_page(spacecraft_id, page, asker=who)
    message = render_flight_list(fetched.value, fetched.freshness, service.now(), lang)
    return Reply(message, fetched.freshness)


class FlightsPageButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=FLIGHTS_PAGE_PATTERN
):
    """Previous / Next of `/flights`: the custom_id holds the query and the target
    page, so a press works after a restart. Re-renders from the cache while fresh."""

    def __init__(self, spacecraft_id: int | None, page: int) -> None:
        super().__init__(discord.ui.Button(custom_id=flights_page_custom_id(spacecraft_id, page)))
        self.spacecraft_id = spacecraft_id
        self.page = page

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> FlightsPageButton:
        parsed = parse_flights_page_custom_id(match.string)
        if parsed is None:  # the template matched, the page guard did not (page 0)
            raise ValueError(f"not a page button: {match.string!r}")
        return cls(*parsed)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        service = service_of(interaction)
        lang = lang_of(interaction)
        await respond(
            interaction,
            lambda: _flight_page(service, self.spacecraft_id, self.page, asker(interaction), lang),
            edit=True,
        )


class CrewSelect(
    discord.ui.DynamicItem[discord.ui.Select[discord.ui.View]],
    template=re.escape(CREW_SELECT_CUSTOM_ID),
):
    """The crew menu under `/flight`: opens the chosen astronaut, for the chooser only."""

    def __init__(self) -> None:
        super().__init__(discord.ui.Select(custom_id=CREW_SELECT_CUSTOM_ID))

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> CrewSelect:
        return cls()

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        service = service_of(interaction)
        astronaut_id = self.item.values[0] if self.item.values else ""
        lang = lang_of(interaction)

        async def produce() -> Reply:
            fetched = await service.astronaut(astronaut_id, asker=asker(interaction))
            message = render_crew(fetched.value, fetched.freshness, service.now(), lang)
            return Reply(message, fetched.freshness)

        await respond(interaction, produce, ephemeral=True)


class Flights(commands.Cog):
    def __init__(self, bot: CapcomBot) -> None:
        self.bot = bot

    @everywhere
    @app_commands.command(
        name="flight", description="A crewed spacecraft flight: crew, dockings, landing"
    )
    @app_commands.describe(flight="Flight name or id")
    async def flight(self, interaction: discord.Interaction[Any], flight: str) -> None:
        service = self.bot.service
        lang = lang_of(interaction)

        async def produce() -> Reply:
            fetched = await service.flight(flight, asker=asker(interaction))
            message = render_flight(fetched.value, fetched.freshness, service.now(), lang)
            return Reply(message, fetched.freshness)

        await respond(interaction, produce)

    @flight.autocomplete("flight")
    async def _flight_names(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return await choices(self.bot.service, EntityKind.FLIGHT, current)

    @everywhere
    @app_commands.command(name="flights", description="Crewed spacecraft flights, page by page")
    @app_commands.describe(spacecraft="Only this spacecraft's flights", page="Page number")
    async def flights(
        self,
        interaction: discord.Interaction[Any],
        spacecraft: str | None = None,
        page: app_commands.Range[int, 1, 100_000] = 1,
    ) -> None:
        service = self.bot.service
        lang = lang_of(interaction)

        async def produce() -> Reply:
            spacecraft_id = await service.spacecraft_id(spacecraft) if spacecraft else None
            return await _flight_page(service, spacecraft_id, page, asker(interaction), lang)

        await respond(interaction, produce)

    @flights.autocomplete("spacecraft")
    async def _spacecraft_names(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return await choices(self.bot.service, EntityKind.SPACECRAFT, current)


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, CapcomBot)
    bot.add_dynamic_items(FlightsPageButton, CrewSelect)
    await bot.add_cog(Flights(bot))
