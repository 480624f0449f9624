"""Message edits and scheduled events through the Discord edge, against the Discord
stand-in with the real discord.py client: each Discord answer becomes a plain outcome."""

from __future__ import annotations

from datetime import datetime, timedelta

import discord

from bot.alert_transport import DiscordTransport
from bot.alerts.outcomes import EditOutcome, EventOutcome
from bot.event_transport import DiscordEventTransport
from bot.render.event import ScheduledEventDraft, event_draft
from bot.render.lang import ENGLISH, lang_for
from bot.render.message import Message
from bot.render.reason import reason_text
from tests.stubs.clients import GuildsBot
from tests.stubs.discord import DEFAULT_BOT_PERMISSIONS, DiscordStub, Perm

EVENT_ROUTE = "/guilds/{guild_id}/scheduled-events/{event_id}"


def _draft(hours: float, name: str = "Crew-12") -> ScheduledEventDraft:
    start = discord.utils.utcnow() + timedelta(hours=hours)
    return event_draft(
        name, "To the ISS", start, start + timedelta(hours=1), ["https://x.test/w"], "Online"
    )


def _same_time(a: datetime, b: datetime) -> bool:
    return abs((a - b).total_seconds()) < 1


async def test_edit_in_place_then_gone(events_stub: DiscordStub, events_bot: GuildsBot) -> None:
    channel_id = events_stub.default_guild.channel("general").id
    transport = DiscordTransport(events_bot)
    message_id = await transport.post(channel_id, Message(content="NET 12:00"))
    edited = await transport.edit(channel_id, message_id, Message(content="~~NET 12:00~~ 14:00"))
    assert edited.outcome is EditOutcome.EDITED
    assert [m.id for m in events_stub.channel_messages(channel_id)] == [message_id]
    assert events_stub.message(message_id).content == "~~NET 12:00~~ 14:00"
    events_stub.delete_message(message_id)
    gone = await transport.edit(channel_id, message_id, Message(content="again"))
    assert gone.outcome is EditOutcome.GONE
    assert events_stub.channel_messages(channel_id) == [], "an edit never posts a new message"


async def test_edit_refused_forbidden_and_transient(
    events_stub: DiscordStub, events_bot: GuildsBot
) -> None:
    spec = events_stub.default_guild
    channel_id = spec.channel("general").id
    transport = DiscordTransport(events_bot)
    theirs = events_stub.add_user_message(channel_id, spec.tester, "mine")
    forbidden = await transport.edit(channel_id, theirs.id, Message(content="x"))
    assert forbidden.outcome is EditOutcome.FORBIDDEN
    message_id = await transport.post(channel_id, Message(content="board"))
    too_long = await transport.edit(channel_id, message_id, Message(content="x" * 2001))
    assert too_long.outcome is EditOutcome.REFUSED
    route = "/channels/{channel_id}/messages/{message_id}"
    events_stub.fail_next("PATCH", route, status=503)
    assert (await transport.edit(channel_id, message_id, Message(content="y"))).outcome is (
        EditOutcome.TRANSIENT
    )
    assert events_stub.message(message_id).content == "board"
    hidden = spec.add_text_channel("hidden", bot_denied=Perm.VIEW_CHANNEL)
    unseen = await transport.edit(hidden.id, message_id, Message(content="z"))
    assert unseen.outcome is EditOutcome.FORBIDDEN
    assert reason_text(unseen.reason, lang_for("de")) == (
        f"Discord hat die Bearbeitung in <#{hidden.id}> abgelehnt (Missing Access)"
    )
    assert reason_text(unseen.reason, lang_for("ja")) == (
        f"Discord が <#{hidden.id}> での編集を拒否しました（Missing Access）"
    )


async def test_create_move_list_and_delete(events_stub: DiscordStub, events_bot: GuildsBot) -> None:
    guild_id = events_stub.default_guild.id
    events = DiscordEventTransport(events_bot)
    created = await events.create(guild_id, _draft(2))
    assert created.outcome is EventOutcome.DONE and created.event_id is not None
    stored = events_stub.scheduled_events[created.event_id]
    assert (stored.name, stored.location, stored.description) == (
        "Crew-12",
        "https://x.test/w",
        "To the ISS",
    )
    moved_to = _draft(5, "Crew-12 (slipped)")
    moved = await events.edit(guild_id, created.event_id, moved_to)
    assert moved.outcome is EventOutcome.DONE
    assert stored.name == "Crew-12 (slipped)" and _same_time(stored.start, moved_to.start)
    assert stored.edits == 1
    listing = await events.own_events(guild_id)
    assert listing.result.outcome is EventOutcome.DONE
    assert [(e.id, e.name, e.active) for e in listing.events] == [
        (created.event_id, "Crew-12 (slipped)", False)
    ]
    events_stub.advance_clock(6 * 3600 + 1)
    assert (await events.own_events(guild_id)).events == (), "over: no longer Capcom's concern"
    deleted = await events.delete(guild_id, created.event_id)
    assert deleted.outcome is EventOutcome.DONE and events_stub.scheduled_events == {}
    again = await events.delete(guild_id, created.event_id)
    assert again.outcome is EventOutcome.UNKNOWN_EVENT


async def test_missing_create_events_is_named(
    events_stub: DiscordStub, events_bot: GuildsBot
) -> None:
    spec = events_stub.default_guild
    events = DiscordEventTransport(events_bot)
    created = await events.create(spec.id, _draft(2))
    assert created.event_id is not None
    calls = len(events_stub.calls)
    await events_stub.set_bot_permissions(spec, DEFAULT_BOT_PERMISSIONS)
    await events_bot.wait_for("guild_role_update", timeout=2)
    refused = await events.create(spec.id, _draft(3))
    assert refused.outcome is EventOutcome.MISSING_PERMISSION
    assert reason_text(refused.reason, ENGLISH) == "Capcom lacks Create Events in Launch fans"
    assert reason_text(refused.reason, lang_for("de")) == (
        "Capcom fehlen Berechtigungen in Launch fans: Events erstellen"
    )
    assert reason_text(refused.reason, lang_for("ja")) == (
        "Capcom には Launch fans での権限がありません: イベントを作成"
    )
    edit = await events.edit(spec.id, created.event_id, _draft(4))
    assert edit.outcome is EventOutcome.MISSING_PERMISSION
    assert len(events_stub.calls) == calls, "nothing asked of Discord"
    await events_stub.set_bot_permissions(spec, DEFAULT_BOT_PERMISSIONS | Perm.MANAGE_EVENTS)
    await events_bot.wait_for("guild_role_update", timeout=2)
    assert (await events.create(spec.id, _draft(3))).outcome is EventOutcome.MISSING_PERMISSION
    assert (await events.delete(spec.id, created.event_id)).outcome is EventOutcome.DONE


async def test_discords_refusals_become_outcomes(
    events_stub: DiscordStub, events_bot: GuildsBot
) -> None:
    spec = events_stub.default_guild
    events = DiscordEventTransport(events_bot)
    created = await events.create(spec.id, _draft(2))
    assert created.event_id is not None
    # Discord's answer when its cache and the client's disagree (a role changed meanwhile).
    events_stub.fail_next(
        "POST",
        "/guilds/{guild_id}/scheduled-events",
        status=403,
        body={"message": "Missing Permissions", "code": 50013},
    )
    assert (await events.create(spec.id, _draft(3))).outcome is EventOutcome.MISSING_PERMISSION
    events_stub.fail_next("PATCH", EVENT_ROUTE, status=503)
    assert (await events.edit(spec.id, created.event_id, _draft(3))).outcome is (
        EventOutcome.TRANSIENT
    )
    events_stub.advance_clock(2 * 3600 + 1)
    started = await events.edit(spec.id, created.event_id, _draft(4))
    assert started.outcome is EventOutcome.REFUSED, "an event under way keeps its start"
    for n in range(99):
        assert (await events.create(spec.id, _draft(10 + n, f"e{n}"))).outcome is (
            EventOutcome.DONE
        )
    full = await events.create(spec.id, _draft(200))
    assert full.outcome is EventOutcome.LIMIT_REACHED
    assert reason_text(full.reason, ENGLISH) == (
        "Launch fans already has Discord's 100 scheduled events"
    )
    assert reason_text(full.reason, lang_for("ru")) == (
        "На сервере Launch fans уже 100 запланированных событий — предел Discord"
    )
