"""Alerts (a crewed launch, a docking, an undocking, a landing) and the `/alerts` replies.

An alert is the only message that may ping: the configured role, and nothing else
(`allowed_mentions` names just that role), only for the event types the server chose to
be pinged for; its other alerts are posted silently.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import discord
from discord.utils import format_dt

from bot.alert_kinds import AlertKind, EventType, alert_marker, labels
from bot.alerts.event_sync import EVENTS_OFF, EventsStatus
from bot.alerts.reminders import offsets_label
from bot.alerts.service import AlertStatus, Notice
from bot.ll2.freshness import Freshness
from bot.ll2.models import DockingEvent, SpacecraftFlight
from bot.render.embeds import ERROR_COLOUR, main_embed, new_embed
from bot.render.fit import add_field, fit_message
from bot.render.flight import crew_cards, docking_line, landing_text
from bot.render.lang import N_, Lang
from bot.render.limits import FIELD_VALUE_LIMIT
from bot.render.message import Message
from bot.render.text import More, clean, clean_name, format_duration, join_lines

ALERT_COLOUR = discord.Colour(0xBF8700)
OK_COLOUR = discord.Colour(0x2DA44E)


def role_mention(role_id: int | None) -> tuple[str | None, discord.AllowedMentions]:
    if role_id is None:
        return None, discord.AllowedMentions.none()
    allowed = discord.AllowedMentions(
        everyone=False, users=False, roles=[discord.Object(id=role_id)], replied_user=False
    )
    return f"<@&{role_id}>", allowed


_TITLES = {
    EventType.LAUNCH: "🚀 {name} has launched",
    EventType.DOCKING: "🔗 {name} has docked",
    EventType.UNDOCKING: "🔓 {name} has undocked",
    EventType.LANDING: "🪂 {name} has landed",
}


def render_alert(notice: Notice) -> Message:
    """One alert: the crew with their photos, and what a reader wants to know of this
    kind of event: launch site and rocket for a launch, station and port for a docking
    or an undocking, landing site and mission duration for a landing. The role is
    mentioned when the notice names one; otherwise the alert is posted silently."""
    flight, kind, now = notice.flight.value, notice.kind, notice.now
    name = clean_name(flight.name) or f"Flight {flight.id}"
    title = _TITLES[kind.type].format(name=name)
    event = _docking_event(flight, kind)
    when = _when(flight, kind, event)
    lines = []
    if when is not None:
        lines.append(f"{format_dt(when, 'F')} ({format_dt(when, 'R')})")
    if notice.late:
        lines.append("⏰ Late alert: Capcom was offline when this happened.")
    crew = ", ".join(clean_name(a.name) for a in flight.crew)
    if crew:
        lines.append(f"Crew: {crew}")
    embed = main_embed(
        title,
        ALERT_COLOUR,
        notice.flight.freshness,
        description="\n".join(lines) or None,
        footer=alert_marker(flight.id, kind),
    )
    if kind.type is EventType.LAUNCH:
        _add_launch_fields(embed, flight)
    elif event is not None:
        add_field(embed, "Station and port", docking_line(event, flight, now))
    if kind.type is EventType.LANDING:
        add_field(embed, "Landing", landing_text(flight, now))
        duration = flight.mission_duration
        if duration is not None:
            add_field(embed, "Mission duration", format_duration(duration), inline=True)
        if flight.docking_events:
            docks = [docking_line(event, flight, now) for event in flight.docking_events]
            add_field(embed, "Docking", join_lines(docks, FIELD_VALUE_LIMIT))
    content, allowed = role_mention(notice.role_id)
    message = Message(
        embeds=(embed, *crew_cards(flight)),
        content=content,
        allowed_mentions=allowed,
        silent=notice.role_id is None,
    )
    return fit_message(message, left_out=More.CREW)


def _docking_event(flight: SpacecraftFlight, kind: AlertKind) -> DockingEvent | None:
    return next((e for e in flight.docking_events if e.id == kind.docking_id), None)


def _when(flight: SpacecraftFlight, kind: AlertKind, event: DockingEvent | None) -> datetime | None:
    if kind.type is EventType.LAUNCH:
        return flight.launched_at
    if kind.type is EventType.LANDING:
        return flight.mission_end
    if event is None:
        return None
    return event.docking if kind.type is EventType.DOCKING else event.departure


def _add_launch_fields(embed: discord.Embed, flight: SpacecraftFlight) -> None:
    launch = flight.launch
    if launch is None:
        return
    pad = launch.pad
    if pad is not None and (pad.name or pad.location):
        where = [clean_name(pad.name)] if pad.name else []
        if pad.location is not None and pad.location.name:
            where.append(clean_name(pad.location.name))
        add_field(embed, "Launch site", ", ".join(where))
    rocket = launch.rocket.name if launch.rocket is not None else None
    if rocket:
        add_field(embed, "Rocket", clean_name(rocket), inline=True)


def render_test_alert(role_id: int | None, now: datetime) -> Message:
    """A sample alert, so an admin sees that Capcom can post (and ping) in the channel."""
    embed = main_embed(
        "🧪 Test alert: this is how a landing will be announced",
        ALERT_COLOUR,
        Freshness(now),
        description=(
            f"Landed {format_dt(now - timedelta(minutes=12), 'R')}: crew, landing site, "
            "mission duration and dockings will appear here."
        ),
        footer="Capcom test alert",
    )
    content, allowed = role_mention(role_id)
    return fit_message(Message(embeds=(embed,), content=content, allowed_mentions=allowed))


KIND_LABELS = {
    EventType.LAUNCH: N_("launches"),
    EventType.DOCKING: N_("dockings"),
    EventType.UNDOCKING: N_("undockings"),
    EventType.LANDING: N_("landings"),
}
"""How `/alerts` answers name the event types (`EventType.label` in English)."""


def kinds_text(types: frozenset[EventType], lang: Lang) -> str:
    """The types in their fixed order, in the reader's language: 'launches, landings'."""
    return ", ".join(lang.say(KIND_LABELS[t]) for t in EventType if t in types)


def subscribed_text(
    types: frozenset[EventType],
    offsets: frozenset[int],
    pinged: frozenset[EventType],
    ping_reminders: bool,
    mentions: tuple[str, str | None],
    lang: Lang,
) -> str:
    """What `/alerts channel` set up: where (`mentions`: the channel's, and the role's if
    any) alerts and reminders go, and which mention the role."""
    channel, role = mentions
    kinds, times = kinds_text(types, lang), offsets_label(offsets)
    if types and offsets:
        text = lang.say(
            "Alerts for {kinds} and reminders {times} before each crewed launch will be"
            " posted in {channel}.",
            kinds=kinds,
            times=times,
            channel=channel,
        )
    elif types:
        text = lang.say(
            "Alerts for {kinds} will be posted in {channel}.", kinds=kinds, channel=channel
        )
    else:
        text = lang.say(
            "Reminders {times} before each crewed launch will be posted in {channel}.",
            times=times,
            channel=channel,
        )
    reminders = bool(offsets) and ping_reminders
    if role is None or not (pinged or reminders):
        return text
    named = kinds_text(pinged, lang)
    if pinged and reminders:
        mention = lang.say(
            "{role} will be mentioned for {kinds} and reminders.", role=role, kinds=named
        )
    elif pinged:
        mention = lang.say("{role} will be mentioned for {kinds}.", role=role, kinds=named)
    else:
        mention = lang.say("{role} will be mentioned for reminders.", role=role)
    return f"{text} {mention}"


def render_admin_reply(text: str, *, ok: bool) -> Message:
    """A short reply to an admin: green when done, red when something is in the way."""
    prefix = "✅" if ok else "⚠️"
    colour = OK_COLOUR if ok else ERROR_COLOUR
    embed = new_embed("", colour, description=f"{prefix} {text}")
    return fit_message(Message(embeds=(embed,)))


def render_alert_status(status: AlertStatus | None, events: EventsStatus = EVENTS_OFF) -> Message:
    if status is None and not events.enabled:
        return render_admin_reply("Alerts are off. Turn them on with /alerts channel.", ok=False)
    paused = (status is not None and status.paused_reason) or events.paused_reason
    embed = new_embed("Crew alerts", ERROR_COLOUR if paused else OK_COLOUR)
    if status is None:
        add_field(embed, "Alerts", "off: turn them on with /alerts channel")
    else:
        _add_subscription(embed, status)
    add_field(embed, "Discord events", _events_text(events))
    return fit_message(Message(embeds=(embed,)))


def _add_subscription(embed: discord.Embed, status: AlertStatus) -> None:
    add_field(embed, "Channel", f"<#{status.channel_id}>", inline=True)
    role = f"<@&{status.role_id}>" if status.role_id else "none"
    add_field(embed, "Role mentioned", role, inline=True)
    add_field(embed, "Alerts for", labels(status.event_types) or "nothing", inline=True)
    if status.reminders:
        when = f"{offsets_label(status.reminders)} before each crewed launch, and its changes"
        add_field(embed, "Reminders", when, inline=True)
    if status.role_id:
        pinged = labels(status.ping_types) or "nothing"
        if status.pinged_reminders:
            pinged += " and reminders"
        add_field(embed, "Mentions the role for", pinged, inline=True)
    if status.paused_reason:
        add_field(
            embed,
            "⏸️ Paused",
            f"{clean(status.paused_reason)}\nFix it, then run /alerts channel again.",
        )
    else:
        add_field(embed, "State", "active")
    add_field(embed, "Since", format_dt(status.since, "F"), inline=True)
    add_field(embed, "Alerts sent", str(status.sent), inline=True)


def _events_text(events: EventsStatus) -> str:
    if not events.enabled:
        return "off (turn them on with /alerts events)"
    if events.paused_reason:
        return (
            f"⏸️ Paused: {clean(events.paused_reason)}\n"
            "Fix it, then run /alerts events enabled:True again."
        )
    return "on: an event for each crewed launch with a firm time"
