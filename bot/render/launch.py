"""Reminders before a crewed launch, change notices, the outcome, and a reminder edited
once it is out of date (its old time struck through, pointing at the new one).

Like alerts, only the configured role is ever mentioned (for what the server chose
to be pinged for); LL2's names are escaped and cannot ping. Times are `<t:…>` in the
description, which renders them in each reader's time zone.
"""

from __future__ import annotations

from datetime import UTC, datetime

import discord
from discord.utils import format_dt

from bot.alerts.reminders import ChangeKind, LaunchNotice, launch_marker
from bot.ll2.freshness import Freshness
from bot.ll2.launches import LaunchStatus
from bot.render.alert import ALERT_COLOUR, role_mention
from bot.render.embeds import ERROR_COLOUR, main_embed
from bot.render.fit import add_field, fit_message
from bot.render.message import Message
from bot.render.text import clean_name
from bot.render.urls import safe_url

REMINDER_COLOUR = discord.Colour(0x1F6FEB)
OUT_OF_DATE_COLOUR = discord.Colour(0x6E7781)

OFFSET_WORDS = {86_400: "24 hours", 21_600: "6 hours", 3_600: "1 hour", 600: "10 minutes"}

STATUS_WORDS = {
    LaunchStatus.GO: "Go for launch",
    LaunchStatus.TBC: "To be confirmed",
    LaunchStatus.TBD: "To be determined",
    LaunchStatus.HOLD: "On hold",
    LaunchStatus.IN_FLIGHT: "In flight",
    LaunchStatus.PAYLOAD_DEPLOYED: "In flight",
    LaunchStatus.SUCCESS: "Launch successful",
    LaunchStatus.FAILURE: "Launch failure",
    LaunchStatus.PARTIAL_FAILURE: "Partial failure",
}

_CHANGE_TITLES = {
    ChangeKind.LATER: "⏩ {name} moved later",
    ChangeKind.EARLIER: "⏪ {name} moved earlier",
    ChangeKind.SCRUB: "🛑 {name} scrubbed: new launch time",
    ChangeKind.HOLD: "✋ {name} is on hold",
    ChangeKind.TBD: "❔ {name}: launch date not firm any more",
    ChangeKind.CONFIRMED: "📅 {name} has a launch time",
    ChangeKind.RESUMED: "▶️ {name} is back on",
}

_OUTCOME_TITLES = {
    LaunchStatus.SUCCESS: "✅ {name}: launch successful",
    LaunchStatus.FAILURE: "❌ {name}: launch failure",
    LaunchStatus.PARTIAL_FAILURE: "⚠️ {name}: partial launch failure",
}


def _at(unix: float | None) -> datetime | None:
    return None if unix is None else datetime.fromtimestamp(unix, UTC)


def _time(unix: float | None) -> str:
    """A time as each reader sees it: full and relative."""
    when = _at(unix)
    return "not firm" if when is None else f"{format_dt(when, 'F')} ({format_dt(when, 'R')})"


def _struck(unix: float | None) -> str:
    when = _at(unix)
    return "" if when is None else f"~~{format_dt(when, 'F')}~~"


def _status(status_id: int | None) -> str:
    status = LaunchStatus.of(status_id)
    return "unknown" if status is None else STATUS_WORDS[status]


def render_launch_notice(notice: LaunchNotice) -> Message:
    """A reminder (as sent, or out of date when edited later), a change notice or an
    outcome, each with the launch's status and LL2's page when it has one."""
    launch = notice.launch
    name = clean_name(launch.name) or "A crewed launch"
    lines: list[str] = []
    colour = REMINDER_COLOUR
    if notice.reminder is not None and notice.up_to_date:
        title = f"⏰ {name} launches in {OFFSET_WORDS.get(notice.reminder.offset, 'a while')}"
        lines.append(f"NET {_time(notice.reminder.net)}")
    elif notice.reminder is not None:
        title = f"⏰ {name}: this reminder is out of date"
        colour = OUT_OF_DATE_COLOUR
        lines.append(f"{_struck(notice.reminder.net)} → {_now_text(notice)}")
    elif notice.change is not None:
        change = notice.change
        title = _CHANGE_TITLES[change.kind].format(name=name)
        colour = ERROR_COLOUR if change.kind in (ChangeKind.SCRUB, ChangeKind.HOLD) else colour
        lines.extend(_change_lines(notice))
    else:
        outcome = notice.outcome or LaunchStatus.SUCCESS
        title = _OUTCOME_TITLES.get(outcome, "{name}: launch over").format(name=name)
        colour = ALERT_COLOUR
        lines.append(f"Launched {_time(launch.net)}")
    embed = main_embed(
        title,
        colour,
        Freshness(datetime.fromtimestamp(launch.last_seen, UTC)),
        url=launch.page_url,
        description="\n".join(lines),
        footer=launch_marker(launch.launch_id, notice.key),
    )
    add_field(embed, "Status", _status(launch.status_id), inline=True)
    webcast = safe_url(launch.webcast_url)
    if notice.webcast and notice.up_to_date and webcast:
        add_field(embed, "Watch", f"[Webcast]({webcast})", inline=True)
    content, allowed = role_mention(notice.role_id)
    message = Message(
        embeds=(embed,), content=content, allowed_mentions=allowed, silent=notice.role_id is None
    )
    return fit_message(message)


def _now_text(notice: LaunchNotice) -> str:
    """Where an out-of-date reminder points: the launch as LL2 has it now."""
    launch = notice.launch
    status = LaunchStatus.of(launch.status_id)
    if status is not None and status.has_lifted_off:
        return f"{_status(launch.status_id)} since {_time(launch.net)}"
    if status is LaunchStatus.HOLD:
        return f"on hold (was {_time(launch.planned_net)})"
    if launch.planned_net is None or status is LaunchStatus.TBD:
        return "launch date not firm"
    return f"now NET {_time(launch.planned_net)}"


def _change_lines(notice: LaunchNotice) -> list[str]:
    change = notice.change
    assert change is not None
    kind = change.kind
    if kind is ChangeKind.HOLD:
        return [f"Was set for {_time(change.old_net)}; LL2 shows a hold."]
    if kind is ChangeKind.TBD:
        return [f"Was set for {_time(change.old_net)}; the new date is not firm."]
    if kind is ChangeKind.CONFIRMED:
        return [f"NET {_time(change.new_net)}", "Reminders will come before it."]
    lines = [f"From {_struck(change.old_net)} to {_time(change.new_net)}"]
    if change.old_net is None or change.old_net == change.new_net:
        lines = [f"NET {_time(change.new_net)}"]
    lines.append("Reminders follow the new time.")
    return lines
