"""`/about`: the data source, the cache's age and the LL2 budget left this hour."""

from __future__ import annotations

from datetime import UTC, datetime

import discord

from bot.catalog import SyncPosition, catalog_summary
from bot.ll2.freshness import Freshness
from bot.ll2.results import Status
from bot.render.embeds import main_embed
from bot.render.fit import add_field, fit_message
from bot.render.message import Message
from bot.render.text import plural

ABOUT_COLOUR = discord.Colour(0x57606A)
RECOMMENDED_LL2_VERSION = "2.3.0"


def catalog_line(position: SyncPosition, now: datetime) -> str:
    """How much of LL2's catalog is held, and when the next page comes."""
    line = catalog_summary(position)
    if position.next_at is None:
        return line
    at = datetime.fromtimestamp(position.next_at, UTC)
    when = "now" if at <= now else discord.utils.format_dt(at, "R")
    if position.under_way:
        return f"{line}; next page {when}"
    return f"{line}; complete, next refresh {when}"


def render_about(
    status: Status,
    version: str,
    now: datetime,
    instance: str,
    catalog: SyncPosition | None = None,
) -> Message:
    """The data source, the cache, the budget, the index and the catalog; `instance` says
    which process and shards answered."""
    budget = status.budget
    embed = main_embed(
        "About Capcom",
        ABOUT_COLOUR,
        Freshness(status.newest_fetch or now),
        description=(
            "Crewed spaceflight for Discord. Flight, crew and landing data come from "
            "[Launch Library 2](https://thespacedevs.com/llapi) by The Space Devs."
        ),
        footer=f"Capcom {version}",
    )
    api = f"LL2 {status.ll2_version}"
    if status.ll2_version != RECOMMENDED_LL2_VERSION:
        api += (
            f" (unsupported upstream: set `LL2_BASE_URL` to a {RECOMMENDED_LL2_VERSION} URL"
            " for fresher data at a fraction of the requests)"
        )
    add_field(embed, "Data source", api)
    newest = status.newest_fetch
    add_field(
        embed,
        "Cache",
        f"{plural(status.documents, 'document')}; newest fetched "
        + (discord.utils.format_dt(newest, "R") if newest else "never"),
    )
    blocked = budget.blocked_until
    budget_line = f"{budget.remaining} of {budget.limit} requests left this hour"
    if blocked is not None:
        resume = datetime.fromtimestamp(blocked, UTC)
        budget_line += f"; LL2 asked us to wait until {discord.utils.format_dt(resume, 'T')}"
    add_field(embed, "LL2 budget", budget_line)
    add_field(
        embed,
        "Index",
        ", ".join(
            (
                plural(status.astronauts, "astronaut"),
                plural(status.spacecraft, "spacecraft", "spacecraft"),
                plural(status.flights, "flight"),
            )
        ),
    )
    if catalog is not None:
        add_field(embed, "Catalog", catalog_line(catalog, now))
    add_field(embed, "Answered by", instance)
    return fit_message(Message(embeds=(embed,)))
