from __future__ import annotations

import asyncio
import sys

import pytest

from bot.ll2.budget import DEMAND_SECONDS, Budget, Priority
from storage.database import Database
from storage.open import open_database
from storage.upstream import UpstreamLedger
from tests.conftest import FakeClock, opened_together

pytestmark = pytest.mark.every_backend


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
    """The hourly total binds before either share does: commands (12 at most) and
    background work (5 at most) could take 17 together, and get 15."""
    b = budget(db, clock)
    assert await take(b, Priority.INTERACTIVE, 8) == 8
    clock.advance(1800)
    assert await take(b, Priority.BACKGROUND, 5) == 5
    assert await take(b, Priority.INTERACTIVE, 10) == 2  # the commands' share would allow 4
    denial = await b.try_acquire(Priority.INTERACTIVE, "x/")
    assert denial is not None and not denial.throttled
    assert denial.retry_at == clock.now - 1800 + 3600  # when the first eight age out
    assert (await b.status()).used == 15
    clock.advance(1800)
    # The first eight aged out; 2 commands and 5 background requests are in the window.
    assert await take(b, Priority.INTERACTIVE, 20) == 8  # the commands' share would allow 10


async def test_commands_leave_the_alert_poll_a_fifth(db: Database, clock: FakeClock) -> None:
    b = budget(db, clock)
    assert await take(b, Priority.INTERACTIVE, 20) == 12
    assert await take(b, Priority.BACKGROUND, 20) == 3
    assert (await b.status()).remaining == 0


async def test_background_work_gets_at_most_a_third(db: Database, clock: FakeClock) -> None:
    b = budget(db, clock)
    assert await take(b, Priority.BACKGROUND, 20) == 5
    assert await take(b, Priority.INTERACTIVE, 20) == 10
    assert (await b.status()).used == 15


async def test_spare_work_takes_what_commands_leave_and_never_the_alert_polls(
    db: Database, clock: FakeClock
) -> None:
    b = budget(db, clock)
    assert await take(b, Priority.SPARE, 20) == 11  # the commands' 12, less a margin of 1
    assert await take(b, Priority.INTERACTIVE, 20) == 1  # spare slots count in their 12
    assert await take(b, Priority.BACKGROUND, 20) == 3  # the alert poll's reserve is whole
    assert (await b.status()).used == 15


async def test_timely_work_takes_a_background_slot_then_a_spare_one_and_never_commands(
    db: Database, clock: FakeClock
) -> None:
    """The launch watch near a launch: with the background share spent it still polls,
    on what commands are not using; while commands are busy it waits like spare work."""
    b = budget(db, clock)
    assert await take(b, Priority.TIMELY, 1) == 1  # a background slot while there is one
    assert await take(b, Priority.BACKGROUND, 20) == 4  # it counted in the background share
    assert await take(b, Priority.TIMELY, 2) == 2  # then spare slots
    assert await take(b, Priority.INTERACTIVE, 20) == 8  # the hour: 15 less 5 and 2
    clock.advance(3600)
    assert await take(b, Priority.INTERACTIVE, 8) == 8  # a burst of commands just now
    assert await take(b, Priority.BACKGROUND, 5) == 5
    assert await take(b, Priority.TIMELY, 1) == 0  # commands keep their recent demand


async def test_spare_work_yields_to_commands_recent_demand_and_catches_up(
    db: Database, clock: FakeClock
) -> None:
    b = budget(db, clock)
    assert await take(b, Priority.INTERACTIVE, 4) == 4  # a burst of commands
    # 12 - margin 1 - 4 used - 4 more kept for the same demand again
    assert await take(b, Priority.SPARE, 20) == 3
    denial = await b.try_acquire(Priority.SPARE, "x/")
    assert denial is not None and not denial.throttled
    assert denial.retry_at == clock.now + DEMAND_SECONDS  # when the burst is no longer recent
    clock.advance(DEMAND_SECONDS)
    assert await take(b, Priority.SPARE, 20) == 4  # caught up: 12 - 1 - 4 - 3
    assert await take(b, Priority.INTERACTIVE, 20) == 1
    clock.advance(3600 - DEMAND_SECONDS)  # the burst and the first 3 left the hour
    assert await take(b, Priority.SPARE, 20) == 6  # 12 - 1 - (4 + 1) still in it


async def test_a_first_pass_hold_keeps_its_pages_from_commands_until_it_lapses(
    db: Database, clock: FakeClock
) -> None:
    b = budget(db, clock)
    assert await take(b, Priority.INTERACTIVE, 4) == 4  # commands were busy
    await b.hold_for_first_pass(20, 120)  # at most 12 - 2 held
    assert await take(b, Priority.INTERACTIVE, 20) == 1  # 15 - 10 held - 4 used
    denial = await b.try_acquire(Priority.INTERACTIVE, "x/")
    assert denial is not None and denial.retry_at == clock.now + 120  # when the hold lapses
    # The held pages need no margin and ignore the commands' recent demand: 12 - 5.
    assert await take(b, Priority.SPARE, 20) == 7
    clock.advance(121)
    assert await take(b, Priority.INTERACTIVE, 20) == 0  # the hold is over; the hour is full
    await b.hold_for_first_pass(0, 0)
    assert (await b.status()).used == 12


async def test_a_429_blocks_until_its_time_and_survives_a_restart(
    database_url: str, clock: FakeClock
) -> None:
    async with open_database(database_url) as db:
        await budget(db, clock).block_until(clock.now + 120)
        await budget(db, clock).block_until(clock.now + 60)  # never shortened
    async with open_database(database_url) as db:
        b = budget(db, clock)
        denial = await b.try_acquire(Priority.INTERACTIVE, "x/")
        assert denial is not None and denial.throttled and denial.retry_at == clock.now + 120
        assert (await b.status()).blocked_until == clock.now + 120
        clock.advance(121)
        assert await b.try_acquire(Priority.INTERACTIVE, "x/") is None


async def test_a_restart_does_not_burst(database_url: str, clock: FakeClock) -> None:
    async with open_database(database_url) as db:
        assert await take(budget(db, clock), Priority.INTERACTIVE, 10) == 10
    async with open_database(database_url) as db:
        assert await take(budget(db, clock), Priority.INTERACTIVE, 10) == 2


_GRAB = """
import asyncio, sys
from bot.ll2.budget import Budget, Priority
from storage.open import open_database
from storage.upstream import UpstreamLedger

async def main() -> None:
    async with open_database(sys.argv[1]) as db:
        budget = Budget(UpstreamLedger(db), 15)
        granted = 0
        for _ in range(20):
            if await budget.try_acquire(Priority.INTERACTIVE, "x/") is None:
                granted += 1
        print(granted)

asyncio.run(main())
"""


async def test_two_processes_on_one_database_share_the_budget(database_url: str) -> None:
    async with open_database(database_url):
        pass  # migrate once, so both processes start from the same schema
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", _GRAB, database_url, stdout=asyncio.subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [await process.communicate() for process in processes]
    granted = [int(stdout.decode()) for stdout, _ in outputs]
    assert sum(granted) == 12, granted  # the commands' part of 15


async def test_connections_racing_for_the_last_slot_get_exactly_one_every_time(
    database_url: str, clock: FakeClock
) -> None:
    """Eight connections ask at once for the hour's last command slot, round after
    round: a single race can miss a missing lock by luck, fifty in a row cannot."""
    async with opened_together(database_url, 8) as databases:
        budgets = [budget(database, clock) for database in databases]
        for round_ in range(50):
            clock.advance(3601)  # the previous round's slots leave the hour
            assert await take(budgets[0], Priority.INTERACTIVE, 11) == 11
            denials = await asyncio.gather(
                *(b.try_acquire(Priority.INTERACTIVE, "x/") for b in budgets)
            )
            granted = sum(denial is None for denial in denials)
            assert granted == 1, f"round {round_}: {granted} connections took the last slot"
