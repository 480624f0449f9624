"""The bot's service layer in this process, wired as `bot.runtime` wires it, on a SQLite
file and a settable clock: the same classes, with time that the benchmark moves."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.alert_kinds import Marker
from bot.alerts.board import BoardService
from bot.alerts.launch_watch import LaunchWatch
from bot.alerts.service import AlertService, Notice
from bot.catalog import CatalogSync
from bot.ll2.budget import Budget, Priority
from bot.ll2.repository import LL2Repository
from bot.runtime import open_runtime
from bot.service import SpaceService
from bot.settings import Settings
from storage.database import Database
from storage.sqlite import SqliteDatabase
from storage.upstream import Denial, UpstreamLedger


class Clock:
    """UNIX time that only moves when told to."""

    def __init__(self, now: float | None = None) -> None:
        self.now = time.time() if now is None else now

    def __call__(self) -> float:
        return self.now


async def no_sleep(_: float) -> None:
    """Retries' back-off takes no simulated time."""


class NoTransport:
    """Alerts go nowhere: the benchmark has no subscriptions, so nothing is ever sent."""

    async def send(self, channel_id: int, notice: Notice) -> int:
        raise AssertionError("no alert is expected")

    async def find(self, channel_id: int, marker: Marker) -> int | None:
        return None


class CountingBudget(Budget):
    """The bot's budget, counting the slots it grants and refuses by priority, and
    logging each slot granted: (when, priority, path)."""

    def __init__(self, ledger: UpstreamLedger, per_hour: int, clock: Clock) -> None:
        super().__init__(ledger, per_hour, clock)
        self.granted: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()
        self.grants: list[tuple[float, str, str]] = []

    async def try_acquire(self, priority: Priority, path: str) -> Denial | None:
        denial = await super().try_acquire(priority, path)
        (self.refused if denial else self.granted)[priority.value] += 1
        if denial is None:
            self.grants.append((self._clock(), priority.value, path))
        return denial


@dataclass(frozen=True, slots=True)
class Services:
    clock: Clock
    db: Database
    budget: CountingBudget
    repository: LL2Repository
    service: SpaceService
    sync: CatalogSync
    alerts: AlertService
    launches: LaunchWatch
    boards: BoardService


@asynccontextmanager
async def open_services(
    database: Path,
    ll2_base_url: str,
    per_hour: int,
    clock: Clock,
) -> AsyncIterator[Services]:
    """The bot's own runtime (`bot.runtime.open_runtime`) on the benchmark's clock, with
    a budget that counts what it grants and refuses."""
    settings = Settings(
        _env_file=None,
        ll2_base_url=ll2_base_url,
        ll2_requests_per_hour=per_hour,
        database_path=database,
    )
    async with SqliteDatabase(database) as db:
        budget = CountingBudget(UpstreamLedger(db), per_hour, clock)
        async with open_runtime(
            settings, clock=clock, sleep=no_sleep, db=db, budget=budget
        ) as runtime:
            yield Services(
                clock=clock,
                db=db,
                budget=budget,
                repository=runtime.repository,
                service=runtime.service,
                sync=runtime.catalog,
                alerts=runtime.alerts,
                launches=runtime.launches,
                boards=runtime.boards,
            )
