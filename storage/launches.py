"""Upcoming launches Capcom watches for reminders and change notices: what it last knew
of each launch, and the ledger of what it told each server about it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from storage.database import Database, Row, Transaction
from storage.ledger import LedgerState, LedgerTable


@dataclass(frozen=True, slots=True)
class WatchedLaunch:
    """What Capcom last knew of an upcoming launch.

    `net` is LL2's NET as last seen; `planned_net` the exact NET reminders are planned
    for (None while the NET is a placeholder): it follows `net` only when `net` moves
    by 15 minutes or more, or becomes exact or coarse, so a NET nudged by seconds or
    minutes neither re-arms reminders nor is news. `net_seen_at` is when `planned_net`
    was first seen: a reminder due before that is never sent. `revision` counts the
    changes told."""

    launch_id: str
    name: str
    net: float | None
    precision_id: int | None
    status_id: int | None
    flight_id: int | None
    webcast_url: str | None
    page_url: str | None
    planned_net: float | None
    net_seen_at: float
    first_seen: float
    last_seen: float
    revision: int = 0


@dataclass(frozen=True, slots=True)
class LaunchEntry:
    """One row of the launch ledger: a reminder, a change notice or an outcome for one
    server. For a change, what changed; for a reminder, the launch's revision its
    message shows (the one it was planned at, until edited)."""

    guild_id: int
    launch_id: str
    key: str
    channel_id: int
    state: LedgerState
    attempts: int = 0
    change_kind: str | None = None
    old_net: float | None = None
    new_net: float | None = None
    status_id: int | None = None
    message_id: int | None = None
    edited_revision: int = 0
    created_at: float = 0.0


_WATCH_COLUMNS = (
    "launch_id, name, net, precision_id, status_id, flight_id, webcast_url, page_url,"
    " planned_net, net_seen_at, first_seen, last_seen, revision"
)
_ENTRY_COLUMNS = (
    "guild_id, launch_id, key, channel_id, state, attempts, change_kind, old_net, new_net,"
    " status_id, message_id, edited_revision, created_at"
)
LAST_POLL = "launches.last_poll"
"""The bot_state key of when upcoming launches were last asked for."""
LAST_POLL_FAILED = "launches.last_poll_failed"
"""The bot_state key saying whether that poll failed ("1") or not ("0")."""


@dataclass(frozen=True, slots=True)
class LastPoll:
    at: float
    failed: bool
    """The budget refused it or LL2 failed: the next comes sooner."""


def _watch(row: Row) -> WatchedLaunch:
    return WatchedLaunch(
        launch_id=str(row["launch_id"]),
        name=str(row["name"]),
        net=row["net"],
        precision_id=row["precision_id"],
        status_id=row["status_id"],
        flight_id=row["flight_id"],
        webcast_url=row["webcast_url"],
        page_url=row["page_url"],
        planned_net=row["planned_net"],
        net_seen_at=float(row["net_seen_at"]),
        first_seen=float(row["first_seen"]),
        last_seen=float(row["last_seen"]),
        revision=int(row["revision"]),
    )


def _entry(row: Row) -> LaunchEntry:
    return LaunchEntry(
        guild_id=int(row["guild_id"]),
        launch_id=str(row["launch_id"]),
        key=str(row["key"]),
        channel_id=int(row["channel_id"]),
        state=LedgerState(row["state"]),
        attempts=int(row["attempts"]),
        change_kind=row["change_kind"],
        old_net=row["old_net"],
        new_net=row["new_net"],
        status_id=row["status_id"],
        message_id=row["message_id"],
        edited_revision=int(row["edited_revision"]),
        created_at=float(row["created_at"]),
    )


class LaunchStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._ledger = LedgerTable(db, "launch_ledger", "launch_id", "key")

    async def watches(self) -> dict[str, WatchedLaunch]:
        rows = await self._db.fetchall(f"SELECT {_WATCH_COLUMNS} FROM watched_launches")
        return {str(row["launch_id"]): _watch(row) for row in rows}

    async def last_poll(self) -> LastPoll | None:
        """When upcoming launches were last asked for and whether that failed, in one
        read (the watch's loop asks before every cycle); None if never."""
        rows = await self._db.fetchall(
            "SELECT key, value FROM bot_state WHERE key IN (?, ?)", (LAST_POLL, LAST_POLL_FAILED)
        )
        values = {str(row["key"]): str(row["value"]) for row in rows}
        if LAST_POLL not in values:
            return None
        return LastPoll(float(values[LAST_POLL]), values.get(LAST_POLL_FAILED) == "1")

    async def record(
        self,
        watches: Iterable[WatchedLaunch],
        entries: Iterable[LaunchEntry],
        now: float,
        *,
        failed: bool = False,
    ) -> None:
        """What one poll learned, in one transaction: each launch's new state, the
        notices it planned (a row already there stays as it is), the poll's time and
        whether it failed. A failure writes none of it, so the next poll finds the same
        news."""
        async with self._db.transaction() as transaction:
            await transaction.executemany(
                f"INSERT INTO watched_launches ({_WATCH_COLUMNS})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (launch_id) DO UPDATE"
                " SET name = excluded.name, net = excluded.net,"
                " precision_id = excluded.precision_id, status_id = excluded.status_id,"
                " flight_id = excluded.flight_id, webcast_url = excluded.webcast_url,"
                " page_url = excluded.page_url, planned_net = excluded.planned_net,"
                " net_seen_at = excluded.net_seen_at, last_seen = excluded.last_seen,"
                " revision = excluded.revision",
                [
                    (
                        w.launch_id,
                        w.name,
                        w.net,
                        w.precision_id,
                        w.status_id,
                        w.flight_id,
                        w.webcast_url,
                        w.page_url,
                        w.planned_net,
                        w.net_seen_at,
                        w.first_seen,
                        w.last_seen,
                        w.revision,
                    )
                    for w in watches
                ],
            )
            await _insert(transaction, entries, now)
            await transaction.execute(
                "INSERT INTO bot_state (key, value) VALUES (?, ?), (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (LAST_POLL, repr(now), LAST_POLL_FAILED, "1" if failed else "0"),
            )

    async def plan(self, entries: Iterable[LaunchEntry], now: float) -> None:
        """Write rows to send (reminders due, an overtaken one as dropped); a row
        already there stays as it is."""
        async with self._db.transaction() as transaction:
            await _insert(transaction, entries, now)

    async def pending(self) -> list[LaunchEntry]:
        return await self._entries(
            "WHERE state = ? ORDER BY created_at, guild_id, key", (LedgerState.PENDING.value,)
        )

    async def stale_reminders(self) -> list[LaunchEntry]:
        """Sent reminders whose launch changed since their message was last written."""
        return await self._entries(
            "AS l WHERE state = ? AND message_id IS NOT NULL AND key LIKE 'reminder:%' AND"
            " edited_revision < (SELECT revision FROM watched_launches AS w"
            " WHERE w.launch_id = l.launch_id) ORDER BY created_at, guild_id, key",
            (LedgerState.SENT.value,),
        )

    async def _entries(self, where: str, params: tuple[str, ...]) -> list[LaunchEntry]:
        rows = await self._db.fetchall(
            f"SELECT {_ENTRY_COLUMNS} FROM launch_ledger {where}", params
        )
        return [_entry(row) for row in rows]

    async def attempt(self, entry: LaunchEntry, now: float) -> None:
        await self._ledger.attempt((entry.guild_id, entry.launch_id, entry.key), now)

    async def finish(
        self,
        entry: LaunchEntry,
        state: LedgerState,
        now: float,
        *,
        message_id: int | None = None,
        note: str | None = None,
    ) -> None:
        row = (entry.guild_id, entry.launch_id, entry.key)
        await self._ledger.finish(row, state, now, message_id=message_id, note=note)

    async def edited(self, entry: LaunchEntry, revision: int, now: float) -> None:
        """The reminder's message now shows the launch as of `revision`."""
        await self._db.execute(
            "UPDATE launch_ledger SET edited_revision = ?, updated_at = ?"
            " WHERE guild_id = ? AND launch_id = ? AND key = ?",
            (revision, now, entry.guild_id, entry.launch_id, entry.key),
        )

    async def sent_count(self, guild_id: int) -> int:
        return await self._ledger.sent_count(guild_id)

    async def forget(self, before: float) -> int:
        """Drop launches not seen since `before` (long launched or gone from LL2) with
        their ledger rows; how many launches."""
        async with self._db.transaction() as transaction:
            await transaction.execute(
                "DELETE FROM launch_ledger WHERE launch_id IN"
                " (SELECT launch_id FROM watched_launches WHERE last_seen < ?)",
                (before,),
            )
            return await transaction.execute(
                "DELETE FROM watched_launches WHERE last_seen < ?", (before,)
            )


async def _insert(transaction: Transaction, entries: Iterable[LaunchEntry], now: float) -> None:
    await transaction.executemany(
        "INSERT INTO launch_ledger (guild_id, launch_id, key, channel_id, state, change_kind,"
        " old_net, new_net, status_id, edited_revision, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [
            (
                e.guild_id,
                e.launch_id,
                e.key,
                e.channel_id,
                e.state.value,
                e.change_kind,
                e.old_net,
                e.new_net,
                e.status_id,
                e.edited_revision,
                now,
                now,
            )
            for e in entries
        ],
    )
