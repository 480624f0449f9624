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

from bot.alert_kinds import FOOTER_SEPARATOR
from bot.alerts.reminders import ChangeKind, LaunchNotice, launch_marker
from bot.ll2.freshness import Freshness
from bot.ll2.launches import LaunchStatus
from bot.render.alert import ALERT_COLOUR, role_mention
from bot.render.embeds import ERROR_COLOUR, main_embed
from bot.render.fit import add_field, fit_message
from bot.render.lang import N_, Lang
from bot.render.message import Message
from bot.render.text import clean_name
from bot.render.urls import safe_url

REMINDER_COLOUR = discord.Colour(0x1F6FEB)
OUT_OF_DATE_COLOUR = discord.Colour(0x6E7781)

STATUS_WORDS = {
    LaunchStatus.GO: N_("Go for launch"),
    LaunchStatus.TBC: N_("To be confirmed"),
    LaunchStatus.TBD: N_("To be determined"),
    LaunchStatus.HOLD: N_("On hold"),
    LaunchStatus.IN_FLIGHT: N_("In flight"),
    LaunchStatus.PAYLOAD_DEPLOYED: N_("In flight"),
    LaunchStatus.SUCCESS: N_("Launch successful"),
    LaunchStatus.FAILURE: N_("Launch failure"),
    LaunchStatus.PARTIAL_FAILURE: N_("Partial failure"),
}
"""A launch's status in a reminder or notice, in English (`Lang.say` translates)."""

_CHANGE_TITLES = {
    ChangeKind.LATER: N_("⏩ {name} moved later"),
    ChangeKind.EARLIER: N_("⏪ {name} moved earlier"),
    ChangeKind.SCRUB: N_("🛑 {name} scrubbed: new launch time"),
    ChangeKind.HOLD: N_("✋ {name} is on hold"),
    ChangeKind.TBD: N_("❔ {name}: launch date not firm any more"),
    ChangeKind.CONFIRMED: N_("📅 {name} has a launch time"),
    ChangeKind.RESUMED: N_("▶️ {name} is back on"),
}

_OUTCOME_TITLES = {
    LaunchStatus.SUCCESS: N_("✅ {name}: launch successful"),
    LaunchStatus.FAILURE: N_("❌ {name}: launch failure"),
    LaunchStatus.PARTIAL_FAILURE: N_("⚠️ {name}: partial launch failure"),
}


def _at(unix: float | None) -> datetime | None:
    return None if unix is None else datetime.fromtimestamp(unix, UTC)


def _time(unix: float | None, lang: Lang) -> str:
    """A time as each reader sees it: full and relative."""
    when = _at(unix)
    if when is None:
        return lang.say("not firm")
    return f"{format_dt(when, 'F')} ({format_dt(when, 'R')})"


def _struck(unix: float | None) -> str:
    when = _at(unix)
    return "" if when is None else f"~~{format_dt(when, 'F')}~~"


def _status(status_id: int | None, lang: Lang) -> str:
    status = LaunchStatus.of(status_id)
    return lang.say("unknown") if status is None else lang.say(STATUS_WORDS[status])


def _reminder_title(name: str, offset: int, lang: Lang) -> str:
    """A reminder's title ("⏰ Crew-12 launches in 24 hours"): whole hours as hours, else
    minutes."""
    hours, minutes = divmod(offset // 60, 60)
    if not minutes:
        return lang.say_n(
            "⏰ {name} launches in {count} hour",
            "⏰ {name} launches in {count} hours",
            hours,
            name=name,
        )
    return lang.say_n(
        "⏰ {name} launches in {count} minute",
        "⏰ {name} launches in {count} minutes",
        offset // 60,
        name=name,
    )


def render_launch_notice(notice: LaunchNotice, lang: Lang) -> Message:
    """A reminder (as sent, or out of date when edited later), a change notice or an
    outcome, each with the launch's status and LL2's page when it has one."""
    launch = notice.launch
    name = clean_name(launch.name) or lang.say("A crewed launch")
    lines: list[str] = []
    colour = REMINDER_COLOUR
    if notice.reminder is not None and notice.up_to_date:
        title = _reminder_title(name, notice.reminder.offset, lang)
        lines.append(lang.say("NET {time}", time=_time(notice.reminder.net, lang)))
    elif notice.reminder is not None:
        title = lang.say("⏰ {name}: this reminder is out of date", name=name)
        colour = OUT_OF_DATE_COLOUR
        lines.append(f"{_struck(notice.reminder.net)} → {_now_text(notice, lang)}")
    elif notice.change is not None:
        change = notice.change
        title = lang.say(_CHANGE_TITLES[change.kind], name=name)
        colour = ERROR_COLOUR if change.kind in (ChangeKind.SCRUB, ChangeKind.HOLD) else colour
        lines.extend(_change_lines(notice, lang))
    else:
        outcome = _OUTCOME_TITLES.get(notice.outcome or LaunchStatus.SUCCESS)
        title = lang.say(outcome or N_("{name}: launch over"), name=name)
        colour = ALERT_COLOUR
        lines.append(lang.say("Launched {time}", time=_time(launch.net, lang)))
    embed = main_embed(
        title,
        colour,
        Freshness(datetime.fromtimestamp(launch.last_seen, UTC)),
        lang,
        url=launch.page_url,
        description="\n".join(lines),
        footer=FOOTER_SEPARATOR.join(
            (lang.say("Capcom launch notice"), launch_marker(launch.launch_id, notice.key).key)
        ),
    )
    add_field(embed, lang.say("Status"), _status(launch.status_id, lang), inline=True)
    webcast = safe_url(launch.webcast_url)
    if notice.webcast and notice.up_to_date and webcast:
        add_field(embed, lang.say("Watch"), f"[{lang.say('Webcast')}]({webcast})", inline=True)
    content, allowed = role_mention(notice.role_id)
    message = Message(
        embeds=(embed,), content=content, allowed_mentions=allowed, silent=notice.role_id is None
    )
    return fit_message(message, lang)


def _now_text(notice: LaunchNotice, lang: Lang) -> str:
    """Where an out-of-date reminder points: the launch as LL2 has it now."""
    launch = notice.launch
    status = LaunchStatus.of(launch.status_id)
    if status is not None and status.has_lifted_off:
        # No words join them: "since" fits no status that has lifted off in every language.
        return f"{_status(launch.status_id, lang)} · {_time(launch.net, lang)}"
    if status is LaunchStatus.HOLD:
        return lang.say("on hold (was {time})", time=_time(launch.planned_net, lang))
    if launch.planned_net is None or status is LaunchStatus.TBD:
        return lang.say("launch date not firm")
    return lang.say("now NET {time}", time=_time(launch.planned_net, lang))


def _change_lines(notice: LaunchNotice, lang: Lang) -> list[str]:
    change = notice.change
    assert change is not None
    kind = change.kind
    if kind is ChangeKind.HOLD:
        return [lang.say("Was set for {time}; LL2 shows a hold.", time=_time(change.old_net, lang))]
    if kind is ChangeKind.TBD:
        return [
            lang.say(
                "Was set for {time}; the new date is not firm.", time=_time(change.old_net, lang)
            )
        ]
    net = lang.say("NET {time}", time=_time(change.new_net, lang))
    if kind is ChangeKind.CONFIRMED:
        return [net, lang.say("Reminders will come before it.")]
    lines = [
        lang.say(
            "From {old} to {new}", old=_struck(change.old_net), new=_time(change.new_net, lang)
        )
    ]
    if change.old_net is None or change.old_net == change.new_net:
        lines = [net]
    lines.append(lang.say("Reminders follow the new time."))
    return lines
