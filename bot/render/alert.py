"""Landing and undocking alerts, and the `/alerts` replies.

An alert is the only message that may ping: the configured role, and nothing
else (`allowed_mentions` names just that role).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
from discord.utils import format_dt

from bot.alerts.detector import UNDOCKING_PREFIX
from bot.ll2.freshness import Freshness
from bot.ll2.models import SpacecraftFlight
from bot.render.common import (
    ERROR_COLOUR,
    FIELD_VALUE_LIMIT,
    add_field,
    clean,
    clean_name,
    fit_message,
    format_duration,
    join_lines,
    main_embed,
    new_embed,
)
from bot.render.flight import crew_cards, docking_line, landing_text
from bot.render.message import Message
from storage.alerts import Subscription

ALERT_COLOUR = discord.Colour(0xBF8700)
OK_COLOUR = discord.Colour(0x2DA44E)


def alert_marker(flight_id: int, kind: str) -> str:
    """Put in the footer of every alert, so a resend after a crash can find it."""
    return f"Capcom alert · flight {flight_id} · {kind}"


def _mention(role_id: int | None) -> tuple[str | None, discord.AllowedMentions]:
    if role_id is None:
        return None, discord.AllowedMentions.none()
    allowed = discord.AllowedMentions(
        everyone=False, users=False, roles=[discord.Object(id=role_id)], replied_user=False
    )
    return f"<@&{role_id}>", allowed


def render_alert(
    flight: SpacecraftFlight,
    kind: str,
    freshness: Freshness,
    *,
    role_id: int | None,
    late: bool,
    now: datetime,
) -> Message:
    """Who landed (crew cards with photos), where, when, for how long, and the dockings;
    or, for an undocking, which station the crew left and when."""
    name = clean_name(flight.name) or f"Flight {flight.id}"
    if kind.startswith(UNDOCKING_PREFIX):
        title = f"🔓 {name} has undocked"
        when = _undocking_time(flight, kind)
    else:
        title = f"🪂 {name} has landed"
        when = flight.mission_end
    lines = []
    if when is not None:
        lines.append(f"{format_dt(when, 'F')} ({format_dt(when, 'R')})")
    if late:
        lines.append("⏰ Late alert: Capcom was offline when this happened.")
    crew = ", ".join(clean_name(a.name) for a in flight.crew)
    if crew:
        lines.append(f"Crew: {crew}")
    embed = main_embed(
        title,
        ALERT_COLOUR,
        freshness,
        description="\n".join(lines) or None,
        footer=alert_marker(flight.id, kind),
    )
    if not kind.startswith(UNDOCKING_PREFIX):
        add_field(embed, "Landing", landing_text(flight, now))
        duration = flight.mission_duration
        if duration is not None:
            add_field(embed, "Mission duration", format_duration(duration), inline=True)
    if flight.docking_events:
        docks = [docking_line(event, flight, now) for event in flight.docking_events]
        add_field(embed, "Docking", join_lines(docks, FIELD_VALUE_LIMIT))
    content, allowed = _mention(role_id)
    message = Message(
        embeds=(embed, *crew_cards(flight)), content=content, allowed_mentions=allowed
    )
    return fit_message(message, overflow_noun="crew")


def _undocking_time(flight: SpacecraftFlight, kind: str) -> datetime | None:
    event_id = kind.removeprefix(UNDOCKING_PREFIX)
    for event in flight.docking_events:
        if str(event.id) == event_id:
            return event.departure
    return None


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
    content, allowed = _mention(role_id)
    return fit_message(Message(embeds=(embed,), content=content, allowed_mentions=allowed))


def render_notice(text: str, *, ok: bool) -> Message:
    """A short reply to an admin: green when done, red when something is in the way."""
    prefix = "✅" if ok else "⚠️"
    colour = OK_COLOUR if ok else ERROR_COLOUR
    embed = new_embed("", colour, description=f"{prefix} {text}")
    return fit_message(Message(embeds=(embed,)))


def render_alert_status(subscription: Subscription | None, sent: int) -> Message:
    if subscription is None:
        return render_notice("Landing alerts are off. Turn them on with /alerts channel.", ok=False)
    embed = new_embed(
        "Landing alerts", OK_COLOUR if not subscription.paused_reason else ERROR_COLOUR
    )
    add_field(embed, "Channel", f"<#{subscription.channel_id}>", inline=True)
    role = f"<@&{subscription.role_id}>" if subscription.role_id else "none"
    add_field(embed, "Role mentioned", role, inline=True)
    add_field(embed, "Undocking heads-up", "on" if subscription.heads_up else "off", inline=True)
    if subscription.paused_reason:
        add_field(
            embed,
            "⏸️ Paused",
            f"{clean(subscription.paused_reason)}\nFix it, then run /alerts channel again.",
        )
    else:
        add_field(embed, "State", "active")
    since = datetime.fromtimestamp(subscription.subscribed_at, UTC)
    add_field(embed, "Since", format_dt(since, "F"), inline=True)
    add_field(embed, "Alerts sent", str(sent), inline=True)
    return fit_message(Message(embeds=(embed,)))
