"""`/flights`: one page of spacecraft flights with Previous / Next buttons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal

from discord.utils import format_dt

from bot.ll2.freshness import Freshness
from bot.ll2.models import SpacecraftFlightSummary
from bot.ll2.results import FlightPage
from bot.render.custom_ids import disabled_flights_page_custom_id, flights_page_custom_id
from bot.render.embeds import FLIGHTS_COLOUR, main_embed
from bot.render.fit import fit_message
from bot.render.lang import Lang
from bot.render.limits import DESCRIPTION_LIMIT
from bot.render.message import Button, Message
from bot.render.text import More, clean_name, join_lines

_DESCRIPTION_ROOM = DESCRIPTION_LIMIT - 200
"""Room for the flight lines, leaving space for the stale-data warning above them."""


def render_flight_list(
    page: FlightPage, freshness: Freshness, now: datetime, lang: Lang
) -> Message:
    """One line per flight (name, launch date, status, id for `/flight`), and page buttons."""
    name = clean_name(page.spacecraft_name)
    title = lang.say("Flights of {name}", name=name) if name else lang.say("Spacecraft flights")
    current, pages = max(page.page, 1), max(page.pages, 1)
    footer = lang.say_n(
        "Page {page} of {pages} · {count} flight",
        "Page {page} of {pages} · {count} flights",
        page.total,
        page=lang.number(current),
        pages=lang.number(pages),
    )
    if page.flights:
        lines = [_flight_line(flight, now, lang) for flight in page.flights]
        description = join_lines(lines, _DESCRIPTION_ROOM, lang, More.FLIGHTS)
    else:
        title = lang.say("No flights found")
        description = (
            lang.say("No flights on page {page}.", page=lang.number(current))
            if page.total
            else lang.say("LL2 lists no flights for this search.")
        )
    embed = main_embed(
        title, FLIGHTS_COLOUR, freshness, lang, description=description, footer=footer
    )
    rows = (_buttons(page.spacecraft_id, current, pages, lang),) if pages > 1 else ()
    return fit_message(Message(embeds=(embed,), rows=rows), lang)


def _flight_line(flight: SpacecraftFlightSummary, now: datetime, lang: Lang) -> str:
    launched = flight.launched_at
    name = f"**{clean_name(flight.name) or lang.say('Flight {id}', id=flight.id)}**"
    mission = flight.launch.mission.name if flight.launch and flight.launch.mission else None
    if mission and mission != flight.name:
        name = lang.say("{name} ({mission})", name=name, mission=clean_name(mission))
    parts = [
        name,
        format_dt(launched, "D") if launched else lang.say("date not set"),
        _status(flight, now, lang),
        f"`/flight {flight.id}`",
    ]
    return " · ".join(parts)


def _status(flight: SpacecraftFlightSummary, now: datetime, lang: Lang) -> str:
    if flight.mission_end is not None and flight.has_ended(now):
        return lang.say("landed {date}", date=format_dt(flight.mission_end, "D"))
    if flight.is_in_space(now):
        return lang.say("in space")
    if flight.launched_at is None or flight.launched_at > now:
        return lang.say("upcoming")
    return lang.say("ended, date unknown")


def _buttons(spacecraft: int | None, current: int, pages: int, lang: Lang) -> tuple[Button, Button]:
    return page_buttons(
        current,
        pages,
        lambda page: flights_page_custom_id(spacecraft, page),
        lambda page, side: disabled_flights_page_custom_id(spacecraft, page, side),
        lang,
    )


def page_buttons(
    current: int,
    pages: int,
    target: Callable[[int], str],
    disabled: Callable[[int, Literal["prev", "next"]], str],
    lang: Lang,
) -> tuple[Button, Button]:
    """Previous / Next of a paged message, labelled in `lang`: `target(page)` is the id
    of a button opening `page`, `disabled(current, side)` the id of one at either end of
    the list."""
    back, forward = lang.say("◀ Previous"), lang.say("Next ▶")
    previous = (
        Button(back, target(min(current - 1, pages)))
        if current > 1
        else Button(back, disabled(current, "prev"), disabled=True)
    )
    following = (
        Button(forward, target(current + 1))
        if current < pages
        else Button(forward, disabled(current, "next"), disabled=True)
    )
    return previous, following
