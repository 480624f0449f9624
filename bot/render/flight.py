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
from bot.render.crew import add_astronaut_facts, astronaut_name
from bot.render.custom_ids import CREW_SELECT_CUSTOM_ID
from bot.render.embeds import FLIGHT_COLOUR, main_embed, new_embed
from bot.render.fit import add_field, fit_message, select_menu
from bot.render.lang import N_, Lang
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
RENDERED_CACHE_SIZE = 128
"""Messages of flights that are over kept for reuse (an `LRU`), one per flight and
language: right while the repository hands out the very same parsed flight for the same
cached copy (`bot.ll2.repository`), so a newer copy is a different object and renders
again."""
OUTCOMES = {True: N_("✅ Success"), False: N_("❌ Failed"), None: N_("❔ Outcome unknown")}


@dataclass(frozen=True, slots=True)
class _Rendered:
    flight: SpacecraftFlight
    freshness: Freshness
    message: Message


_rendered: LRU[tuple[int, str], _Rendered] = LRU(RENDERED_CACHE_SIZE)


def render_flight(
    flight: SpacecraftFlight, freshness: Freshness, now: datetime, lang: Lang
) -> Message:
    """The flight as a main embed showing its timeline picture (attached), one card per
    crew member and a crew select menu, in the reader's language.

    A flight that is over reads the same at any later `now`, so its message is made
    once per document (the same parsed copy, with the same freshness) and language, and
    reused; one in space or not yet launched is made each time (its picture is still
    drawn once)."""
    if not _settled(flight, now):
        return _render_flight(flight, freshness, now, lang)
    key = (flight.id, lang.code)
    kept = _rendered.get(key)
    if kept is not None and kept.flight is flight and kept.freshness == freshness:
        return kept.message
    message = _render_flight(flight, freshness, now, lang)
    _rendered.put(key, _Rendered(flight, freshness, message))
    return message


def _settled(flight: SpacecraftFlight, now: datetime) -> bool:
    """Whether every use of `now` in the message is settled: the mission has ended and
    was launched (or has no launch date), so launched, ended and in space are the same
    for any later time, and no duration is counted up to now."""
    launched_at = flight.launched_at
    return flight.has_ended(now) and (launched_at is None or launched_at <= now)


def _render_flight(
    flight: SpacecraftFlight, freshness: Freshness, now: datetime, lang: Lang
) -> Message:
    spacecraft = flight.spacecraft
    config = spacecraft.spacecraft_config if spacecraft else None
    label = lang.say("Flight {id}", id=flight.id)
    embed = main_embed(
        clean_name(flight.name, NAME_LIMIT * 2) or label,
        FLIGHT_COLOUR,
        freshness,
        lang,
        url=first_url(config.wiki_link, config.info_link) if config else None,
        description=_mission_text(flight),
        thumbnail=first_url(
            config.image_url if config else None, spacecraft.image_url if spacecraft else None
        ),
        footer=label,
    )
    picture = timeline_attachment(flight, now, lang)
    embed.set_image(url=picture.url)
    add_field(embed, lang.say("Launch"), _launch_text(flight, now, lang))
    if flight.destination:
        add_field(embed, lang.say("Destination"), clean_name(flight.destination), inline=True)
    if flight.docking_events:
        lines = [docking_line(event, flight, now, lang) for event in flight.docking_events]
        add_field(embed, lang.say("Docking"), join_lines(lines, FIELD_VALUE_LIMIT, lang))
    add_field(embed, lang.say("Landing"), landing_text(flight, now, lang))
    end = _mission_end_text(flight, now, lang)
    if end:
        add_field(embed, lang.say("Mission end"), end)
    phases = (
        (lang.say("Launch crew"), flight.launch_crew),
        (lang.say("Onboard crew"), flight.onboard_crew),
        (lang.say("Landing crew"), flight.landing_crew),
    )
    for title, members in phases:
        if members:
            lines = [_crew_line(member, lang) for member in each_astronaut_once(members)]
            add_field(embed, title, join_lines(lines, FIELD_VALUE_LIMIT, lang))
    crew = flight.crew
    roles = {astronaut.id: _roles(flight, astronaut) for astronaut in crew}
    cards = crew_cards(flight, lang)
    rows: tuple[tuple[Component, ...], ...] = ()
    if crew:
        options = [
            SelectOption(
                label=plain(shorten(astronaut.name, NAME_LIMIT))
                or lang.say("Astronaut {id}", id=astronaut.id),
                value=str(astronaut.id),
                description=plain(roles[astronaut.id]) or None,
            )
            for astronaut in crew
        ]
        placeholder = lang.say("Open a crew member…")
        rows = ((select_menu(CREW_SELECT_CUSTOM_ID, placeholder, options, lang),),)
    message = Message(embeds=(embed, *cards), rows=rows, attachments=(picture,))
    return fit_message(message, lang, left_out=More.CREW)


def _mission_text(flight: SpacecraftFlight) -> str | None:
    mission = flight.launch.mission if flight.launch else None
    if mission is None:
        return None
    name = clean_name(mission.name)
    parts = [f"**{name}**" if name else ""]
    if mission.description:
        parts.append(clean(shorten_at_sentence(mission.description, MISSION_DESCRIPTION_LIMIT)))
    return "\n".join(part for part in parts if part) or None


def _launch_text(flight: SpacecraftFlight, now: datetime, lang: Lang) -> str:
    launch = flight.launch
    if launch is None:
        return lang.say("Not scheduled")
    net = launch.net
    status = launch_status(launch)
    launched = status.has_lifted_off if status else net is not None and net <= now
    if launched:
        when = f"{format_dt(net, 'F')} ({format_dt(net, 'R')})" if net else None
        lines = [when or lang.say("Date not set")]
    else:
        lines = [lang.say("Not launched yet"), net_text(launch, now, lang)]
    pad = launch.pad
    facts = (
        (N_("Rocket: {name}"), launch.rocket.name if launch.rocket else None),
        (N_("Pad: {name}"), pad.name if pad else None),
        (N_("Site: {name}"), pad.location.name if pad and pad.location else None),
    )
    lines += [lang.say(fact, name=clean_name(value)) for fact, value in facts if value]
    if launch.status is not None:
        lines.append(lang.say("Status: {status}", status=status_text(launch, lang)))
    return join_lines(lines, FIELD_VALUE_LIMIT, lang)


def docking_line(event: DockingEvent, flight: SpacecraftFlight, now: datetime, lang: Lang) -> str:
    station = event.spacestation.name if event.spacestation else None
    port = event.docking_location.name if event.docking_location else None
    where = clean_name(station) or lang.say("Unknown station")
    if port:
        where = lang.say("{station} ({port})", station=where, port=clean_name(port))
    if event.docking is None:
        return lang.say("{where}: docking time unknown", where=where)
    docked = format_dt(event.docking, "f")
    if event.departure is not None:
        return lang.say(
            "{where}: docked {docked}, departed {departed} · {duration}",
            where=where,
            docked=docked,
            departed=format_dt(event.departure, "f"),
            duration=format_duration(event.departure - event.docking, lang),
        )
    if flight.has_ended(now):
        return lang.say(
            "{where}: docked {docked}, departure not recorded", where=where, docked=docked
        )
    return lang.say(
        "{where}: docked {docked}, still docked · {duration} so far",
        where=where,
        docked=docked,
        duration=format_duration(now - event.docking, lang),
    )


def landing_text(flight: SpacecraftFlight, now: datetime, lang: Lang) -> str:
    landing = flight.landing
    if landing is None:
        if flight.is_in_space(now):
            return lang.say("In space")
        # Launched and no longer in space: the flight is over, LL2 just has no landing.
        return (
            lang.say("Not recorded") if flight.has_launched(now) else lang.say("Not yet launched")
        )
    how = clean_name(landing.type.name if landing.type else None) or lang.say("Landing")
    where = clean_name(landing.location.name if landing.location else None)
    lines = [
        lang.say("{how} in {where}", how=how, where=where) if where else how,
        lang.say(OUTCOMES[landing.success]),
    ]
    if landing.description:
        lines.append(clean(shorten_at_sentence(landing.description, LANDING_DESCRIPTION_LIMIT)))
    return "\n".join(lines)


def _mission_end_text(flight: SpacecraftFlight, now: datetime, lang: Lang) -> str | None:
    launched_at = flight.launched_at
    if flight.is_in_space(now) and launched_at is not None:
        return lang.say(
            "In space for {duration} (launched {since})",
            duration=format_duration(now - launched_at, lang),
            since=format_dt(launched_at, "R"),
        )
    if flight.mission_end is None:
        return None
    when = format_dt(flight.mission_end, "F")
    ended = flight.has_ended(now)
    lines = [lang.say("Ended {when}", when=when) if ended else lang.say("Ends {when}", when=when)]
    duration = flight.mission_duration
    if duration is not None:
        lines.append(lang.say("Duration: {duration}", duration=format_duration(duration, lang)))
    return "\n".join(lines)


def _crew_line(member: CrewMember, lang: Lang) -> str:
    name = astronaut_name(member.astronaut, lang)
    role = member.role.role if member.role else None
    return f"{name} — {clean_name(role)}" if role else name


def _roles(flight: SpacecraftFlight, astronaut: Astronaut) -> str:
    """The astronaut's roles on this flight, each once ("Commander" or "Pilot / Commander")."""
    roles: dict[str, None] = {}
    for member in (*flight.launch_crew, *flight.onboard_crew, *flight.landing_crew):
        if member.astronaut.id == astronaut.id and member.role and member.role.role:
            roles.setdefault(shorten(member.role.role, NAME_LIMIT))
    return " / ".join(roles)


def crew_cards(flight: SpacecraftFlight, lang: Lang) -> tuple[discord.Embed, ...]:
    """A card per crew member, launch crew first: photo, name, role and facts."""
    return tuple(
        _crew_card(astronaut, _roles(flight, astronaut), lang) for astronaut in flight.crew
    )


def _crew_card(astronaut: Astronaut, role: str, lang: Lang) -> discord.Embed:
    card = new_embed(
        astronaut_name(astronaut, lang, NAME_LIMIT * 2),
        FLIGHT_COLOUR,
        url=astronaut.wiki,
        description=clean_name(role, NAME_LIMIT * 2) or None,
        thumbnail=first_url(astronaut.profile_image, astronaut.profile_image_thumbnail),
    )
    add_astronaut_facts(card, astronaut, lang)
    return card
