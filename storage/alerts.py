"""Landing-alert state: subscriptions, tracked flights, detected events and the ledger.

The ledger is what makes an alert go out once: a row per (guild, flight, kind)
is written, as 'pending', before anything is sent, and becomes 'sent' after
Discord confirms. A row's `attempts` says whether a message may already have
gone out (a crash between sending and recording); the delivery then looks in
the channel before sending again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from storage.database import Database


class LedgerState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DROPPED = "dropped"


@dataclass(frozen=True, slots=True)
class Subscription:
    guild_id: int
    channel_id: int
    role_id: int | None
    heads_up: bool
    subscribed_at: float
    paused_reason: str | None = None


@dataclass(frozen=True, slots=True)
class FlightEvent:
    flight_id: int
    kind: str
    occurred_at: float
    detected_at: float


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    guild_id: int
    flight_id: int
    kind: str
    channel_id: int
    state: LedgerState
    attempts: int
    occurred_at: float
    detected_at: float


def _subscription(row: sqlite3.Row) -> Subscription:
    return Subscription(
        guild_id=int(row["guild_id"]),
        channel_id=int(row["channel_id"]),
        role_id=row["role_id"],
        heads_up=bool(row["heads_up"]),
        subscribed_at=float(row["subscribed_at"]),
        paused_reason=row["paused_reason"],
    )


_SUBSCRIPTION_COLUMNS = "guild_id, channel_id, role_id, heads_up, subscribed_at, paused_reason"


class AlertStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def subscribe(self, subscription: Subscription) -> None:
        """Set a guild's channel and role; a new channel un-pauses, the start time stays."""
        await self._db.execute(
            "INSERT INTO alert_subscriptions (guild_id, channel_id, role_id, heads_up,"
            " subscribed_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, "
            "role_id = excluded.role_id, heads_up = excluded.heads_up, "
            "paused_reason = NULL, paused_at = NULL",
            (
                subscription.guild_id,
                subscription.channel_id,
                subscription.role_id,
                int(subscription.heads_up),
                subscription.subscribed_at,
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

    async def tracked(self) -> dict[int, bool]:
        """Every flight the poller has seen: id → in space when last seen."""
        rows = await self._db.fetchall("SELECT flight_id, in_space FROM tracked_flights")
        return {int(row["flight_id"]): bool(row["in_space"]) for row in rows}

    async def track(self, states: dict[int, bool], now: float) -> None:
        await self._db.executemany(
            "INSERT INTO tracked_flights (flight_id, in_space, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (flight_id) DO UPDATE SET "
            "in_space = excluded.in_space, last_seen = excluded.last_seen",
            [(flight_id, int(in_space), now, now) for flight_id, in_space in states.items()],
        )

    async def record_event(self, event: FlightEvent) -> bool:
        """Keep an event once; True if it is new."""
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT OR IGNORE INTO flight_events (flight_id, kind, occurred_at, detected_at)"
                " VALUES (?, ?, ?, ?)",
                (event.flight_id, event.kind, event.occurred_at, event.detected_at),
            )
            return cursor.rowcount == 1

    async def has_event(self, event: FlightEvent) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM flight_events WHERE flight_id = ? AND kind = ?",
            (event.flight_id, event.kind),
        )
        return row is not None

    async def plan(self, event: FlightEvent, subscription: Subscription, now: float) -> None:
        """Write the intent to alert this guild of this event (once, whatever happens)."""
        await self._db.execute(
            "INSERT OR IGNORE INTO alert_ledger (guild_id, flight_id, kind, channel_id, state,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                subscription.guild_id,
                event.flight_id,
                event.kind,
                subscription.channel_id,
                LedgerState.PENDING.value,
                now,
                now,
            ),
        )

    async def pending(self) -> list[LedgerEntry]:
        rows = await self._db.fetchall(
            "SELECT l.guild_id, l.flight_id, l.kind, l.channel_id, l.state, l.attempts,"
            " e.occurred_at, e.detected_at FROM alert_ledger AS l "
            "JOIN flight_events AS e ON e.flight_id = l.flight_id AND e.kind = l.kind "
            "WHERE l.state = ? ORDER BY e.detected_at, l.guild_id",
            (LedgerState.PENDING.value,),
        )
        return [
            LedgerEntry(
                guild_id=int(row["guild_id"]),
                flight_id=int(row["flight_id"]),
                kind=str(row["kind"]),
                channel_id=int(row["channel_id"]),
                state=LedgerState(row["state"]),
                attempts=int(row["attempts"]),
                occurred_at=float(row["occurred_at"]),
                detected_at=float(row["detected_at"]),
            )
            for row in rows
        ]

    async def attempt(self, entry: LedgerEntry, now: float) -> None:
        """Count an attempt before sending: after a crash, attempts > 0 means 'look first'."""
        await self._db.execute(
            "UPDATE alert_ledger SET attempts = attempts + 1, updated_at = ? "
            "WHERE guild_id = ? AND flight_id = ? AND kind = ?",
            (now, entry.guild_id, entry.flight_id, entry.kind),
        )

    async def finish(
        self,
        entry: LedgerEntry,
        state: LedgerState,
        now: float,
        *,
        message_id: int | None = None,
        note: str | None = None,
    ) -> None:
        await self._db.execute(
            "UPDATE alert_ledger SET state = ?, message_id = ?, note = ?, updated_at = ? "
            "WHERE guild_id = ? AND flight_id = ? AND kind = ?",
            (state.value, message_id, note, now, entry.guild_id, entry.flight_id, entry.kind),
        )

    async def sent_count(self, guild_id: int) -> int:
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS n FROM alert_ledger WHERE guild_id = ? AND state = ?",
            (guild_id, LedgerState.SENT.value),
        )
        return int(row["n"]) if row else 0
