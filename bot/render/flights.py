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
from bot.render.limits import DESCRIPTION_LIMIT
from bot.render.message import Button, Message
from bot.render.text import More, clean_name, join_lines, plural

PREVIOUS_LABEL = "◀ Previous"
NEXT_LABEL = "Next ▶"
_DESCRIPTION_ROOM = DESCRIPTION_LIMIT - 200
"""Room for the flight lines, leaving space for the stale-data warning above them."""


def render_flight_list(page: FlightPage, freshness: Freshness, now: datetime) -> Message:
    """One line per flight (name, launch date, status, id for `/flight`), and page buttons."""
    name = clean_name(page.spacecraft_name)
    title = f"Flights of {name}" if name else "Spacecraft flights"
    current, pages = max(page.page, 1), max(page.pages, 1)
    footer = f"Page {current} of {pages} · {plural(page.total, 'flight')}"
    if page.flights:
        lines = [_flight_line(flight, now) for flight in page.flights]
        description = join_lines(lines, _DESCRIPTION_ROOM, what=More.FLIGHTS)
    else:
        title = "No flights found"
        description = (
            f"No flights on page {current}."
            if page.total
            else "LL2 lists no flights for this search."
        )
    embed = main_embed(title, FLIGHTS_COLOUR, freshness, description=description, footer=footer)
    rows = (_buttons(page.spacecraft_id, current, pages),) if pages > 1 else ()
    return fit_message(Message(embeds=(embed,), rows=rows))


def _flight_line(flight: SpacecraftFlightSummary, now: datetime) -> str:
    launched = flight.launched_at
    name = f"**{clean_name(flight.name) or f'Flight {flight.id}'}**"
    mission = flight.launch.mission.name if flight.launch and flight.launch.mission else None
    if mission and mission != flight.name:
        name += f" ({clean_name(mission)})"
    parts = [
        name,
        format_dt(launched, "D") if launched else "date not set",
        _status(flight, now),
        f"`/flight {flight.id}`",
    ]
    return " · ".join(parts)


def _status(flight: SpacecraftFlightSummary, now: datetime) -> str:
    if flight.mission_end is not None and flight.has_ended(now):
        return f"landed {format_dt(flight.mission_end, 'D')}"
    if flight.is_in_space(now):
        return "in space"
    if flight.launched_at is None or flight.launched_at > now:
        return "upcoming"
    return "ended, date unknown"


def _buttons(spacecraft: int | None, current: int, pages: int) -> tuple[Button, Button]:
    return page_buttons(
        current,
        pages,
        lambda page: flights_page_custom_id(spacecraft, page),
        lambda page, side: disabled_flights_page_custom_id(spacecraft, page, side),
    )


def page_buttons(
    current: int,
    pages: int,
    target: Callable[[int], str],
    disabled: Callable[[int, Literal["prev", "next"]], str],
) -> tuple[Button, Button]:
    """Previous / Next of a paged message: `target(page)` is the id of a button opening
    `page`, `disabled(current, side)` the id of one at either end of the list."""
    previous = (
        Button(PREVIOUS_LABEL, target(min(current - 1, pages)))
        if current > 1
        else Button(PREVIOUS_LABEL, disabled(current, "prev"), disabled=True)
    )
    following = (
        Button(NEXT_LABEL, target(current + 1))
        if current < pages
        else Button(NEXT_LABEL, disabled(current, "next"), disabled=True)
    )
    return previous, following
