"""The live board: one message a channel can look at, kept current by editing it.

One embed, fields one under another (legible on a phone): who is in space now by craft,
the next crewed launches, the last landing and launch, and whether the data is current.
Times are `<t:…>` so they keep themselves current without an edit. Nothing on it pings:
no mentions are allowed, and LL2's text is escaped.
"""

from __future__ import annotations

from dataclasses import replace

import discord
from discord.utils import format_dt

from bot.alerts.board import BoardStatus, BoardView, Recent
from bot.ll2.results import CraftCrew
from bot.render.embeds import CREDIT, IN_SPACE_COLOUR, new_embed
from bot.render.fit import add_field, fit_message
from bot.render.lang import ENGLISH
from bot.render.launch_time import net_text, status_text
from bot.render.message import Message
from bot.render.text import clean, clean_name, names_within, plural
from bot.render.upcoming import launch_title, webcast_line

TITLE = "🛰️ Crewed spaceflight, live"
CRAFTS_SHOWN = 6
"""Craft listed one by one; more are counted in the section's line."""
CREW_ROOM = 400
LAUNCH_CREW_ROOM = 200


def render_board(view: BoardView) -> Message:
    embed = new_embed(TITLE, IN_SPACE_COLOUR, description=_checked(view))
    _in_space(embed, view.crews)
    _launches(embed, view)
    add_field(embed, "🕰️ Recently", _recent(view))
    embed.set_footer(text=f"Changes are edited in, without a notification · {ENGLISH.say(CREDIT)}")
    embed.timestamp = view.now
    return fit_message(Message(embeds=(embed,)))


def _checked(view: BoardView) -> str:
    """Whether the board is current: how often it is checked while it is, and the age of
    what LL2 could not refresh when it is not (a fixed time, so no edit is needed)."""
    lines = []
    if view.crews_as_of is not None:
        lines.append(
            f"⚠️ LL2 could not be reached: people in space as of {format_dt(view.crews_as_of, 'R')}"
        )
    if view.launches_as_of is not None:
        lines.append(
            f"⚠️ Launches as LL2 listed them {format_dt(view.launches_as_of, 'R')},"
            " not checked since"
        )
    if not lines:
        lines.append(f"✅ Checked against LL2 every {plural(view.check_minutes, 'minute')}")
    return "\n".join(lines)


def _in_space(embed: discord.Embed, crews: tuple[CraftCrew, ...] | None) -> None:
    if crews is None:
        add_field(embed, "🧑‍🚀 In space now", "Not known yet: Capcom has not checked LL2.")
        return
    people = len({astronaut.id for crew in crews for astronaut in crew.astronauts})
    if not people:
        add_field(embed, "🧑‍🚀 In space now", "Nobody, as far as LL2 knows. 🌍")
        return
    shown = crews[:CRAFTS_SHOWN]
    craft = plural(len(crews), "spacecraft", "spacecraft")
    summary = f"{plural(people, 'person', 'people')} aboard {craft}"
    if len(crews) > len(shown):
        summary += f" (the first {len(shown)} below)"
    add_field(embed, "🧑‍🚀 In space now", summary)
    for crew in shown:
        add_field(embed, _craft(crew), _aboard(crew))


def _craft(crew: CraftCrew) -> str:
    craft = clean_name(crew.craft) or "Unknown spacecraft"
    station = clean_name(crew.station)
    return f"{craft} → {station}" if station and station != craft else craft


def _aboard(crew: CraftCrew) -> str:
    names = [clean_name(a.name) or f"Astronaut {a.id}" for a in crew.astronauts]
    line = names_within(names, CREW_ROOM) or "No crew listed"
    if crew.launched_at is not None:
        line += f"\nUp since {format_dt(crew.launched_at, 'R')}"
    return line


def _launches(embed: discord.Embed, view: BoardView) -> None:
    launches = view.launches
    if launches is None:
        text = "Not fetched from LL2 yet (`/upcoming` or the launch poll fetches them)."
        add_field(embed, "🚀 Next crewed launches", text)
        return
    if not launches:
        add_field(embed, "🚀 Next crewed launches", "LL2 lists none.")
        return
    for number, launch in enumerate(launches):
        lines = [net_text(launch, view.now), status_text(launch)]
        crew = [
            clean_name(m.astronaut.name) or f"Astronaut {m.astronaut.id}"
            for m in launch.launch_crew
        ]
        if crew:
            lines.append(f"Crew: {names_within(crew, LAUNCH_CREW_ROOM)}")
        webcast = webcast_line(launch)
        if webcast:
            lines.append(f"Webcast: {webcast}")
        title = launch_title(launch)
        add_field(embed, f"🚀 Next: {title}" if number == 0 else title, "\n".join(lines))


def _recent(view: BoardView) -> str:
    lines = [_event("Last landing", view.last_landing), _event("Last launch", view.last_launch)]
    return "\n".join(lines)


def _event(label: str, recent: Recent | None) -> str:
    if recent is None:
        return f"{label}: none seen yet"
    when = f"{format_dt(recent.at, 'f')} ({format_dt(recent.at, 'R')})"
    return f"{label}: **{clean_name(recent.flight)}** {when}"


def with_board_status(message: Message, boards: list[BoardStatus]) -> Message:
    """`/alerts status` (`message`) with this server's live boards under it."""
    if not boards:
        return message
    embed = new_embed("Live board", IN_SPACE_COLOUR)
    for board in boards:
        state = "kept current" if board.posted else "to be posted"
        if board.paused_reason:
            state = f"⏸️ Paused: {clean(board.paused_reason, 300)}\nRun /alerts board again."
        add_field(embed, "Channel", f"<#{board.channel_id}>: {state}")
    return fit_message(replace(message, embeds=(*message.embeds, embed)))
