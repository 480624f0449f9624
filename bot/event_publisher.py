"""The scheduled-event sync's way to Discord (the edge): an `EventSpec` fitted to
Discord's limits (`bot.render.event`, only http(s) links as its location) and sent
through `DiscordEventTransport`."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.alert_transport import server_lang
from bot.alerts.event_plan import EVENT_LENGTH, EventSpec, EventWords
from bot.alerts.outcomes import EventResult, OwnEvent, OwnEvents
from bot.event_transport import DiscordEventTransport
from bot.render.event import EventWording, ScheduledEventDraft, event_draft
from bot.render.urls import safe_url
from storage.alerts import AlertStore


def draft(spec: EventSpec) -> ScheduledEventDraft:
    links = [safe_url(location) for location in spec.locations]
    return event_draft(spec.name, spec.description, spec.start, spec.end, links, spec.nowhere)


class EventPublisher:
    """`bot.alerts.event_sync.EventTarget` on Discord."""

    def __init__(self, client: discord.AutoShardedClient, alerts: AlertStore) -> None:
        """`alerts`: where a server's admin may have picked its language."""
        self._client = client
        self._alerts = alerts
        self._transport = DiscordEventTransport(client)

    async def words(self, guild_id: int) -> EventWords:
        """Events worded in the server's language: its admin's pick, else its own."""
        subscription = await self._alerts.subscription(guild_id)
        picked = subscription.language if subscription is not None else None
        return EventWording(server_lang(self._client, guild_id, picked))

    def reaches(self, guild_id: int) -> bool:
        """This process runs the server's shard (`(guild_id >> 22) % shard_count`, as
        Discord assigns them): only then does it know the server and its permissions."""
        shards = self._client.shard_ids
        if shards is None or self._client.shard_count is None:
            return True
        return (guild_id >> 22) % self._client.shard_count in shards

    async def create(self, guild_id: int, spec: EventSpec) -> EventResult:
        return await self._transport.create(guild_id, draft(spec))

    async def edit(self, guild_id: int, event_id: int, spec: EventSpec) -> EventResult:
        return await self._transport.edit(guild_id, event_id, draft(spec))

    async def delete(self, guild_id: int, event_id: int) -> EventResult:
        return await self._transport.delete(guild_id, event_id)

    async def own_events(self, guild_id: int) -> OwnEvents:
        return await self._transport.own_events(guild_id)

    def matches(self, event: OwnEvent, name: str, start: datetime) -> bool:
        """`event` is the one a spec named `name` starting at `start` made: the same
        name once fitted, the same start."""
        fitted = event_draft(name, None, start, start + EVENT_LENGTH, (), "").name
        return event.name == fitted and event.start == start
