"""`/crew`: one astronaut's facts, a short bio and their flights."""

from __future__ import annotations

from datetime import datetime

import discord
from discord.utils import format_dt

from bot.ll2.freshness import Freshness
from bot.ll2.models import Astronaut, AstronautFlightRef
from bot.render.embeds import ASTRONAUT_COLOUR, main_embed
from bot.render.fit import add_field, fit_message
from bot.render.lang import N_, Lang
from bot.render.limits import FIELD_VALUE_LIMIT, NAME_LIMIT
from bot.render.message import Message
from bot.render.text import (
    clean,
    clean_name,
    format_date,
    format_duration,
    join_lines,
    shorten_at_sentence,
    years_between,
)
from bot.render.urls import first_url

BIO_LIMIT = 500
STATUS_WORDS = {
    1: N_("Active"),
    2: N_("Retired"),
    3: N_("In-Training"),
    4: N_("Lost In Flight"),
    5: N_("Lost In Training"),
    6: N_("Died While In Active Service"),
    7: N_("Dismissed"),
    8: N_("Resigned during Training"),
    11: N_("Deceased"),
}
"""Each astronaut status LL2 has, by id, as LL2 names it in English (`Lang.say`
translates); one LL2 adds later shows by its own name."""


def render_crew(astronaut: Astronaut, freshness: Freshness, now: datetime, lang: Lang) -> Message:
    """The astronaut's card: photo, facts, a bio cut at a sentence, and their flights."""
    embed = main_embed(
        astronaut_name(astronaut, lang, NAME_LIMIT * 2),
        ASTRONAUT_COLOUR,
        freshness,
        lang,
        url=astronaut.wiki,
        description=clean(shorten_at_sentence(astronaut.bio, BIO_LIMIT)) if astronaut.bio else None,
        thumbnail=first_url(astronaut.profile_image, astronaut.profile_image_thumbnail),
        footer=lang.say("Astronaut {id}", id=astronaut.id),
    )
    if astronaut.in_space:
        add_field(embed, lang.say("In space now"), lang.say("🚀 Yes"), inline=True)
    add_astronaut_facts(embed, astronaut, lang)
    born, died = astronaut.date_of_birth, astronaut.date_of_death
    if born is not None:
        age = years_between(born, died or now.date())
        text = format_date(born)
        if not died:
            text = lang.say_n("{date} (age {count})", "{date} (age {count})", age, date=text)
        add_field(embed, lang.say("Born"), text, inline=True)
    if died is not None:
        text = format_date(died)
        if born:
            aged = years_between(born, died)
            text = lang.say_n("{date} (aged {count})", "{date} (aged {count})", aged, date=text)
        add_field(embed, lang.say("Died"), text, inline=True)
    if astronaut.eva_time:
        add_field(
            embed, lang.say("EVA time"), format_duration(astronaut.eva_time, lang), inline=True
        )
    if astronaut.flight_count is not None:
        add_field(embed, lang.say("Flights"), lang.number(astronaut.flight_count), inline=True)
    if astronaut.first_flight:
        add_field(
            embed, lang.say("First flight"), format_dt(astronaut.first_flight, "D"), inline=True
        )
    if astronaut.last_flight:
        add_field(
            embed, lang.say("Last flight"), format_dt(astronaut.last_flight, "D"), inline=True
        )
    if astronaut.flights:
        lines = [_flight_line(flight, lang) for flight in astronaut.flights]
        title = lang.say_n("Launches ({count} flight)", "Launches ({count} flights)", len(lines))
        add_field(embed, title, join_lines(lines, FIELD_VALUE_LIMIT, lang))
    return fit_message(Message(embeds=(embed,)), lang)


def astronaut_name(astronaut: Astronaut, lang: Lang, limit: int = NAME_LIMIT) -> str:
    """The astronaut's name for a title or line (escaped, cut to `limit`), or "Astronaut
    233" where LL2 gives none."""
    return clean_name(astronaut.name, limit) or lang.say("Astronaut {id}", id=astronaut.id)


def _flight_line(flight: AstronautFlightRef, lang: Lang) -> str:
    name = clean_name(flight.name) or lang.say("Launch {id}", id=flight.id)
    return f"{format_dt(flight.net, 'D')} — {name}" if flight.net else name


def add_astronaut_facts(embed: discord.Embed, astronaut: Astronaut, lang: Lang) -> None:
    """Agency, nationality, status and time in space as inline fields, where known."""
    facts = (
        (lang.say("Agency"), clean_name(astronaut.agency.name if astronaut.agency else None)),
        (lang.say("Nationality"), clean_name(astronaut.nationality)),
        (lang.say("Status"), _status(astronaut, lang)),
        (
            lang.say("Time in space"),
            format_duration(astronaut.time_in_space, lang) if astronaut.time_in_space else "",
        ),
    )
    for name, value in facts:
        if value:
            add_field(embed, name, value, inline=True)


def _status(astronaut: Astronaut, lang: Lang) -> str:
    status = astronaut.status
    if status is None:
        return ""
    words = STATUS_WORDS.get(status.id) if status.id is not None else None
    return lang.say(words) if words else clean_name(status.name)
