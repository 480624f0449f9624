"""The Discord stand-in's message edits and deletes and guild scheduled events, proved with
the real discord.py client running in-process."""

from __future__ import annotations

import asyncio
import datetime
from typing import Any

import discord
import pytest

from tests.stubs.clients import GuildsBot
from tests.stubs.discord import (
    DEFAULT_BOT_PERMISSIONS,
    DiscordStub,
    GuildSpec,
    Overwrite,
    Perm,
    StoredEvent,
)


def _general(events_bot: GuildsBot, spec: GuildSpec) -> discord.TextChannel:
    channel = events_bot.get_channel(spec.channel("general").id)
    assert isinstance(channel, discord.TextChannel)
    return channel


def _guild(events_bot: GuildsBot, spec: GuildSpec) -> discord.Guild:
    guild = events_bot.get_guild(spec.id)
    assert guild is not None
    return guild


def _in(hours: float) -> datetime.datetime:
    return discord.utils.utcnow() + datetime.timedelta(hours=hours)


async def _create(
    guild: discord.Guild,
    *,
    name: str = "Crew-12",
    start_time: datetime.datetime | None = None,
    end_time: datetime.datetime | None = None,
    location: str = "https://example.com/webcast",
    description: str = "Crewed launch to the ISS",
) -> discord.ScheduledEvent:
    return await guild.create_scheduled_event(
        name=name,
        start_time=start_time or _in(1),
        end_time=end_time or _in(2),
        location=location,
        entity_type=discord.EntityType.external,
        privacy_level=discord.PrivacyLevel.guild_only,
        description=description,
    )


async def test_edit_changes_the_same_message(
    events_stub: DiscordStub, events_bot: GuildsBot
) -> None:
    general = _general(events_bot, events_stub.default_guild)
    sent = await general.send("T-1 h", embed=discord.Embed(title="Board"))
    edited = await sent.edit(content="T-10 min", embed=discord.Embed(title="Board, later"))
    assert edited.id == sent.id and edited.edited_at is not None
    assert [m.id for m in events_stub.channel_messages(general.id)] == [sent.id], "no new message"
    stored = events_stub.message(sent.id)
    assert (stored.content, stored.embeds[0]["title"], stored.edits) == (
        "T-10 min",
        "Board, later",
        1,
    )
    with pytest.raises(discord.HTTPException) as too_long:
        await sent.edit(embed=discord.Embed(description="x" * 4097))
    assert (too_long.value.status, too_long.value.code) == (400, 50035)
    with pytest.raises(discord.HTTPException):
        await sent.edit(content="x" * 2001)
    assert (
        events_stub.message(sent.id).edits == 1
        and events_stub.message(sent.id).content == "T-10 min"
    )


async def test_a_deleted_message_cannot_be_edited(
    events_stub: DiscordStub, events_bot: GuildsBot
) -> None:
    general = _general(events_bot, events_stub.default_guild)
    by_user = await general.send("deleted by a moderator")
    by_bot = await general.send("deleted by the bot")
    events_stub.delete_message(by_user.id)
    await by_bot.delete()
    assert events_stub.channel_messages(general.id) == []
    assert set(events_stub.deleted_messages) == {by_user.id, by_bot.id}
    for message in (by_user, by_bot):
        with pytest.raises(discord.NotFound) as gone:
            await message.edit(content="still there?")
        assert gone.value.code == 10008
    with pytest.raises(discord.NotFound) as again:
        await by_bot.delete()
    assert again.value.code == 10008


async def test_another_users_message(events_stub: DiscordStub, events_bot: GuildsBot) -> None:
    spec = events_stub.default_guild
    general = _general(events_bot, spec)
    theirs = events_stub.add_user_message(general.id, spec.tester, "hello")
    message = general.get_partial_message(theirs.id)
    with pytest.raises(discord.Forbidden) as not_author:
        await message.edit(content="hijacked")
    assert not_author.value.code == 50005
    with pytest.raises(discord.Forbidden) as no_manage:
        await message.delete()
    assert no_manage.value.code == 50013
    assert events_stub.message(theirs.id).content == "hello"


async def test_edit_needs_view_channel(events_stub: DiscordStub, events_bot: GuildsBot) -> None:
    spec = events_stub.default_guild
    general = _general(events_bot, spec)
    sent = await general.send("soon hidden")
    hidden_from_bot = Overwrite(spec.bot_member.id, 1, deny=Perm.VIEW_CHANNEL)
    spec.channel("general").overwrites.append(hidden_from_bot)
    with pytest.raises(discord.Forbidden) as hidden:
        await sent.edit(content="edited")
    assert hidden.value.code == 50001
    spec.channel("general").overwrites.remove(hidden_from_bot)
    assert (await sent.edit(content="edited")).content == "edited"


async def test_create_and_list_an_external_event(
    events_stub: DiscordStub, events_bot: GuildsBot
) -> None:
    spec = events_stub.default_guild
    guild = _guild(events_bot, spec)
    start, end = _in(1), _in(2)
    event = await _create(guild, start_time=start, end_time=end)
    assert (event.name, event.location, event.status) == (
        "Crew-12",
        "https://example.com/webcast",
        discord.EventStatus.scheduled,
    )
    assert event.start_time == start and event.end_time == end
    assert (
        event.creator_id == events_stub.bot_user.id
        and event.entity_type is discord.EntityType.external
    )
    listed = await guild.fetch_scheduled_events()
    assert [e.id for e in listed] == [event.id]
    fetched = await guild.fetch_scheduled_event(event.id)
    assert fetched.description == "Crewed launch to the ISS"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "n" * 101}, "name"),
        ({"description": "d" * 1001}, "description"),
        ({"location": "l" * 101}, "entity_metadata"),
        ({"location": ""}, "entity_metadata"),
        ({"start_time": _in(-1)}, "scheduled_start_time"),
        ({"end_time": _in(0.5)}, "scheduled_end_time"),
    ],
)
async def test_event_validation(
    events_stub: DiscordStub, events_bot: GuildsBot, overrides: dict[str, Any], field: str
) -> None:
    guild = _guild(events_bot, events_stub.default_guild)
    with pytest.raises(discord.HTTPException) as refused:
        await _create(guild, **overrides)
    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert field in refused.value.text
    assert events_stub.scheduled_events == {}


async def test_at_most_100_open_events(events_stub: DiscordStub, events_bot: GuildsBot) -> None:
    spec = events_stub.default_guild
    now = events_stub.now()
    for n in range(100):
        start = now + datetime.timedelta(days=1, minutes=n)
        end = start + datetime.timedelta(hours=1)
        events_stub.scheduled_events[n] = StoredEvent(
            n, spec.id, events_stub.bot_user.id, f"e{n}", None, start, end, "x"
        )
    guild = _guild(events_bot, spec)
    with pytest.raises(discord.HTTPException) as full:
        await _create(guild)
    assert (full.value.status, full.value.code) == (400, 30038)
    events_stub.scheduled_events[0].status = 4
    assert (await _create(guild)).name == "Crew-12", "a canceled event frees its place"


async def test_status_follows_the_clock(events_stub: DiscordStub, events_bot: GuildsBot) -> None:
    guild = _guild(events_bot, events_stub.default_guild)
    event = await _create(guild, start_time=_in(1), end_time=_in(2))
    events_stub.advance_clock(3600 + 1)
    assert (await guild.fetch_scheduled_event(event.id)).status is discord.EventStatus.active
    with pytest.raises(discord.HTTPException) as started:
        await event.edit(start_time=_in(3))
    assert started.value.code == 50035
    renamed = await event.edit(name="Crew-12 (live)")
    assert renamed.name == "Crew-12 (live)"
    events_stub.advance_clock(3600)
    assert (await guild.fetch_scheduled_event(event.id)).status is discord.EventStatus.completed
    with pytest.raises(discord.HTTPException) as finished:
        await event.edit(name="too late")
    assert (finished.value.status, finished.value.code) == (400, 180000)


async def test_edit_and_delete_an_event(events_stub: DiscordStub, events_bot: GuildsBot) -> None:
    guild = _guild(events_bot, events_stub.default_guild)
    event = await _create(guild)
    moved = await event.edit(
        start_time=_in(5), end_time=_in(6), location="https://example.com/other"
    )
    assert moved.start_time == events_stub.scheduled_events[event.id].start
    assert moved.location == "https://example.com/other"
    assert events_stub.scheduled_events[event.id].edits == 1
    with pytest.raises(discord.HTTPException) as backwards:
        await event.edit(end_time=_in(4))
    assert backwards.value.code == 50035
    await event.delete()
    assert events_stub.scheduled_events == {}
    with pytest.raises(discord.NotFound) as unknown:
        await event.delete()
    assert unknown.value.code == 10070


async def test_permissions_for_events(events_stub: DiscordStub, events_bot: GuildsBot) -> None:
    spec = events_stub.default_guild
    guild = _guild(events_bot, spec)
    event = await _create(guild)
    updated = asyncio.create_task(events_bot.wait_for("guild_role_update", timeout=2))
    await events_stub.set_bot_permissions(spec, DEFAULT_BOT_PERMISSIONS | Perm.MANAGE_EVENTS)
    await updated
    me = guild.me.guild_permissions
    assert (me.create_events, me.manage_events) == (False, True), "the client's cache follows"
    with pytest.raises(discord.Forbidden) as create:
        await _create(guild)
    assert create.value.code == 50013, "Manage Events alone no longer creates"
    assert (await event.edit(name="renamed")).name == "renamed"
    await events_stub.set_bot_permissions(spec, DEFAULT_BOT_PERMISSIONS)
    with pytest.raises(discord.Forbidden) as edit:
        await event.edit(name="again")
    assert edit.value.code == 50013
    with pytest.raises(discord.Forbidden):
        await event.delete()
    await events_stub.set_bot_permissions(spec, DEFAULT_BOT_PERMISSIONS | Perm.CREATE_EVENTS)
    await event.delete()
    assert events_stub.scheduled_events == {}
