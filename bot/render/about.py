"""`/about`: the data source, the cache's age and the LL2 budget left this hour."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import discord

from bot.catalog import Catalog, SyncPosition
from bot.ll2.budget import BudgetStatus
from bot.ll2.freshness import Freshness
from bot.ll2.results import Status
from bot.render.embeds import main_embed
from bot.render.fit import add_field, fit_message
from bot.render.lang import Lang
from bot.render.message import Message

ABOUT_COLOUR = discord.Colour(0x57606A)
RECOMMENDED_LL2_VERSION = "2.3.0"
LL2_LINK = "[Launch Library 2](https://thespacedevs.com/llapi)"


def catalog_line(position: SyncPosition, now: datetime, lang: Lang) -> str:
    """How much of LL2's catalog is held, and when the next page comes."""
    held = lang.say(
        "astronauts {astronauts} of {astronauts_total}, flights {flights} of {flights_total}",
        astronauts=lang.number(position.held(Catalog.ASTRONAUTS)),
        astronauts_total=_total(position, Catalog.ASTRONAUTS, lang),
        flights=lang.number(position.held(Catalog.FLIGHTS)),
        flights_total=_total(position, Catalog.FLIGHTS, lang),
    )
    if position.next_at is None:
        return held
    at = datetime.fromtimestamp(position.next_at, UTC)
    if at <= now:
        if position.under_way:
            return lang.say("{held}; next page now", held=held)
        return lang.say("{held}; complete, next refresh now", held=held)
    when = discord.utils.format_dt(at, "R")
    if position.under_way:
        return lang.say("{held}; next page {when}", held=held, when=when)
    return lang.say("{held}; complete, next refresh {when}", held=held, when=when)


def _total(position: SyncPosition, catalog: Catalog, lang: Lang) -> str:
    """LL2's count of a catalog, "?" while it is not known."""
    total = position.totals[catalog]
    return "?" if total is None else lang.number(total)


@dataclass(frozen=True, slots=True)
class Instance:
    """Which process answered and which of the bot's shards it runs."""

    shard_ids: tuple[int, ...]
    shard_count: int
    process: str
    """`host:pid`."""


def instance_text(instance: Instance, lang: Lang) -> str:
    """'shard 0 of 1 · process host:42', 'shards 0 to 3 of 8 · …', 'shards 1, 5 of 8 · …'."""
    ids, count = sorted(instance.shard_ids), instance.shard_count
    if len(ids) == 1:
        shards = lang.say("shard {id} of {count}", id=ids[0], count=count)
    elif ids == list(range(ids[0], ids[-1] + 1)):
        shards = lang.say(
            "shards {first} to {last} of {count}", first=ids[0], last=ids[-1], count=count
        )
    else:
        shards = lang.say(
            "shards {ids} of {count}", ids=lang.names([str(i) for i in ids]), count=count
        )
    return lang.say("{shards} · process {process}", shards=shards, process=instance.process)


def render_about(
    status: Status,
    version: str,
    now: datetime,
    instance: Instance,
    lang: Lang,
    catalog: SyncPosition | None = None,
) -> Message:
    """The data source, the cache, the budget, the index and the catalog, in the reader's
    language `lang`; `instance` says which process and shards answered."""
    embed = main_embed(
        lang.say("About Capcom"),
        ABOUT_COLOUR,
        Freshness(status.newest_fetch or now),
        lang,
        description=lang.say(
            "Crewed spaceflight for Discord. Flight, crew and landing data come from {source}"
            " by The Space Devs.",
            source=LL2_LINK,
        ),
        footer=f"Capcom {version}",
    )
    if status.ll2_version == RECOMMENDED_LL2_VERSION:
        api = f"LL2 {status.ll2_version}"
    else:
        api = lang.say(
            "LL2 {version} (unsupported upstream: set `LL2_BASE_URL` to a {recommended} URL"
            " for fresher data at a fraction of the requests)",
            version=status.ll2_version,
            recommended=RECOMMENDED_LL2_VERSION,
        )
    add_field(embed, lang.say("Data source"), api)
    add_field(embed, lang.say("Cache"), _cache_text(status, lang))
    add_field(embed, lang.say("LL2 budget"), _budget_text(status.budget, lang))
    counts = [
        lang.say_n("{count} astronaut", "{count} astronauts", status.astronauts),
        lang.say_n("{count} spacecraft", "{count} spacecraft", status.spacecraft),
        lang.say_n("{count} flight", "{count} flights", status.flights),
    ]
    add_field(embed, lang.say("Index"), lang.names(counts))
    if catalog is not None:
        add_field(embed, lang.say("Catalog"), catalog_line(catalog, now, lang))
    add_field(embed, lang.say("Answered by"), instance_text(instance, lang))
    return fit_message(Message(embeds=(embed,)), lang)


def _cache_text(status: Status, lang: Lang) -> str:
    """How many documents the cache holds and how old the newest is."""
    if status.newest_fetch is None:
        return lang.say_n(
            "{count} document; newest fetched never",
            "{count} documents; newest fetched never",
            status.documents,
        )
    return lang.say_n(
        "{count} document; newest fetched {when}",
        "{count} documents; newest fetched {when}",
        status.documents,
        when=discord.utils.format_dt(status.newest_fetch, "R"),
    )


def _budget_text(budget: BudgetStatus, lang: Lang) -> str:
    """The requests left of the hour's budget, and how long LL2 asked Capcom to wait."""
    remaining = lang.number(budget.remaining)
    if budget.blocked_until is None:
        return lang.say_n(
            "{remaining} of {count} request left this hour",
            "{remaining} of {count} requests left this hour",
            budget.limit,
            remaining=remaining,
        )
    resume = discord.utils.format_dt(datetime.fromtimestamp(budget.blocked_until, UTC), "T")
    return lang.say_n(
        "{remaining} of {count} request left this hour; LL2 asked us to wait until {time}",
        "{remaining} of {count} requests left this hour; LL2 asked us to wait until {time}",
        budget.limit,
        remaining=remaining,
        time=resume,
    )
