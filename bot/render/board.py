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
from bot.render.crew import astronaut_name
from bot.render.embeds import CREDIT, IN_SPACE_COLOUR, new_embed
from bot.render.fit import add_field, fit_message
from bot.render.inspace import craft_route
from bot.render.lang import N_, Lang
from bot.render.launch_time import net_text, status_text
from bot.render.message import Message
from bot.render.reason import reason_text
from bot.render.text import clean_name, names_within
from bot.render.upcoming import launch_title, webcast_line

TITLE = N_("🛰️ Crewed spaceflight, live")
CRAFTS_SHOWN = 6
"""Craft listed one by one; more are counted in the section's line."""
CREW_ROOM = 400
LAUNCH_CREW_ROOM = 200


def render_board(view: BoardView, lang: Lang) -> Message:
    embed = new_embed(lang.say(TITLE), IN_SPACE_COLOUR, description=_checked(view, lang))
    _in_space(embed, view.crews, lang)
    _launches(embed, view, lang)
    add_field(embed, lang.say("🕰️ Recently"), _recent(view, lang))
    edits = lang.say("Changes are edited in, without a notification")
    embed.set_footer(text=f"{edits} · {lang.say(CREDIT)}")
    embed.timestamp = view.now
    return fit_message(Message(embeds=(embed,)), lang)


def _checked(view: BoardView, lang: Lang) -> str:
    """Whether the board is current: how often it is checked while it is, and the age of
    what LL2 could not refresh when it is not (a fixed time, so no edit is needed)."""
    lines = []
    if view.crews_as_of is not None:
        lines.append(
            lang.say(
                "⚠️ LL2 could not be reached: people in space as of {when}",
                when=format_dt(view.crews_as_of, "f"),
            )
        )
    if view.launches_as_of is not None:
        lines.append(
            lang.say(
                "⚠️ Launches as LL2 listed them {when}, not checked since",
                when=format_dt(view.launches_as_of, "R"),
            )
        )
    if not lines:
        lines.append(
            lang.say_n(
                "✅ Checked against LL2 every {count} minute",
                "✅ Checked against LL2 every {count} minutes",
                view.check_minutes,
            )
        )
    return "\n".join(lines)


def _in_space(embed: discord.Embed, crews: tuple[CraftCrew, ...] | None, lang: Lang) -> None:
    heading = lang.say("🧑‍🚀 In space now")
    if crews is None:
        add_field(embed, heading, lang.say("Not known yet: Capcom has not checked LL2."))
        return
    people = len({astronaut.id for crew in crews for astronaut in crew.astronauts})
    if not people:
        add_field(embed, heading, lang.say("Nobody, as far as LL2 knows. 🌍"))
        return
    shown = crews[:CRAFTS_SHOWN]
    # Two counts in one sentence: the people are counted in their own message, the
    # sentence takes its plural (and, in Russian or Polish, its case) from the spacecraft.
    summary = lang.say_n(
        "{people} aboard {count} spacecraft",
        "{people} aboard {count} spacecraft",
        len(crews),
        people=lang.say_n("{count} person", "{count} people", people),
    )
    if len(crews) > len(shown):
        summary += " " + lang.say_n(
            "(the first {count} below)", "(the first {count} below)", len(shown)
        )
    add_field(embed, heading, summary)
    for crew in shown:
        add_field(embed, craft_route(crew, lang), _aboard(crew, lang))


def _aboard(crew: CraftCrew, lang: Lang) -> str:
    names = [astronaut_name(a, lang) for a in crew.astronauts]
    line = names_within(names, CREW_ROOM, lang) or lang.say("No crew listed")
    if crew.launched_at is not None:
        line += "\n" + lang.say("Up since {when}", when=format_dt(crew.launched_at, "D"))
    return line


def _launches(embed: discord.Embed, view: BoardView, lang: Lang) -> None:
    launches = view.launches
    heading = lang.say("🚀 Next crewed launches")
    if launches is None:
        text = lang.say("Not fetched from LL2 yet (`/upcoming` or the launch poll fetches them).")
        add_field(embed, heading, text)
        return
    if not launches:
        add_field(embed, heading, lang.say("LL2 lists none."))
        return
    for number, launch in enumerate(launches):
        lines = [net_text(launch, view.now, lang), status_text(launch, lang)]
        crew = [astronaut_name(m.astronaut, lang) for m in launch.launch_crew]
        if crew:
            names = names_within(crew, LAUNCH_CREW_ROOM, lang)
            lines.append(lang.say("Crew: {names}", names=names))
        webcast = webcast_line(launch, lang)
        if webcast:
            lines.append(lang.say("Webcast: {link}", link=webcast))
        title = launch_title(launch, lang)
        name = lang.say("🚀 Next: {launch}", launch=title) if number == 0 else title
        add_field(embed, name, "\n".join(lines))


def _recent(view: BoardView, lang: Lang) -> str:
    landing, launch = view.last_landing, view.last_launch
    lines = [
        lang.say("Last landing: {event}", event=_event(landing, lang))
        if landing
        else lang.say("Last landing: none seen yet"),
        lang.say("Last launch: {event}", event=_event(launch, lang))
        if launch
        else lang.say("Last launch: none seen yet"),
    ]
    return "\n".join(lines)


def _event(recent: Recent, lang: Lang) -> str:
    when = f"{format_dt(recent.at, 'f')} ({format_dt(recent.at, 'R')})"
    name = clean_name(recent.flight) or lang.say("Flight {id}", id=recent.flight_id)
    return f"**{name}** {when}"


def with_board_status(message: Message, boards: list[BoardStatus], lang: Lang) -> Message:
    """`/alerts status` (`message`) with this server's live boards under it."""
    if not boards:
        return message
    embed = new_embed(lang.say("Live board"), IN_SPACE_COLOUR)
    for board in boards:
        channel = f"<#{board.channel_id}>"
        if board.paused_reason:
            state = lang.say(
                "{channel}: ⏸️ Paused: {reason}\nRun /alerts board again.",
                channel=channel,
                reason=reason_text(board.paused_reason, lang),
            )
        elif board.posted:
            state = lang.say("{channel}: kept current", channel=channel)
        else:
            state = lang.say("{channel}: to be posted", channel=channel)
        add_field(embed, lang.say("Channel"), state)
    return fit_message(replace(message, embeds=(*message.embeds, embed)), lang)
