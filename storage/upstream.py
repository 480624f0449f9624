"""The persisted ledger of upstream (LL2) requests: the hourly budget and 429 back-off.

Every decision is made inside one write transaction (`Database.transaction`: SQLite's
`BEGIN IMMEDIATE`, PostgreSQL's advisory lock), so two processes on the same database
can never both take the last slot of the hour.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.database import Database

_BLOCKED_UNTIL = "blocked_until"


@dataclass(frozen=True, slots=True)
class Usage:
    total: int
    by_priority: dict[str, int]
    blocked_until: float


@dataclass(frozen=True, slots=True)
class Denial:
    """No slot now: `retry_at` is the earliest time one may free up; `throttled`
    means LL2 itself told us to wait (a 429), not our own budget."""

    retry_at: float
    throttled: bool


@dataclass(frozen=True, slots=True)
class SlotRequest:
    """One request for a slot: at most `total_limit` requests in the window in all,
    and at most `priority_limit` of this priority."""

    now: float
    window: float
    total_limit: int
    priority: str
    priority_limit: int
    path: str


class UpstreamLedger:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def try_reserve(self, slot: SlotRequest) -> Denial | None:
        """Record the request if allowed and return None; else say when to try again."""
        async with self._db.transaction() as transaction:
            await transaction.execute(
                "DELETE FROM upstream_requests WHERE at <= ?", (slot.now - slot.window,)
            )
            row = await transaction.fetchone(
                "SELECT value FROM upstream_state WHERE key = ?", (_BLOCKED_UNTIL,)
            )
            blocked_until = float(row[0]) if row else 0.0
            if slot.now < blocked_until:
                return Denial(retry_at=blocked_until, throttled=True)
            rows = [
                (float(row["at"]), str(row["priority"]))
                for row in await transaction.fetchall(
                    "SELECT at, priority FROM upstream_requests ORDER BY at"
                )
            ]
            all_times = [at for at, _ in rows]
            own_times = [at for at, priority in rows if priority == slot.priority]
            retry_at = max(
                _free_at(all_times, slot.total_limit, slot.window),
                _free_at(own_times, slot.priority_limit, slot.window),
            )
            if retry_at > slot.now:
                return Denial(retry_at=retry_at, throttled=False)
            await transaction.execute(
                "INSERT INTO upstream_requests (at, priority, path) VALUES (?, ?, ?)",
                (slot.now, slot.priority, slot.path),
            )
            return None

    async def block_until(self, until: float) -> None:
        """No request before `until` (a 429's Retry-After); never shortens a longer block."""
        await self._db.execute(
            "INSERT INTO upstream_state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            " WHERE excluded.value > upstream_state.value",
            (_BLOCKED_UNTIL, until),
        )

    async def usage(self, now: float, window: float) -> Usage:
        rows = await self._db.fetchall(
            "SELECT priority, COUNT(*) AS n FROM upstream_requests WHERE at > ? GROUP BY priority",
            (now - window,),
        )
        by_priority = {str(row["priority"]): int(row["n"]) for row in rows}
        state = await self._db.fetchone(
            "SELECT value FROM upstream_state WHERE key = ?", (_BLOCKED_UNTIL,)
        )
        return Usage(
            total=sum(by_priority.values()),
            by_priority=by_priority,
            blocked_until=float(state["value"]) if state else 0.0,
        )


def _free_at(times: list[float], limit: int, window: float) -> float:
    """When fewer than `limit` of `times` (sorted) are inside the window; 0 if already."""
    if limit <= 0:
        return float("inf")
    excess = len(times) - limit + 1
    if excess <= 0:
        return 0.0
    return times[excess - 1] + window
