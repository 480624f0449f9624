"""Discord scheduled events through discord.py (the Discord edge): create, move, delete and
list Capcom's own external events in a server, every Discord answer turned into a plain
`EventResult` (`bot.alerts.outcomes`).

Create Events (1 << 44) is what a bot needs to create events; editing or deleting its own
needs Create Events or Manage Events (facts.md). Known to be missing from the client's cache,
nothing is asked of Discord; a 403 from Discord means the same."""

from __future__ import annotations

from typing import Any

import discord

from bot.alerts.outcomes import EventOutcome, EventResult, OwnEvent, OwnEvents, Reason, ReasonKind
from bot.render.event import ScheduledEventDraft
from bot.render.lang import N_

UNKNOWN_SCHEDULED_EVENT = 10070
MAX_SCHEDULED_EVENTS = 30038
OPEN = (discord.EventStatus.scheduled, discord.EventStatus.active)
CREATE_EVENTS = N_("Create Events")
"""The permission by its name in Discord's English (`Lang.say` names it as Discord does)."""


def _lacks(guild: discord.Guild, detail: str = "") -> EventResult:
    reason = Reason(ReasonKind.MISSING_PERMISSIONS, guild.name, (CREATE_EVENTS,), detail)
    return EventResult(EventOutcome.MISSING_PERMISSION, reason=reason)


def _not_in(guild_id: int) -> EventResult:
    reason = Reason(ReasonKind.NOT_IN_SERVER, str(guild_id))
    return EventResult(EventOutcome.MISSING_PERMISSION, reason=reason)


def _failure(error: Exception, guild: discord.Guild) -> EventResult:
    """A Discord error (or the network's) as a plain outcome."""
    if isinstance(error, discord.Forbidden):
        return _lacks(guild, error.text)
    if isinstance(error, discord.NotFound) and error.code == UNKNOWN_SCHEDULED_EVENT:
        return EventResult(EventOutcome.UNKNOWN_EVENT, reason=Reason(ReasonKind.EVENT_GONE))
    if isinstance(error, discord.HTTPException) and error.code == MAX_SCHEDULED_EVENTS:
        full = Reason(ReasonKind.EVENT_LIMIT, guild.name)
        return EventResult(EventOutcome.LIMIT_REACHED, reason=full)
    if isinstance(error, discord.HTTPException) and error.status in range(400, 429):
        refused = Reason(ReasonKind.EVENT_REFUSED, guild.name, detail=str(error))
        return EventResult(EventOutcome.REFUSED, reason=refused)
    failed = Reason(ReasonKind.DISCORD_FAILED, guild.name, detail=str(error))
    return EventResult(EventOutcome.TRANSIENT, reason=failed)


class DiscordEventTransport:
    """Capcom's external scheduled events, one server at a time (`guild_id`)."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    def _guild(self, guild_id: int, *, creating: bool) -> discord.Guild | EventResult:
        """The server, or why nothing can be done there (left it, or a permission missing)."""
        guild = self._client.get_guild(guild_id)
        if guild is None:
            return _not_in(guild_id)
        granted = guild.me.guild_permissions
        if not (granted.create_events or (granted.manage_events and not creating)):
            return _lacks(guild)
        return guild

    async def create(self, guild_id: int, draft: ScheduledEventDraft) -> EventResult:
        guild = self._guild(guild_id, creating=True)
        if isinstance(guild, EventResult):
            return guild
        try:
            event = await guild.create_scheduled_event(
                name=draft.name,
                description=draft.description or discord.utils.MISSING,
                start_time=draft.start,
                end_time=draft.end,
                location=draft.location,
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
            )
        except (discord.HTTPException, discord.RateLimited, OSError) as error:
            return _failure(error, guild)
        return EventResult(EventOutcome.DONE, event_id=event.id)

    async def edit(self, guild_id: int, event_id: int, draft: ScheduledEventDraft) -> EventResult:
        """Sets the event's name, description, times and location to `draft`'s, in one
        request (discord.py's `ScheduledEvent.edit` would need the event fetched first)."""
        guild = self._guild(guild_id, creating=False)
        if isinstance(guild, EventResult):
            return guild
        payload: dict[str, Any] = {
            "name": draft.name,
            "description": draft.description,
            "scheduled_start_time": draft.start.isoformat(),
            "scheduled_end_time": draft.end.isoformat(),
            "entity_metadata": {"location": draft.location},
        }
        try:
            await self._client.http.edit_scheduled_event(guild_id, event_id, **payload)
        except (discord.HTTPException, discord.RateLimited, OSError) as error:
            return _failure(error, guild)
        return EventResult(EventOutcome.DONE, event_id=event_id)

    async def delete(self, guild_id: int, event_id: int) -> EventResult:
        guild = self._guild(guild_id, creating=False)
        if isinstance(guild, EventResult):
            return guild
        try:
            await self._client.http.delete_scheduled_event(guild_id, event_id)
        except (discord.HTTPException, discord.RateLimited, OSError) as error:
            return _failure(error, guild)
        return EventResult(EventOutcome.DONE, event_id=event_id)

    async def own_events(self, guild_id: int) -> OwnEvents:
        """Capcom's scheduled and active events in the server, soonest first."""
        guild = self._client.get_guild(guild_id)
        if guild is None:
            return OwnEvents(_not_in(guild_id))
        me = self._client.user
        try:
            events = await guild.fetch_scheduled_events(with_counts=False)
        except (discord.HTTPException, discord.RateLimited, OSError) as error:
            return OwnEvents(_failure(error, guild))
        own = sorted(
            (
                OwnEvent(
                    id=event.id,
                    name=event.name,
                    start=event.start_time,
                    end=event.end_time,
                    location=event.location,
                    active=event.status is discord.EventStatus.active,
                )
                for event in events
                if me is not None and event.creator_id == me.id and event.status in OPEN
            ),
            key=lambda event: event.start,
        )
        return OwnEvents(EventResult(EventOutcome.DONE), tuple(own))
