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
from bot.render.crew import astronaut_name
from bot.render.custom_ids import disabled_upcoming_page_custom_id, upcoming_page_custom_id
from bot.render.embeds import FLIGHT_COLOUR, main_embed, new_embed
from bot.render.fit import fit_message
from bot.render.flights import page_buttons
from bot.render.lang import Lang
from bot.render.launch_time import net_text, status_text
from bot.render.limits import EMBED_COUNT_LIMIT, EMBEDS_TOTAL_LIMIT, NAME_LIMIT
from bot.render.message import Button, Message
from bot.render.text import More, clean, clean_name, names_within, shorten
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


def upcoming_pages(count: int) -> int:
    return max(1, math.ceil(count / PAGE_SIZE))


def render_upcoming(
    launches: Sequence[UpcomingLaunch],
    page: int,
    freshness: Freshness,
    now: datetime,
    lang: Lang,
) -> Message:
    """Page `page` (1-based, past the end: the last) of `launches`, in the order given,
    in the reader's language `lang`."""
    pages = upcoming_pages(len(launches))
    current = min(max(page, 1), pages)
    shown = launches[(current - 1) * PAGE_SIZE : current * PAGE_SIZE]
    footer = lang.say_n(
        "Page {page} of {pages} · {count} crewed launch",
        "Page {page} of {pages} · {count} crewed launches",
        len(launches),
        page=lang.number(current),
        pages=lang.number(pages),
    )
    if not shown:
        embed = main_embed(
            lang.say("Upcoming crewed launches"),
            FLIGHT_COLOUR,
            freshness,
            lang,
            description=lang.say("LL2 lists no upcoming crewed launches."),
            footer=footer,
        )
        return fit_message(Message(embeds=(embed,)), lang)
    first, *rest = shown
    head = main_embed(
        launch_title(first, lang),
        FLIGHT_COLOUR,
        freshness,
        lang,
        url=_webcast(first),
        description=_description(first, now, lang),
        thumbnail=first.image,
        footer=footer,
    )
    launch_embeds = [head] + [
        new_embed(
            launch_title(launch, lang),
            FLIGHT_COLOUR,
            url=_webcast(launch),
            description=_description(launch, now, lang),
            thumbnail=launch.image,
        )
        for launch in rest
    ]
    embeds = _with_crew_photos(shown, launch_embeds, lang)
    rows = (_buttons(current, pages, lang),) if pages > 1 else ()
    return fit_message(Message(embeds=tuple(embeds), rows=rows), lang, More.CREW_PHOTOS)


def launch_name(launch: UpcomingLaunch, lang: Lang) -> str:
    """The mission's name as LL2 gives it, else "Launch <id>" in the reader's language."""
    return launch.title or lang.say("Launch {id}", id=launch.id)


def launch_title(launch: UpcomingLaunch, lang: Lang) -> str:
    """The mission's name as LL2 gives it, said to be suborbital where it is."""
    title = clean_name(launch_name(launch, lang), NAME_LIMIT * 2)
    return lang.say("{title} (suborbital)", title=title) if launch.suborbital else title


def _webcast(launch: UpcomingLaunch) -> str | None:
    return first_url(*(video.url for video in launch.videos))


def _description(launch: UpcomingLaunch, now: datetime, lang: Lang) -> str:
    """A line per fact, each led by its label in bold."""
    lines = [
        lang.say("**Launch** {when}", when=net_text(launch, now, lang)),
        lang.say("**Status** {status}", status=status_text(launch, lang)),
    ]
    window = _window(launch, lang)
    if window:
        lines.append(window)
    weather = _weather(launch, lang)
    if weather:
        lines.append(lang.say("**Weather** {weather}", weather=weather))
    craft = clean_name(launch.spacecraft)
    destination = clean_name(launch.destination)
    if craft or destination:
        route = " → ".join(part for part in (craft, destination) if part)
        lines.append(lang.say("**Spacecraft** {spacecraft}", spacecraft=route))
    lines.append(lang.say("**Crew** {crew}", crew=_crew(launch, lang)))
    webcast = webcast_line(launch, lang)
    if webcast:
        lines.append(lang.say("**Webcast** {webcast}", webcast=webcast))
    return shorten("\n".join(lines), LAUNCH_ROOM)


def _window(launch: UpcomingLaunch, lang: Lang) -> str | None:
    """The launch window when it is more than an instant and LL2's NET is a time."""
    start, end = launch.window_start, launch.window_end
    if start is None or end is None or end <= start or not launch.time.exact:
        return None
    return lang.say(
        "**Window** {start} to {end}", start=format_dt(start, "f"), end=format_dt(end, "t")
    )


def _weather(launch: UpcomingLaunch, lang: Lang) -> str | None:
    parts = []
    if launch.probability is not None:
        parts.append(lang.say("{percent} % favourable", percent=lang.number(launch.probability)))
    if launch.weather_concerns:
        parts.append(clean(launch.weather_concerns, WEATHER_ROOM))
    return " · ".join(parts) or None


def _crew(launch: UpcomingLaunch, lang: Lang) -> str:
    names = [astronaut_name(member.astronaut, lang) for member in launch.launch_crew]
    return names_within(names, CREW_ROOM, lang) or lang.say("not named by LL2 yet")


def webcast_line(launch: UpcomingLaunch, lang: Lang) -> str | None:
    """A link to the first webcast, named by its publisher, said to be live when it is."""
    video = next((video for video in launch.videos if safe_url(video.url)), None)
    if video is None or len(video.url or "") > WEBCAST_URL_ROOM:
        return None
    label = clean_name(video.publisher or video.title, 60).replace("]", "") or lang.say("Watch")
    link = f"[{label}]({safe_url(video.url)})"
    return lang.say("{link} (live now)", link=link) if launch.webcast_live else link


def _with_crew_photos(
    launches: Sequence[UpcomingLaunch], launch_embeds: list[discord.Embed], lang: Lang
) -> list[discord.Embed]:
    """Each launch's embed followed by a card per crew member with a photo, for as many
    whole crews as fit after every launch's own embed."""
    room = EMBED_COUNT_LIMIT - len(launch_embeds)
    used = sum(len(embed) for embed in launch_embeds)
    embeds: list[discord.Embed] = []
    for launch, embed in zip(launches, launch_embeds, strict=True):
        embeds.append(embed)
        cards = _photo_cards(launch, lang)
        size = sum(len(card) for card in cards)
        if cards and len(cards) <= room and used + size <= _MESSAGE_ROOM:
            embeds.extend(cards)
            room -= len(cards)
            used += size
    return embeds


def _photo_cards(launch: UpcomingLaunch, lang: Lang) -> list[discord.Embed]:
    cards = []
    for member in launch.launch_crew:
        astronaut = member.astronaut
        photo = first_url(astronaut.profile_image, astronaut.profile_image_thumbnail)
        if photo is None:
            continue
        role = member.role.role if member.role else None
        cards.append(
            new_embed(
                astronaut_name(astronaut, lang),
                FLIGHT_COLOUR,
                url=astronaut.wiki,
                description=clean_name(role) or None,
                thumbnail=photo,
            )
        )
    return cards


def _buttons(current: int, pages: int, lang: Lang) -> tuple[Button, Button]:
    return page_buttons(
        current, pages, upcoming_page_custom_id, disabled_upcoming_page_custom_id, lang
    )
