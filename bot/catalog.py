"""The catalog sync: every astronaut and spacecraft flight into the local index.

Pages of 100 through LL2's astronaut and flight lists, one page per step. With
LL2 2.3.0 the pages are asked for in detail (`mode=detailed`), and each item is
cached as its own detail: after one pass, `/flight` and `/crew` answer every
flight and person without another request.

Budget: `turn` takes the next page on a *spare* slot as soon as the hour has one
(see `bot.ll2.budget`: what commands leave, never the alert poll's slots), and
at least one page per `SYNC_INTERVAL_SECONDS` on the background share, so the
sync yields to busy commands without ever stopping. A fresh install's first pass
is the exception: for its first hour commands leave it the slots its remaining pages
need (`Budget.hold_for_first_pass`), so on the free tier it holds the whole catalog
(about ten pages with 2.3.0) within minutes.

Paging: astronauts are asked for in a documented order, so pages neither repeat
nor skip. `/spacecraft_flights/` has no ordering LL2 honours, so its pages may
repeat some rows and miss others: the sync keeps the distinct ids each pass has
seen, and when it has paged to the end with fewer than LL2's `count`, it pages
through again (at most `MAX_ROUNDS` times in a pass) for what it missed.

Where it stands (offsets, totals, the ids seen, when it finished) is kept in the
database, so a restart goes on from the page it stopped at. A finished pass
starts again after a day, so the catalog keeps up with new and changed items.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.ll2.api import LIST_LIMIT
from bot.ll2.budget import Budget, Priority
from bot.ll2.client import Unavailable
from bot.ll2.freshness import StaleReason
from bot.ll2.repository import ASTRONAUT_PAGE, FLIGHT_PAGE, LL2Repository
from storage.index import EntityKind, SearchIndex
from storage.state import StateStore

log = logging.getLogger(__name__)

REFRESH_AFTER_SECONDS = 24 * 3600.0
MAX_ROUNDS = 3
"""Pagings through one catalog in one pass: the first, and at most two more for rows an
unstable order hid; after that the pass settles for the ids it has (and says so)."""
RETRY_SECONDS = 60.0
"""When to try again after a failure that says nothing of when."""
IDLE_PAUSE = 1.0
"""The shortest wait when no page was fetched, whatever the budget estimated."""
FIRST_PASS_SECONDS = 3600.0
"""How long after a fresh install's first pass began commands leave it its pages."""
HOLD_SECONDS = 120.0
"""A hold for the first pass lapses this long after the sync's last turn (if the sync
stops, commands get their slots back)."""


class Catalog(StrEnum):
    ASTRONAUTS = "astronauts"
    FLIGHTS = "flights"


ORDER = (Catalog.ASTRONAUTS, Catalog.FLIGHTS)


@dataclass(frozen=True, slots=True)
class SyncPosition:
    """Where the current pass stands, per catalog: the next offset, LL2's count, the
    distinct ids seen in this pass, the ids held after the last finished pass, and
    the paging round (0: the first time through)."""

    offsets: dict[Catalog, int]
    totals: dict[Catalog, int | None]
    seen: dict[Catalog, int]
    held_before: dict[Catalog, int]
    rounds: dict[Catalog, int]
    pages: int
    """Pages fetched in this pass."""
    under_way: bool
    """A pass has pages left to fetch (else the last one finished at `completed_at`)."""
    started_at: float
    completed_at: float | None
    """When the last pass finished (None: never)."""
    next_at: float | None
    """When the sync means to fetch its next page (None: not yet known)."""

    def paged(self, catalog: Catalog) -> bool:
        """Whether this round has paged to the end of the catalog."""
        total = self.totals[catalog]
        return total is not None and self.offsets[catalog] >= total

    def missing(self, catalog: Catalog) -> int:
        total = self.totals[catalog]
        return 0 if total is None else max(0, total - self.seen[catalog])

    def done(self, catalog: Catalog) -> bool:
        """Paged to the end, with every id held or no round left to look again."""
        return self.paged(catalog) and (
            not self.missing(catalog) or self.rounds[catalog] + 1 >= MAX_ROUNDS
        )

    def held(self, catalog: Catalog) -> int:
        """Distinct items the local catalog holds: this pass's, or the last finished
        pass's while a new pass has seen fewer."""
        return max(self.seen[catalog], self.held_before[catalog])

    def due(self, now: float) -> bool:
        """Whether there is a page to fetch now (a pass under way, or a day since the last)."""
        return self.under_way or now >= self.refresh_at

    @property
    def refresh_at(self) -> float:
        """When the next pass is due, once the last one finished."""
        assert self.completed_at is not None
        return self.completed_at + REFRESH_AFTER_SECONDS

    @property
    def pages_needed(self) -> int:
        """Pages this pass still needs as far as it knows: those left where LL2's count
        is known, one where it is not yet."""
        return sum(1 if self.totals[catalog] is None else self._left(catalog) for catalog in ORDER)

    def _left(self, catalog: Catalog) -> int:
        total = self.totals[catalog] or 0
        if self.done(catalog):
            return 0
        if self.paged(catalog):
            return math.ceil(total / LIST_LIMIT)
        return math.ceil(max(0, total - self.offsets[catalog]) / LIST_LIMIT)

    @property
    def pages_left(self) -> int | None:
        """Pages still to fetch in this pass, if every total is known (a round for
        missing rows counts as a whole paging)."""
        if any(self.totals[catalog] is None for catalog in ORDER):
            return None
        return sum(self._left(catalog) for catalog in ORDER)


@dataclass(frozen=True, slots=True)
class SyncStep:
    catalog: Catalog
    offset: int
    fetched: int
    position: SyncPosition


@dataclass(frozen=True, slots=True)
class Turn:
    """One turn of the sync loop: the page fetched (if any), and when to come back."""

    step: SyncStep | None
    next_at: float
    waiting: str | None = None
    """Why no page was fetched now, in words (budget, LL2 throttling, …)."""

    def pause(self, now: float, interval: float) -> float:
        """Seconds the loop sleeps before its next turn: none after a page; else until
        `next_at`, but never longer than `interval` (a `capcom sync --full` in another
        process, or slots that free up sooner, are noticed by then)."""
        if self.step is not None:
            return 0.0
        return min(max(self.next_at - now, IDLE_PAUSE), max(interval, IDLE_PAUSE))


class CatalogSync:
    def __init__(
        self,
        repository: LL2Repository,
        state: StateStore,
        index: SearchIndex,
        budget: Budget,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.repository = repository
        self._state = state
        self._index = index
        self._budget = budget
        self._clock = clock
        self._paced_at = -math.inf
        """When the sync last took a page on the background share (this process)."""
        self._holding = False
        self._failing = False
        """The last page failed for want of LL2, not of budget (this process)."""

    async def _number(self, key: str) -> float | None:
        value = await self._state.get(f"sync:{key}")
        return float(value) if value else None

    async def position(self) -> SyncPosition:
        offsets: dict[Catalog, int] = {}
        totals: dict[Catalog, int | None] = {}
        seen: dict[Catalog, int] = {}
        held: dict[Catalog, int] = {}
        rounds: dict[Catalog, int] = {}
        for catalog in ORDER:
            offsets[catalog] = int(await self._number(f"{catalog}:offset") or 0)
            total = await self._number(f"{catalog}:total")
            totals[catalog] = int(total) if total is not None else None
            seen[catalog] = len(await self._state.get_ids(f"sync:{catalog}:seen"))
            held[catalog] = int(await self._number(f"{catalog}:held") or 0)
            rounds[catalog] = int(await self._number(f"{catalog}:round") or 0)
        started = await self._number("started_at")
        completed = await self._number("completed_at")
        running = await self._state.get("sync:running")
        return SyncPosition(
            offsets=offsets,
            totals=totals,
            seen=seen,
            held_before=held,
            rounds=rounds,
            pages=int(await self._number("pages") or 0),
            under_way=bool(running) if running is not None else completed is None,
            started_at=started if started is not None else self._clock(),
            completed_at=completed,
            next_at=await self._number("next_at"),
        )

    async def restart(self) -> None:
        """Begin a new pass from the first page (`capcom sync --full`, or a day after).
        The last finished pass still counts (`complete`) until this one finishes."""
        for catalog in ORDER:
            await self._state.set(f"sync:{catalog}:offset", "0")
            await self._state.set(f"sync:{catalog}:round", "0")
            await self._state.set_ids(f"sync:{catalog}:seen", ())
        await self._state.set("sync:pages", "0")
        await self._state.set("sync:started_at", repr(self._clock()))
        await self._state.set("sync:running", "1")

    async def complete(self) -> bool:
        """Whether a whole pass finished lately: the index then lists every flight. One
        read, not the whole position: `/flights` and unknown ids ask it per command."""
        completed_at = await self._number("completed_at")
        return completed_at is not None and self._clock() - completed_at < 2 * REFRESH_AFTER_SECONDS

    async def due(self) -> bool:
        """Whether there is a page to fetch now (a pass under way, or a day since the last)."""
        return (await self.position()).due(self._clock())

    async def step(self, priority: Priority = Priority.BACKGROUND) -> SyncStep | None:
        """Fetch the next page; None when the pass is complete. LL2 errors propagate."""
        if not await self._state.get("sync:started_at"):
            await self._state.set("sync:started_at", repr(self._clock()))
        position = await self.position()
        if not position.under_way:
            if not position.due(self._clock()):
                return None
            await self.restart()
            position = await self.position()
        for catalog in ORDER:
            if position.paged(catalog) and not position.done(catalog):
                position = await self._again(catalog, position)
        pending = [catalog for catalog in ORDER if not position.done(catalog)]
        if not pending:
            await self._finish(position)
            return None
        catalog = pending[0]
        offset = position.offsets[catalog]
        count, ids = await self._fetch(catalog, offset, priority, position.started_at)
        seen = await self._state.get_ids(f"sync:{catalog}:seen")
        await self._state.set_ids(f"sync:{catalog}:seen", seen | ids)
        next_offset = offset + LIST_LIMIT if ids else count
        await self._state.set(f"sync:{catalog}:offset", str(next_offset))
        await self._state.set(f"sync:{catalog}:total", str(count))
        await self._state.set("sync:pages", str(position.pages + 1))
        return SyncStep(catalog, offset, len(ids), await self.position())

    async def _fetch(
        self, catalog: Catalog, offset: int, priority: Priority, started_at: float
    ) -> tuple[int, frozenset[int]]:
        """One page: LL2's count and the distinct ids on it."""
        endpoints = self.repository.endpoints
        if catalog is Catalog.ASTRONAUTS:
            astronauts = await self.repository.load(
                endpoints.astronauts(offset=offset, detailed=True),
                ASTRONAUT_PAGE,
                priority,
                fetched_after=started_at,
                allow_stale=False,
            )
            page = astronauts.value
            return page.count, frozenset(astronaut.id for astronaut in page.results)
        flights = await self.repository.load(
            endpoints.flights(spacecraft_id=None, offset=offset, detailed=True),
            FLIGHT_PAGE,
            priority,
            fetched_after=started_at,
            allow_stale=False,
        )
        return flights.value.count, frozenset(flight.id for flight in flights.value.results)

    async def _again(self, catalog: Catalog, position: SyncPosition) -> SyncPosition:
        """Page through `catalog` once more: its order moved rows between pages."""
        round_ = position.rounds[catalog] + 1
        log.info(
            "catalog sync: %s paged to the end with %d of %d; paging again for the "
            "%d missing (round %d of %d)",
            catalog.value,
            position.seen[catalog],
            position.totals[catalog],
            position.missing(catalog),
            round_ + 1,
            MAX_ROUNDS,
        )
        await self._state.set(f"sync:{catalog}:round", str(round_))
        await self._state.set(f"sync:{catalog}:offset", "0")
        return await self.position()

    async def _finish(self, position: SyncPosition) -> None:
        for catalog in ORDER:
            await self._state.set(f"sync:{catalog}:held", str(position.seen[catalog]))
            if position.missing(catalog):
                log.warning(
                    "catalog sync: %s has %d of LL2's %d after %d pagings; the next "
                    "pass looks again",
                    catalog.value,
                    position.seen[catalog],
                    position.totals[catalog],
                    MAX_ROUNDS,
                )
        await self._state.set("sync:completed_at", repr(self._clock()))
        await self._state.set("sync:running", "")
        log.info(
            "catalog sync pass complete: %s",
            ", ".join(f"{c.value} {position.seen[c]} of {position.totals[c]}" for c in ORDER),
        )

    async def turn(self, interval: float, *, spare_slots: bool = True) -> Turn:
        """Fetch the next page if the budget has a slot for it now: a spare one first
        (unless `spare_slots` is off, or LL2 2.2.0 has no detailed pages), else the
        paced one (one per `interval` on the background share). Says when to come
        back: at once after a page, else when a slot should be free."""
        now = self._clock()
        position = await self.position()
        # 2.2.0's pages only name things (each detail costs its own request): a spare
        # slot is worth more to a command there, so the sync keeps to its paced page.
        spare_slots = spare_slots and self.repository.endpoints.lists_in_detail
        await self._hold(position, now, spare_slots)
        if not position.due(now):
            return await self._plan(Turn(None, position.refresh_at))
        try:
            if not spare_slots:
                raise Unavailable(StaleReason.BUDGET, math.inf, "spare slots are off")
            step = await self.step(Priority.SPARE)
        except Unavailable as spare:
            if spare.reason is not StaleReason.BUDGET:
                self._failing = True  # LL2 fails the sync: commands have their slots back
                await self._hold(position, now, spare_slots)
                return await self._plan(_waiting(spare, now))
            paced_at = self._paced_at + interval
            if now < paced_at:
                return await self._plan(_waiting(spare, now, paced_at))
            try:
                step = await self.step(Priority.BACKGROUND)
            except Unavailable as paced:
                if paced.reason is not StaleReason.BUDGET:
                    self._failing = True
                    await self._hold(position, now, spare_slots)
                return await self._plan(_waiting(paced, now, spare.retry_at))
            self._paced_at = now
        self._failing = False
        if step is None:
            position = await self.position()
            await self._hold(position, now, spare_slots)
            return await self._plan(Turn(None, position.refresh_at))
        return await self._plan(Turn(step, now))

    async def _hold(self, position: SyncPosition, now: float, spare_slots: bool) -> None:
        """On a fresh install's first pass (none finished yet, begun under an hour
        ago, LL2 answering it, spare slots on), ask commands to leave the slots its
        remaining pages need; else end any such hold this process made."""
        first = (
            position.completed_at is None
            and position.under_way
            and now - position.started_at < FIRST_PASS_SECONDS
            and not self._failing
            and spare_slots
        )
        if first:
            await self._budget.hold_for_first_pass(position.pages_needed, HOLD_SECONDS)
            self._holding = True
        elif self._holding:
            await self._budget.hold_for_first_pass(0, 0)
            self._holding = False

    async def _plan(self, turn: Turn) -> Turn:
        await self._state.set("sync:next_at", repr(turn.next_at))
        return turn

    async def indexed(self) -> dict[EntityKind, int]:
        return {kind: await self._index.count(kind) for kind in EntityKind}


def _waiting(error: Unavailable, now: float, other: float | None = None) -> Turn:
    """No page now: back when the budget or LL2 should allow one (or at `other`)."""
    retry_at = error.retry_at if error.retry_at is not None else now + RETRY_SECONDS
    if other is not None:
        retry_at = min(retry_at, other)
    return Turn(None, max(retry_at, now), error.reason.value)


def catalog_summary(position: SyncPosition) -> str:
    """'flights 300 of 300, astronauts 700 of 700': what the catalog holds of LL2's count."""
    return ", ".join(
        f"{catalog.value} {position.held(catalog)} of "
        + ("?" if position.totals[catalog] is None else str(position.totals[catalog]))
        for catalog in ORDER
    )
