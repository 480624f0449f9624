"""Alert state: subscriptions, tracked crewed flights, detected events and the ledger.

The ledger is what makes an alert go out once: a row per (guild, flight, kind)
is written, as 'pending', before anything is sent, and becomes 'sent' after
Discord confirms. A row's `attempts` says whether a message may already have
gone out (a crash between sending and recording); the delivery then looks in
the channel before sending again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.alert_kinds import AlertKind, EventType, event_types
from storage.database import Database, Row
from storage.ledger import LedgerState, LedgerTable

__all__ = [
    "AlertStore",
    "FlightEvent",
    "LedgerEntry",
    "LedgerState",
    "Subscription",
    "TrackedFlight",
]


_REMINDERS = "reminders"
"""Stored among a server's event types' names (columns `kinds` and `ping_kinds`) when
it wants reminders (or their mention)."""


def _names(text: str) -> frozenset[str]:
    return frozenset(part for part in text.split(",") if part)


def _text(types: frozenset[EventType], reminders: bool) -> str:
    names = {t.value for t in types} | ({_REMINDERS} if reminders else set())
    return ",".join(sorted(names))


@dataclass(frozen=True, slots=True)
class Subscription:
    guild_id: int
    channel_id: int
    role_id: int | None
    subscribed_at: float
    event_types: frozenset[EventType] = frozenset({EventType.LANDING})
    """What this server is told of as crew alerts."""
    ping_types: frozenset[EventType] = frozenset({EventType.LANDING})
    """Which of those mention the role; the others are posted silently."""
    paused_reason: str | None = None
    reminder_offsets: str = "86400,3600"
    """Seconds before NET a reminder comes at, when `reminders`."""
    reminders: bool = False
    """Reminders before crewed launches, with their change notices."""
    ping_reminders: bool = False
    """Whether reminders and change notices mention the role."""
    language: str | None = None
    """The Discord locale the admin picked for what Capcom posts in this server; None:
    the server's own language."""


@dataclass(frozen=True, slots=True)
class FlightEvent:
    flight_id: int
    kind: AlertKind
    occurred_at: float
    detected_at: float


@dataclass(frozen=True, slots=True)
class TrackedFlight:
    """A flight the alert poll has identified: crewed (with who flew up) or not."""

    flight_id: int
    spacecraft_id: int | None
    crewed: bool
    in_space: bool
    launched_at: float | None
    crew: frozenset[int]
    checked_at: float | None = None
    """When LL2's detail was last asked whether it has landed."""
    first_seen: float | None = None
    """When the poll first identified it (set by the store)."""

    @property
    def crewed_in_space(self) -> bool:
        """Crewed, and in space when the poll last looked."""
        return self.crewed and self.in_space


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    guild_id: int
    flight_id: int
    kind: AlertKind
    channel_id: int
    state: LedgerState
    attempts: int
    occurred_at: float
    detected_at: float


def _subscription(row: Row) -> Subscription:
    wanted, pinged = _names(str(row["kinds"])), _names(str(row["ping_kinds"]))
    return Subscription(
        guild_id=int(row["guild_id"]),
        channel_id=int(row["channel_id"]),
        role_id=row["role_id"],
        event_types=event_types(wanted),
        ping_types=event_types(pinged),
        subscribed_at=float(row["subscribed_at"]),
        paused_reason=row["paused_reason"],
        reminder_offsets=str(row["reminder_offsets"]),
        reminders=_REMINDERS in wanted,
        ping_reminders=_REMINDERS in pinged,
        language=row["language"],
    )


def _event(row: Row) -> FlightEvent | None:
    """The row's event; None for a kind Capcom does not know (written by a newer
    version): it can be neither said nor refused, so it is skipped."""
    kind = AlertKind.parse(str(row["kind"]))
    if kind is None:
        return None
    return FlightEvent(
        int(row["flight_id"]), kind, float(row["occurred_at"]), float(row["detected_at"])
    )


def _key(entry: LedgerEntry) -> tuple[int, int, str]:
    """The ledger row of an entry."""
    return entry.guild_id, entry.flight_id, str(entry.kind)


_SUBSCRIPTION_COLUMNS = (
    "guild_id, channel_id, role_id, kinds, ping_kinds, subscribed_at, paused_reason,"
    " reminder_offsets, language"
)


class AlertStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._ledger = LedgerTable(db, "alert_ledger", "flight_id", "kind")

    async def subscribe(self, subscription: Subscription) -> None:
        """Set a guild's channel, role, event types, reminders and language; a new channel
        un-pauses, the start time stays."""
        await self._db.execute(
            "INSERT INTO alert_subscriptions (guild_id, channel_id, role_id, kinds, ping_kinds,"
            " subscribed_at, reminder_offsets, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, "
            "role_id = excluded.role_id, kinds = excluded.kinds, "
            "ping_kinds = excluded.ping_kinds, reminder_offsets = excluded.reminder_offsets,"
            " language = excluded.language, paused_reason = NULL, paused_at = NULL",
            (
                subscription.guild_id,
                subscription.channel_id,
                subscription.role_id,
                _text(subscription.event_types, subscription.reminders),
                _text(subscription.ping_types, subscription.ping_reminders),
                subscription.subscribed_at,
                subscription.reminder_offsets,
                subscription.language,
            ),
        )

    async def unsubscribe(self, guild_id: int) -> bool:
        existing = await self.subscription(guild_id)
        await self._db.execute("DELETE FROM alert_subscriptions WHERE guild_id = ?", (guild_id,))
        return existing is not None

    async def subscription(self, guild_id: int) -> Subscription | None:
        row = await self._db.fetchone(
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM alert_subscriptions WHERE guild_id = ?",
            (guild_id,),
        )
        return None if row is None else _subscription(row)

    async def subscriptions(self) -> list[Subscription]:
        rows = await self._db.fetchall(
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM alert_subscriptions ORDER BY guild_id"
        )
        return [_subscription(row) for row in rows]

    async def pause(self, guild_id: int, reason: str, now: float) -> None:
        await self._db.execute(
            "UPDATE alert_subscriptions SET paused_reason = ?, paused_at = ? WHERE guild_id = ?",
            (reason, now, guild_id),
        )

    async def tracked(self) -> dict[int, TrackedFlight]:
        """Every flight the poll has identified, with its crew."""
        return await self._tracked("")

    async def crewed_in_space(self) -> dict[int, TrackedFlight]:
        """The crewed flights the poll last saw in space, with who flew up on them."""
        return await self._tracked(" WHERE crewed = 1 AND in_space = 1")

    async def _tracked(self, where: str) -> dict[int, TrackedFlight]:
        """The tracked flights `where` (a fixed condition) selects, with their crews."""
        rows = await self._db.fetchall(
            "SELECT flight_id, spacecraft_id, crewed, in_space, launched_at, checked_at,"
            " first_seen FROM tracked_flights" + where
        )
        crew: dict[int, set[int]] = {}
        for row in await self._db.fetchall(
            "SELECT flight_id, astronaut_id FROM tracked_crew"
            " WHERE flight_id IN (SELECT flight_id FROM tracked_flights" + where + ")"
        ):
            crew.setdefault(int(row["flight_id"]), set()).add(int(row["astronaut_id"]))
        return {
            int(row["flight_id"]): TrackedFlight(
                flight_id=int(row["flight_id"]),
                spacecraft_id=row["spacecraft_id"],
                crewed=bool(row["crewed"]),
                in_space=bool(row["in_space"]),
                launched_at=row["launched_at"],
                crew=frozenset(crew.get(int(row["flight_id"]), ())),
                checked_at=row["checked_at"],
                first_seen=row["first_seen"],
            )
            for row in rows
        }

    async def record(
        self, flights: Iterable[TrackedFlight], events: Iterable[FlightEvent], now: float
    ) -> list[FlightEvent]:
        """What one poll learned, in one transaction: the flights' new states and the
        events, each kept once (unplanned). Returns the events that are new."""
        new: list[FlightEvent] = []
        async with self._db.transaction() as transaction:
            for flight in flights:
                await transaction.execute(
                    "INSERT INTO tracked_flights (flight_id, spacecraft_id, crewed, in_space,"
                    " launched_at, first_seen, last_seen, checked_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (flight_id) DO UPDATE SET"
                    " spacecraft_id = excluded.spacecraft_id, crewed = excluded.crewed,"
                    " in_space = excluded.in_space, launched_at = excluded.launched_at,"
                    " last_seen = excluded.last_seen, checked_at = excluded.checked_at",
                    (
                        flight.flight_id,
                        flight.spacecraft_id,
                        int(flight.crewed),
                        int(flight.in_space),
                        flight.launched_at,
                        now,
                        now,
                        flight.checked_at,
                    ),
                )
                await transaction.execute(
                    "DELETE FROM tracked_crew WHERE flight_id = ?", (flight.flight_id,)
                )
                await transaction.executemany(
                    "INSERT INTO tracked_crew (flight_id, astronaut_id) VALUES (?, ?)",
                    [(flight.flight_id, astronaut_id) for astronaut_id in sorted(flight.crew)],
                )
            for event in events:
                added = await transaction.execute(
                    "INSERT INTO flight_events (flight_id, kind, occurred_at, detected_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (event.flight_id, str(event.kind), event.occurred_at, event.detected_at),
                )
                if added == 1:
                    new.append(event)
        return new

    async def has_event(self, event: FlightEvent) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM flight_events WHERE flight_id = ? AND kind = ?",
            (event.flight_id, str(event.kind)),
        )
        return row is not None

    async def latest_event(self, kind: AlertKind) -> FlightEvent | None:
        """The event of `kind` that happened last, if Capcom has seen one."""
        row = await self._db.fetchone(
            "SELECT flight_id, kind, occurred_at, detected_at FROM flight_events"
            " WHERE kind = ? ORDER BY occurred_at DESC, flight_id DESC LIMIT 1",
            (str(kind),),
        )
        return None if row is None else _event(row)

    async def unplanned(self) -> list[FlightEvent]:
        """Events whose alerts are not planned yet (a failure stopped the last try)."""
        rows = await self._db.fetchall(
            "SELECT flight_id, kind, occurred_at, detected_at FROM flight_events"
            " WHERE planned_at IS NULL ORDER BY detected_at, flight_id"
        )
        return [event for event in map(_event, rows) if event is not None]

    async def plan(
        self, event: FlightEvent, subscriptions: Iterable[Subscription], now: float
    ) -> None:
        """Write the intent to alert each of these guilds of this event, and mark the
        event planned, in one transaction: all of it happens, or none and it stays
        unplanned for the next cycle."""
        async with self._db.transaction() as transaction:
            await transaction.executemany(
                "INSERT INTO alert_ledger (guild_id, flight_id, kind, channel_id,"
                " state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                [
                    (
                        subscription.guild_id,
                        event.flight_id,
                        str(event.kind),
                        subscription.channel_id,
                        LedgerState.PENDING.value,
                        now,
                        now,
                    )
                    for subscription in subscriptions
                ],
            )
            await transaction.execute(
                "UPDATE flight_events SET planned_at = ? WHERE flight_id = ? AND kind = ?",
                (now, event.flight_id, str(event.kind)),
            )

    async def pending(self) -> list[LedgerEntry]:
        rows = await self._db.fetchall(
            "SELECT l.guild_id, l.flight_id, l.kind, l.channel_id, l.state, l.attempts,"
            " e.occurred_at, e.detected_at FROM alert_ledger AS l "
            "JOIN flight_events AS e ON e.flight_id = l.flight_id AND e.kind = l.kind "
            "WHERE l.state = ? ORDER BY e.detected_at, l.guild_id",
            (LedgerState.PENDING.value,),
        )
        entries = []
        for row in rows:
            kind = AlertKind.parse(str(row["kind"]))
            if kind is None:
                continue  # a newer version's: skipped, as in `unplanned`
            entries.append(
                LedgerEntry(
                    guild_id=int(row["guild_id"]),
                    flight_id=int(row["flight_id"]),
                    kind=kind,
                    channel_id=int(row["channel_id"]),
                    state=LedgerState(row["state"]),
                    attempts=int(row["attempts"]),
                    occurred_at=float(row["occurred_at"]),
                    detected_at=float(row["detected_at"]),
                )
            )
        return entries

    async def attempt(self, entry: LedgerEntry, now: float) -> None:
        await self._ledger.attempt(_key(entry), now)

    async def finish(
        self,
        entry: LedgerEntry,
        state: LedgerState,
        now: float,
        *,
        message_id: int | None = None,
        note: str | None = None,
    ) -> None:
        await self._ledger.finish(_key(entry), state, now, message_id=message_id, note=note)

    async def sent_count(self, guild_id: int) -> int:
        return await self._ledger.sent_count(guild_id)
