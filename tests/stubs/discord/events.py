"""Guild scheduled events (Discord's `resources/guild-scheduled-event`), as a bot meets them.

Validation follows Discord's documentation (facts.md, *Scheduled events*): an EXTERNAL event
(entity_type 3) has no channel, needs `entity_metadata.location` (1 to 100 characters) and a
`scheduled_end_time` after its start; name 1 to 100, description 1 to 1000 characters;
privacy level GUILD_ONLY (2) only; a new event starts in the future; at most 100 SCHEDULED or
ACTIVE events per guild (400, 30038). Creating needs Create Events; editing or deleting the
bot's own event needs Create Events or Manage Events (another's: Manage Events); else 403
Missing Permissions.

Status follows the stand-in's clock (`advance_clock`): an external event becomes ACTIVE at its
start and COMPLETED at its end by itself; a finished event (COMPLETED, CANCELED) cannot be
edited (400, 180000). No GUILD_SCHEDULED_EVENT_* dispatches are sent: they need the
GUILD_SCHEDULED_EVENTS intent, which Capcom does not ask for (`bot/discord_bot.py`).
Voice and stage events (entity types 1 and 2) need voice channels the stand-in does not serve:
they are refused as Discord refuses a channel that is not one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Final

from tests.stubs.discord.model import GuildSpec, World
from tests.stubs.discord.permissions import Perm
from tests.stubs.discord.rest import (
    FINISHED_EVENT,
    MAX_SCHEDULED_EVENTS,
    MISSING_PERMISSIONS,
    UNKNOWN_GUILD,
    UNKNOWN_SCHEDULED_EVENT,
    DiscordError,
    FormErrors,
    Reply,
    Request,
)

JSON = dict[str, Any]

SCHEDULED: Final = 1
ACTIVE: Final = 2
COMPLETED: Final = 3
CANCELED: Final = 4
EXTERNAL: Final = 3
GUILD_ONLY: Final = 2
MAX_OPEN_EVENTS: Final = 100
_TRANSITIONS: Final = {SCHEDULED: {ACTIVE, CANCELED}, ACTIVE: {COMPLETED}}


@dataclass(eq=False)
class StoredEvent:
    """A scheduled event; `edits` counts accepted PATCHes."""

    id: int
    guild_id: int
    creator_id: int
    name: str
    description: str | None
    start: datetime.datetime
    end: datetime.datetime
    location: str
    status: int = SCHEDULED
    edits: int = 0

    def payload(self, creator: JSON | None, *, with_user_count: bool = False) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "guild_id": str(self.guild_id),
            "channel_id": None,
            "creator_id": str(self.creator_id),
            "name": self.name,
            "description": self.description,
            "scheduled_start_time": self.start.isoformat(),
            "scheduled_end_time": self.end.isoformat(),
            "privacy_level": GUILD_ONLY,
            "status": self.status,
            "entity_type": EXTERNAL,
            "entity_id": None,
            "entity_metadata": {"location": self.location},
            "image": None,
            "recurrence_rule": None,
        }
        if creator is not None:
            data["creator"] = creator
        if with_user_count:
            data["user_count"] = 0
        return data


def _text(
    errors: FormErrors, body: JSON, path: tuple[str, ...], limit: int, *, required: bool
) -> str | None:
    value: Any = body
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if value is None and not required:
        return None
    if not isinstance(value, str) or not 1 <= len(value) <= limit:
        errors.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {limit} in length.")
        return None
    return value


def _time(errors: FormErrors, body: JSON, key: str) -> datetime.datetime | None:
    value = body.get(key)
    try:
        parsed = datetime.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        errors.add((key,), "DATE_TIME_TYPE_PARSE", "Could not parse the date and time.")
        return None
    return parsed


class ScheduledEvents(World):
    def __init__(self, bot_name: str) -> None:
        super().__init__(bot_name)
        self.scheduled_events: dict[int, StoredEvent] = {}
        """Every event not deleted, by id (status kept current by `_events_of`)."""
        self.clock_offset = datetime.timedelta()

    def advance_clock(self, seconds: float) -> None:
        """Moves the stand-in's clock (events start and end by it), not the client's."""
        self.clock_offset += datetime.timedelta(seconds=seconds)

    def now(self) -> datetime.datetime:
        return datetime.datetime.now(datetime.UTC) + self.clock_offset

    def events_of(self, guild_id: int) -> list[StoredEvent]:
        """A guild's events, oldest first, their status brought up to the clock."""
        now = self.now()
        found = []
        for event in self.scheduled_events.values():
            if event.guild_id != guild_id:
                continue
            if event.status in (SCHEDULED, ACTIVE) and now >= event.end:
                event.status = COMPLETED
            elif event.status == SCHEDULED and now >= event.start:
                event.status = ACTIVE
            found.append(event)
        return found

    def _event_guild(self, req: Request) -> tuple[GuildSpec, int]:
        guild = self.guilds.get(req.param("guild_id"))
        if guild is None:
            raise DiscordError(*UNKNOWN_GUILD)
        return guild, guild.permissions_for(self.bot_user.id)

    def _event(self, guild: GuildSpec, req: Request) -> StoredEvent:
        event_id = req.param("event_id")
        for event in self.events_of(guild.id):
            if event.id == event_id:
                return event
        raise DiscordError(*UNKNOWN_SCHEDULED_EVENT)

    def _may_manage(self, event: StoredEvent, permissions: int) -> None:
        own = event.creator_id == self.bot_user.id
        allowed = Perm.MANAGE_EVENTS | (Perm.CREATE_EVENTS if own else 0)
        if not permissions & allowed:
            raise DiscordError(*MISSING_PERMISSIONS)

    def _event_payload(self, event: StoredEvent, req: Request) -> JSON:
        creator = self.find_user(event.creator_id)
        counts = req.query.get("with_user_count", "").lower() in ("1", "true")
        return event.payload(None if creator is None else creator.payload(), with_user_count=counts)

    async def _list_events(self, req: Request) -> Reply:
        guild, _ = self._event_guild(req)
        return 200, [self._event_payload(e, req) for e in self.events_of(guild.id)]

    async def _get_event(self, req: Request) -> Reply:
        guild, _ = self._event_guild(req)
        return 200, self._event_payload(self._event(guild, req), req)

    async def _create_event(self, req: Request) -> Reply:
        guild, permissions = self._event_guild(req)
        if not permissions & Perm.CREATE_EVENTS:
            raise DiscordError(*MISSING_PERMISSIONS)
        body = req.json
        errors = FormErrors()
        if body.get("entity_type") != EXTERNAL:
            errors.add(("channel_id",), "CHANNEL_TYPE_INVALID", "Not a voice or stage channel.")
        if body.get("channel_id") is not None:
            errors.add(("channel_id",), "BASE_TYPE_NULL", "Must be null for external events.")
        if body.get("privacy_level") != GUILD_ONLY:
            errors.add(("privacy_level",), "BASE_TYPE_CHOICES", "Value must be one of {2}.")
        name = _text(errors, body, ("name",), 100, required=True)
        description = _text(errors, body, ("description",), 1000, required=False)
        location = _text(errors, body, ("entity_metadata", "location"), 100, required=True)
        start = _time(errors, body, "scheduled_start_time")
        end = _time(errors, body, "scheduled_end_time")
        if start is not None and start <= self.now():
            errors.add(
                ("scheduled_start_time",),
                "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST",
                "Cannot schedule event in the past.",
            )
        if start is not None and end is not None and end <= start:
            errors.add(
                ("scheduled_end_time",),
                "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
                "Cannot schedule event to end before starting.",
            )
        if errors or name is None or location is None or start is None or end is None:
            raise DiscordError.form(errors)
        open_events = [e for e in self.events_of(guild.id) if e.status in (SCHEDULED, ACTIVE)]
        if len(open_events) >= MAX_OPEN_EVENTS:
            raise DiscordError(*MAX_SCHEDULED_EVENTS)
        event = StoredEvent(
            self._ids.next(), guild.id, self.bot_user.id, name, description, start, end, location
        )
        self.scheduled_events[event.id] = event
        return 200, self._event_payload(event, req)

    async def _patch_event(self, req: Request) -> Reply:
        guild, permissions = self._event_guild(req)
        event = self._event(guild, req)
        self._may_manage(event, permissions)
        if event.status in (COMPLETED, CANCELED):
            raise DiscordError(*FINISHED_EVENT)
        body = req.json
        errors = FormErrors()
        if body.get("entity_type", EXTERNAL) != EXTERNAL:
            errors.add(("channel_id",), "CHANNEL_TYPE_INVALID", "Not a voice or stage channel.")
        if body.get("channel_id") is not None:
            errors.add(("channel_id",), "BASE_TYPE_NULL", "Must be null for external events.")
        if body.get("privacy_level", GUILD_ONLY) != GUILD_ONLY:
            errors.add(("privacy_level",), "BASE_TYPE_CHOICES", "Value must be one of {2}.")
        name = _text(errors, body, ("name",), 100, required="name" in body)
        description = _text(errors, body, ("description",), 1000, required=False)
        location = None
        if "entity_metadata" in body:
            location = _text(errors, body, ("entity_metadata", "location"), 100, required=True)
        start = event.start
        if "scheduled_start_time" in body:
            start = _time(errors, body, "scheduled_start_time") or start
            if event.status == ACTIVE and start != event.start:
                errors.add(
                    ("scheduled_start_time",),
                    "GUILD_SCHEDULED_EVENT_ALREADY_STARTED",
                    "Cannot change the start of an event that has started.",
                )
            elif start <= self.now():
                errors.add(
                    ("scheduled_start_time",),
                    "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST",
                    "Cannot schedule event in the past.",
                )
        end = event.end
        if "scheduled_end_time" in body:
            end = _time(errors, body, "scheduled_end_time") or end
        if end <= start:
            errors.add(
                ("scheduled_end_time",),
                "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
                "Cannot schedule event to end before starting.",
            )
        status = body.get("status", event.status)
        if status != event.status and status not in _TRANSITIONS.get(event.status, set()):
            errors.add(("status",), "GUILD_SCHEDULED_EVENT_INVALID_STATUS", "Invalid status.")
        if errors:
            raise DiscordError.form(errors)
        event.name = name or event.name
        if "description" in body:
            event.description = description
        event.location = location or event.location
        event.start, event.end, event.status = start, end, status
        event.edits += 1
        return 200, self._event_payload(event, req)

    async def _delete_event(self, req: Request) -> Reply:
        guild, permissions = self._event_guild(req)
        event = self._event(guild, req)
        self._may_manage(event, permissions)
        del self.scheduled_events[event.id]
        return 204, None
