"""Discord scheduled events of upcoming launches: which servers want them (and whether
they are paused, with why), and which event Capcom keeps for which launch in a server.

A record is written ('creating', with the name and start about to be sent) before the
event is created and becomes 'open' with the event's id once Discord confirms: after a
crash between the two, the event with that name and start is adopted, never made twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from storage.database import Database, Row


class RecordState(StrEnum):
    CREATING = "creating"
    """About to be created: the event may exist (a crash before it was recorded)."""
    OPEN = "open"
    CLOSED = "closed"
    """Capcom deleted it, or Discord started and ended it: a later NET may get a new one."""
    REMOVED = "removed"
    """Someone else deleted it before it started: not made again for this launch."""


@dataclass(frozen=True, slots=True)
class EventSetting:
    guild_id: int
    enabled: bool
    paused_reason: str | None = None


@dataclass(frozen=True, slots=True)
class EventRecord:
    guild_id: int
    launch_id: str
    event_id: int | None
    name: str
    start: float
    """The event's start (UNIX time) as last sent to Discord."""
    digest: str
    """What the event said when last sent (to tell whether it needs an edit)."""
    state: RecordState


def _setting(row: Row) -> EventSetting:
    return EventSetting(int(row["guild_id"]), bool(row["enabled"]), row["paused_reason"])


def _record(row: Row) -> EventRecord:
    event_id = row["event_id"]
    return EventRecord(
        guild_id=int(row["guild_id"]),
        launch_id=str(row["launch_id"]),
        event_id=None if event_id is None else int(event_id),
        name=str(row["name"]),
        start=float(row["start_at"]),
        digest=str(row["digest"]),
        state=RecordState(row["state"]),
    )


class EventStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def enable(self, guild_id: int, enabled: bool, now: float) -> None:
        """Turn a server's events on or off; either way any pause ends."""
        await self._db.execute(
            "INSERT INTO event_settings (guild_id, enabled, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (guild_id) DO UPDATE SET enabled = excluded.enabled,"
            " paused_reason = NULL, updated_at = excluded.updated_at",
            (guild_id, int(enabled), now),
        )

    async def pause(self, guild_id: int, reason: str, now: float) -> None:
        await self._db.execute(
            "UPDATE event_settings SET paused_reason = ?, updated_at = ? WHERE guild_id = ?",
            (reason, now, guild_id),
        )

    async def setting(self, guild_id: int) -> EventSetting | None:
        row = await self._db.fetchone(
            "SELECT guild_id, enabled, paused_reason FROM event_settings WHERE guild_id = ?",
            (guild_id,),
        )
        return None if row is None else _setting(row)

    async def active(self) -> list[EventSetting]:
        """The servers that want events and are not paused."""
        rows = await self._db.fetchall(
            "SELECT guild_id, enabled, paused_reason FROM event_settings"
            " WHERE enabled = 1 AND paused_reason IS NULL ORDER BY guild_id"
        )
        return [_setting(row) for row in rows]

    async def records(self, guild_id: int) -> list[EventRecord]:
        rows = await self._db.fetchall(
            "SELECT guild_id, launch_id, event_id, name, start_at, digest, state"
            " FROM launch_events WHERE guild_id = ? ORDER BY start_at, launch_id",
            (guild_id,),
        )
        return [_record(row) for row in rows]

    async def save(self, record: EventRecord, now: float) -> None:
        """Write a launch's record in a server, replacing the one before."""
        await self._db.execute(
            "INSERT INTO launch_events (guild_id, launch_id, event_id, name, start_at, digest,"
            " state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (guild_id, launch_id) DO UPDATE SET event_id = excluded.event_id,"
            " name = excluded.name, start_at = excluded.start_at, digest = excluded.digest,"
            " state = excluded.state, updated_at = excluded.updated_at",
            (
                record.guild_id,
                record.launch_id,
                record.event_id,
                record.name,
                record.start,
                record.digest,
                record.state.value,
                now,
            ),
        )

    async def forget(self, guild_id: int, launch_ids: list[str]) -> None:
        """Drop the records of launches LL2 no longer lists (their events are over)."""
        await self._db.executemany(
            "DELETE FROM launch_events WHERE guild_id = ? AND launch_id = ?",
            [(guild_id, launch_id) for launch_id in launch_ids],
        )
