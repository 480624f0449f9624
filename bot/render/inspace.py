"""`/inspace`: who is in space right now, grouped by spacecraft or station."""

from __future__ import annotations

from datetime import datetime

from bot.ll2.freshness import Freshness
from bot.ll2.models import Astronaut
from bot.ll2.results import CraftCrew
from bot.render.crew import astronaut_name
from bot.render.embeds import IN_SPACE_COLOUR, main_embed
from bot.render.fit import add_field, fit_message
from bot.render.lang import Lang
from bot.render.limits import FIELD_VALUE_LIMIT
from bot.render.message import Message
from bot.render.text import clean_name, format_duration, join_lines


def render_in_space(
    crews: list[CraftCrew], freshness: Freshness, now: datetime, lang: Lang
) -> Message:
    """ "N people in space right now", then one field per craft listing who is aboard, in
    the reader's language `lang`."""
    people = len({astronaut.id for crew in crews for astronaut in crew.astronauts})
    if not people:
        embed = main_embed(
            lang.say("Nobody in space right now"),
            IN_SPACE_COLOUR,
            freshness,
            lang,
            description=lang.say("LL2 lists no one in space at the moment. 🌍"),
        )
        return fit_message(Message(embeds=(embed,)), lang)
    embed = main_embed(
        lang.say_n(
            "{count} person in space right now", "{count} people in space right now", people
        ),
        IN_SPACE_COLOUR,
        freshness,
        lang,
        description=lang.say("Grouped by spacecraft or station."),
    )
    for crew in crews:
        # Each person once, as in the title's count: LL2's paging can repeat a row.
        aboard = {astronaut.id: astronaut for astronaut in crew.astronauts}.values()
        lines = [_person_line(astronaut, crew, now, lang) for astronaut in aboard]
        value = join_lines(lines, FIELD_VALUE_LIMIT, lang) or lang.say("No crew listed")
        add_field(embed, _craft_title(crew, lang), value)
    return fit_message(Message(embeds=(embed,)), lang)


def craft_route(crew: CraftCrew, lang: Lang) -> str:
    """The spacecraft, and the station it is docked to: "Crew Dragon Freedom → ISS"; a
    craft no cached flight names by its flight or its launch day."""
    craft = clean_name(crew.craft)
    if not craft and crew.flight_id is not None:
        craft = lang.say("Flight {id}", id=crew.flight_id)
    elif not craft and crew.launched_at is not None:
        craft = lang.say("Launched {day}", day=lang.day(crew.launched_at.date()))
    elif not craft:
        craft = lang.say("Unknown spacecraft")
    station = clean_name(crew.station)
    return f"{craft} → {station}" if station and station != craft else craft


def _craft_title(crew: CraftCrew, lang: Lang) -> str:
    title = craft_route(crew, lang)
    if crew.flight_id is None or not crew.craft:  # a nameless craft is already its flight
        return title
    return lang.say("{craft} · flight {id}", craft=title, id=crew.flight_id)


def _person_line(astronaut: Astronaut, crew: CraftCrew, now: datetime, lang: Lang) -> str:
    parts = [astronaut_name(astronaut, lang)]
    agency = astronaut.agency
    if agency is not None and (agency.abbrev or agency.name):
        parts.append(clean_name(agency.abbrev or agency.name))
    since = crew.launched_at or astronaut.last_flight
    if since is not None and since <= now:
        parts.append(lang.say("up for {duration}", duration=format_duration(now - since, lang)))
    return " — ".join(parts)
