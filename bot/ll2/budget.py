"""The hourly LL2 budget, shared by every process on the same database.

LL2's free tier allows `LL2_REQUESTS_PER_HOUR` requests (15) in any rolling hour,
split so that neither side can starve the other:

- commands may use every slot but a fifth (12 of 15): those 3 are kept for the
  landing-alert poll, so alerts keep working while users are busy;
- background work (the alert poll, and the catalog sync's paced page) may use at
  most a third (5 of 15); the launch watch's polls take a background slot when there
  is one, else a spare one (`Priority.TIMELY`), so a launch near does not wait;
- the catalog sync may also take *spare* slots, from the commands' 12: only while,
  after taking one, commands still have `spare_margin` slots free (1 of 15) on top
  of as many as they used in the last `DEMAND_SECONDS` (10 minutes). A command that
  needs a slot never waits for the sync; a burst of commands makes the sync wait
  until the burst is over, and the sync catches up on the slots commands leave;
- except on a fresh install: until the catalog's first pass is done (at most an hour),
  commands leave it the slots it knows its remaining pages need (`hold_for_first_pass`),
  since every one of those pages answers a hundred commands' worth of flights or people.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from storage.upstream import Demand, Denial, SlotRequest, UpstreamLedger

WINDOW_SECONDS = 3600.0
DEMAND_SECONDS = 600.0
"""Commands' recent rate: spare slots leave as many free as commands used in this span."""


class Priority(StrEnum):
    INTERACTIVE = "interactive"
    BACKGROUND = "background"
    SPARE = "spare"
    """The catalog sync between its paced pages: what commands are not using."""
    TIMELY = "timely"
    """Background work that must not wait an interval (the launch watch near a launch):
    a background slot when the background share has one, else a spare one. Counted as
    whichever it took, so it never takes what commands are using."""


@dataclass(frozen=True, slots=True)
class BudgetStatus:
    limit: int
    used: int
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
        """The slots commands (and spare work) never take, so the alert poll always
        finds some."""
        return self.per_hour // 5

    @property
    def command_share(self) -> int:
        """The most commands may use in an hour, spare work included (12 of 15)."""
        return self.per_hour - self.background_reserve

    @property
    def spare_margin(self) -> int:
        """Slots spare work always leaves commands, beyond their recent use."""
        return max(1, self.per_hour // 15)

    async def try_acquire(self, priority: Priority, path: str) -> Denial | None:
        """Take one slot for a request to `path` now, or say when to try again."""
        if priority is not Priority.TIMELY:
            return await self._ledger.try_reserve(self._slot(priority, path))
        denial = await self._ledger.try_reserve(self._slot(Priority.BACKGROUND, path))
        if denial is None:
            return None
        return await self._ledger.try_reserve(self._slot(Priority.SPARE, path))

    def _slot(self, priority: Priority, path: str) -> SlotRequest:
        slot = SlotRequest(
            now=self._clock(),
            window=WINDOW_SECONDS,
            total_limit=self.per_hour,
            priority=priority.value,
            priority_limit=self.background_share,
            path=path,
        )
        if priority is Priority.INTERACTIVE:
            return replace(
                slot,
                priority_limit=self.command_share,
                shared_with=(Priority.SPARE.value,),
                yields_to_hold=True,
            )
        if priority is Priority.SPARE:
            return replace(
                slot,
                priority_limit=self.command_share - self.spare_margin,
                shared_with=(Priority.INTERACTIVE.value,),
                demand=Demand(Priority.INTERACTIVE.value, DEMAND_SECONDS),
                hold_limit=self.command_share,
            )
        return slot

    async def hold_for_first_pass(self, pages: int, seconds: float) -> None:
        """A fresh install's first catalog pass: for the next `seconds`, commands leave
        `pages` slots of the hour free for it (at most `command_share` less 2), and its
        spare pages need leave commands no margin. 0 pages ends the hold."""
        pages = max(0, min(pages, self.command_share - 2))
        await self._ledger.hold(pages, self._clock() + seconds if pages else 0.0)

    async def block_until(self, until: float) -> None:
        await self._ledger.block_until(until)

    async def status(self) -> BudgetStatus:
        now = self._clock()
        usage = await self._ledger.usage(now, WINDOW_SECONDS)
        return BudgetStatus(
            limit=self.per_hour,
            used=usage.total,
            blocked_until=usage.blocked_until if usage.blocked_until > now else None,
        )
