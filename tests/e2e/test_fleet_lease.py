"""The background lease in a fleet: two `capcom run` processes (shards 0 and 1 of 2) on
one PostgreSQL. One polls and syncs; when it is killed, the other takes over within one
poll interval."""

from __future__ import annotations

import time
from pathlib import Path

from tests.e2e.test_fleet import fleet
from tests.postgres import Cluster

POLL_SECONDS = 4.0
TAKEN = "background lease taken"


async def test_the_background_work_moves_when_its_process_is_killed(
    tmp_path: Path, postgres: Cluster
) -> None:
    env = {
        "DATABASE_URL": await postgres.new_database(),
        "ALERT_POLL_SECONDS": str(POLL_SECONDS),
        "LL2_REQUESTS_PER_HOUR": "100000",  # the budget is not under test here
    }
    async with fleet(tmp_path, "0", "1", env=env) as (_, _, processes, _):
        first, second = processes
        await first.until(lambda: TAKEN in first.log() + second.log(), "a lease holder")
        [holder] = [process for process in processes if TAKEN in process.log()]
        standby = second if holder is first else first
        await holder.wait_log("alert poll: ")
        await holder.wait_log("catalog sync: ")
        assert "alert poll: " not in standby.log() and "catalog sync: " not in standby.log()

        await holder.kill()
        killed = time.monotonic()
        await standby.wait_log(TAKEN, POLL_SECONDS)
        await standby.wait_log("alert poll: ", POLL_SECONDS)
        assert time.monotonic() - killed < POLL_SECONDS  # within one poll interval
        await standby.wait_log("catalog sync: ", POLL_SECONDS)
