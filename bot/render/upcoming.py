"""`/upcoming`: the next crewed launches, a few a page, with Previous / Next buttons.

Each launch is one embed: its NET as precisely as LL2 knows it, the status in words,
the window, weather, spacecraft and destination, crew and webcast. The crew's photos
follow as small cards while the message has room (10 embeds, 6000 characters); a launch's
own embed never gives way to them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

import discord
from discord.utils import format_dt

from bot.ll2.freshness import Freshness
from bot.ll2.launches import UpcomingLaunch
from bot.render.custom_ids import disabled_upcoming_page_custom_id, upcoming_page_custom_id
from bot.render.embeds import FLIGHT_COLOUR, main_embed, new_embed
from bot.render.fit import fit_message
from bot.render.flights import page_buttons
from bot.render.launch_time import net_text, status_text
from bot.render.limits import EMBED_COUNT_LIMIT, EMBEDS_TOTAL_LIMIT, NAME_LIMIT
from bot.render.message import Button, Message
from bot.render.text import More, clean, clean_name, names_within, plural, shorten
from bot.render.urls import first_url, safe_url

PAGE_SIZE = 3
"""Launches a page: each with its crew's photos where room allows."""
LAUNCH_ROOM = 1500
"""Characters of one launch's description: three launches, titles and the page's
footer stay well inside the 6000 a message may hold."""
CREW_ROOM = 500
WEATHER_ROOM = 200
WEBCAST_URL_ROOM = 300
"""A longer link is left to the title (whose URL does not count against the limits)."""
_MESSAGE_ROOM = EMBEDS_TOTAL_LIMIT - 200
"""What the embeds may use together, leaving room for the stale-data line."""
SUBORBITAL = "suborbital"


def upcoming_pages(count: int) -> int:
    return max(1, math.ceil(count / PAGE_SIZE))


def render_upcoming(
    launches: Sequence[UpcomingLaunch], page: int, freshness: Freshness, now: datetime
) -> Message:
    """Page `page` (1-based, past the end: the last) of `launches`, in the order given."""
    pages = upcoming_pages(len(launches))
    current = min(max(page, 1), pages)
    shown = launches[(current - 1) * PAGE_SIZE : current * PAGE_SIZE]
    footer = (
        f"Page {current} of {pages} · {plural(len(launches), 'crewed launch', 'crewed launches')}"
    )
    if not shown:
        embed = main_embed(
            "Upcoming crewed launches",
            FLIGHT_COLOUR,
            freshness,
            description="LL2 lists no upcoming crewed launches.",
            footer=footer,
        )
        return fit_message(Message(embeds=(embed,)))
    first, *rest = shown
    head = main_embed(
        launch_title(first),
        FLIGHT_COLOUR,
        freshness,
        url=_webcast(first),
        description=_description(first, now),
        thumbnail=first.image,
        footer=footer,
    )
    launch_embeds = [head] + [
        new_embed(
            launch_title(launch),
            FLIGHT_COLOUR,
            url=_webcast(launch),
            description=_description(launch, now),
            thumbnail=launch.image,
        )
        for launch in rest
    ]
    embeds = _with_crew_photos(shown, launch_embeds)
    rows = (_buttons(current, pages),) if pages > 1 else ()
    return fit_message(Message(embeds=tuple(embeds), rows=rows), left_out=More.CREW_PHOTOS)


def launch_title(launch: UpcomingLaunch) -> str:
    title = clean_name(launch.title, NAME_LIMIT * 2)
    return f"{title} ({SUBORBITAL})" if launch.suborbital else title


def _webcast(launch: UpcomingLaunch) -> str | None:
    return first_url(*(video.url for video in launch.videos))


def _description(launch: UpcomingLaunch, now: datetime) -> str:
    lines = [f"**Launch** {net_text(launch, now)}", f"**Status** {status_text(launch)}"]
    window = _window(launch)
    if window:
        lines.append(f"**Window** {window}")
    weather = _weather(launch)
    if weather:
        lines.append(f"**Weather** {weather}")
    craft = clean_name(launch.spacecraft)
    destination = clean_name(launch.destination)
    if craft or destination:
        lines.append(f"**Spacecraft** {' → '.join(part for part in (craft, destination) if part)}")
    lines.append(f"**Crew** {_crew(launch)}")
    webcast = webcast_line(launch)
    if webcast:
        lines.append(f"**Webcast** {webcast}")
    return shorten("\n".join(lines), LAUNCH_ROOM)


def _window(launch: UpcomingLaunch) -> str | None:
    """The launch window when it is more than an instant and LL2's NET is a time."""
    start, end = launch.window_start, launch.window_end
    if start is None or end is None or end <= start or not launch.time.exact:
        return None
    return f"{format_dt(start, 'f')} to {format_dt(end, 't')}"


def _weather(launch: UpcomingLaunch) -> str | None:
    parts = []
    if launch.probability is not None:
        parts.append(f"{launch.probability} % favourable")
    if launch.weather_concerns:
        parts.append(clean(launch.weather_concerns, WEATHER_ROOM))
    return " · ".join(parts) or None


def _crew(launch: UpcomingLaunch) -> str:
    names = [
        clean_name(member.astronaut.name) or f"Astronaut {member.astronaut.id}"
        for member in launch.launch_crew
    ]
    return names_within(names, CREW_ROOM) or "not named by LL2 yet"


def webcast_line(launch: UpcomingLaunch) -> str | None:
    video = next((video for video in launch.videos if safe_url(video.url)), None)
    if video is None or len(video.url or "") > WEBCAST_URL_ROOM:
        return None
    label = clean_name(video.publisher or video.title, 60).replace("]", "") or "Watch"
    live = " (live now)" if launch.webcast_live else ""
    return f"[{label}]({safe_url(video.url)}){live}"


def _with_crew_photos(
    launches: Sequence[UpcomingLaunch], launch_embeds: list[discord.Embed]
) -> list[discord.Embed]:
    """Each launch's embed followed by a card per crew member with a photo, for as many
    whole crews as fit after every launch's own embed."""
    room = EMBED_COUNT_LIMIT - len(launch_embeds)
    used = sum(len(embed) for embed in launch_embeds)
    embeds: list[discord.Embed] = []
    for launch, embed in zip(launches, launch_embeds, strict=True):
        embeds.append(embed)
        cards = _photo_cards(launch)
        size = sum(len(card) for card in cards)
        if cards and len(cards) <= room and used + size <= _MESSAGE_ROOM:
            embeds.extend(cards)
            room -= len(cards)
            used += size
    return embeds


def _photo_cards(launch: UpcomingLaunch) -> list[discord.Embed]:
    cards = []
    for member in launch.launch_crew:
        astronaut = member.astronaut
        photo = first_url(astronaut.profile_image, astronaut.profile_image_thumbnail)
        if photo is None:
            continue
        role = member.role.role if member.role else None
        cards.append(
            new_embed(
                clean_name(astronaut.name) or f"Astronaut {astronaut.id}",
                FLIGHT_COLOUR,
                url=astronaut.wiki,
                description=clean_name(role) or None,
                thumbnail=photo,
            )
        )
    return cards


def _buttons(current: int, pages: int) -> tuple[Button, Button]:
    return page_buttons(current, pages, upcoming_page_custom_id, disabled_upcoming_page_custom_id)
