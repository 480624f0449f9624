"""Alerts (a crewed launch, a docking, an undocking, a landing) and the `/alerts` replies.

An alert is the only message that may ping: the configured role, and nothing else
(`allowed_mentions` names just that role), only for the event types the server chose to
be pinged for; its other alerts are posted silently.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import discord
from discord.utils import format_dt

from bot.alert_kinds import FOOTER_SEPARATOR, AlertKind, EventType, alert_marker
from bot.alerts.event_sync import EventsStatus
from bot.alerts.service import AlertStatus, Notice
from bot.ll2.freshness import Freshness
from bot.ll2.models import DockingEvent, SpacecraftFlight
from bot.render.embeds import ERROR_COLOUR, main_embed, new_embed
from bot.render.fit import add_field, fit_message
from bot.render.flight import crew_cards, docking_line, landing_text
from bot.render.lang import ENGLISH, N_, Lang, catalog_locale, lang_for
from bot.render.limits import FIELD_VALUE_LIMIT
from bot.render.message import Message
from bot.render.reason import reason_text
from bot.render.text import More, clean_name, format_duration, join_lines, sentences

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
    EventType.LAUNCH: N_("🚀 {name} has launched"),
    EventType.DOCKING: N_("🔗 {name} has docked"),
    EventType.UNDOCKING: N_("🔓 {name} has undocked"),
    EventType.LANDING: N_("🪂 {name} has landed"),
}


def render_alert(notice: Notice, lang: Lang) -> Message:
    """One alert: the crew with their photos, and what a reader wants to know of this
    kind of event: launch site and rocket for a launch, station and port for a docking
    or an undocking, landing site and mission duration for a landing. The role is
    mentioned when the notice names one; otherwise the alert is posted silently."""
    flight, kind, now = notice.flight.value, notice.kind, notice.now
    name = clean_name(flight.name) or lang.say("Flight {id}", id=flight.id)
    title = lang.say(_TITLES[kind.type], name=name)
    event = _docking_event(flight, kind)
    when = _when(flight, kind, event)
    lines = []
    if when is not None:
        lines.append(f"{format_dt(when, 'F')} ({format_dt(when, 'R')})")
    if notice.late:
        lines.append(lang.say("⏰ Late alert: Capcom was offline when this happened."))
    crew = [clean_name(a.name) for a in flight.crew]
    if crew:
        lines.append(lang.say("Crew: {names}", names=lang.names(crew)))
    embed = main_embed(
        title,
        ALERT_COLOUR,
        notice.flight.freshness,
        lang,
        description="\n".join(lines) or None,
        footer=FOOTER_SEPARATOR.join(
            (
                lang.say("Capcom alert · flight {id}", id=flight.id),
                alert_marker(flight.id, kind).key,
            )
        ),
    )
    if kind.type is EventType.LAUNCH:
        _add_launch_fields(embed, flight, lang)
    elif event is not None:
        add_field(embed, lang.say("Station and port"), docking_line(event, flight, now, lang))
    if kind.type is EventType.LANDING:
        add_field(embed, lang.say("Landing"), landing_text(flight, now, lang))
        duration = flight.mission_duration
        if duration is not None:
            add_field(
                embed, lang.say("Mission duration"), format_duration(duration, lang), inline=True
            )
        if flight.docking_events:
            docks = [docking_line(event, flight, now, lang) for event in flight.docking_events]
            add_field(embed, lang.say("Docking"), join_lines(docks, FIELD_VALUE_LIMIT, lang))
    content, allowed = role_mention(notice.role_id)
    message = Message(
        embeds=(embed, *crew_cards(flight, lang)),
        content=content,
        allowed_mentions=allowed,
        silent=notice.role_id is None,
    )
    return fit_message(message, lang, left_out=More.CREW)


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


def _add_launch_fields(embed: discord.Embed, flight: SpacecraftFlight, lang: Lang) -> None:
    launch = flight.launch
    if launch is None:
        return
    pad = launch.pad
    if pad is not None and (pad.name or pad.location):
        where = [clean_name(pad.name)] if pad.name else []
        if pad.location is not None and pad.location.name:
            where.append(clean_name(pad.location.name))
        add_field(embed, lang.say("Launch site"), ", ".join(where))
    rocket = launch.rocket.name if launch.rocket is not None else None
    if rocket:
        add_field(embed, lang.say("Rocket"), clean_name(rocket), inline=True)


def render_test_alert(role_id: int | None, now: datetime, lang: Lang) -> Message:
    """A sample alert, so an admin sees that Capcom can post (and ping) in the channel."""
    embed = main_embed(
        lang.say("🧪 Test alert: this is how a landing will be announced"),
        ALERT_COLOUR,
        Freshness(now),
        lang,
        description=lang.say(
            "Landed {when}: crew, landing site, mission duration and dockings will appear here.",
            when=format_dt(now - timedelta(minutes=12), "R"),
        ),
        footer=lang.say("Capcom test alert"),
    )
    content, allowed = role_mention(role_id)
    return fit_message(Message(embeds=(embed,), content=content, allowed_mentions=allowed), lang)


LANGUAGE_NAMES = {
    "en-US": "English",
    "de": "Deutsch",
    "es-ES": "Español",
    "fr": "Français",
    "it": "Italiano",
    "ja": "日本語",
    "ko": "한국어",
    "pl": "Polski",
    "pt-BR": "Português do Brasil",
    "ru": "Русский",
    "uk": "Українська",
    "zh-CN": "简体中文",
}
"""Every language Capcom posts in (English and one per catalog), by its Discord locale,
named as its speakers name it: `/alerts channel language` offers them."""


def posting_lang(picked: str | None, server_locale: str | None) -> Lang:
    """The language of what Capcom posts in a server (alerts, reminders, the board,
    scheduled events): the one its admin picked, else the server's own (Discord's
    `preferred_locale`), English where Capcom has no catalog for it."""
    return lang_for(picked or server_locale or ENGLISH.code)


REMINDER_TIMES = {
    86_400: N_("24 h"),
    21_600: N_("6 h"),
    3_600: N_("1 h"),
    600: N_("10 min"),
}
"""Each of `bot.alerts.reminders.REMINDER_OFFSETS` as `/alerts` answers name it
("24 h, 1 h and 10 min")."""


def offsets_words(offsets: frozenset[int], lang: Lang) -> str:
    """Reminder times, longest first, listed as the language lists them."""
    longest_first = sorted(offsets, reverse=True)
    return lang.names([lang.say(REMINDER_TIMES[offset]) for offset in longest_first])


KIND_LABELS = {
    EventType.LAUNCH: N_("launches"),
    EventType.DOCKING: N_("dockings"),
    EventType.UNDOCKING: N_("undockings"),
    EventType.LANDING: N_("landings"),
}
"""How `/alerts` answers name the event types (`EventType.label` in English)."""


def kinds_text(types: frozenset[EventType], lang: Lang, *, reminders: bool) -> str:
    """The types in their fixed order (then reminders, with `reminders`), listed as the
    reader's language lists: 'launches, landings, and reminders', '打ち上げ、帰還'."""
    labels = [lang.say(KIND_LABELS[t]) for t in EventType if t in types]
    return lang.names([*labels, lang.say("reminders")] if reminders else labels)


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
    said = []
    if types:
        kinds = kinds_text(types, lang, reminders=False)
        said.append(
            lang.say(
                "Alerts for {kinds} will be posted in {channel}.", kinds=kinds, channel=channel
            )
        )
    if offsets:
        said.append(
            lang.say(
                "Reminders {times} before each crewed launch will be posted in {channel}.",
                times=offsets_words(offsets, lang),
                channel=channel,
            )
        )
    reminders = bool(offsets) and ping_reminders
    if role is not None and (pinged or reminders):
        named = kinds_text(pinged, lang, reminders=reminders)
        said.append(lang.say("{role} will be mentioned for {kinds}.", role=role, kinds=named))
    return sentences(said)


def render_admin_reply(text: str, lang: Lang, *, ok: bool) -> Message:
    """A short reply to an admin: green when done, red when something is in the way."""
    prefix = "✅" if ok else "⚠️"
    colour = OK_COLOUR if ok else ERROR_COLOUR
    embed = new_embed("", colour, description=f"{prefix} {text}")
    return fit_message(Message(embeds=(embed,)), lang)


def render_alert_status(
    status: AlertStatus | None, events: EventsStatus, server_locale: str, lang: Lang
) -> Message:
    """`/alerts status` in the admin's language (`lang`); `server_locale` is the server's
    Discord locale, which alerts follow unless the admin picked a language."""
    if status is None and not events.enabled:
        text = lang.say("Alerts are off. Turn them on with /alerts channel.")
        return render_admin_reply(text, lang, ok=False)
    paused = (status is not None and status.paused_reason) or events.paused_reason
    embed = new_embed(lang.say("Crew alerts"), ERROR_COLOUR if paused else OK_COLOUR)
    if status is None:
        add_field(embed, lang.say("Alerts"), lang.say("off: turn them on with /alerts channel"))
    else:
        _add_subscription(embed, status, lang)
    add_field(embed, lang.say("Discord events"), _events_text(events, lang))
    picked = status.language if status is not None else None
    add_field(embed, lang.say("Language"), language_text(picked, server_locale, lang))
    return fit_message(Message(embeds=(embed,)), lang)


def language_text(picked: str | None, server_locale: str, lang: Lang) -> str:
    """Which language Capcom posts in, and why: the one the admin picked, else the
    server's, else English where Capcom has no catalog for the server's."""
    used = posting_lang(picked, server_locale)
    name = LANGUAGE_NAMES[used.code]
    if picked is not None:
        return lang.say("{language}, picked with /alerts channel", language=name)
    if used.code == catalog_locale(server_locale):
        return lang.say("{language}, the server's language", language=name)
    return lang.say(
        "{language}: Capcom has no translation for the server's language ({locale})",
        language=name,
        locale=clean_name(server_locale, 20),
    )


def _add_subscription(embed: discord.Embed, status: AlertStatus, lang: Lang) -> None:
    nothing = lang.say("nothing")
    add_field(embed, lang.say("Channel"), f"<#{status.channel_id}>", inline=True)
    role = f"<@&{status.role_id}>" if status.role_id else lang.say("none")
    add_field(embed, lang.say("Role mentioned"), role, inline=True)
    alerts_for = kinds_text(status.event_types, lang, reminders=False) or nothing
    add_field(embed, lang.say("Alerts for"), alerts_for, inline=True)
    if status.reminders:
        when = lang.say(
            "{times} before each crewed launch, and its changes",
            times=offsets_words(status.reminders, lang),
        )
        add_field(embed, lang.say("Reminders"), when, inline=True)
    if status.role_id:
        pinged = kinds_text(status.ping_types, lang, reminders=status.pinged_reminders)
        add_field(embed, lang.say("Mentions the role for"), pinged or nothing, inline=True)
    if status.paused_reason:
        add_field(
            embed,
            lang.say("⏸️ Paused"),
            lang.say(
                "{reason}\nFix it, then run /alerts channel again.",
                reason=reason_text(status.paused_reason, lang),
            ),
        )
    else:
        add_field(embed, lang.say("State"), lang.say("active"))
    add_field(embed, lang.say("Since"), format_dt(status.since, "F"), inline=True)
    add_field(embed, lang.say("Alerts sent"), lang.number(status.sent), inline=True)


def _events_text(events: EventsStatus, lang: Lang) -> str:
    if not events.enabled:
        return lang.say("off (turn them on with /alerts events)")
    if events.paused_reason:
        return lang.say(
            "⏸️ Paused: {reason}\nFix it, then run /alerts events enabled:True again.",
            reason=reason_text(events.paused_reason, lang),
        )
    return lang.say("on: an event for each crewed launch with a firm time")
