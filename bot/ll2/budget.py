"""The hourly LL2 budget, shared by every process on the same database.

LL2's free tier allows `LL2_REQUESTS_PER_HOUR` requests (15) in any rolling hour.
Interactive commands may use every slot. Background work (alert polling, catalog
sync) may use at most a third of the hour's slots, and never one of the last
third, so a user's command always finds a slot that background work left free.
With 15 an hour: background at most 5, and interactive always has at least 5.
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
        return self.per_hour // 3

    async def try_acquire(self, priority: Priority, path: str) -> Denial | None:
        """Take one slot for a request to `path` now, or say when to try again."""
        share = self.background_share
        background = priority is Priority.BACKGROUND
        return await self._ledger.try_reserve(
            SlotRequest(
                now=self._clock(),
                window=WINDOW_SECONDS,
                total_limit=self.per_hour,
                keep_free=share if background else 0,
                priority=priority.value,
                priority_limit=share if background else self.per_hour,
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
