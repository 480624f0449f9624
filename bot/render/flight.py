"""`/flight <id>`: one spacecraft flight, its dockings, landing and crew, with a card per
crew member and a menu to open any of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import discord
from discord.utils import format_dt

from bot.ll2.freshness import Freshness
from bot.ll2.launches import launch_status
from bot.ll2.lru import LRU
from bot.ll2.models import (
    Astronaut,
    CrewMember,
    DockingEvent,
    SpacecraftFlight,
    each_astronaut_once,
)
from bot.render.crew import add_astronaut_facts
from bot.render.custom_ids import CREW_SELECT_CUSTOM_ID
from bot.render.embeds import FLIGHT_COLOUR, main_embed, new_embed
from bot.render.fit import add_field, fit_message, select_menu
from bot.render.launch_time import net_text, status_text
from bot.render.limits import FIELD_VALUE_LIMIT, NAME_LIMIT
from bot.render.message import Component, Message, SelectOption
from bot.render.text import (
    More,
    clean,
    clean_name,
    format_duration,
    join_lines,
    plain,
    shorten,
    shorten_at_sentence,
)
from bot.render.timeline import timeline_attachment
from bot.render.urls import first_url

MISSION_DESCRIPTION_LIMIT = 600
LANDING_DESCRIPTION_LIMIT = 200
RENDERED_CACHE_SIZE = 64
"""Messages of flights that are over kept for reuse (an `LRU`), one per flight: right
while the repository hands out the very same parsed flight for the same cached copy
(`bot.ll2.repository`), so a newer copy is a different object and renders again."""


@dataclass(frozen=True, slots=True)
class _Rendered:
    flight: SpacecraftFlight
    freshness: Freshness
    message: Message


_rendered: LRU[int, _Rendered] = LRU(RENDERED_CACHE_SIZE)


def render_flight(flight: SpacecraftFlight, freshness: Freshness, now: datetime) -> Message:
    """The flight as a main embed showing its timeline picture (attached), one card per
    crew member and a crew select menu.

    A flight that is over reads the same at any later `now`, so its message is made
    once per document (the same parsed copy, with the same freshness) and reused; one
    in space or not yet launched is made each time (its picture is still drawn once)."""
    if not _settled(flight, now):
        return _render_flight(flight, freshness, now)
    kept = _rendered.get(flight.id)
    if kept is not None and kept.flight is flight and kept.freshness == freshness:
        return kept.message
    message = _render_flight(flight, freshness, now)
    _rendered.put(flight.id, _Rendered(flight, freshness, message))
    return message


def _settled(flight: SpacecraftFlight, now: datetime) -> bool:
    """Whether every use of `now` in the message is settled: the mission has ended and
    was launched (or has no launch date), so launched, ended and in space are the same
    for any later time, and no duration is counted up to now."""
    launched_at = flight.launched_at
    return flight.has_ended(now) and (launched_at is None or launched_at <= now)


def _render_flight(flight: SpacecraftFlight, freshness: Freshness, now: datetime) -> Message:
    spacecraft = flight.spacecraft
    config = spacecraft.spacecraft_config if spacecraft else None
    embed = main_embed(
        clean_name(flight.name, NAME_LIMIT * 2) or f"Flight {flight.id}",
        FLIGHT_COLOUR,
        freshness,
        url=first_url(config.wiki_link, config.info_link) if config else None,
        description=_mission_text(flight),
        thumbnail=first_url(
            config.image_url if config else None, spacecraft.image_url if spacecraft else None
        ),
        footer=f"Flight {flight.id}",
    )
    picture = timeline_attachment(flight, now)
    embed.set_image(url=picture.url)
    add_field(embed, "Launch", _launch_text(flight, now))
    if flight.destination:
        add_field(embed, "Destination", clean_name(flight.destination), inline=True)
    if flight.docking_events:
        lines = [docking_line(event, flight, now) for event in flight.docking_events]
        add_field(embed, "Docking", join_lines(lines, FIELD_VALUE_LIMIT))
    add_field(embed, "Landing", landing_text(flight, now))
    end = _mission_end_text(flight, now)
    if end:
        add_field(embed, "Mission end", end)
    phases = (
        ("Launch crew", flight.launch_crew),
        ("Onboard crew", flight.onboard_crew),
        ("Landing crew", flight.landing_crew),
    )
    for title, members in phases:
        if members:
            lines = [_crew_line(member) for member in each_astronaut_once(members)]
            add_field(embed, title, join_lines(lines, FIELD_VALUE_LIMIT))
    crew = flight.crew
    roles = {astronaut.id: _roles(flight, astronaut) for astronaut in crew}
    cards = crew_cards(flight)
    rows: tuple[tuple[Component, ...], ...] = ()
    if crew:
        options = [
            SelectOption(
                label=plain(shorten(astronaut.name, NAME_LIMIT)) or f"Astronaut {astronaut.id}",
                value=str(astronaut.id),
                description=plain(roles[astronaut.id]) or None,
            )
            for astronaut in crew
        ]
        rows = ((select_menu(CREW_SELECT_CUSTOM_ID, "Open a crew member…", options),),)
    message = Message(embeds=(embed, *cards), rows=rows, attachments=(picture,))
    return fit_message(message, left_out=More.CREW)


def _mission_text(flight: SpacecraftFlight) -> str | None:
    mission = flight.launch.mission if flight.launch else None
    if mission is None:
        return None
    name = clean_name(mission.name)
    parts = [f"**{name}**" if name else ""]
    if mission.description:
        parts.append(clean(shorten_at_sentence(mission.description, MISSION_DESCRIPTION_LIMIT)))
    return "\n".join(part for part in parts if part) or None


def _launch_text(flight: SpacecraftFlight, now: datetime) -> str:
    launch = flight.launch
    if launch is None:
        return "Not scheduled"
    net = launch.net
    status = launch_status(launch)
    launched = status.has_lifted_off if status else net is not None and net <= now
    if launched:
        lines = [f"{format_dt(net, 'F')} ({format_dt(net, 'R')})" if net else "Date not set"]
    else:
        lines = ["Not launched yet", net_text(launch, now)]
    pad = launch.pad
    facts = (
        ("Rocket", launch.rocket.name if launch.rocket else None),
        ("Pad", pad.name if pad else None),
        ("Site", pad.location.name if pad and pad.location else None),
    )
    lines += [f"{name}: {clean_name(value)}" for name, value in facts if value]
    if launch.status is not None:
        lines.append(f"Status: {status_text(launch)}")
    return join_lines(lines, FIELD_VALUE_LIMIT)


def docking_line(event: DockingEvent, flight: SpacecraftFlight, now: datetime) -> str:
    station = event.spacestation.name if event.spacestation else None
    port = event.docking_location.name if event.docking_location else None
    where = clean_name(station or "Unknown station")
    if port:
        where += f" ({clean_name(port)})"
    if event.docking is None:
        return f"{where}: docking time unknown"
    docked = f"{where}: docked {format_dt(event.docking, 'f')}"
    if event.departure is not None:
        return (
            f"{docked}, departed {format_dt(event.departure, 'f')}"
            f" · {format_duration(event.departure - event.docking)}"
        )
    if flight.has_ended(now):
        return f"{docked}, departure not recorded"
    return f"{docked}, still docked · {format_duration(now - event.docking)} so far"


def landing_text(flight: SpacecraftFlight, now: datetime) -> str:
    landing = flight.landing
    if landing is None:
        if flight.is_in_space(now):
            return "In space"
        # Launched and no longer in space: the flight is over, LL2 just has no landing.
        return "Not recorded" if flight.has_launched(now) else "Not yet launched"
    how = clean_name(landing.type.name if landing.type else None) or "Landing"
    where = clean_name(landing.location.name if landing.location else None)
    outcome = {True: "✅ Success", False: "❌ Failed", None: "❔ Outcome unknown"}[landing.success]
    lines = [f"{how} in {where}" if where else how, outcome]
    if landing.description:
        lines.append(clean(shorten_at_sentence(landing.description, LANDING_DESCRIPTION_LIMIT)))
    return "\n".join(lines)


def _mission_end_text(flight: SpacecraftFlight, now: datetime) -> str | None:
    launched_at = flight.launched_at
    if flight.is_in_space(now) and launched_at is not None:
        since = format_dt(launched_at, "R")
        return f"In space for {format_duration(now - launched_at)} (launched {since})"
    if flight.mission_end is None:
        return None
    verb = "Ended" if flight.has_ended(now) else "Ends"
    lines = [f"{verb} {format_dt(flight.mission_end, 'F')}"]
    duration = flight.mission_duration
    if duration is not None:
        lines.append(f"Duration: {format_duration(duration)}")
    return "\n".join(lines)


def _crew_line(member: CrewMember) -> str:
    name = clean_name(member.astronaut.name) or f"Astronaut {member.astronaut.id}"
    role = member.role.role if member.role else None
    return f"{name} — {clean_name(role)}" if role else name


def _roles(flight: SpacecraftFlight, astronaut: Astronaut) -> str:
    """The astronaut's roles on this flight, each once ("Commander" or "Pilot / Commander")."""
    roles: dict[str, None] = {}
    for member in (*flight.launch_crew, *flight.onboard_crew, *flight.landing_crew):
        if member.astronaut.id == astronaut.id and member.role and member.role.role:
            roles.setdefault(shorten(member.role.role, NAME_LIMIT))
    return " / ".join(roles)


def crew_cards(flight: SpacecraftFlight) -> tuple[discord.Embed, ...]:
    """A card per crew member, launch crew first: photo, name, role and facts."""
    return tuple(_crew_card(astronaut, _roles(flight, astronaut)) for astronaut in flight.crew)


def _crew_card(astronaut: Astronaut, role: str) -> discord.Embed:
    card = new_embed(
        clean_name(astronaut.name, NAME_LIMIT * 2) or f"Astronaut {astronaut.id}",
        FLIGHT_COLOUR,
        url=astronaut.wiki,
        description=clean_name(role, NAME_LIMIT * 2) or None,
        thumbnail=first_url(astronaut.profile_image, astronaut.profile_image_thumbnail),
    )
    add_astronaut_facts(card, astronaut)
    return card
