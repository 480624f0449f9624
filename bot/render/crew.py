"""`/crew`: one astronaut's facts, a short bio and their flights."""

from __future__ import annotations

from datetime import datetime

import discord
from discord.utils import format_dt

from bot.ll2.freshness import Freshness
from bot.ll2.models import Astronaut, AstronautFlightRef
from bot.render.embeds import ASTRONAUT_COLOUR, main_embed
from bot.render.fit import add_field, fit_message
from bot.render.limits import FIELD_VALUE_LIMIT, NAME_LIMIT
from bot.render.message import Message
from bot.render.text import (
    clean,
    clean_name,
    format_date,
    format_duration,
    join_lines,
    plural,
    shorten_at_sentence,
    years_between,
)
from bot.render.urls import first_url

BIO_LIMIT = 500


def render_crew(astronaut: Astronaut, freshness: Freshness, now: datetime) -> Message:
    """The astronaut's card: photo, facts, a bio cut at a sentence, and their flights."""
    embed = main_embed(
        clean_name(astronaut.name, NAME_LIMIT * 2) or f"Astronaut {astronaut.id}",
        ASTRONAUT_COLOUR,
        freshness,
        url=astronaut.wiki,
        description=clean(shorten_at_sentence(astronaut.bio, BIO_LIMIT)) if astronaut.bio else None,
        thumbnail=first_url(astronaut.profile_image, astronaut.profile_image_thumbnail),
        footer=f"Astronaut {astronaut.id}",
    )
    if astronaut.in_space:
        add_field(embed, "In space now", "🚀 Yes", inline=True)
    add_astronaut_facts(embed, astronaut)
    born, died = astronaut.date_of_birth, astronaut.date_of_death
    if born is not None:
        age = years_between(born, died or now.date())
        add_field(embed, "Born", format_date(born) + ("" if died else f" (age {age})"), inline=True)
    if died is not None:
        at_death = f" (aged {years_between(born, died)})" if born else ""
        add_field(embed, "Died", format_date(died) + at_death, inline=True)
    if astronaut.eva_time:
        add_field(embed, "EVA time", format_duration(astronaut.eva_time), inline=True)
    if astronaut.flight_count is not None:
        add_field(embed, "Flights", str(astronaut.flight_count), inline=True)
    if astronaut.first_flight:
        add_field(embed, "First flight", format_dt(astronaut.first_flight, "D"), inline=True)
    if astronaut.last_flight:
        add_field(embed, "Last flight", format_dt(astronaut.last_flight, "D"), inline=True)
    if astronaut.flights:
        lines = [_flight_line(flight) for flight in astronaut.flights]
        title = f"Launches ({plural(len(lines), 'flight')})"
        add_field(embed, title, join_lines(lines, FIELD_VALUE_LIMIT))
    return fit_message(Message(embeds=(embed,)))


def _flight_line(flight: AstronautFlightRef) -> str:
    name = clean_name(flight.name) or f"Launch {flight.id}"
    return f"{format_dt(flight.net, 'D')} — {name}" if flight.net else name


def add_astronaut_facts(embed: discord.Embed, astronaut: Astronaut) -> None:
    """Agency, nationality, status and time in space as inline fields, where known."""
    facts = (
        ("Agency", astronaut.agency.name if astronaut.agency else None),
        ("Nationality", astronaut.nationality),
        ("Status", astronaut.status.name if astronaut.status else None),
        (
            "Time in space",
            format_duration(astronaut.time_in_space) if astronaut.time_in_space else None,
        ),
    )
    for name, value in facts:
        if value:
            add_field(embed, name, clean_name(value), inline=True)
