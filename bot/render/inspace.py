"""`/inspace`: who is in space right now, grouped by spacecraft or station."""

from __future__ import annotations

from datetime import datetime

from bot.ll2.freshness import Freshness
from bot.ll2.models import Astronaut
from bot.ll2.results import CraftCrew
from bot.render.embeds import IN_SPACE_COLOUR, main_embed
from bot.render.fit import add_field, fit_message
from bot.render.limits import FIELD_VALUE_LIMIT
from bot.render.message import Message
from bot.render.text import clean_name, format_duration, join_lines, plural


def render_in_space(crews: list[CraftCrew], freshness: Freshness, now: datetime) -> Message:
    """ "N people in space right now", then one field per craft listing who is aboard."""
    people = len({astronaut.id for crew in crews for astronaut in crew.astronauts})
    if not people:
        embed = main_embed(
            "Nobody in space right now",
            IN_SPACE_COLOUR,
            freshness,
            description="LL2 lists no one in space at the moment. 🌍",
        )
        return fit_message(Message(embeds=(embed,)))
    embed = main_embed(
        f"{plural(people, 'person', 'people')} in space right now",
        IN_SPACE_COLOUR,
        freshness,
        description="Grouped by spacecraft or station.",
    )
    for crew in crews:
        # Each person once, as in the title's count: LL2's paging can repeat a row.
        aboard = {astronaut.id: astronaut for astronaut in crew.astronauts}.values()
        lines = [_person_line(astronaut, crew, now) for astronaut in aboard]
        value = join_lines(lines, FIELD_VALUE_LIMIT) or "No crew listed"
        add_field(embed, _craft_title(crew), value)
    return fit_message(Message(embeds=(embed,)))


def _craft_title(crew: CraftCrew) -> str:
    craft = clean_name(crew.craft) or "Unknown spacecraft"
    station = clean_name(crew.station)
    title = f"{craft} → {station}" if station and station != craft else craft
    return f"{title} · flight {crew.flight_id}" if crew.flight_id is not None else title


def _person_line(astronaut: Astronaut, crew: CraftCrew, now: datetime) -> str:
    parts = [clean_name(astronaut.name) or f"Astronaut {astronaut.id}"]
    agency = astronaut.agency
    if agency is not None and (agency.abbrev or agency.name):
        parts.append(clean_name(agency.abbrev or agency.name))
    since = crew.launched_at or astronaut.last_flight
    if since is not None and since <= now:
        parts.append(f"up for {format_duration(now - since)}")
    return " — ".join(parts)
