"""The persisted ledger of upstream (LL2) requests: the hourly budget and 429 back-off.

Every decision is made inside one write transaction (`Database.transaction`: SQLite's
`BEGIN IMMEDIATE`, PostgreSQL's advisory lock), so two processes on the same database
can never both take the last slot of the hour.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from storage.database import Database

_BLOCKED_UNTIL = "blocked_until"
_HOLD_PAGES = "hold_pages"
_HOLD_UNTIL = "hold_until"


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
class Demand:
    """Slots kept for someone else's recent rate: the priority limit is lowered by
    how many `priority` requests were made in the last `seconds`."""

    priority: str
    seconds: float


@dataclass(frozen=True, slots=True)
class SlotRequest:
    """One request for a slot: at most `total_limit` requests in the window in all,
    and at most `priority_limit` of this priority and of those it shares its limit
    with (`shared_with`), less the recent `demand` of another priority if given."""

    now: float
    window: float
    total_limit: int
    priority: str
    priority_limit: int
    path: str
    shared_with: tuple[str, ...] = ()
    demand: Demand | None = None
    yields_to_hold: bool = False
    """Leave the slots a hold keeps (see `UpstreamLedger.hold`) free in the window."""
    hold_limit: int | None = None
    """While a hold is on, this request is what it holds for: `priority_limit` becomes
    this, and `demand` does not apply."""


class UpstreamLedger:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def try_reserve(self, slot: SlotRequest) -> Denial | None:
        """Record the request if allowed and return None; else say when to try again."""
        async with self._db.transaction() as transaction:
            await transaction.execute(
                "DELETE FROM upstream_requests WHERE at <= ?", (slot.now - slot.window,)
            )
            state = {
                str(row["key"]): float(row["value"])
                for row in await transaction.fetchall(
                    "SELECT key, value FROM upstream_state WHERE key IN (?, ?, ?)",
                    (_BLOCKED_UNTIL, _HOLD_PAGES, _HOLD_UNTIL),
                )
            }
            blocked_until = state.get(_BLOCKED_UNTIL, 0.0)
            if slot.now < blocked_until:
                return Denial(retry_at=blocked_until, throttled=True)
            hold_until = state.get(_HOLD_UNTIL, 0.0)
            held = int(state.get(_HOLD_PAGES, 0)) if slot.now < hold_until else 0
            rows = [
                (float(row["at"]), str(row["priority"]))
                for row in await transaction.fetchall(
                    "SELECT at, priority FROM upstream_requests ORDER BY at"
                )
            ]
            all_times = [at for at, _ in rows]
            counted = {slot.priority, *slot.shared_with}
            own_times = [at for at, priority in rows if priority in counted]
            hold_limit = slot.hold_limit if held > 0 else None
            own_limit = slot.priority_limit if hold_limit is None else hold_limit
            retry_at = max(
                _free_at(all_times, slot.total_limit, slot.window),
                _free_at(own_times, own_limit, slot.window),
            )
            if held and slot.yields_to_hold:
                kept = _free_at(all_times, slot.total_limit - held, slot.window)
                retry_at = max(retry_at, min(kept, hold_until))
            if slot.demand is not None and hold_limit is None:
                demand = slot.demand
                recent = [at for at, priority in rows if priority == demand.priority]
                retry_at = max(retry_at, _free_beside(own_times, recent, slot, demand))
            if retry_at > slot.now:
                return Denial(retry_at=retry_at, throttled=False)
            await transaction.execute(
                "INSERT INTO upstream_requests (at, priority, path) VALUES (?, ?, ?)",
                (slot.now, slot.priority, slot.path),
            )
            return None

    async def hold(self, pages: int, until: float) -> None:
        """Keep `pages` slots of the window free for the requests with a `hold_limit`
        until `until` (0 pages: no hold): requests that yield to it wait."""
        await self._db.executemany(
            "INSERT INTO upstream_state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [(_HOLD_PAGES, pages), (_HOLD_UNTIL, until)],
        )

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


def _free_beside(own: list[float], recent: list[float], slot: SlotRequest, demand: Demand) -> float:
    """When one more request fits under `priority_limit` less the `demand` made in its
    last `seconds` (both sorted lists of times), if nobody asks for anything
    meanwhile; 0 if already. The count changes only when a request leaves the window
    or the demand's span, so those are the times to look at."""
    candidates = sorted(
        {slot.now}
        | {at + slot.window for at in own if at + slot.window > slot.now}
        | {at + demand.seconds for at in recent if at + demand.seconds > slot.now}
    )
    for moment in candidates:
        held = len(own) - bisect.bisect_right(own, moment - slot.window)
        asked = len(recent) - bisect.bisect_right(recent, moment - demand.seconds)
        if held + 1 <= slot.priority_limit - asked:
            return 0.0 if moment <= slot.now else moment
    return float("inf")


def _free_at(times: list[float], limit: int, window: float) -> float:
    """When fewer than `limit` of `times` (sorted) are inside the window; 0 if already."""
    if limit <= 0:
        return float("inf")
    excess = len(times) - limit + 1
    if excess <= 0:
        return 0.0
    return times[excess - 1] + window
