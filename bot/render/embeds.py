"""The embeds every renderer starts from: colours, the credit and age footer, fields."""

from __future__ import annotations

import discord

from bot.ll2.freshness import Freshness, StaleReason
from bot.render.lang import N_, Lang
from bot.render.limits import (
    DESCRIPTION_LIMIT,
    TITLE_LIMIT,
)
from bot.render.text import shorten
from bot.render.urls import safe_url

CREDIT = N_("Data: Launch Library 2 (The Space Devs)")


FLIGHT_COLOUR = discord.Colour(0x1F6FEB)


FLIGHTS_COLOUR = discord.Colour(0x6E40C9)


ASTRONAUT_COLOUR = discord.Colour(0x2DA44E)


IN_SPACE_COLOUR = discord.Colour(0x0E8A9E)


ERROR_COLOUR = discord.Colour(0xCF222E)


REASONS = {
    StaleReason.THROTTLED: N_("LL2 is rate-limiting"),
    StaleReason.UNREACHABLE: N_("LL2 is unreachable"),
    StaleReason.BUDGET: N_("Capcom's hourly LL2 budget is spent"),
    StaleReason.ERROR: N_("LL2 sent an unusable answer"),
    StaleReason.STORAGE: N_("Capcom's storage is not working right now"),
    StaleReason.SHARE: N_("your share of LL2 requests this hour is used"),
}
"""Why LL2 could not answer, as `StaleReason` says it in English."""


def stale_notice(freshness: Freshness, lang: Lang) -> str | None:
    """The first line of a main embed built from data that may be old."""
    if freshness.stale_reason is None:
        return None
    return lang.say(
        "⚠️ Data from {fetched} — {reason}",
        fetched=discord.utils.format_dt(freshness.fetched_at, "R"),
        reason=lang.say(REASONS[freshness.stale_reason]),
    )


def new_embed(
    title: str,
    colour: discord.Colour,
    *,
    url: str | None = None,
    description: str | None = None,
    thumbnail: str | None = None,
) -> discord.Embed:
    """An embed whose title (already escaped) and description are cut to Discord's limits."""
    embed = discord.Embed(
        title=shorten(title, TITLE_LIMIT) or None,
        url=safe_url(url),
        description=shorten(description, DESCRIPTION_LIMIT) if description else None,
        colour=colour,
    )
    thumbnail_url = safe_url(thumbnail)
    if thumbnail_url:
        embed.set_thumbnail(url=thumbnail_url)
    return embed


def main_embed(
    title: str,
    colour: discord.Colour,
    freshness: Freshness,
    lang: Lang,
    *,
    url: str | None = None,
    description: str | None = None,
    thumbnail: str | None = None,
    footer: str | None = None,
) -> discord.Embed:
    """The first embed of a message: stale warning, LL2 credit and the when-fetched time."""
    notice = stale_notice(freshness, lang)
    text = "\n\n".join(part for part in (notice, description) if part)
    embed = new_embed(title, colour, url=url, description=text or None, thumbnail=thumbnail)
    embed.set_footer(text=" · ".join(part for part in (footer, lang.say(CREDIT)) if part))
    embed.timestamp = freshness.fetched_at
    return embed
