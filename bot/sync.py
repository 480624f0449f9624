"""The catalog sync: every astronaut and spacecraft flight into the local index.

Pages of 100 through LL2's astronaut and flight lists on the background budget,
one page per step. With LL2 2.3.0 the pages are asked for in detail
(`mode=detailed`), and each item is cached as its own detail: after one pass,
`/flight` and `/crew` answer every flight and person without another request.
Where it stands is kept in the database, so a restart goes on from the page it
stopped at. A finished pass starts again after a day, so
the index keeps up with new flights and people.
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
from bot.ll2.repository import ASTRONAUT_PAGE, FLIGHT_PAGE, LL2Repository
from storage.index import EntityKind, SearchIndex
from storage.state import StateStore

log = logging.getLogger(__name__)

REFRESH_AFTER_SECONDS = 24 * 3600.0


class Catalog(StrEnum):
    ASTRONAUTS = "astronauts"
    FLIGHTS = "flights"


ORDER = (Catalog.ASTRONAUTS, Catalog.FLIGHTS)


@dataclass(frozen=True, slots=True)
class SyncPosition:
    """Where the current pass stands: next offset and known total per catalog."""

    offsets: dict[Catalog, int]
    totals: dict[Catalog, int | None]
    started_at: float
    completed_at: float | None

    def done(self, catalog: Catalog) -> bool:
        total = self.totals[catalog]
        return total is not None and self.offsets[catalog] >= total

    @property
    def pages_done(self) -> int:
        return sum(math.ceil(min(self.offsets[c], self.totals[c] or 0) / LIST_LIMIT) for c in ORDER)

    @property
    def pages_left(self) -> int | None:
        """Pages still to fetch in this pass, if every total is known."""
        left = 0
        for catalog in ORDER:
            total = self.totals[catalog]
            if total is None:
                return None
            left += math.ceil(max(0, total - self.offsets[catalog]) / LIST_LIMIT)
        return left


@dataclass(frozen=True, slots=True)
class SyncStep:
    catalog: Catalog
    offset: int
    fetched: int
    position: SyncPosition


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

    async def position(self) -> SyncPosition:
        async def number(key: str) -> float | None:
            value = await self._state.get(f"sync:{key}")
            return float(value) if value else None

        offsets = {c: int(await number(f"{c}:offset") or 0) for c in ORDER}
        totals: dict[Catalog, int | None] = {}
        for catalog in ORDER:
            total = await number(f"{catalog}:total")
            totals[catalog] = int(total) if total is not None else None
        started = await number("started_at")
        return SyncPosition(
            offsets=offsets,
            totals=totals,
            started_at=started if started is not None else self._clock(),
            completed_at=await number("completed_at"),
        )

    async def restart(self) -> None:
        """Begin a new pass from the first page (`capcom sync --full`, or a day after)."""
        for catalog in ORDER:
            await self._state.set(f"sync:{catalog}:offset", "0")
        await self._state.set("sync:started_at", repr(self._clock()))
        await self._state.set("sync:completed_at", "")

    async def complete(self) -> bool:
        """Whether a whole pass finished lately: the index then lists every flight."""
        position = await self.position()
        if position.completed_at is None:
            return False
        return self._clock() - position.completed_at < 2 * REFRESH_AFTER_SECONDS

    async def due(self) -> bool:
        """Whether there is a page to fetch now (a pass under way, or a day since the last)."""
        position = await self.position()
        if position.completed_at is None:
            return True
        return self._clock() - position.completed_at >= REFRESH_AFTER_SECONDS

    async def step(self, priority: Priority = Priority.BACKGROUND) -> SyncStep | None:
        """Fetch the next page; None when the pass is complete. LL2 errors propagate."""
        if not await self._state.get("sync:started_at"):
            await self._state.set("sync:started_at", repr(self._clock()))
        position = await self.position()
        if position.completed_at is not None:
            if self._clock() - position.completed_at < REFRESH_AFTER_SECONDS:
                return None
            await self.restart()
            position = await self.position()
        pending = [catalog for catalog in ORDER if not position.done(catalog)]
        if not pending:
            await self._state.set("sync:completed_at", repr(self._clock()))
            log.info(
                "catalog sync pass complete: %s",
                ", ".join(f"{c.value} {position.totals[c]}" for c in ORDER),
            )
            return None
        catalog = pending[0]
        offset = position.offsets[catalog]
        endpoints = self.repository.endpoints
        if catalog is Catalog.ASTRONAUTS:
            page = await self.repository.load(
                endpoints.astronauts(offset=offset, detailed=True),
                ASTRONAUT_PAGE,
                priority,
                fetched_after=position.started_at,
                allow_stale=False,
            )
            count, fetched = page.value.count, len(page.value.results)
        else:
            flights = await self.repository.load(
                endpoints.flights(spacecraft_id=None, offset=offset, detailed=True),
                FLIGHT_PAGE,
                priority,
                fetched_after=position.started_at,
                allow_stale=False,
            )
            count, fetched = flights.value.count, len(flights.value.results)
        next_offset = offset + LIST_LIMIT if fetched else count
        await self._state.set(f"sync:{catalog}:offset", str(next_offset))
        await self._state.set(f"sync:{catalog}:total", str(count))
        return SyncStep(catalog, offset, fetched, await self.position())

    async def indexed(self) -> dict[EntityKind, int]:
        return {kind: await self._index.count(kind) for kind in EntityKind}

    def estimate_hours(self, position: SyncPosition) -> float | None:
        """Hours the rest of the pass takes at the background share of the budget."""
        pages = position.pages_left
        share = self._budget.background_share
        if pages is None or share == 0:
            return None
        return pages / share
