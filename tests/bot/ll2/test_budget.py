from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.ll2.budget import Budget, Priority
from storage.database import Database
from storage.upstream import UpstreamLedger
from tests.conftest import FakeClock


def budget(db: Database, clock: FakeClock, per_hour: int = 15) -> Budget:
    return Budget(UpstreamLedger(db), per_hour, clock)


async def take(b: Budget, priority: Priority, n: int) -> int:
    granted = 0
    for _ in range(n):
        if await b.try_acquire(priority, "x/") is None:
            granted += 1
    return granted


async def test_never_more_than_the_limit_in_any_rolling_hour(
    db: Database, clock: FakeClock
) -> None:
    b = budget(db, clock)
    assert await take(b, Priority.INTERACTIVE, 10) == 10
    clock.advance(1800)
    assert await take(b, Priority.INTERACTIVE, 10) == 5
    denial = await b.try_acquire(Priority.INTERACTIVE, "x/")
    assert denial is not None and not denial.throttled
    assert denial.retry_at == clock.now - 1800 + 3600  # when the first ten age out
    clock.advance(1800)
    assert await take(b, Priority.INTERACTIVE, 20) == 10


async def test_background_gets_a_third_and_never_the_last_third(
    db: Database, clock: FakeClock
) -> None:
    b = budget(db, clock)
    assert await take(b, Priority.BACKGROUND, 20) == 5
    assert await take(b, Priority.INTERACTIVE, 20) == 10
    fresh = budget(db, FakeClock(clock.now + 3601))
    assert await take(fresh, Priority.INTERACTIVE, 8) == 8
    # 7 slots left: background may not dig into the 5 kept for users.
    assert await take(fresh, Priority.BACKGROUND, 5) == 2
    assert (await fresh.status()).remaining == 5


async def test_a_429_blocks_until_its_time_and_survives_a_restart(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "capcom.db"
    async with Database(path) as db:
        await budget(db, clock).block_until(clock.now + 120)
    async with Database(path) as db:
        b = budget(db, clock)
        denial = await b.try_acquire(Priority.INTERACTIVE, "x/")
        assert denial is not None and denial.throttled and denial.retry_at == clock.now + 120
        assert (await b.status()).blocked_until == clock.now + 120
        clock.advance(121)
        assert await b.try_acquire(Priority.INTERACTIVE, "x/") is None


async def test_a_restart_does_not_burst(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "capcom.db"
    async with Database(path) as db:
        assert await take(budget(db, clock), Priority.INTERACTIVE, 12) == 12
    async with Database(path) as db:
        assert await take(budget(db, clock), Priority.INTERACTIVE, 12) == 3


_GRAB = """
import asyncio, sys
from pathlib import Path
from bot.ll2.budget import Budget, Priority
from storage.database import Database
from storage.upstream import UpstreamLedger

async def main() -> None:
    async with Database(Path(sys.argv[1])) as db:
        budget = Budget(UpstreamLedger(db), 15)
        granted = 0
        for _ in range(20):
            if await budget.try_acquire(Priority.INTERACTIVE, "x/") is None:
                granted += 1
        print(granted)

asyncio.run(main())
"""


async def test_two_processes_on_one_database_share_the_budget(tmp_path: Path) -> None:
    path = tmp_path / "capcom.db"
    async with Database(path):
        pass  # migrate once, so both processes start from the same schema
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", _GRAB, str(path), stdout=asyncio.subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [await process.communicate() for process in processes]
    granted = [int(stdout.decode()) for stdout, _ in outputs]
    assert sum(granted) == 15, granted
