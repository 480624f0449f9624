"""The hourly LL2 budget, shared by every process on the same database.

LL2's free tier allows `LL2_REQUESTS_PER_HOUR` requests (15) in any rolling hour,
split so that neither side can starve the other:

- commands may use every slot but a fifth (12 of 15): those 3 are kept for the
  landing-alert poll, so alerts keep working while users are busy;
- background work (alert polling, catalog sync) may use at most a third (5 of 15),
  so commands always have at least two thirds (10 of 15).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from storage.upstream import Denial, SlotRequest, UpstreamLedger

WINDOW_SECONDS = 3600.0


class Priority(StrEnum):
    INTERACTIVE = "interactive"
    BACKGROUND = "background"


@dataclass(frozen=True, slots=True)
class BudgetStatus:
    limit: int
    used: int
    used_background: int
    blocked_until: float | None

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


class Budget:
    def __init__(
        self,
        ledger: UpstreamLedger,
        per_hour: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._ledger = ledger
        self.per_hour = per_hour
        self._clock = clock

    @property
    def background_share(self) -> int:
        """The most background work may use in an hour."""
        return self.per_hour // 3

    @property
    def background_reserve(self) -> int:
        """The slots commands never take, so the alert poll always finds some."""
        return self.per_hour // 5

    async def try_acquire(self, priority: Priority, path: str) -> Denial | None:
        """Take one slot for a request to `path` now, or say when to try again."""
        background = priority is Priority.BACKGROUND
        own_limit = self.background_share if background else self.per_hour - self.background_reserve
        return await self._ledger.try_reserve(
            SlotRequest(
                now=self._clock(),
                window=WINDOW_SECONDS,
                total_limit=self.per_hour,
                priority=priority.value,
                priority_limit=own_limit,
                path=path,
            )
        )

    async def block_until(self, until: float) -> None:
        await self._ledger.block_until(until)

    async def status(self) -> BudgetStatus:
        now = self._clock()
        usage = await self._ledger.usage(now, WINDOW_SECONDS)
        return BudgetStatus(
            limit=self.per_hour,
            used=usage.total,
            used_background=usage.by_priority.get(Priority.BACKGROUND.value, 0),
            blocked_until=usage.blocked_until if usage.blocked_until > now else None,
        )
